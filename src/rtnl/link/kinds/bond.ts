/** bond and bond ports: IFLA_BOND_* / IFLA_BOND_SLAVE_*, <linux/if_link.h>. Not in this test kernel. */
import { attrTable, bool8, enumOf, s32, u16, u32, u8 } from '../../../attr/table.js'
import { mac } from '../../../attr/types.js'
import { ValidationError } from '../../../errors.js'
import type { LinkKind, PortKind } from './types.js'
import { ifindex } from '../resolve.js'

export const BOND_MODES = {
  'balance-rr': 0, 'active-backup': 1, 'balance-xor': 2, broadcast: 3, '802.3ad': 4, 'balance-tlb': 5, 'balance-alb': 6,
} as const

export const IFLA_BOND = attrTable('IFLA_BOND', {
  IFLA_BOND_MODE: [1, 'mode', enumOf(u8, BOND_MODES)],
  IFLA_BOND_ACTIVE_SLAVE: [2, 'activePort', ifindex],
  IFLA_BOND_MIIMON: [3, 'miimon', u32],
  IFLA_BOND_UPDELAY: [4, 'updelay', u32],
  IFLA_BOND_DOWNDELAY: [5, 'downdelay', u32],
  IFLA_BOND_USE_CARRIER: [6, 'useCarrier', bool8],
  IFLA_BOND_ARP_INTERVAL: [7, 'arpInterval', u32],
  IFLA_BOND_ARP_VALIDATE: [9, 'arpValidate', u32],
  IFLA_BOND_ARP_ALL_TARGETS: [10, 'arpAllTargets', u32],
  IFLA_BOND_PRIMARY: [11, 'primary', ifindex],
  IFLA_BOND_PRIMARY_RESELECT: [12, 'primaryReselect', u8],
  IFLA_BOND_FAIL_OVER_MAC: [13, 'failOverMac', u8],
  IFLA_BOND_XMIT_HASH_POLICY: [14, 'xmitHashPolicy', u8],
  IFLA_BOND_RESEND_IGMP: [15, 'resendIgmp', u32],
  IFLA_BOND_NUM_PEER_NOTIF: [16, 'numPeerNotif', u8],
  IFLA_BOND_ALL_SLAVES_ACTIVE: [17, 'allPortsActive', u8],
  IFLA_BOND_MIN_LINKS: [18, 'minLinks', u32],
  IFLA_BOND_LP_INTERVAL: [19, 'lpInterval', u32],
  IFLA_BOND_PACKETS_PER_SLAVE: [20, 'packetsPerPort', u32],
  IFLA_BOND_AD_LACP_RATE: [21, 'adLacpRate', u8],
  IFLA_BOND_AD_SELECT: [22, 'adSelect', u8],
  IFLA_BOND_AD_ACTOR_SYS_PRIO: [24, 'adActorSysPrio', u16],
  IFLA_BOND_AD_USER_PORT_KEY: [25, 'adUserPortKey', u16],
  IFLA_BOND_AD_ACTOR_SYSTEM: [26, 'adActorSystem', mac],
  IFLA_BOND_TLB_DYNAMIC_LB: [27, 'tlbDynamicLb', u8],
  IFLA_BOND_PEER_NOTIF_DELAY: [28, 'peerNotifDelay', u32],
  IFLA_BOND_AD_LACP_ACTIVE: [29, 'adLacpActive', u8],
  IFLA_BOND_MISSED_MAX: [30, 'missedMax', u8],
})

// The kernel's bond_slave_policy takes only the queue id and the priority; the rest is state.
export const IFLA_BOND_SLAVE = attrTable('IFLA_BOND_SLAVE', {
  IFLA_BOND_SLAVE_STATE: [1, 'state', enumOf(u8, { active: 0, backup: 1 }), { readOnly: true }],
  IFLA_BOND_SLAVE_MII_STATUS: [2, 'miiStatus', enumOf(u8, { up: 0, fail: 1, down: 2, back: 3 }), { readOnly: true }],
  IFLA_BOND_SLAVE_LINK_FAILURE_COUNT: [3, 'linkFailureCount', u32, { readOnly: true }],
  IFLA_BOND_SLAVE_PERM_HWADDR: [4, 'permHwaddr', mac, { readOnly: true }],
  IFLA_BOND_SLAVE_QUEUE_ID: [5, 'queueId', u16],
  IFLA_BOND_SLAVE_AD_AGGREGATOR_ID: [6, 'adAggregatorId', u16, { readOnly: true }],
  IFLA_BOND_SLAVE_AD_ACTOR_OPER_PORT_STATE: [7, 'adActorOperPortState', u8, { readOnly: true }],
  IFLA_BOND_SLAVE_AD_PARTNER_OPER_PORT_STATE: [8, 'adPartnerOperPortState', u16, { readOnly: true }],
  IFLA_BOND_SLAVE_PRIO: [9, 'prio', s32],                 // NLA_S32 in the kernel's policy
})

export const bond: LinkKind = {
  kind: 'bond',
  key: 'bond',
  lower: false,
  data: IFLA_BOND,
  check(o) {
    const m = o['mode']
    if (m !== undefined && typeof m === 'string' && !(m in BOND_MODES))
      throw new ValidationError(`bond.mode: unknown mode ${JSON.stringify(m)} (${Object.keys(BOND_MODES).join(', ')})`, 'bond.mode', m)
  },
  // The active port is chosen among ports, which a new bond does not have yet: the kernel
  // refuses one that is not its port. `primary` is kept (it is remembered by name).
  options(o) {
    delete o['activePort']
    return o
  },
}
export const bondPort: PortKind = { kind: 'bond', key: 'bondPort', data: IFLA_BOND_SLAVE }
