/**
 * Neighbour messages: struct ndmsg + NDA_* attributes, as in <linux/neighbour.h> (Linux 6.18).
 */
import BufferLayout from 'buffer-layout'
import type { StructLayout } from '../../netlink/header.js'
import { rd32 } from '../../util/le.js'
import { decodeFail } from '../../attr/codec.js'
import { attrTable, be16, s32, u16, u32, u8, type AttrsOf, type Codec } from '../../attr/table.js'
import { ip, mac } from '../../attr/types.js'
import { registerMessageType } from '../../netlink/registry.js'

export const RTM_NEWNEIGH = 28
export const RTM_DELNEIGH = 29
export const RTM_GETNEIGH = 30

/** struct ndmsg { u8 family; u8 pad1; u16 pad2; s32 ifindex; u16 state; u8 flags; u8 type; } — 12 bytes. */
export const ndmsg: StructLayout = BufferLayout.struct([
  BufferLayout.u8('family'),
  BufferLayout.u8('pad1'),
  BufferLayout.u16('pad2'),
  BufferLayout.s32('ifindex'),
  BufferLayout.u16('state'),
  BufferLayout.u8('flags'),
  BufferLayout.u8('type'),
], 'ndmsg')
export const NDMSG_LEN = 12

/** struct nda_cacheinfo: ages in hundredths of a second (USER_HZ), and the entry's refcount. */
export interface NeighCacheInfo {
  confirmed: number
  used: number
  updated: number
  refcnt: number
}

const cacheInfo: Codec<NeighCacheInfo> = {
  kind: 'nda_cacheinfo',
  decode(buf, off, len, path) {
    if (len < 16) decodeFail('nda_cacheinfo needs 16 bytes', buf, off, path)
    return { confirmed: rd32(buf, off), used: rd32(buf, off + 4), updated: rd32(buf, off + 8), refcnt: rd32(buf, off + 12) }
  },
  encode(w, t, v) {
    const b = Buffer.alloc(16)
    b.writeUInt32LE(v.confirmed >>> 0, 0)
    b.writeUInt32LE(v.used >>> 0, 4)
    b.writeUInt32LE(v.updated >>> 0, 8)
    b.writeUInt32LE(v.refcnt >>> 0, 12)
    w.attrBytes(t, b)
  },
}

/**
 * NDA_LLADDR: a MAC on Ethernet-like links; some tunnels (ip6gre, sit...) use an IP address
 * as the link-layer address, which is shown in hex like any other length.
 */
export const NDA = attrTable('NDA', {
  NDA_DST: [1, 'dst', ip],
  NDA_LLADDR: [2, 'lladdr', mac],
  NDA_CACHEINFO: [3, 'cacheInfo', cacheInfo],
  NDA_PROBES: [4, 'probes', u32],
  NDA_VLAN: [5, 'vlan', u16],
  NDA_PORT: [6, 'port', be16],     // UDP port of a vxlan fdb entry, network byte order
  NDA_VNI: [7, 'vni', u32],
  NDA_IFINDEX: [8, 'ifindex', u32],
  NDA_MASTER: [9, 'master', u32],
  NDA_LINK_NETNSID: [10, 'linkNetnsId', s32],
  NDA_SRC_VNI: [11, 'srcVni', u32],
  NDA_PROTOCOL: [12, 'protocol', u8],
  NDA_NH_ID: [13, 'nhid', u32],
  NDA_FLAGS_EXT: [15, 'flagsExt', u32],
  NDA_NDM_STATE_MASK: [16, 'stateMask', u16],
  NDA_NDM_FLAGS_MASK: [17, 'flagsMask', u8],
})
export type NeighAttrs = AttrsOf<typeof NDA>

for (const [type, name, kind] of [[RTM_NEWNEIGH, 'RTM_NEWNEIGH', 'new'], [RTM_DELNEIGH, 'RTM_DELNEIGH', 'del'], [RTM_GETNEIGH, 'RTM_GETNEIGH', 'get']] as const)
  registerMessageType(type, { name, kind, headerSize: NDMSG_LEN, attrs: NDA })

/** NUD_* of <linux/neighbour.h>: the state of an entry (one of them; 0 is `'none'`). */
export const NUD = {
  incomplete: 0x01, reachable: 0x02, stale: 0x04, delay: 0x08, probe: 0x10, failed: 0x20, noarp: 0x40, permanent: 0x80,
} as const
/** A neighbour's state (NUD_*), as `ip neigh` prints it in lower case. */
export type NeighState = keyof typeof NUD | 'none'

/** NTF_* of ndm_flags, then NTF_EXT_* of NDA_FLAGS_EXT (shifted past the 8 bits of ndm_flags). */
export const NTF = {
  use: 0x01, self: 0x02, master: 0x04, proxy: 0x08, extLearned: 0x10, offloaded: 0x20, sticky: 0x40, router: 0x80,
  managed: 0x100, locked: 0x200,
} as const
/** A neighbour flag: NTF_* (`'router'`, `'proxy'`, `'extLearned'`...) and NTF_EXT_* (`'managed'`, `'locked'`). */
export type NeighFlag = keyof typeof NTF
