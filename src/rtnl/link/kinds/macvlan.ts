/** macvlan and macvtap: IFLA_MACVLAN_* (IFLA_INFO_DATA), <linux/if_link.h>. */
import { attrTable, enumOf, u16, u32 } from '../../../attr/table.js'
import type { LinkKind } from './types.js'

/** MACVLAN_MODE_*: how macvlans on one lower device reach each other. */
export type MacvlanMode = 'private' | 'vepa' | 'bridge' | 'passthru' | 'source'

export const IFLA_MACVLAN = attrTable('IFLA_MACVLAN', {
  IFLA_MACVLAN_MODE: [1, 'mode', enumOf(u32, { private: 1, vepa: 2, bridge: 4, passthru: 8, source: 16 })],
  IFLA_MACVLAN_FLAGS: [2, 'flags', u16],
  IFLA_MACVLAN_MACADDR_COUNT: [6, 'macaddrCount', u32, { readOnly: true }],
  IFLA_MACVLAN_BC_QUEUE_LEN: [7, 'bcQueueLen', u32],
  IFLA_MACVLAN_BC_QUEUE_LEN_USED: [8, 'bcQueueLenUsed', u32, { readOnly: true }],
})

export const macvlan: LinkKind = { kind: 'macvlan', key: 'macvlan', data: IFLA_MACVLAN }
export const macvtap: LinkKind = { kind: 'macvtap', key: 'macvlan', data: IFLA_MACVLAN }
