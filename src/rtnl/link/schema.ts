/**
 * Link messages: struct ifinfomsg + IFLA_* attributes, as in <linux/rtnetlink.h> and
 * <linux/if_link.h> (Linux 6.18). IFLA_LINKINFO's data is decoded by the kind's table
 * (kinds/), chosen from IFLA_INFO_KIND.
 */
import BufferLayout from 'buffer-layout'
import type { StructLayout } from '../../netlink/header.js'
import { rd16, rd32 } from '../../util/le.js'
import { attrOffset, decodeFail, findAttr, readStr, type RawAttr } from '../../attr/codec.js'
import { attrTable, bool8, decodeAttrs, encodeAttrs, enumOf, s32, str, strBare, u16, u32, u8, uint, type AttrTable, type Codec } from '../../attr/table.js'
import { mac } from '../../attr/types.js'
import { NLA_TYPE_MASK } from '../../netlink/constants.js'
import { registerMessageType } from '../../netlink/registry.js'
import { kindByName, portKindByName } from './kinds/index.js'

export const RTM_NEWLINK = 16
export const RTM_DELLINK = 17
export const RTM_GETLINK = 18
export const RTM_SETLINK = 19
export const RTM_NEWLINKPROP = 108
export const RTM_DELLINKPROP = 109

/** struct ifinfomsg { u8 family; u8 pad; u16 type; s32 index; u32 flags; u32 change; } — 16 bytes. */
export const ifinfomsg: StructLayout = BufferLayout.struct([
  BufferLayout.u8('family'),
  BufferLayout.u8('pad'),
  BufferLayout.u16('type'),
  BufferLayout.s32('index'),
  BufferLayout.u32('flags'),
  BufferLayout.u32('change'),
], 'ifinfomsg')
export const IFINFOMSG_LEN = 16

// IFF_* from <linux/if.h>, in the order ip prints them.
export const IFF = {
  UP: 0x1, BROADCAST: 0x2, DEBUG: 0x4, LOOPBACK: 0x8, POINTOPOINT: 0x10, NOTRAILERS: 0x20, RUNNING: 0x40,
  NOARP: 0x80, PROMISC: 0x100, ALLMULTI: 0x200, MASTER: 0x400, SLAVE: 0x800, MULTICAST: 0x1000,
  PORTSEL: 0x2000, AUTOMEDIA: 0x4000, DYNAMIC: 0x8000, LOWER_UP: 0x10000, DORMANT: 0x20000, ECHO: 0x40000,
} as const
/** An interface flag by name (IFF_* of <linux/if.h>, `UP`, `LOWER_UP`...), as in a decoded link's `flags`. */
export type LinkFlag = keyof typeof IFF

// RTEXT_FILTER_* for IFLA_EXT_MASK
export const RTEXT_FILTER_VF = 1 << 0
export const RTEXT_FILTER_SKIP_STATS = 1 << 3

/** IF_OPER_* (RFC 2863 operational state). */
export type OperState = 'unknown' | 'notpresent' | 'down' | 'lowerlayerdown' | 'testing' | 'dormant' | 'up'
const operState = enumOf(u8, { unknown: 0, notpresent: 1, down: 2, lowerlayerdown: 3, testing: 4, dormant: 5, up: 6 })

/** struct rtnl_link_stats64, as reported in IFLA_STATS64 (fields beyond the payload are omitted). */
export interface LinkStats {
  rxPackets: number; txPackets: number; rxBytes: number; txBytes: number
  rxErrors: number; txErrors: number; rxDropped: number; txDropped: number
  multicast: number; collisions: number
  rxLengthErrors: number; rxOverErrors: number; rxCrcErrors: number; rxFrameErrors: number; rxFifoErrors: number; rxMissedErrors: number
  txAbortedErrors: number; txCarrierErrors: number; txFifoErrors: number; txHeartbeatErrors: number; txWindowErrors: number
  rxCompressed: number; txCompressed: number; rxNohandler: number; rxOtherhostDropped?: number
}
const STATS64_FIELDS = [
  'rxPackets', 'txPackets', 'rxBytes', 'txBytes', 'rxErrors', 'txErrors', 'rxDropped', 'txDropped', 'multicast', 'collisions',
  'rxLengthErrors', 'rxOverErrors', 'rxCrcErrors', 'rxFrameErrors', 'rxFifoErrors', 'rxMissedErrors',
  'txAbortedErrors', 'txCarrierErrors', 'txFifoErrors', 'txHeartbeatErrors', 'txWindowErrors',
  'rxCompressed', 'txCompressed', 'rxNohandler', 'rxOtherhostDropped',
] as const

/** Little-endian u64 number at field i of a stats struct (0 past the payload). */
function u64at(buf: Buffer, off: number, len: number, i: number): number {
  const o = off + i * 8
  return i * 8 + 8 > len ? 0 : c(rd32(buf, o), rd32(buf, o + 4))
}

/**
 * The 50 little-endian 32-bit words of a whole rtnl_link_stats64 at off; `wordAt` is the index
 * of the first. Where off is 4-byte aligned in memory (netlink attributes are, in a receive
 * buffer that starts aligned) on a little-endian host this is a u32 view of buf itself: 2 word
 * loads per counter instead of 8 byte loads. The view of the last buffer is kept (a socket
 * decodes from the same receive buffer every time), and so is whether that buffer starts
 * aligned: reading `byteOffset` per call compiled to a generic property lookup (V8's LoadIC
 * builtin, ~1% of an awaited link.get). Elsewhere the words are copied out.
 */
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1
let viewOf: Uint8Array | undefined
/** The u32 view of viewOf; undefined when viewOf does not start 4-byte aligned (or on a big-endian host). */
let view32: Uint32Array | undefined
const copy32 = new Uint32Array(50)
let wordAt = 0
function words(buf: Uint8Array, off: number): Uint32Array {
  if (buf !== viewOf) {
    viewOf = buf
    view32 = LITTLE_ENDIAN && (buf.byteOffset & 3) === 0 ? new Uint32Array(buf.buffer, buf.byteOffset, buf.length >>> 2) : undefined
  }
  if (view32 !== undefined && (off & 3) === 0) {
    wordAt = off >>> 2
    return view32
  }
  return copyWords(buf, off)
}

function copyWords(buf: Uint8Array, off: number): Uint32Array {
  for (let k = 0; k < 50; k++) copy32[k] = rd32(buf, off + k * 4)
  wordAt = 0
  return copy32
}

/** A counter from its two 32-bit words: a small integer (a Smi, see below) when it fits in one. */
function c(lo: number, hi: number): number {
  return hi === 0 ? lo : lo + hi * 0x100000000
}

/** The whole struct as one object literal (its own function: see the call below it). */
function statsOf(
  rxPackets: number, txPackets: number, rxBytes: number, txBytes: number, rxErrors: number, txErrors: number,
  rxDropped: number, txDropped: number, multicast: number, collisions: number, rxLengthErrors: number,
  rxOverErrors: number, rxCrcErrors: number, rxFrameErrors: number, rxFifoErrors: number, rxMissedErrors: number,
  txAbortedErrors: number, txCarrierErrors: number, txFifoErrors: number, txHeartbeatErrors: number,
  txWindowErrors: number, rxCompressed: number, txCompressed: number, rxNohandler: number, rxOtherhostDropped: number,
): LinkStats {
  return {
    rxPackets, txPackets, rxBytes, txBytes, rxErrors, txErrors, rxDropped, txDropped, multicast, collisions,
    rxLengthErrors, rxOverErrors, rxCrcErrors, rxFrameErrors, rxFifoErrors, rxMissedErrors, txAbortedErrors,
    txCarrierErrors, txFifoErrors, txHeartbeatErrors, txWindowErrors, rxCompressed, txCompressed, rxNohandler,
    rxOtherhostDropped,
  }
}
// V8 gives a literal's fields the representation of the first values stored in them: counters
// computed as doubles made every field a boxed double, 25 heap numbers per link. One object
// built from non-numbers first, and c() returning small integers as such, make the fields
// tagged: counters below 2^31 (nearly all) are stored in the object as they are and only
// large ones get a heap number.
{
  const u = undefined as unknown as number
  statsOf(u, u, u, u, u, u, u, u, u, u, u, u, u, u, u, u, u, u, u, u, u, u, u, u, u)
}

const stats64: Codec<LinkStats> = {
  kind: 'rtnl_link_stats64',
  decode(buf, off, len) {
    // The whole struct (what every kernel since 5.x sends): one object literal, one hidden
    // class, word reads. Shorter payloads (older kernels) take the checked path.
    if (len >= 200) {
      const w = words(buf, off)
      const i = wordAt
      return statsOf(
        c(w[i]!, w[i + 1]!), c(w[i + 2]!, w[i + 3]!), c(w[i + 4]!, w[i + 5]!),
        c(w[i + 6]!, w[i + 7]!), c(w[i + 8]!, w[i + 9]!), c(w[i + 10]!, w[i + 11]!),
        c(w[i + 12]!, w[i + 13]!), c(w[i + 14]!, w[i + 15]!), c(w[i + 16]!, w[i + 17]!),
        c(w[i + 18]!, w[i + 19]!), c(w[i + 20]!, w[i + 21]!), c(w[i + 22]!, w[i + 23]!),
        c(w[i + 24]!, w[i + 25]!), c(w[i + 26]!, w[i + 27]!), c(w[i + 28]!, w[i + 29]!),
        c(w[i + 30]!, w[i + 31]!), c(w[i + 32]!, w[i + 33]!), c(w[i + 34]!, w[i + 35]!),
        c(w[i + 36]!, w[i + 37]!), c(w[i + 38]!, w[i + 39]!), c(w[i + 40]!, w[i + 41]!),
        c(w[i + 42]!, w[i + 43]!), c(w[i + 44]!, w[i + 45]!), c(w[i + 46]!, w[i + 47]!),
        c(w[i + 48]!, w[i + 49]!),
      )
    }
    const s: LinkStats = {
      rxPackets: u64at(buf, off, len, 0),
      txPackets: u64at(buf, off, len, 1),
      rxBytes: u64at(buf, off, len, 2),
      txBytes: u64at(buf, off, len, 3),
      rxErrors: u64at(buf, off, len, 4),
      txErrors: u64at(buf, off, len, 5),
      rxDropped: u64at(buf, off, len, 6),
      txDropped: u64at(buf, off, len, 7),
      multicast: u64at(buf, off, len, 8),
      collisions: u64at(buf, off, len, 9),
      rxLengthErrors: u64at(buf, off, len, 10),
      rxOverErrors: u64at(buf, off, len, 11),
      rxCrcErrors: u64at(buf, off, len, 12),
      rxFrameErrors: u64at(buf, off, len, 13),
      rxFifoErrors: u64at(buf, off, len, 14),
      rxMissedErrors: u64at(buf, off, len, 15),
      txAbortedErrors: u64at(buf, off, len, 16),
      txCarrierErrors: u64at(buf, off, len, 17),
      txFifoErrors: u64at(buf, off, len, 18),
      txHeartbeatErrors: u64at(buf, off, len, 19),
      txWindowErrors: u64at(buf, off, len, 20),
      rxCompressed: u64at(buf, off, len, 21),
      txCompressed: u64at(buf, off, len, 22),
      rxNohandler: u64at(buf, off, len, 23),
    }
    return s
  },
  encode(w, t, v) {
    const b = Buffer.alloc(STATS64_FIELDS.length * 8)
    STATS64_FIELDS.forEach((f, i) => b.writeBigUInt64LE(BigInt((v as unknown as Record<string, number>)[f] ?? 0), i * 8))
    w.attrBytes(t, b)
  },
}

/** Bytes kept as they are (a copy). */
const raw: Codec<Uint8Array> = {
  kind: 'binary',
  decode: (buf, off, len) => Buffer.from(buf.subarray(off, off + len)),
  encode: (w, t, v) => w.attrBytes(t, v),
}

/** IFLA_PROP_LIST { IFLA_ALT_IFNAME* } as a list of alternative names. */
const altNames: Codec<string[]> = {
  kind: 'nested',
  decode(buf, off, len, path) {
    const out: string[] = []
    let o = off
    const end = off + len
    while (o + 4 <= end) {
      const l = rd16(buf, o)
      if (l < 4 || o + l > end) decodeFail('bad attribute length', buf, o, path)
      if ((rd16(buf, o + 2) & NLA_TYPE_MASK) === 53 /* IFLA_ALT_IFNAME */) out.push(readStr(buf, o + 4, l - 4))
      o += (l + 3) & ~3
    }
    return out
  },
  encode(w, t, v) {
    const at = w.beginNest(t)
    for (const n of v) w.attrStr(53, n)
    w.endNest(at)
  },
}

/** The decoded IFLA_LINKINFO nest. Kind and port data are decoded by the kind plugins. */
export interface LinkInfo {
  kind?: string
  /** Decoded IFLA_INFO_DATA (by the kind's table), or raw attributes for kinds without a plugin. */
  data?: Record<string, unknown>
  slaveKind?: string
  slaveData?: Record<string, unknown>
  /** IFLA_INFO_XSTATS and anything else unknown. */
  unknown?: RawAttr[]
}

const IFLA_INFO_KIND = 1
const IFLA_INFO_DATA = 2
const IFLA_INFO_SLAVE_KIND = 4
const IFLA_INFO_SLAVE_DATA = 5

function rawAttrs(buf: Buffer, off: number, end: number): RawAttr[] {
  const out: RawAttr[] = []
  let o = off
  while (o + 4 <= end) {
    const l = rd16(buf, o)
    if (l < 4 || o + l > end) break
    out.push({ type: rd16(buf, o + 2), data: Buffer.from(buf.subarray(o + 4, o + l)) })
    o += (l + 3) & ~3
  }
  return out
}

/** Tables for naming attributes inside IFLA_LINKINFO (extack paths) — data/slave data by kind. */
export const IFLA_INFO: AttrTable = attrTable('IFLA_INFO', {
  IFLA_INFO_KIND: [IFLA_INFO_KIND, 'kind', str],
  IFLA_INFO_DATA: [IFLA_INFO_DATA, 'data', {
    kind: 'nested',
    decode: () => ({}),
    encode: () => undefined,
    resolve(buf, s, e) {
      const k = findAttr(buf, s, e, IFLA_INFO_KIND)
      return k ? kindByName(readStr(buf, k[0], k[1]))?.data : undefined
    },
  } as Codec<unknown>],
  IFLA_INFO_XSTATS: [3, 'xstats', str],
  IFLA_INFO_SLAVE_KIND: [IFLA_INFO_SLAVE_KIND, 'slaveKind', str],
  IFLA_INFO_SLAVE_DATA: [IFLA_INFO_SLAVE_DATA, 'slaveData', {
    kind: 'nested',
    decode: () => ({}),
    encode: () => undefined,
    resolve(buf, s, e) {
      const k = findAttr(buf, s, e, IFLA_INFO_SLAVE_KIND)
      return k ? portKindByName(readStr(buf, k[0], k[1]))?.data : undefined
    },
  } as Codec<unknown>],
})

const linkInfo: Codec<LinkInfo> = {
  kind: 'nested',
  table: IFLA_INFO,
  decode(buf, off, len, path) {
    const end = off + len
    const info: LinkInfo = {}
    let o = off
    let dataAt: [number, number] | undefined
    let slaveAt: [number, number] | undefined
    while (o + 4 <= end) {
      const l = rd16(buf, o)
      if (l < 4 || o + l > end) decodeFail('bad attribute length', buf, o, path)
      const type = rd16(buf, o + 2) & NLA_TYPE_MASK
      if (type === IFLA_INFO_KIND) info.kind = readStr(buf, o + 4, l - 4)
      else if (type === IFLA_INFO_SLAVE_KIND) info.slaveKind = readStr(buf, o + 4, l - 4)
      else if (type === IFLA_INFO_DATA) dataAt = [o + 4, o + l]
      else if (type === IFLA_INFO_SLAVE_DATA) slaveAt = [o + 4, o + l]
      else (info.unknown ??= []).push({ type: rd16(buf, o + 2), data: Buffer.from(buf.subarray(o + 4, o + l)) })
      o += (l + 3) & ~3
    }
    if (dataAt) {
      const table = info.kind ? kindByName(info.kind)?.data : undefined
      info.data = table
        ? decodeAttrs(table, buf, dataAt[0], dataAt[1], `${path} > IFLA_INFO_DATA`)
        : { unknown: rawAttrs(buf, dataAt[0], dataAt[1]) }
    }
    if (slaveAt) {
      const table = info.slaveKind ? portKindByName(info.slaveKind)?.data : undefined
      info.slaveData = table
        ? decodeAttrs(table, buf, slaveAt[0], slaveAt[1], `${path} > IFLA_INFO_SLAVE_DATA`)
        : { unknown: rawAttrs(buf, slaveAt[0], slaveAt[1]) }
    }
    return info
  },
  encode(w, t, v) {
    const at = w.beginNest(t)
    if (v.kind !== undefined) w.attrStr(IFLA_INFO_KIND, v.kind)
    if (v.data !== undefined) {
      const d = w.beginNest(IFLA_INFO_DATA)
      const table = v.kind ? kindByName(v.kind)?.data : undefined
      if (table) encodeAttrs(table, w, v.data)
      else for (const u of (v.data['unknown'] as RawAttr[] | undefined) ?? []) w.attrBytes(u.type, u.data)
      w.endNest(d)
    }
    if (v.slaveKind !== undefined) w.attrStr(IFLA_INFO_SLAVE_KIND, v.slaveKind)
    if (v.slaveData !== undefined) {
      const d = w.beginNest(IFLA_INFO_SLAVE_DATA)
      const table = v.slaveKind ? portKindByName(v.slaveKind)?.data : undefined
      if (table) encodeAttrs(table, w, v.slaveData)
      else for (const u of (v.slaveData['unknown'] as RawAttr[] | undefined) ?? []) w.attrBytes(u.type, u.data)
      w.endNest(d)
    }
    for (const u of v.unknown ?? []) w.attrBytes(u.type, u.data)
    w.endNest(at)
  },
}

/** IN6_ADDR_GEN_MODE_*: how the kernel makes a link's IPv6 link-local address (`ip link set X addrgenmode M`). */
export const ADDR_GEN_MODES = { eui64: 0, none: 1, stableSecret: 2, random: 3 } as const
/** An IPv6 address generation mode by name (IN6_ADDR_GEN_MODE_*): `ip link set X addrgenmode eui64|none|stable_secret|random`. */
export type AddrGenMode = keyof typeof ADDR_GEN_MODES
/** IFLA_INET6_ADDR_GEN_MODE: a u8, by name (an unknown mode stays a number). */
export const addrGenMode = enumOf(u8, ADDR_GEN_MODES)
export const IFLA_AF_SPEC = 26
const AF_INET6_NEST = 10
const IFLA_INET6_ADDR_GEN_MODE = 8

/**
 * IFLA_INET6_ADDR_GEN_MODE inside IFLA_AF_SPEC > AF_INET6 in [start, end), by name; undefined
 * without IPv6 on the link, or in a malformed nest (this is a peek, the rest is not read).
 */
export function addrGenModeIn(buf: Buffer, start: number, end: number): AddrGenMode | number | undefined {
  const af = attrOffset(buf, start, end, AF_INET6_NEST)
  if (af < 0) return undefined
  const m = attrOffset(buf, af + 4, af + rd16(buf, af), IFLA_INET6_ADDR_GEN_MODE)
  return m >= 0 && rd16(buf, m) >= 5 ? addrGenMode.decode(buf, m + 4, 1, 'IFLA_INET6_ADDR_GEN_MODE') : undefined
}

/** IFLA_AF_SPEC as the link's IPv6 address generation mode (`{ AF_INET6: { IFLA_INET6_ADDR_GEN_MODE } }`). */
const afSpecAddrGenMode: Codec<AddrGenMode | number | undefined> = {
  kind: 'nested',
  decode: (buf, off, len) => addrGenModeIn(buf, off, off + len),
  encode(w, t, v) {
    const spec = w.beginNest(t)
    const inet6 = w.beginNest(AF_INET6_NEST)
    addrGenMode.encode(w, IFLA_INET6_ADDR_GEN_MODE, v!)
    w.endNest(inet6)
    w.endNest(spec)
  },
  check: addrGenMode.check!,
}

export const IFLA = attrTable('IFLA', {
  IFLA_ADDRESS: [1, 'address', mac],
  IFLA_BROADCAST: [2, 'broadcast', mac],
  IFLA_IFNAME: [3, 'name', str],
  IFLA_MTU: [4, 'mtu', u32],
  IFLA_LINK: [5, 'parentIndex', u32],              // lower device (vlan, macvlan, veth peer index)
  IFLA_QDISC: [6, 'qdisc', str, { readOnly: true }],
  IFLA_MASTER: [10, 'master', u32],                 // 0 releases the link from its master
  IFLA_TXQLEN: [13, 'txQueueLen', u32],
  IFLA_OPERSTATE: [16, 'operState', operState],
  IFLA_LINKMODE: [17, 'linkMode', u8],
  IFLA_LINKINFO: [18, 'linkInfo', linkInfo],
  IFLA_NET_NS_PID: [19, 'netnsPid', u32],
  IFLA_IFALIAS: [20, 'alias', strBare],            // no NUL, as iproute2 sends it: 255 bytes fit
  IFLA_NUM_VF: [21, 'numVf', u32, { readOnly: true }],
  IFLA_STATS64: [23, 'stats64', stats64, { readOnly: true }],
  IFLA_GROUP: [27, 'group', u32],
  IFLA_NET_NS_FD: [28, 'netnsFd', u32],
  IFLA_EXT_MASK: [29, 'extMask', u32],
  IFLA_PROMISCUITY: [30, 'promiscuity', u32, { readOnly: true }],
  IFLA_NUM_TX_QUEUES: [31, 'numTxQueues', u32],
  IFLA_NUM_RX_QUEUES: [32, 'numRxQueues', u32],
  IFLA_CARRIER: [33, 'carrier', bool8],
  IFLA_CARRIER_CHANGES: [35, 'carrierChanges', u32, { readOnly: true }],
  IFLA_LINK_NETNSID: [37, 'linkNetnsId', s32],
  IFLA_PROTO_DOWN: [39, 'protoDown', bool8],
  IFLA_GSO_MAX_SEGS: [40, 'gsoMaxSegs', u32],
  IFLA_GSO_MAX_SIZE: [41, 'gsoMaxSize', u32],
  IFLA_NEW_NETNSID: [45, 'newNetnsId', s32, { readOnly: true }],
  IFLA_TARGET_NETNSID: [46, 'targetNetnsId', s32],
  IFLA_CARRIER_UP_COUNT: [47, 'carrierUpCount', u32, { readOnly: true }],
  IFLA_CARRIER_DOWN_COUNT: [48, 'carrierDownCount', u32, { readOnly: true }],
  IFLA_NEW_IFINDEX: [49, 'newIndex', s32],
  IFLA_MIN_MTU: [50, 'minMtu', u32, { readOnly: true }],
  IFLA_MAX_MTU: [51, 'maxMtu', u32, { readOnly: true }],
  IFLA_PROP_LIST: [52, 'altNames', altNames],
  IFLA_PERM_ADDRESS: [54, 'permAddress', mac, { readOnly: true }],
  IFLA_PARENT_DEV_NAME: [56, 'parentDevName', str, { readOnly: true }],
  IFLA_PARENT_DEV_BUS_NAME: [57, 'parentDevBusName', str, { readOnly: true }],
  IFLA_GRO_MAX_SIZE: [58, 'groMaxSize', u32],
  IFLA_TSO_MAX_SIZE: [59, 'tsoMaxSize', u32, { readOnly: true }],
  IFLA_TSO_MAX_SEGS: [60, 'tsoMaxSegs', u32, { readOnly: true }],
  IFLA_ALLMULTI: [61, 'allmulti', u32, { readOnly: true }],
  IFLA_GSO_IPV4_MAX_SIZE: [63, 'gsoIpv4MaxSize', u32],
  IFLA_GRO_IPV4_MAX_SIZE: [64, 'groIpv4MaxSize', u32],
  IFLA_MAX_PACING_OFFLOAD_HORIZON: [66, 'maxPacingOffloadHorizon', uint, { readOnly: true }],  // NLA_UINT
  IFLA_NETNS_IMMUTABLE: [67, 'netnsImmutable', bool8, { readOnly: true }],
  IFLA_HEADROOM: [68, 'headroom', u16, { readOnly: true }],
  IFLA_TAILROOM: [69, 'tailroom', u16, { readOnly: true }],
  // Kept raw: the legacy 32-bit counters (IFLA_STATS64 supersedes them), XDP state. Of the
  // per-family data (IFLA_AF_SPEC) only the IPv6 address generation mode is read.
  IFLA_STATS: [7, 'stats32', raw, { readOnly: true }],
  IFLA_MAP: [14, 'map', raw, { readOnly: true }],
  IFLA_XDP: [43, 'xdp', raw, { readOnly: true }],
  // Encoded for link.add/set; a Link does not carry it (see link.addrGenMode()).
  IFLA_AF_SPEC: [IFLA_AF_SPEC, 'addrGenMode', afSpecAddrGenMode],
})
export type LinkAttrs = import('../../attr/table.js').AttrsOf<typeof IFLA>

for (const [type, name, kind] of [
  [RTM_NEWLINK, 'RTM_NEWLINK', 'new'], [RTM_DELLINK, 'RTM_DELLINK', 'del'], [RTM_GETLINK, 'RTM_GETLINK', 'get'],
  [RTM_SETLINK, 'RTM_SETLINK', 'new'], [RTM_NEWLINKPROP, 'RTM_NEWLINKPROP', 'new'], [RTM_DELLINKPROP, 'RTM_DELLINKPROP', 'del'],
] as const) registerMessageType(type, { name, kind, headerSize: IFINFOMSG_LEN, attrs: IFLA })

/** ARPHRD_* → the names `ip -json` uses for link_type. */
export const ARPHRD: Record<number, string> = {
  0: 'netrom', 1: 'ether', 24: 'ieee1394', 32: 'infiniband', 256: 'slip', 512: 'ppp', 768: 'ipip', 769: 'tunnel6',
  772: 'loopback', 776: 'sit', 778: 'gre', 801: 'ieee802.11', 803: 'ieee802.11/radiotap', 823: 'ip6gre',
  824: 'netlink', 825: '6lowpan', 65534: 'none', 65535: 'void',
}

/**
 * `ARPHRD[type]`, or the number as a string. ARPHRD's keys are sparse integers up to 65535, so
 * V8 keeps them as dictionary elements and `ARPHRD[type]` compiled to a generic keyed lookup
 * (V8's KeyedLoadIC builtin) in every link decode; this reads a Map, and first the last answer
 * (the links of one dump mostly share a type).
 */
export function linkTypeName(type: number): string {
  if (type === lastType) return lastTypeName
  const name = ARPHRD_NAMES.get(type) ?? String(type)
  lastType = type
  lastTypeName = name
  return name
}
const ARPHRD_NAMES = new Map(Object.entries(ARPHRD).map(([k, v]) => [Number(k), v]))
let lastType = -1
let lastTypeName = ''
