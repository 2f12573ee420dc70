/**
 * Route messages ↔ typed objects. decodeRoute() is the hot path of large dumps:
 * straight-line reads of rtmsg and a switch over the common attributes, falling
 * back to the RTA table's codecs for the rest (checked against the table-driven
 * decoder in tests).
 */
import { copyBytes, decodeFail, type RawAttr } from '../../attr/codec.js'
import { rd16, rd32 } from '../../util/le.js'
import { childPaths, encodeAttrs } from '../../attr/table.js'
import { NlWriter } from '../../attr/writer.js'
import { NLA_TYPE_MASK } from '../../netlink/constants.js'
import type { NlMsg } from '../../netlink/header.js'
import { AF_INET6, formatIp, formatPrefix } from '../../util/ip.js'
import { SCOPE_BY_NUM, type Scope } from '../addr/schema.js'
import { ENCAP_BY_NUM, placeEncap, type RouteEncap } from './encap.js'
import {
  nexthopFlags, PROTOCOL_BY_NUM, ROUTE_TYPES, RTA, RTMSG_LEN,
  type EncapType, type Nexthop, type NexthopFlag, type RouteAttrs, type RouteCacheInfo, type RouteMetrics, type RouteProtocol, type RouteType, type Via,
} from './schema.js'

/** A route as the kernel reports it (`ip route show`). */
export interface Route {
  family: 'inet' | 'inet6'
  /** `'10.0.0.0/24'`, `'2001:db8::/64'`, or `'default'`. */
  dst: string
  dstLength: number
  /** Source prefix (IPv6 source routing), `'2001:db8::/64'`. */
  src?: string
  tos: number
  /** Table id (RTA_TABLE, which carries ids above 255). */
  table: number
  protocol: RouteProtocol | number
  scope: Scope | number
  type: RouteType | number
  /** RTNH_F_* of the route (`'onlink'`, `'linkdown'`...). */
  flags: NexthopFlag[]
  /** RTM_F_CLONED: a cached route. */
  cloned?: boolean
  gateway?: string
  /** A gateway of another family (RTA_VIA). */
  via?: Via
  /** Output device index. */
  oif?: number
  /** Input device index (route lookups). */
  iif?: number
  /** The metric (`ip route ... metric N`). */
  priority?: number
  prefsrc?: string
  metrics?: RouteMetrics
  multipath?: Nexthop[]
  /** IPv6: seconds until the route expires. */
  expires?: number
  /** IPv6 router preference: 'low' | 'medium' | 'high'. */
  pref?: 'low' | 'medium' | 'high' | number
  mark?: number
  /** Nexthop object id (RTA_NH_ID). */
  nhid?: number
  /** The type of {@link encap} (RTA_ENCAP_TYPE). */
  encapType?: EncapType | number
  /** Lightweight tunnel encapsulation (`ip route ... encap ip|ip6|mpls|seg6|seg6local ...`). */
  encap?: RouteEncap
  /** Routing realms (`ip route ... realm N`, RTA_FLOW). */
  flow?: number
  /** `ip route get`: the uid the lookup was made for (RTA_UID). */
  uid?: number
  /** MPLS: TTL propagation (RTA_TTL_PROPAGATE). */
  ttlPropagate?: number
  /** `ip route get ipproto/sport/dport`: the flow the lookup was made for. */
  ipProto?: number
  sport?: number
  dport?: number
  cacheInfo?: RouteCacheInfo
  unknown?: RawAttr[]
}

const TYPE_BY_NUM = Object.entries(ROUTE_TYPES).reduce<(RouteType | undefined)[]>((a, [k, v]) => { a[v] = k as RouteType; return a }, [])
const PREF_BY_NUM: Record<number, 'low' | 'medium' | 'high'> = { 0: 'medium', 1: 'high', 3: 'low' }

const ROUTE_PATHS = childPaths(RTA, 'RTM_NEWROUTE')

/** Decodes an RTM_NEWROUTE message. */
export function decodeRoute(msg: NlMsg): Route {
  return decodeRouteAt(msg.buf, msg.off, msg.end)
}

export function decodeRouteAt(buf: Buffer, off: number, end: number): Route {
  if (end - off < RTMSG_LEN) decodeFail('RTM_NEWROUTE shorter than struct rtmsg', buf, off, 'RTM_NEWROUTE')
  const family = buf[off]!
  const dstLength = buf[off + 1]!
  const srcLen = buf[off + 2]!
  const type = buf[off + 7]!
  const protocol = buf[off + 5]!
  const scope = buf[off + 6]!
  const rflags = rd32(buf, off + 8)
  const r: Route = {
    family: family === AF_INET6 ? 'inet6' : 'inet',
    dst: 'default',
    dstLength,
    tos: buf[off + 3]!,
    table: buf[off + 4]!,
    protocol: PROTOCOL_BY_NUM[protocol] ?? protocol,
    scope: SCOPE_BY_NUM[scope] ?? scope,
    type: TYPE_BY_NUM[type] ?? type,
    flags: (rflags & 0xff) === 0 ? [] : nexthopFlags(rflags & 0xff),
  }
  if (rflags & 0x200) r.cloned = true
  let encapAt = -1
  let encapType = -1
  let o = off + RTMSG_LEN
  while (o + 4 <= end) {
    const len = rd16(buf, o)
    if (len < 4 || o + len > end) decodeFail(`bad attribute length ${len}`, buf, o, 'RTM_NEWROUTE')
    const t = rd16(buf, o + 2) & NLA_TYPE_MASK
    const p = o + 4
    const pl = len - 4
    switch (t) {
      case 1: // RTA_DST
        r.dst = formatPrefix(buf, p, pl, dstLength)
        break
      case 2: // RTA_SRC
        r.src = formatPrefix(buf, p, pl, srcLen)
        break
      case 3: if (pl >= 4) r.iif = rd32(buf, p); else bad(buf, o, 'RTA_IIF'); break
      case 4: if (pl >= 4) r.oif = rd32(buf, p); else bad(buf, o, 'RTA_OIF'); break
      case 5: r.gateway = formatIp(buf, p, pl); break
      case 6: if (pl >= 4) r.priority = rd32(buf, p); else bad(buf, o, 'RTA_PRIORITY'); break
      case 7: r.prefsrc = formatIp(buf, p, pl); break
      case 15: if (pl >= 4) r.table = rd32(buf, p); else bad(buf, o, 'RTA_TABLE'); break
      case 16: if (pl >= 4) r.mark = rd32(buf, p); else bad(buf, o, 'RTA_MARK'); break
      case 20: if (pl >= 1) r.pref = PREF_BY_NUM[buf[p]!] ?? buf[p]!; break
      case 23: if (pl >= 4) r.expires = rd32(buf, p); break
      case 30: if (pl >= 4) r.nhid = rd32(buf, p); break
      case 21: if (pl >= 2) r.encapType = ENCAP_BY_NUM[encapType = rd16(buf, p)] ?? encapType; else bad(buf, o, 'RTA_ENCAP_TYPE'); break
      case 22: encapAt = o; break // decoded once its type is known (the kernel sends it first)
      default: {
        const e = RTA.byType[t]
        if (e) (r as unknown as Record<string, unknown>)[e.key] = e.codec.decode(buf, p, pl, ROUTE_PATHS[t]!)
        else (r.unknown ??= []).push({ type: rd16(buf, o + 2), data: copyBytes(buf, p, p + pl) })
      }
    }
    o += (len + 3) & ~3
  }
  if (encapAt >= 0) placeEncap(r, buf, encapAt, encapType, 'RTM_NEWROUTE > RTA_ENCAP')
  // The kernel reports a route's remaining lifetime in RTA_CACHEINFO, in USER_HZ (1/100 s).
  if (r.expires === undefined && r.cacheInfo && r.cacheInfo.expires > 0) r.expires = Math.round(r.cacheInfo.expires / 100)
  if (r.dst === 'default' && dstLength !== 0) r.dst = family === AF_INET6 ? `::/${dstLength}` : `0.0.0.0/${dstLength}`
  return r
}

function bad(buf: Buffer, o: number, name: string): never {
  decodeFail('attribute payload too short', buf, o, `RTM_NEWROUTE > ${name}`)
}

export interface RtMsgHeader {
  family: number
  dstLen?: number
  srcLen?: number
  tos?: number
  table?: number
  protocol?: number
  scope?: number
  type?: number
  flags?: number
}

/** Builds a route request: nlmsghdr + rtmsg + RTA attributes. */
export function routeMessage(type: number, nlFlags: number, h: RtMsgHeader, attrs: RouteAttrs): Buffer {
  const w = NlWriter.acquire()
  const start = w.beginMessage(type, nlFlags)
  const at = w.zeros(RTMSG_LEN)
  const b = w.buf
  b[at] = h.family
  b[at + 1] = h.dstLen ?? 0
  b[at + 2] = h.srcLen ?? 0
  b[at + 3] = h.tos ?? 0
  b[at + 4] = h.table ?? 0
  b[at + 5] = h.protocol ?? 0
  b[at + 6] = h.scope ?? 0
  b[at + 7] = h.type ?? 0
  b.writeUInt32LE((h.flags ?? 0) >>> 0, at + 8)
  encodeAttrs(RTA, w, attrs)
  w.endMessage(start)
  return w.take()
}
