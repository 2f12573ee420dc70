/** Bridge ports: IFLA_BRPORT_* (IFLA_INFO_SLAVE_DATA of slave kind "bridge"), <linux/if_link.h>. */
import { attrTable, bool8, hex, u16, u32, u64, u8 } from '../../../attr/table.js'
import { checkBitsClear, checkRanges, type Ranges } from '../../../util/check.js'
import type { PortKind } from './types.js'
import { ifindex } from '../resolve.js'

export const IFLA_BRPORT = attrTable('IFLA_BRPORT', {
  IFLA_BRPORT_STATE: [1, 'state', u8],                 // BR_STATE_*: 0 disabled .. 3 forwarding, 4 blocking
  IFLA_BRPORT_PRIORITY: [2, 'priority', u16],
  IFLA_BRPORT_COST: [3, 'cost', u32],
  IFLA_BRPORT_MODE: [4, 'hairpin', bool8],             // hairpin mode
  IFLA_BRPORT_GUARD: [5, 'guard', bool8],              // bpdu guard
  IFLA_BRPORT_PROTECT: [6, 'rootBlock', bool8],
  IFLA_BRPORT_FAST_LEAVE: [7, 'fastLeave', bool8],
  IFLA_BRPORT_LEARNING: [8, 'learning', bool8],
  IFLA_BRPORT_UNICAST_FLOOD: [9, 'flood', bool8],
  IFLA_BRPORT_PROXYARP: [10, 'proxyArp', bool8],
  IFLA_BRPORT_LEARNING_SYNC: [11, 'learningSync', bool8],
  IFLA_BRPORT_PROXYARP_WIFI: [12, 'proxyArpWifi', bool8],
  IFLA_BRPORT_ROOT_ID: [13, 'rootId', hex, { readOnly: true }],
  IFLA_BRPORT_BRIDGE_ID: [14, 'bridgeId', hex, { readOnly: true }],
  IFLA_BRPORT_DESIGNATED_PORT: [15, 'designatedPort', u16, { readOnly: true }],
  IFLA_BRPORT_DESIGNATED_COST: [16, 'designatedCost', u16, { readOnly: true }],
  IFLA_BRPORT_ID: [17, 'id', u16, { readOnly: true }],
  IFLA_BRPORT_NO: [18, 'no', u16, { readOnly: true }],
  IFLA_BRPORT_TOPOLOGY_CHANGE_ACK: [19, 'topologyChangeAck', u8, { readOnly: true }],
  IFLA_BRPORT_CONFIG_PENDING: [20, 'configPending', u8, { readOnly: true }],
  IFLA_BRPORT_MESSAGE_AGE_TIMER: [21, 'messageAgeTimer', u64, { readOnly: true }],
  IFLA_BRPORT_FORWARD_DELAY_TIMER: [22, 'forwardDelayTimer', u64, { readOnly: true }],
  IFLA_BRPORT_HOLD_TIMER: [23, 'holdTimer', u64, { readOnly: true }],
  IFLA_BRPORT_MULTICAST_ROUTER: [25, 'multicastRouter', u8],
  IFLA_BRPORT_MCAST_FLOOD: [27, 'multicastFlood', bool8],
  IFLA_BRPORT_MCAST_TO_UCAST: [28, 'multicastToUnicast', bool8],
  IFLA_BRPORT_VLAN_TUNNEL: [29, 'vlanTunnel', bool8],
  IFLA_BRPORT_BCAST_FLOOD: [30, 'broadcastFlood', bool8],
  IFLA_BRPORT_GROUP_FWD_MASK: [31, 'groupFwdMask', u16],
  IFLA_BRPORT_NEIGH_SUPPRESS: [32, 'neighSuppress', bool8],
  IFLA_BRPORT_ISOLATED: [33, 'isolated', bool8],
  IFLA_BRPORT_BACKUP_PORT: [34, 'backupPort', ifindex],  // a name is resolved before sending
  IFLA_BRPORT_MRP_RING_OPEN: [35, 'mrpRingOpen', u8, { readOnly: true }],
  IFLA_BRPORT_MRP_IN_OPEN: [36, 'mrpInOpen', u8, { readOnly: true }],
  IFLA_BRPORT_MCAST_EHT_HOSTS_LIMIT: [37, 'multicastEhtHostsLimit', u32],
  IFLA_BRPORT_MCAST_EHT_HOSTS_CNT: [38, 'multicastEhtHostsCount', u32, { readOnly: true }],
  IFLA_BRPORT_LOCKED: [39, 'locked', bool8],
  IFLA_BRPORT_MAB: [40, 'mab', bool8],
  IFLA_BRPORT_MCAST_N_GROUPS: [41, 'multicastGroups', u32, { readOnly: true }],
  IFLA_BRPORT_MCAST_MAX_GROUPS: [42, 'multicastMaxGroups', u32],
  IFLA_BRPORT_NEIGH_VLAN_SUPPRESS: [43, 'neighVlanSuppress', bool8],
  IFLA_BRPORT_BACKUP_NHID: [44, 'backupNhid', u32],
})

/** BR_GROUPFWD_MACPAUSE: 802.3x pause frames are never forwarded (br_setport refuses the bit). */
const GROUPFWD_MACPAUSE = 1 << 1

const PORT_RANGES: Ranges = {
  state: [0, 4, 'BR_STATE_DISABLED (0) to BR_STATE_BLOCKING (4)'],
  priority: [0, 63, 'an STP port priority 0-63'],
  cost: [1, 65535, 'an STP path cost 1-65535'],
  multicastRouter: [0, 3, 'MDB_RTR_TYPE_* 0-3'],
}

export const bridgePort: PortKind = {
  kind: 'bridge',
  key: 'bridgePort',
  data: IFLA_BRPORT,
  // Ranges the kernel refuses whatever the port's state (br_netlink.c, br_stp_if.c). It
  // applies port options one by one, so a refusal half-way would leave the earlier ones set.
  check(o) {
    checkRanges(o, 'bridgePort', PORT_RANGES)
    checkBitsClear(o['groupFwdMask'], 'bridgePort.groupFwdMask', GROUPFWD_MACPAUSE, 'bit 1 (01:80:c2:00:00:01, pause frames) cannot be forwarded')
  },
  // The STP state is the bridge's doing, not a setting: sent for a port that is down it is
  // refused (ENETDOWN), and under kernel STP always (EBUSY).
  options(o) {
    delete o['state']
    return o
  },
}
