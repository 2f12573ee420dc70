/** ipvlan: IFLA_IPVLAN_* (IFLA_INFO_DATA), <linux/if_link.h>. Not in this test kernel. */
import { attrTable, enumOf, u16 } from '../../../attr/table.js'
import type { LinkKind } from './types.js'

export const IFLA_IPVLAN = attrTable('IFLA_IPVLAN', {
  IFLA_IPVLAN_MODE: [1, 'mode', enumOf(u16, { l2: 0, l3: 1, l3s: 2 })],
  IFLA_IPVLAN_FLAGS: [2, 'flags', u16],                // IPVLAN_F_PRIVATE 1, IPVLAN_F_VEPA 2
})

export const ipvlan: LinkKind = { kind: 'ipvlan', key: 'ipvlan', data: IFLA_IPVLAN, lower: true }
