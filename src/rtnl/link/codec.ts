/**
 * Link messages ↔ typed objects: decodeLink() turns an RTM_NEWLINK into a {@link Link};
 * linkMessage() builds requests from a header and IFLA attributes.
 */
import type { RawAttr } from '../../attr/codec.js'
import { rd16, rd32, rdS32 } from '../../util/le.js'
import { childPaths, encodeAttrs, type Codec } from '../../attr/table.js'
import { NlWriter } from '../../attr/writer.js'
import { copyBytes, decodeFail, readStr } from '../../attr/codec.js'
import { formatMac } from '../../util/ip.js'
import type { NlMsg } from '../../netlink/header.js'
import { kindByName, portKindByName } from './kinds/index.js'
import { ARPHRD, IFF, IFINFOMSG_LEN, IFLA, type LinkAttrs, type LinkFlag, type LinkInfo, type LinkStats, type OperState } from './schema.js'

/**
 * Kind data under the kind's key: options of link.add/set, and what a Link reports
 * (decoded by the kind's IFLA_INFO_DATA table). Field names are in kinds.md.
 */
export interface KindData {
  bridge?: Record<string, unknown>
  vxlan?: Record<string, unknown>
  macvlan?: Record<string, unknown>
  ipvlan?: Record<string, unknown>
  vlan?: Record<string, unknown>
  bond?: Record<string, unknown>
}

/** Port data (IFLA_INFO_SLAVE_DATA) of a link enslaved to a bridge or a bond. */
export interface PortData {
  /** Bridge port settings (IFLA_BRPORT_*). */
  bridgePort?: Record<string, unknown>
  bondPort?: Record<string, unknown>
}

/** A link as the kernel reports it (`ip -d link show`). */
export interface Link extends KindData, PortData {
  /** Interface index. */
  index: number
  name: string
  /** ARPHRD_* hardware type (1 = Ethernet). */
  type: number
  /** The hardware type's name, as `ip -json` prints `link_type` (`'ether'`, `'loopback'`). */
  linkType: string
  /** IFF_* flags by name, e.g. `['BROADCAST', 'MULTICAST', 'UP', 'LOWER_UP']`. */
  flags: LinkFlag[]
  /** Administratively up (IFF_UP). */
  up: boolean
  /** Carrier present (IFF_LOWER_UP). */
  lowerUp: boolean
  operState?: OperState | number
  mtu?: number
  minMtu?: number
  maxMtu?: number
  txQueueLen?: number
  qdisc?: string
  /** MAC address, `'aa:bb:cc:dd:ee:ff'`. */
  address?: string
  broadcast?: string
  permAddress?: string
  alias?: string
  altNames?: string[]
  /** Index of the master (bridge, bond) this link is a port of. */
  master?: number
  /** IFLA_LINK: the lower/peer device's index (in the namespace of linkNetnsId, if set). */
  parentIndex?: number
  /** IFLA_LINK_NETNSID: the namespace (by id) where parentIndex lives, e.g. a veth peer elsewhere. */
  linkNetnsId?: number
  group?: number
  promiscuity?: number
  allmulti?: number
  numTxQueues?: number
  numRxQueues?: number
  carrier?: boolean
  carrierChanges?: number
  carrierUpCount?: number
  carrierDownCount?: number
  protoDown?: boolean
  gsoMaxSize?: number
  gsoMaxSegs?: number
  groMaxSize?: number
  tsoMaxSize?: number
  tsoMaxSegs?: number
  linkMode?: number
  /** Counters (IFLA_STATS64). */
  stats64?: LinkStats
  /** IFLA_INFO_KIND: `'veth'`, `'bridge'`, `'vxlan'`... (absent for physical and loopback devices). */
  kind?: string
  /** IFLA_INFO_SLAVE_KIND: the kind of this link's master (`'bridge'` for bridge ports). */
  portKind?: string
  /** IFLA_INFO_DATA of kinds without a plugin, raw. */
  infoData?: RawAttr[]
  /** Attributes this library does not decode, kept raw. */
  unknown?: RawAttr[]
}

const FLAG_NAMES = Object.entries(IFF) as [LinkFlag, number][]
const flagCache = new Map<number, LinkFlag[]>()

/** IFF_* bits → names (each distinct value computed once; the caller gets its own array). */
export function flagsToNames(flags: number): LinkFlag[] {
  let names = flagCache.get(flags)
  if (names === undefined) {
    names = []
    for (const [n, v] of FLAG_NAMES) if (flags & v) names.push(n)
    if (flagCache.size < 1024) flagCache.set(flags, names)
  }
  return names.slice()
}

/** Decodes an RTM_NEWLINK message (payload from msg.off to msg.end). */
export function decodeLink(msg: NlMsg): Link {
  return decodeLinkAt(msg.buf, msg.off, msg.end)
}

// Attributes read straight into the Link (a switch instead of a table lookup and a codec call):
// the ones every link message carries. The rest goes through the IFLA table.
// Not reported: the legacy 32-bit counters (IFLA_STATS64 has them), per-family data, XDP state,
// the legacy ISA resources of IFLA_MAP (`ip` does not print them either), request-only attributes.
const SKIPPED = new Set([7 /* IFLA_STATS */, 26 /* IFLA_AF_SPEC */, 43 /* IFLA_XDP */, 14 /* IFLA_MAP */, 19, 28, 29])
const STATS64 = IFLA.byType[23]!.codec as Codec<LinkStats>

const LINK_PATHS = childPaths(IFLA, 'RTM_NEWLINK')

export function decodeLinkAt(buf: Buffer, off: number, end: number): Link {
  if (end - off < IFINFOMSG_LEN) decodeFail('RTM_NEWLINK shorter than struct ifinfomsg', buf, off, 'RTM_NEWLINK')
  const type = rd16(buf, off + 2)
  const flags = rd32(buf, off + 8)
  const link: Link = {
    index: rdS32(buf, off + 4),
    name: '',
    type,
    linkType: ARPHRD[type] ?? String(type),
    flags: flagsToNames(flags),
    up: (flags & IFF.UP) !== 0,
    lowerUp: (flags & IFF.LOWER_UP) !== 0,
  }
  const l = link as unknown as Record<string, unknown>
  let o = off + IFINFOMSG_LEN
  while (o + 4 <= end) {
    const len = rd16(buf, o)
    if (len < 4 || o + len > end) decodeFail(`bad attribute length ${len}`, buf, o, 'RTM_NEWLINK')
    const rawType = rd16(buf, o + 2)
    const t = rawType & 0x3fff
    const p = o + 4
    const pl = len - 4
    // Literal property names in one fixed kernel order keep one hidden-class chain.
    switch (t) {
      case 3: link.name = readStr(buf, p, pl); break                                 // IFLA_IFNAME
      case 4: link.mtu = u32(buf, p, pl, o); break                                     // IFLA_MTU
      case 13: link.txQueueLen = u32(buf, p, pl, o); break                             // IFLA_TXQLEN
      case 16: { const v = u8(buf, p, pl, o); link.operState = OPER[v] ?? v; break }                      // IFLA_OPERSTATE
      case 17: link.linkMode = u8(buf, p, pl, o); break                                        // IFLA_LINKMODE
      case 50: link.minMtu = u32(buf, p, pl, o); break
      case 51: link.maxMtu = u32(buf, p, pl, o); break
      case 27: link.group = u32(buf, p, pl, o); break
      case 30: link.promiscuity = u32(buf, p, pl, o); break
      case 61: link.allmulti = u32(buf, p, pl, o); break
      case 31: link.numTxQueues = u32(buf, p, pl, o); break
      case 32: link.numRxQueues = u32(buf, p, pl, o); break
      case 40: link.gsoMaxSegs = u32(buf, p, pl, o); break
      case 41: link.gsoMaxSize = u32(buf, p, pl, o); break
      case 58: link.groMaxSize = u32(buf, p, pl, o); break
      case 59: link.tsoMaxSize = u32(buf, p, pl, o); break
      case 60: link.tsoMaxSegs = u32(buf, p, pl, o); break
      case 33: link.carrier = u8(buf, p, pl, o) !== 0; break                                    // IFLA_CARRIER
      case 35: link.carrierChanges = u32(buf, p, pl, o); break
      case 47: link.carrierUpCount = u32(buf, p, pl, o); break
      case 48: link.carrierDownCount = u32(buf, p, pl, o); break
      case 39: link.protoDown = u8(buf, p, pl, o) !== 0; break
      case 6: link.qdisc = readStr(buf, p, pl); break                                  // IFLA_QDISC
      case 10: { const m = u32(buf, p, pl, o); if (m) link.master = m; break }         // IFLA_MASTER
      case 5: link.parentIndex = u32(buf, p, pl, o); break                             // IFLA_LINK
      case 1: link.address = formatMac(buf, p, pl); break                              // IFLA_ADDRESS
      case 2: link.broadcast = formatMac(buf, p, pl); break                            // IFLA_BROADCAST
      case 23: link.stats64 = STATS64.decode(buf, p, pl, LINK_PATHS[23]!); break        // IFLA_STATS64
      case 63: l['gsoIpv4MaxSize'] = u32(buf, p, pl, o); break
      case 64: l['groIpv4MaxSize'] = u32(buf, p, pl, o); break
      case 66: l['maxPacingOffloadHorizon'] = u32(buf, p, pl, o); break
      case 67: l['netnsImmutable'] = u8(buf, p, pl, o) !== 0; break                    // IFLA_NETNS_IMMUTABLE
      case 68: l['headroom'] = u16(buf, p, pl, o); break
      case 69: l['tailroom'] = u16(buf, p, pl, o); break
      default: {
        if (SKIPPED.has(t)) break
        const e = IFLA.byType[t]
        if (e) l[e.key] = e.codec.decode(buf, p, pl, LINK_PATHS[t]!)
        else (link.unknown ??= []).push({ type: rawType, data: copyBytes(buf, p, p + pl) })
      }
    }
    o += (len + 3) & ~3
  }
  const info = l['linkInfo'] as LinkInfo | undefined
  if (info) {
    delete l['linkInfo']
    if (info.kind !== undefined) link.kind = info.kind
    if (info.slaveKind !== undefined) link.portKind = info.slaveKind
    if (info.data) {
      const plugin = info.kind ? kindByName(info.kind) : undefined
      if (plugin?.data) l[plugin.key] = info.data
      else link.infoData = (info.data['unknown'] as RawAttr[] | undefined) ?? []
    }
    if (info.slaveData) {
      const plugin = info.slaveKind ? portKindByName(info.slaveKind) : undefined
      l[plugin?.key ?? 'portData'] = info.slaveData
    }
  }
  return link
}

const OPER: OperState[] = ['unknown', 'notpresent', 'down', 'lowerlayerdown', 'testing', 'dormant', 'up']

function u32(buf: Buffer, p: number, pl: number, o: number): number {
  need(buf, pl, o, 4)
  return rd32(buf, p)
}

function u16(buf: Buffer, p: number, pl: number, o: number): number {
  need(buf, pl, o, 2)
  return rd16(buf, p)
}

function u8(buf: Buffer, p: number, pl: number, o: number): number {
  need(buf, pl, o, 1)
  return buf[p]!
}

/** Throws the DecodeError of a payload shorter than n bytes, named after its attribute. */
function need(buf: Buffer, pl: number, o: number, n: number): void {
  if (pl < n) short(buf, o, IFLA.byType[rd16(buf, o + 2) & 0x3fff]?.name ?? 'attribute')
}

function short(buf: Buffer, o: number, name: string): never {
  decodeFail('attribute payload too short', buf, o, `RTM_NEWLINK > ${name}`)
}

/** The fixed header of a link request. */
export interface IfInfoHeader {
  family?: number
  type?: number
  index?: number
  flags?: number
  change?: number
}

/** Builds a link request: nlmsghdr + ifinfomsg + IFLA attributes. */
export function linkMessage(msgType: number, nlFlags: number, h: IfInfoHeader, attrs: LinkAttrs | Record<string, unknown>): Buffer {
  const w = NlWriter.acquire()
  const start = w.beginMessage(msgType, nlFlags)
  const at = w.zeros(IFINFOMSG_LEN)
  const b = w.buf
  b[at] = h.family ?? 0
  b.writeUInt16LE(h.type ?? 0, at + 2)
  b.writeInt32LE(h.index ?? 0, at + 4)
  b.writeUInt32LE((h.flags ?? 0) >>> 0, at + 8)
  b.writeUInt32LE((h.change ?? 0) >>> 0, at + 12)
  encodeAttrs(IFLA, w, attrs)
  w.endMessage(start)
  return w.take()
}
