/**
 * geneve: IFLA_GENEVE_* (IFLA_INFO_DATA), <linux/if_link.h>. Not in this test kernel: codec
 * tests check it against the bytes `ip link add NAME type geneve ...` sends.
 */
import { attrTable, be16, be32, bool8, flag, u32, u8 } from '../../../attr/table.js'
import { ipv4, ipv6 } from '../../../attr/types.js'
import { dfPolicy } from './vxlan.js'
import type { LinkKind } from './types.js'

export const IFLA_GENEVE = attrTable('IFLA_GENEVE', {
  IFLA_GENEVE_ID: [1, 'id', u32],                       // the VNI (24 bits)
  IFLA_GENEVE_REMOTE: [2, 'remote', ipv4],
  IFLA_GENEVE_TTL: [3, 'ttl', u8],
  IFLA_GENEVE_TOS: [4, 'tos', u8],
  IFLA_GENEVE_PORT: [5, 'port', be16],                  // destination UDP port (6081 by default)
  IFLA_GENEVE_COLLECT_METADATA: [6, 'external', flag],  // metadata mode (present = on)
  IFLA_GENEVE_REMOTE6: [7, 'remote6', ipv6],
  IFLA_GENEVE_UDP_CSUM: [8, 'udpCsum', bool8],
  IFLA_GENEVE_UDP_ZERO_CSUM6_TX: [9, 'udpZeroCsum6Tx', bool8],
  IFLA_GENEVE_UDP_ZERO_CSUM6_RX: [10, 'udpZeroCsum6Rx', bool8],
  IFLA_GENEVE_LABEL: [11, 'label', be32],               // IPv6 flow label, network order
  IFLA_GENEVE_TTL_INHERIT: [12, 'ttlInherit', bool8],
  IFLA_GENEVE_DF: [13, 'df', dfPolicy],                  // enum ifla_geneve_df
  IFLA_GENEVE_INNER_PROTO_INHERIT: [14, 'innerProtoInherit', flag],
})

export const geneve: LinkKind = { kind: 'geneve', key: 'geneve', data: IFLA_GENEVE, lower: false }
