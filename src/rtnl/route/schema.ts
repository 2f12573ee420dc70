/**
 * Route messages: struct rtmsg + RTA_* attributes, as in <linux/rtnetlink.h> (Linux 6.18).
 */
import BufferLayout from 'buffer-layout'
import type { StructLayout } from '../../netlink/header.js'
import { rd16, rd32, rdS32 } from '../../util/le.js'
import { copyBytes, decodeFail, readStr, type RawAttr } from '../../attr/codec.js'
import { attrTable, enumOf, s32, u16, u32, u8, type AttrsOf, type Codec } from '../../attr/table.js'
import { checkString } from '../../util/check.js'
import { ValidationError } from '../../errors.js'
import { scopeNumber } from '../addr/schema.js'
import { ip } from '../../attr/types.js'
import { NLA_TYPE_MASK } from '../../netlink/constants.js'
import { registerMessageType } from '../../netlink/registry.js'
import { AF_INET, AF_INET6, formatIp, parseIp } from '../../util/ip.js'
import { bitNamer } from '../../util/bits.js'
import { ENCAP_BY_NUM, ENCAP_TYPES, encapAttr, encodeEncap, placeEncap, type EncapType, type RouteEncap } from './encap.js'

export { ENCAP_TYPES, scopeNumber, type EncapType }

export const RTM_NEWROUTE = 24
export const RTM_DELROUTE = 25
export const RTM_GETROUTE = 26

/** struct rtmsg — 12 bytes. */
export const rtmsg: StructLayout = BufferLayout.struct([
  BufferLayout.u8('family'),
  BufferLayout.u8('dstLen'),
  BufferLayout.u8('srcLen'),
  BufferLayout.u8('tos'),
  BufferLayout.u8('table'),
  BufferLayout.u8('protocol'),
  BufferLayout.u8('scope'),
  BufferLayout.u8('type'),
  BufferLayout.u32('flags'),
], 'rtmsg')
export const RTMSG_LEN = 12

// enum rt_class_t
export const TABLES = { unspec: 0, default: 253, main: 254, local: 255 } as const
// RTN_*
export const ROUTE_TYPES = {
  unspec: 0, unicast: 1, local: 2, broadcast: 3, anycast: 4, multicast: 5, blackhole: 6, unreachable: 7,
  prohibit: 8, throw: 9, nat: 10, xresolve: 11,
} as const
/**
 * A route type by name (RTN_* of <linux/rtnetlink.h>), as `ip route add TYPE ...` takes it:
 * `unicast` (the default), `local`, `broadcast`, `blackhole`, `unreachable`, `prohibit`, `throw`...
 */
export type RouteType = keyof typeof ROUTE_TYPES
// RTPROT_* (and the ones /etc/iproute2/rt_protos names)
export const PROTOCOLS = {
  unspec: 0, redirect: 1, kernel: 2, boot: 3, static: 4, gated: 8, ra: 9, mrt: 10, zebra: 11, bird: 12,
  dnrouted: 13, xorp: 14, ntk: 15, dhcp: 16, mrouted: 17, keepalived: 18, babel: 42, openr: 99, bgp: 186,
  isis: 187, ospf: 188, rip: 189, eigrp: 192,
} as const
/**
 * A route protocol by name (RTPROT_* of <linux/rtnetlink.h>, lowercased: `ip route ... proto P`):
 * who installed the route. Values from `static` (4) up are not interpreted by the kernel,
 * only passed back as given.
 */
export type RouteProtocol = keyof typeof PROTOCOLS
// RTNH_F_*
export const RTNH_F = { dead: 1, pervasive: 2, onlink: 4, offload: 8, linkdown: 16, unresolved: 32, trap: 64 } as const
/** A next-hop flag by name (RTNH_F_* of <linux/rtnetlink.h>): `onlink`, `dead`, `linkdown`, `offload`... */
export type NexthopFlag = keyof typeof RTNH_F
// RTM_F_*
export const RTM_F_NOTIFY = 0x100
export const RTM_F_CLONED = 0x200
export const RTM_F_LOOKUP_TABLE = 0x1000
export const RTM_F_FIB_MATCH = 0x2000

/** RTAX_* metrics (RTA_METRICS nest). */
export const RTAX = attrTable('RTAX', {
  RTAX_LOCK: [1, 'lock', u32],
  RTAX_MTU: [2, 'mtu', u32],
  RTAX_WINDOW: [3, 'window', u32],
  RTAX_RTT: [4, 'rtt', u32],
  RTAX_RTTVAR: [5, 'rttvar', u32],
  RTAX_SSTHRESH: [6, 'ssthresh', u32],
  RTAX_CWND: [7, 'cwnd', u32],
  RTAX_ADVMSS: [8, 'advmss', u32],
  RTAX_REORDERING: [9, 'reordering', u32],
  RTAX_HOPLIMIT: [10, 'hoplimit', u32],
  RTAX_INITCWND: [11, 'initcwnd', u32],
  RTAX_FEATURES: [12, 'features', u32],
  RTAX_RTO_MIN: [13, 'rtoMin', u32],
  RTAX_INITRWND: [14, 'initrwnd', u32],
  RTAX_QUICKACK: [15, 'quickack', u32],
  RTAX_CC_ALGO: [16, 'congctl', { kind: 'string', decode: (b, o, l) => readStr(b, o, l), encode: (w, t, v: string) => w.attrStr(t, v), check: checkString } as Codec<string>],
  RTAX_FASTOPEN_NO_COOKIE: [17, 'fastopenNoCookie', u32],
})
/**
 * A route's metrics (RTA_METRICS, the RTAX_* attributes): `ip route ... mtu N advmss N window N
 * initcwnd N congctl NAME ...`. Each is the attribute's u32 as the kernel takes it (no unit
 * conversion); `congctl` is the congestion control algorithm's name. Where ip converts:
 * `rtt` is in 1/8 ms (ip's `rtt 30ms` is 240), `rttvar` in 1/4 ms (`rttvar 10ms` is 40);
 * `lock` is a bit mask of RTAX_* numbers (ip's `mtu lock 1400` is `{ mtu: 1400, lock: 1 << 2 }`);
 * `features` a mask of RTAX_FEATURE_* (`ecn` is 1).
 */
export type RouteMetrics = AttrsOf<typeof RTAX>

/** struct rtvia { __kernel_sa_family_t rtvia_family; __u8 rtvia_addr[]; } as `{ family, address }`. */
export interface Via {
  family: 'inet' | 'inet6'
  address: string
}

export const via: Codec<Via> = {
  kind: 'rtvia',
  decode(buf, off, len, path) {
    if (len < 2) decodeFail('rtvia shorter than its family', buf, off, path)
    const family = rd16(buf, off)
    return { family: family === AF_INET6 ? 'inet6' : 'inet', address: formatIp(buf, off + 2, len - 2) }
  },
  encode(w, t, v) {
    const p = parseIp(v.address, 'via')
    const b = Buffer.alloc(2 + p.bytes.length)
    b.writeUInt16LE(p.family, 0)
    p.bytes.copy(b, 2)
    w.attrBytes(t, b)
  },
}

/** One path of a multipath route (struct rtnexthop + its attributes). */
export interface Nexthop {
  /** Output device index. */
  oif: number
  /** Relative weight, 1-256 (rtnh_hops + 1). */
  weight: number
  flags: NexthopFlag[]
  gateway?: string
  via?: Via
  /** This path's lightweight tunnel encapsulation type (also `encap.type`). */
  encapType?: EncapType | number
  /** This path's lightweight tunnel encapsulation (`nexthop ... encap TYPE ...`). */
  encap?: RouteEncap
  /** This path's routing realms (`nexthop ... realm N`, RTA_FLOW). */
  flow?: number
  /** Attributes of this path not decoded above, as the kernel sent them. */
  unknown?: RawAttr[]
}

const NH_FLAG_NAMES = Object.entries(RTNH_F) as [NexthopFlag, number][]
export const nexthopFlags = bitNamer(NH_FLAG_NAMES, 64)
export function nexthopFlagBits(flags: readonly NexthopFlag[] | undefined): number {
  let b = 0
  for (const f of flags ?? []) b |= RTNH_F[f]
  return b
}

/** RTA_MULTIPATH: a sequence of struct rtnexthop { u16 len; u8 flags; u8 hops; s32 ifindex; } + attributes. */
export const multipath: Codec<Nexthop[]> = {
  kind: 'rtnexthop[]',
  decode(buf, off, len, path) {
    const out: Nexthop[] = []
    const end = off + len
    let o = off
    while (o + 8 <= end) {
      const l = rd16(buf, o)
      if (l < 8 || o + l > end) decodeFail(`bad rtnexthop length ${l}`, buf, o, path)
      const nh: Nexthop = { oif: rdS32(buf, o + 4), weight: buf[o + 3]! + 1, flags: nexthopFlags(buf[o + 2]!) }
      let a = o + 8
      let encapAt = -1
      let encapType = -1
      while (a + 4 <= o + l) {
        const al = rd16(buf, a)
        if (al < 4 || a + al > o + l) decodeFail('bad attribute length', buf, a, `${path} > rtnexthop`)
        const t = rd16(buf, a + 2) & NLA_TYPE_MASK
        if (t === 5) nh.gateway = formatIp(buf, a + 4, al - 4)
        else if (t === 18) nh.via = via.decode(buf, a + 4, al - 4, path)
        else if (t === 21 && al >= 6) nh.encapType = ENCAP_BY_NUM[encapType = rd16(buf, a + 4)] ?? encapType
        else if (t === 22) encapAt = a
        else if (t === 11 && al >= 8) nh.flow = rd32(buf, a + 4)
        else (nh.unknown ??= []).push({ type: rd16(buf, a + 2), data: copyBytes(buf, a + 4, a + al) })
        a += (al + 3) & ~3
      }
      if (encapAt >= 0) placeEncap(nh, buf, encapAt, encapType, `${path} > rtnexthop > RTA_ENCAP`)
      out.push(nh)
      o += (l + 3) & ~3
    }
    return out
  },
  encode(w, t, v) {
    const at = w.beginNest(t, true)
    for (const nh of v) {
      const start = w.zeros(8)
      w.buf[start + 2] = nexthopFlagBits(nh.flags)
      w.buf[start + 3] = Math.max(0, (nh.weight ?? 1) - 1)
      w.buf.writeInt32LE(nh.oif, start + 4)
      if (nh.gateway !== undefined) w.attrBytes(5, parseIp(nh.gateway, 'gateway').bytes)
      if (nh.via !== undefined) via.encode(w, 18, nh.via)
      if (nh.flow !== undefined) w.attrU32(11, nh.flow)
      if (nh.encap !== undefined) encodeEncap(w, nh.encap)
      w.buf.writeUInt16LE(w.off - start, start)
    }
    w.endNest(at)
  },
}

/** struct rta_cacheinfo */
export interface RouteCacheInfo {
  clntref: number; lastuse: number; expires: number; error: number; used: number; id: number; ts: number; tsage: number
}
const cacheInfo: Codec<RouteCacheInfo> = {
  kind: 'rta_cacheinfo',
  decode(buf, off, len, path) {
    if (len < 32) decodeFail('rta_cacheinfo needs 32 bytes', buf, off, path)
    return {
      clntref: rd32(buf, off), lastuse: rd32(buf, off + 4), expires: rdS32(buf, off + 8), error: rd32(buf, off + 12),
      used: rd32(buf, off + 16), id: rd32(buf, off + 20), ts: rd32(buf, off + 24), tsage: rd32(buf, off + 28),
    }
  },
  encode(w, t, v) {
    const b = Buffer.alloc(32)
    ;[v.clntref, v.lastuse, v.expires, v.error, v.used, v.id, v.ts, v.tsage].forEach((x, i) => b.writeUInt32LE(x >>> 0, i * 4))
    w.attrBytes(t, b)
  },
}

const metrics: Codec<RouteMetrics> = {
  kind: 'nested',
  table: RTAX,
  decode: (buf, off, len, path) => {
    const out: Record<string, unknown> = {}
    let o = off
    const end = off + len
    while (o + 4 <= end) {
      const l = rd16(buf, o)
      if (l < 4 || o + l > end) decodeFail('bad attribute length', buf, o, path)
      const e = RTAX.byType[rd16(buf, o + 2) & NLA_TYPE_MASK]
      if (e) out[e.key] = e.codec.decode(buf, o + 4, l - 4, `${path} > ${e.name}`)
      o += (l + 3) & ~3
    }
    return out as RouteMetrics
  },
  encode(w, t, v) {
    // iproute2 sends RTA_METRICS without NLA_F_NESTED; the kernel accepts both.
    const at = w.beginNest(t, true)
    for (const e of RTAX.entries) {
      const x = (v as Record<string, unknown>)[e.key]
      if (x !== undefined) e.codec.encode(w, e.type, x)
    }
    w.endNest(at)
  },
}

export const RTA = attrTable('RTA', {
  RTA_DST: [1, 'dst', ip],
  RTA_SRC: [2, 'src', ip],
  RTA_IIF: [3, 'iif', u32],
  RTA_OIF: [4, 'oif', u32],
  RTA_GATEWAY: [5, 'gateway', ip],
  RTA_PRIORITY: [6, 'priority', u32],
  RTA_PREFSRC: [7, 'prefsrc', ip],
  RTA_METRICS: [8, 'metrics', metrics],
  RTA_MULTIPATH: [9, 'multipath', multipath],
  RTA_FLOW: [11, 'flow', u32],
  RTA_CACHEINFO: [12, 'cacheInfo', cacheInfo, { readOnly: true }],
  RTA_TABLE: [15, 'table', u32],
  RTA_MARK: [16, 'mark', u32],
  RTA_VIA: [18, 'via', via],
  RTA_NEWDST: [19, 'newdst', ip],
  RTA_PREF: [20, 'pref', u8],
  // A u16 (lwtunnel_fill_encap). Read only: RTA_ENCAP's codec writes it with the nest.
  RTA_ENCAP_TYPE: [21, 'encapType', enumOf(u16, ENCAP_TYPES), { readOnly: true }],
  RTA_ENCAP: [22, 'encap', encapAttr],
  RTA_EXPIRES: [23, 'expires', u32],
  RTA_UID: [25, 'uid', u32],
  RTA_TTL_PROPAGATE: [26, 'ttlPropagate', u8],
  RTA_IP_PROTO: [27, 'ipProto', u8],
  RTA_SPORT: [28, 'sport', { kind: 'be16', decode: (b, o) => b.readUInt16BE(o), encode: (w, t, v: number) => w.attrBe16(t, v) } as Codec<number>],
  RTA_DPORT: [29, 'dport', { kind: 'be16', decode: (b, o) => b.readUInt16BE(o), encode: (w, t, v: number) => w.attrBe16(t, v) } as Codec<number>],
  RTA_NH_ID: [30, 'nhid', u32],
})
export type RouteAttrs = AttrsOf<typeof RTA>
void s32

/** Protocol names by number (an array: route dumps read it per route), for routes, rules and nexthops. */
export const PROTOCOL_BY_NUM: readonly (RouteProtocol | undefined)[] =
  Object.entries(PROTOCOLS).reduce<(RouteProtocol | undefined)[]>((a, [k, v]) => { a[v] = k as RouteProtocol; return a }, [])

/** A route protocol by name or number (RTPROT_*). */
export function protocolNumber(p: RouteProtocol | number, field = 'protocol'): number {
  if (typeof p === 'number' && Number.isInteger(p) && p >= 0 && p <= 255) return p
  if (typeof p === 'string' && p in PROTOCOLS) return PROTOCOLS[p]
  throw new ValidationError(`${field}: unknown protocol ${JSON.stringify(p)}`, field, p)
}

/** A route type by name (RTN_*). */
export function typeNumber(t: RouteType): number {
  if (typeof t === 'string' && t in ROUTE_TYPES) return ROUTE_TYPES[t]
  throw new ValidationError(`type: unknown route type ${JSON.stringify(t)}`, 'type', t)
}

for (const [type, name, kind] of [[RTM_NEWROUTE, 'RTM_NEWROUTE', 'new'], [RTM_DELROUTE, 'RTM_DELROUTE', 'del'], [RTM_GETROUTE, 'RTM_GETROUTE', 'get']] as const)
  registerMessageType(type, { name, kind, headerSize: RTMSG_LEN, attrs: RTA })

export { AF_INET, AF_INET6 }
