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
import { bitNamer } from '../../util/bits.js'
import { Shapes } from '../../util/shapes.js'
import type { NlMsg } from '../../netlink/header.js'
import { kindByName, portKindByName } from './kinds/index.js'
import type { AttrsOf } from '../../attr/table.js'
import type { LinkRef } from './resolve.js'
import type { IFLA_BR } from './kinds/bridge.js'
import type { IFLA_VXLAN } from './kinds/vxlan.js'
import type { IFLA_MACVLAN } from './kinds/macvlan.js'
import type { IFLA_IPVLAN } from './kinds/ipvlan.js'
import type { IFLA_TUN } from './kinds/tun.js'
import type { IFLA_VLAN } from './kinds/vlan.js'
import type { IFLA_BOND, IFLA_BOND_SLAVE } from './kinds/bond.js'
import type { IFLA_BRPORT } from './kinds/bridge-port.js'
import type { IFLA_GRE, IFLA_IP6TNL, IFLA_IPTUN } from './kinds/tunnels.js'
import type { IFLA_VRF, IFLA_VRF_PORT } from './kinds/vrf.js'
import type { IFLA_GENEVE } from './kinds/geneve.js'
import { IFF, IFINFOMSG_LEN, IFLA, type LinkAttrs, type LinkFlag, type LinkInfo, type LinkStats, type OperState, linkTypeName } from './schema.js'

/**
 * Kind data under the kind's key: options of link.add/set, and what a Link reports
 * (decoded by the kind's IFLA_INFO_DATA table). Field names are in kinds.md.
 */
export interface KindData {
  bridge?: AttrsOf<typeof IFLA_BR>
  /** `dev` (the underlay) also takes a link name on add/set. */
  vxlan?: Omit<AttrsOf<typeof IFLA_VXLAN>, 'dev'> & { dev?: LinkRef }
  macvlan?: AttrsOf<typeof IFLA_MACVLAN>
  ipvlan?: AttrsOf<typeof IFLA_IPVLAN>
  vlan?: AttrsOf<typeof IFLA_VLAN>
  /** `primary` and `activePort` also take a link name on add/set. */
  bond?: Omit<AttrsOf<typeof IFLA_BOND>, 'primary' | 'activePort'> & { primary?: LinkRef; activePort?: LinkRef }
  /**
   * tun/tap: link.add makes the device through /dev/net/tun (the kernel refuses it over
   * rtnetlink) from `type` (required), `owner`, `group`, `pi`, `vnetHdr`, `multiQueue`; the
   * queue counts and `persist` are reported only. Fixed once made (link.set refuses them).
   */
  tun?: AttrsOf<typeof IFLA_TUN>
  vrf?: AttrsOf<typeof IFLA_VRF>
  geneve?: AttrsOf<typeof IFLA_GENEVE>
  /** gre, gretap, erspan, ip6gre, ip6gretap, ip6erspan; `dev` (the underlay) also takes a link name. */
  gre?: Omit<AttrsOf<typeof IFLA_GRE>, 'dev'> & { dev?: LinkRef }
  /** ipip and sit; `dev` (the underlay) also takes a link name. */
  iptun?: Omit<AttrsOf<typeof IFLA_IPTUN>, 'dev'> & { dev?: LinkRef }
  /** ip6tnl; `dev` (the underlay) also takes a link name. */
  ip6tnl?: Omit<AttrsOf<typeof IFLA_IP6TNL>, 'dev'> & { dev?: LinkRef }
}

/** Port data (IFLA_INFO_SLAVE_DATA) of a link enslaved to a bridge or a bond. */
export interface PortData {
  /** Bridge port settings (IFLA_BRPORT_*); `backupPort` also takes a link name on add/set. */
  bridgePort?: Omit<AttrsOf<typeof IFLA_BRPORT>, 'backupPort'> & { backupPort?: LinkRef }
  bondPort?: AttrsOf<typeof IFLA_BOND_SLAVE>
  /** A VRF port: the VRF's table (reported only). */
  vrfPort?: AttrsOf<typeof IFLA_VRF_PORT>
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
  /** GSO/GRO limits for IPv4 (BIG TCP). */
  gsoIpv4MaxSize?: number
  groIpv4MaxSize?: number
  /** How far ahead (ns) the device may pace packets it is offloaded. */
  maxPacingOffloadHorizon?: number
  /** True when the link cannot be moved to another namespace (loopback, some virtual devices). */
  netnsImmutable?: boolean
  /** Bytes the device needs in front of / behind a packet. */
  headroom?: number
  tailroom?: number
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

/** IFF_* bits → names (each distinct value computed once; the caller gets its own array). */
export const flagsToNames = bitNamer(Object.entries(IFF) as [LinkFlag, number][], 1024)

/** Decodes an RTM_NEWLINK message (payload from msg.off to msg.end). */
export function decodeLink(msg: NlMsg): Link {
  return decodeLinkAt(msg.buf, msg.off, msg.end)
}

// Attributes read straight into the Link (a switch instead of a table lookup and a codec call):
// the ones every link message carries. The rest goes through the IFLA table.
// Not reported: the legacy 32-bit counters (IFLA_STATS64 has them), per-family data, XDP state,
// the legacy ISA resources of IFLA_MAP (`ip` does not print them either), request-only attributes,
// empty devlink-port and DPLL-pin nests.
const STATS64 = IFLA.byType[23]!.codec as Codec<LinkStats>

const LINK_PATHS = childPaths(IFLA, 'RTM_NEWLINK')

/**
 * The fields read in line, in the order a Link lists them. The first 7 are always present;
 * the others are slots of a presence mask (FIELD index - 7 = bit, over two 32-bit words).
 */
const FIELDS = [
  'index', 'name', 'type', 'linkType', 'flags', 'up', 'lowerUp',
  'txQueueLen', 'operState', 'linkMode', 'netnsImmutable', 'mtu', 'minMtu', 'maxMtu', 'group', 'promiscuity',
  'allmulti', 'numTxQueues', 'gsoMaxSegs', 'gsoMaxSize', 'groMaxSize', 'gsoIpv4MaxSize', 'groIpv4MaxSize',
  'tsoMaxSize', 'tsoMaxSegs', 'maxPacingOffloadHorizon', 'numRxQueues', 'master', 'parentIndex', 'carrier',
  'carrierChanges', 'carrierUpCount', 'carrierDownCount', 'headroom', 'tailroom', 'protoDown', 'address',
  'broadcast', 'stats64', 'qdisc',
] as const
const enum S {
  txQueueLen = 7, operState, linkMode, netnsImmutable, mtu, minMtu, maxMtu, group, promiscuity,
  allmulti, numTxQueues, gsoMaxSegs, gsoMaxSize, groMaxSize, gsoIpv4MaxSize, groIpv4MaxSize,
  tsoMaxSize, tsoMaxSegs, maxPacingOffloadHorizon, numRxQueues, master, parentIndex, carrier,
  carrierChanges, carrierUpCount, carrierDownCount, headroom, tailroom, protoDown, address,
  broadcast, stats64, qdisc,
}

/** Values of the message being decoded, by FIELDS index (only the present ones are read). */
const vals: unknown[] = new Array<unknown>(FIELDS.length).fill(undefined)

/** One object literal per set of present fields (see util/shapes.ts). Shapes are few (lo, veth, bridge...). */
const LINK_SHAPES = new Shapes<Link>(FIELDS, 7)

export function decodeLinkAt(buf: Buffer, off: number, end: number): Link {
  if (end - off < IFINFOMSG_LEN) decodeFail('RTM_NEWLINK shorter than struct ifinfomsg', buf, off, 'RTM_NEWLINK')
  const type = rd16(buf, off + 2)
  const flags = rd32(buf, off + 8)
  const v = vals
  v[0] = rdS32(buf, off + 4)
  v[1] = ''
  v[2] = type
  v[3] = linkTypeName(type)
  v[4] = flagsToNames(flags)
  v[5] = (flags & IFF.UP) !== 0
  v[6] = (flags & IFF.LOWER_UP) !== 0
  let lo = 0
  let hi = 0
  /** Fields the IFLA table decodes (and unknown attributes): key, value pairs set after the literal. */
  let extra: unknown[] | undefined
  let unknown: RawAttr[] | undefined
  let o = off + IFINFOMSG_LEN
  while (o + 4 <= end) {
    const len = rd16(buf, o)
    if (len < 4 || o + len > end) decodeFail(`bad attribute length ${len}`, buf, o, 'RTM_NEWLINK')
    const rawType = rd16(buf, o + 2)
    const t = rawType & 0x3fff
    const p = o + 4
    const pl = len - 4
    let slot = 0
    switch (t) {
      case 3: v[1] = readStr(buf, p, pl); break                                          // IFLA_IFNAME
      case 4: v[slot = S.mtu] = u32(buf, p, pl, o); break                                  // IFLA_MTU
      case 13: v[slot = S.txQueueLen] = u32(buf, p, pl, o); break                          // IFLA_TXQLEN
      case 16: { const x = u8(buf, p, pl, o); v[slot = S.operState] = OPER[x] ?? x; break } // IFLA_OPERSTATE
      case 17: v[slot = S.linkMode] = u8(buf, p, pl, o); break                             // IFLA_LINKMODE
      case 50: v[slot = S.minMtu] = u32(buf, p, pl, o); break
      case 51: v[slot = S.maxMtu] = u32(buf, p, pl, o); break
      case 27: v[slot = S.group] = u32(buf, p, pl, o); break
      case 30: v[slot = S.promiscuity] = u32(buf, p, pl, o); break
      case 61: v[slot = S.allmulti] = u32(buf, p, pl, o); break
      case 31: v[slot = S.numTxQueues] = u32(buf, p, pl, o); break
      case 32: v[slot = S.numRxQueues] = u32(buf, p, pl, o); break
      case 40: v[slot = S.gsoMaxSegs] = u32(buf, p, pl, o); break
      case 41: v[slot = S.gsoMaxSize] = u32(buf, p, pl, o); break
      case 58: v[slot = S.groMaxSize] = u32(buf, p, pl, o); break
      case 59: v[slot = S.tsoMaxSize] = u32(buf, p, pl, o); break
      case 60: v[slot = S.tsoMaxSegs] = u32(buf, p, pl, o); break
      case 33: v[slot = S.carrier] = u8(buf, p, pl, o) !== 0; break                        // IFLA_CARRIER
      case 35: v[slot = S.carrierChanges] = u32(buf, p, pl, o); break
      case 47: v[slot = S.carrierUpCount] = u32(buf, p, pl, o); break
      case 48: v[slot = S.carrierDownCount] = u32(buf, p, pl, o); break
      case 39: v[slot = S.protoDown] = u8(buf, p, pl, o) !== 0; break
      case 6: v[slot = S.qdisc] = readStr(buf, p, pl); break                               // IFLA_QDISC
      case 10: { const m = u32(buf, p, pl, o); if (m) v[slot = S.master] = m; break }      // IFLA_MASTER
      case 5: v[slot = S.parentIndex] = u32(buf, p, pl, o); break                          // IFLA_LINK
      case 1: v[slot = S.address] = formatMac(buf, p, pl); break                           // IFLA_ADDRESS
      case 2: v[slot = S.broadcast] = formatMac(buf, p, pl); break                         // IFLA_BROADCAST
      case 23: v[slot = S.stats64] = STATS64.decode(buf, p, pl, LINK_PATHS[23]!); break     // IFLA_STATS64
      case 63: v[slot = S.gsoIpv4MaxSize] = u32(buf, p, pl, o); break
      case 64: v[slot = S.groIpv4MaxSize] = u32(buf, p, pl, o); break
      case 66: v[slot = S.maxPacingOffloadHorizon] = uint(buf, p, pl, o); break
      case 67: v[slot = S.netnsImmutable] = u8(buf, p, pl, o) !== 0; break                 // IFLA_NETNS_IMMUTABLE
      case 68: v[slot = S.headroom] = u16(buf, p, pl, o); break
      case 69: v[slot = S.tailroom] = u16(buf, p, pl, o); break
      // IFLA_AF_SPEC (26) is not read: peeking into it for the IPv6 address generation mode
      // cost 7-13% of every link decode; link.addrGenMode() reads it on demand.
      case 7: case 14: case 19: case 26: case 28: case 29: case 43: break                  // not reported (above)
      // IFLA_DEVLINK_PORT, IFLA_DPLL_PIN: nests of the devlink/dpll families, empty on every device
      // without such hardware (a Link would otherwise carry two empty unknowns); raw when not empty.
      case 62: case 65: if (pl !== 0) (unknown ??= []).push(rawAttr(buf, rawType, p, pl)); break
      default: {
        const e = IFLA.byType[t]
        if (e) (extra ??= []).push(e.key, e.codec.decode(buf, p, pl, LINK_PATHS[t]!))
        else (unknown ??= []).push(rawAttr(buf, rawType, p, pl))
      }
    }
    if (slot !== 0) {
      const bit = slot - 7
      if (bit < 32) lo |= 1 << bit
      else hi |= 1 << (bit - 32)
    }
    o += (len + 3) & ~3
  }
  const link = LINK_SHAPES.of(lo, hi)(v)
  if (extra !== undefined) addExtra(link, extra)
  if (unknown !== undefined) link.unknown = unknown
  return link
}

/** Sets the fields the IFLA table decoded; linkInfo is spread into kind, portKind and kind data. */
function addExtra(link: Link, extra: unknown[]): void {
  const l = link as unknown as Record<string, unknown>
  let info: LinkInfo | undefined
  for (let i = 0; i < extra.length; i += 2) {
    const key = extra[i] as string
    if (key === 'linkInfo') info = extra[i + 1] as LinkInfo
    else l[key] = extra[i + 1]
  }
  if (info) {
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
}

function rawAttr(buf: Buffer, type: number, p: number, pl: number): RawAttr {
  return { type, data: copyBytes(buf, p, p + pl) }
}

const OPER: OperState[] = ['unknown', 'notpresent', 'down', 'lowerlayerdown', 'testing', 'dormant', 'up']

function u32(buf: Buffer, p: number, pl: number, o: number): number {
  need(buf, pl, o, 4)
  return rd32(buf, p)
}

/** NLA_UINT (nla_put_uint): 4 bytes, or 8 when the value does not fit in 32 bits. */
function uint(buf: Buffer, p: number, pl: number, o: number): number {
  return pl >= 8 ? Number(buf.readBigUInt64LE(p)) : u32(buf, p, pl, o)
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
