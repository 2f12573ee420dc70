/**
 * tun/tap: IFLA_TUN_* (IFLA_INFO_DATA), <linux/if_link.h>. Reported only: the kernel makes
 * tun/tap devices through ioctl(TUNSETIFF) on /dev/net/tun, and refuses them over rtnetlink
 * (EOPNOTSUPP, "tun/tap creation via rtnetlink is not supported").
 */
import { attrTable, bool8, enumOf, u32, u8 } from '../../../attr/table.js'
import type { LinkKind } from './types.js'

export const IFLA_TUN = attrTable('IFLA_TUN', {
  IFLA_TUN_OWNER: [1, 'owner', u32],                   // uid; absent when none is set
  IFLA_TUN_GROUP: [2, 'group', u32],                   // gid; absent when none is set
  IFLA_TUN_TYPE: [3, 'type', enumOf(u8, { tun: 1, tap: 2 })], // IFF_TUN, IFF_TAP
  IFLA_TUN_PI: [4, 'pi', bool8],                       // packet information header (not IFF_NO_PI)
  IFLA_TUN_VNET_HDR: [5, 'vnetHdr', bool8],
  IFLA_TUN_PERSIST: [6, 'persist', bool8],
  IFLA_TUN_MULTI_QUEUE: [7, 'multiQueue', bool8],
  IFLA_TUN_NUM_QUEUES: [8, 'numQueues', u32],          // multi-queue devices only
  IFLA_TUN_NUM_DISABLED_QUEUES: [9, 'numDisabledQueues', u32],
})

export const tun: LinkKind = { kind: 'tun', key: 'tun', data: IFLA_TUN, lower: false }
