/**
 * veth: IFLA_INFO_DATA { VETH_INFO_PEER: struct ifinfomsg + IFLA_* of the peer }, <linux/veth.h>.
 * Kernel 6.18: veth has no fill_info, so IFLA_INFO_DATA is never reported back; the peer
 * shows up as IFLA_LINK (its index) and IFLA_LINK_NETNSID when it lives in another namespace.
 */
import { attrTable, decodeAttrs, encodeAttrs, type Codec } from '../../../attr/table.js'
import { decodeFail } from '../../../attr/codec.js'
import { IFLA, type LinkAttrs } from '../schema.js'
import type { LinkKind } from './types.js'

/** The peer: its IFLA_* attributes, plus `header` for the flags of its struct ifinfomsg (e.g. IFF_UP). */
export type VethPeerData = LinkAttrs & { header?: { flags: number; change: number } }

const peer: Codec<VethPeerData> = {
  kind: 'ifinfomsg+IFLA',
  decode(buf, off, len, path) {
    if (len < 16) decodeFail('VETH_INFO_PEER shorter than struct ifinfomsg', buf, off, path)
    const out: VethPeerData = decodeAttrs(IFLA, buf, off + 16, off + len, path)
    const flags = buf.readUInt32LE(off + 8)
    const change = buf.readUInt32LE(off + 12)
    if (flags || change) out.header = { flags, change }
    return out
  },
  encode(w, t, v) {
    const { header, ...attrs } = v
    const at = w.beginNest(t, true) // iproute2 sends it without NLA_F_NESTED (it starts with a struct)
    const h = w.zeros(16)
    if (header) {
      w.buf.writeUInt32LE(header.flags >>> 0, h + 8)
      w.buf.writeUInt32LE(header.change >>> 0, h + 12)
    }
    encodeAttrs(IFLA, w, attrs)
    w.endNest(at)
  },
}

export const VETH = attrTable('VETH', {
  VETH_INFO_PEER: [1, 'peer', peer],
})

// IFLA_LINK of a veth is reported (its peer), not taken.
export const veth: LinkKind = { kind: 'veth', key: 'veth', data: VETH, lower: false }
