/** vxlan: IFLA_VXLAN_* (IFLA_INFO_DATA of kind "vxlan"), <linux/if_link.h>. */
import { attrTable, be16, be32, bool8, enumOf, flag, flag8, hex, u32, u8, type Codec } from '../../../attr/table.js'
import { checkStruct, intIn } from '../../../util/check.js'
import { ip } from '../../../attr/types.js'
import { decodeFail } from '../../../attr/codec.js'
import { ValidationError } from '../../../errors.js'
import type { LinkKind } from './types.js'
import { ifindex } from '../resolve.js'

/** struct ifla_vxlan_port_range { __be16 low; __be16 high; } */
const portRange: Codec<{ low: number; high: number }> = {
  kind: 'ifla_vxlan_port_range',
  decode(buf, off, len, path) {
    if (len < 4) decodeFail('ifla_vxlan_port_range needs 4 bytes', buf, off, path)
    return { low: buf.readUInt16BE(off), high: buf.readUInt16BE(off + 2) }
  },
  encode(w, t, v) {
    const b = Buffer.alloc(4)
    b.writeUInt16BE(v.low, 0)
    b.writeUInt16BE(v.high, 2)
    w.attrBytes(t, b)
  },
  check: (v, field) => checkStruct(v, field, ['low', 'high'], intIn(0, 0xffff)),
}

/** The DF policy of a UDP tunnel (enum ifla_vxlan_df, and ifla_geneve_df with the same values), as ip's `df unset|set|inherit`. */
export const dfPolicy = enumOf(u8, { unset: 0, set: 1, inherit: 2 })

export const IFLA_VXLAN = attrTable('IFLA_VXLAN', {
  IFLA_VXLAN_ID: [1, 'id', u32],                        // the VNI (24 bits)
  IFLA_VXLAN_GROUP: [2, 'group', ip],                   // multicast group or remote (IPv4)
  IFLA_VXLAN_LINK: [3, 'dev', ifindex],                 // underlay device (a name is resolved before sending)
  IFLA_VXLAN_LOCAL: [4, 'local', ip],
  IFLA_VXLAN_TTL: [5, 'ttl', u8],
  IFLA_VXLAN_TOS: [6, 'tos', u8],
  IFLA_VXLAN_LEARNING: [7, 'learning', bool8],
  IFLA_VXLAN_AGEING: [8, 'ageing', u32],
  IFLA_VXLAN_LIMIT: [9, 'limit', u32],
  IFLA_VXLAN_PORT_RANGE: [10, 'portRange', portRange],
  IFLA_VXLAN_PROXY: [11, 'proxy', bool8],
  IFLA_VXLAN_RSC: [12, 'rsc', bool8],
  IFLA_VXLAN_L2MISS: [13, 'l2miss', bool8],
  IFLA_VXLAN_L3MISS: [14, 'l3miss', bool8],
  IFLA_VXLAN_PORT: [15, 'port', be16],
  IFLA_VXLAN_GROUP6: [16, 'group6', ip],
  IFLA_VXLAN_LOCAL6: [17, 'local6', ip],
  IFLA_VXLAN_UDP_CSUM: [18, 'udpCsum', bool8],
  IFLA_VXLAN_UDP_ZERO_CSUM6_TX: [19, 'udpZeroCsum6Tx', bool8],
  IFLA_VXLAN_UDP_ZERO_CSUM6_RX: [20, 'udpZeroCsum6Rx', bool8],
  IFLA_VXLAN_REMCSUM_TX: [21, 'remcsumTx', bool8],
  IFLA_VXLAN_REMCSUM_RX: [22, 'remcsumRx', bool8],
  IFLA_VXLAN_GBP: [23, 'gbp', flag],                   // group policy extension (present = on)
  IFLA_VXLAN_REMCSUM_NOPARTIAL: [24, 'remcsumNoPartial', flag],
  IFLA_VXLAN_COLLECT_METADATA: [25, 'external', bool8],
  IFLA_VXLAN_LABEL: [26, 'label', be32],                 // IPv6 flow label, network order (nla_put_be32)
  IFLA_VXLAN_GPE: [27, 'gpe', flag],                   // generic protocol extension (present = on)
  IFLA_VXLAN_TTL_INHERIT: [28, 'ttlInherit', flag8],      // NLA_FLAG in, reported as a u8 (vxlan_fill_info)
  IFLA_VXLAN_DF: [29, 'df', dfPolicy],
  IFLA_VXLAN_VNIFILTER: [30, 'vniFilter', bool8],
  IFLA_VXLAN_LOCALBYPASS: [31, 'localBypass', bool8],
  // Newer than the uapi headers of this machine (Debian 12): numbers from the kernel's if_link.h.
  IFLA_VXLAN_LABEL_POLICY: [32, 'labelPolicy', enumOf(u32, { fixed: 0, inherit: 1 })], // IPv6 flow label
  IFLA_VXLAN_RESERVED_BITS: [33, 'reservedBits', hex],  // struct vxlanhdr (8 bytes, network order), as hex
  IFLA_VXLAN_MC_ROUTE: [34, 'mcRoute', bool8],
})

export const vxlan: LinkKind = {
  kind: 'vxlan',
  key: 'vxlan',
  lower: false,
  data: IFLA_VXLAN,
  check(o) {
    // Types and the ranges of the wire types are checked by the codecs (id, port,
    // labelPolicy...). The VNI's 24 bits are left to the kernel, whose extack names
    // IFLA_VXLAN_ID: a refused link.add leaves nothing behind.
    if (o['reservedBits'] !== undefined && !(typeof o['reservedBits'] === 'string' && /^[0-9a-f]{16}$/i.test(o['reservedBits'])))
      throw new ValidationError('vxlan.reservedBits: expected the 8-byte VXLAN header as 16 hex digits', 'vxlan.reservedBits', o['reservedBits'])
  },
  // ip turns learning off for a metadata (external) device unless told otherwise; the kernel
  // would leave it on.
  defaults(o) {
    if (o['external'] === true && o['learning'] === undefined) o['learning'] = false
    return o
  },
  // IFLA_VXLAN_REMCSUM_RX present, even as 0, counts the remote checksum offload bits as
  // used (vxlan_nl2conf), so with the reserved bits listed beside it a copy would be refused
  // ("Used bits ... cannot overlap reserved bits"). Off is the default: leave it out.
  options(o) {
    if (o['remcsumRx'] === false) delete o['remcsumRx']
    return o
  },
}
