/**
 * tun/tap: IFLA_TUN_* (IFLA_INFO_DATA), <linux/if_link.h>, as the kernel reports them. The
 * kernel refuses to make tun/tap devices over rtnetlink (EOPNOTSUPP, "tun/tap creation via
 * rtnetlink is not supported"): link.add makes them by ioctl on /dev/net/tun (../tun-create.ts)
 * from `type`, `owner`, `group`, `pi`, `vnetHdr` and `multiQueue`.
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

export const tun: LinkKind = {
  kind: 'tun', key: 'tun', data: IFLA_TUN, lower: false,
  // A copy is made with its settings: the queue counts are state (file descriptors attached),
  // and every device link.add makes persists.
  options: ({ numQueues: _q, numDisabledQueues: _d, persist: _p, ...settings }) => settings,
}
