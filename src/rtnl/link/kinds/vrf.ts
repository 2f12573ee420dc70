/**
 * vrf: IFLA_VRF_* (IFLA_INFO_DATA) and IFLA_VRF_PORT_* (the IFLA_INFO_SLAVE_DATA of its ports),
 * <linux/if_link.h>. Not in this test kernel: codec tests check the bytes `ip link add NAME
 * type vrf table T` sends.
 */
import { attrTable, u32 } from '../../../attr/table.js'
import type { LinkKind, PortKind } from './types.js'

export const IFLA_VRF = attrTable('IFLA_VRF', {
  IFLA_VRF_TABLE: [1, 'table', u32],                   // the routing table the VRF's lookups use (required)
})

export const IFLA_VRF_PORT = attrTable('IFLA_VRF_PORT', {
  IFLA_VRF_PORT_TABLE: [1, 'table', u32, { readOnly: true }], // the VRF's table, reported on each port
})

export const vrf: LinkKind = { kind: 'vrf', key: 'vrf', data: IFLA_VRF, lower: false }

/** A port of a VRF (`ip link set X master vrf0`): it reports the VRF's table; nothing to set. */
export const vrfPort: PortKind = { kind: 'vrf', key: 'vrfPort', data: IFLA_VRF_PORT }
