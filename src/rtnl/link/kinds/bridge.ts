/** bridge: IFLA_BR_* (IFLA_INFO_DATA of kind "bridge"), <linux/if_link.h>. */
import { attrTable, be16, bool8, hex, u16, u32, u64, u8, type Codec } from '../../../attr/table.js'
import { mac } from '../../../attr/types.js'
import { decodeFail } from '../../../attr/codec.js'
import { rd32 } from '../../../util/le.js'
import { ValidationError } from '../../../errors.js'
import type { LinkKind } from './types.js'
import { checkBitsClear, checkBool, checkRanges, type Ranges } from '../../../util/check.js'
import { checkKnownKeys } from '../../../util/keys.js'

/** enum br_boolopt_id (<linux/if_bridge.h>; bits 3 and 4 are newer than the headers here). */
const BOOLOPTS = ['noLinkLocalLearn', 'mcastVlanSnooping', 'mstEnabled', 'mdbOffloadFailNotification', 'fdbLocalVlan0'] as const
export type BridgeBoolopt = (typeof BOOLOPTS)[number]
const BOOLOPT_SET: ReadonlySet<string> = new Set(BOOLOPTS)

/**
 * IFLA_BR_MULTI_BOOLOPT, struct br_boolopt_multi { __u32 optval; __u32 optmask; }: the options
 * by name. Decoded: every option the kernel knows (its optmask). Encoded: only the options
 * given (optmask), so the others keep their value.
 */
const boolopts: Codec<Partial<Record<BridgeBoolopt, boolean>>> = {
  kind: 'br_boolopt_multi',
  decode(buf, off, len, path) {
    if (len < 8) decodeFail('br_boolopt_multi needs 8 bytes', buf, off, path)
    const val = rd32(buf, off)
    const mask = rd32(buf, off + 4)
    const out: Partial<Record<BridgeBoolopt, boolean>> = {}
    for (let i = 0; i < BOOLOPTS.length; i++) if (mask & (1 << i)) out[BOOLOPTS[i]!] = (val & (1 << i)) !== 0
    return out
  },
  encode(w, t, v) {
    const b = Buffer.alloc(8)
    let val = 0
    let mask = 0
    for (let i = 0; i < BOOLOPTS.length; i++) {
      const x = v[BOOLOPTS[i]!]
      if (x === undefined) continue
      mask |= 1 << i
      if (x) val |= 1 << i
    }
    b.writeUInt32LE(val >>> 0, 0)
    b.writeUInt32LE(mask >>> 0, 4)
    w.attrBytes(t, b)
  },
}

// Times are in clock_t (centiseconds, USER_HZ = 100) as the kernel takes them.
export const IFLA_BR = attrTable('IFLA_BR', {
  IFLA_BR_FORWARD_DELAY: [1, 'forwardDelay', u32],
  IFLA_BR_HELLO_TIME: [2, 'helloTime', u32],
  IFLA_BR_MAX_AGE: [3, 'maxAge', u32],
  IFLA_BR_AGEING_TIME: [4, 'ageingTime', u32],
  IFLA_BR_STP_STATE: [5, 'stpState', u32],
  IFLA_BR_PRIORITY: [6, 'priority', u16],
  IFLA_BR_VLAN_FILTERING: [7, 'vlanFiltering', bool8],
  IFLA_BR_VLAN_PROTOCOL: [8, 'vlanProtocol', be16],
  IFLA_BR_GROUP_FWD_MASK: [9, 'groupFwdMask', u16],
  IFLA_BR_ROOT_ID: [10, 'rootId', hex, { readOnly: true }],
  IFLA_BR_BRIDGE_ID: [11, 'bridgeId', hex, { readOnly: true }],
  IFLA_BR_ROOT_PORT: [12, 'rootPort', u16, { readOnly: true }],
  IFLA_BR_ROOT_PATH_COST: [13, 'rootPathCost', u32, { readOnly: true }],
  IFLA_BR_TOPOLOGY_CHANGE: [14, 'topologyChange', u8, { readOnly: true }],
  IFLA_BR_TOPOLOGY_CHANGE_DETECTED: [15, 'topologyChangeDetected', u8, { readOnly: true }],
  IFLA_BR_HELLO_TIMER: [16, 'helloTimer', u64, { readOnly: true }],
  IFLA_BR_TCN_TIMER: [17, 'tcnTimer', u64, { readOnly: true }],
  IFLA_BR_TOPOLOGY_CHANGE_TIMER: [18, 'topologyChangeTimer', u64, { readOnly: true }],
  IFLA_BR_GC_TIMER: [19, 'gcTimer', u64, { readOnly: true }],
  IFLA_BR_GROUP_ADDR: [20, 'groupAddress', mac],
  IFLA_BR_MCAST_ROUTER: [22, 'multicastRouter', u8],
  IFLA_BR_MCAST_SNOOPING: [23, 'multicastSnooping', bool8],
  IFLA_BR_MCAST_QUERY_USE_IFADDR: [24, 'multicastQueryUseIfaddr', bool8],
  IFLA_BR_MCAST_QUERIER: [25, 'multicastQuerier', bool8],
  IFLA_BR_MCAST_HASH_ELASTICITY: [26, 'multicastHashElasticity', u32],
  IFLA_BR_MCAST_HASH_MAX: [27, 'multicastHashMax', u32],
  IFLA_BR_MCAST_LAST_MEMBER_CNT: [28, 'multicastLastMemberCount', u32],
  IFLA_BR_MCAST_STARTUP_QUERY_CNT: [29, 'multicastStartupQueryCount', u32],
  IFLA_BR_MCAST_LAST_MEMBER_INTVL: [30, 'multicastLastMemberInterval', u64],
  IFLA_BR_MCAST_MEMBERSHIP_INTVL: [31, 'multicastMembershipInterval', u64],
  IFLA_BR_MCAST_QUERIER_INTVL: [32, 'multicastQuerierInterval', u64],
  IFLA_BR_MCAST_QUERY_INTVL: [33, 'multicastQueryInterval', u64],
  IFLA_BR_MCAST_QUERY_RESPONSE_INTVL: [34, 'multicastQueryResponseInterval', u64],
  IFLA_BR_MCAST_STARTUP_QUERY_INTVL: [35, 'multicastStartupQueryInterval', u64],
  IFLA_BR_NF_CALL_IPTABLES: [36, 'nfCallIptables', bool8],
  IFLA_BR_NF_CALL_IP6TABLES: [37, 'nfCallIp6tables', bool8],
  IFLA_BR_NF_CALL_ARPTABLES: [38, 'nfCallArptables', bool8],
  IFLA_BR_VLAN_DEFAULT_PVID: [39, 'vlanDefaultPvid', u16],
  IFLA_BR_VLAN_STATS_ENABLED: [41, 'vlanStatsEnabled', bool8],
  IFLA_BR_MCAST_STATS_ENABLED: [42, 'multicastStatsEnabled', bool8],
  IFLA_BR_MCAST_IGMP_VERSION: [43, 'multicastIgmpVersion', u8],
  IFLA_BR_MCAST_MLD_VERSION: [44, 'multicastMldVersion', u8],
  IFLA_BR_VLAN_STATS_PER_PORT: [45, 'vlanStatsPerPort', bool8],
  IFLA_BR_MULTI_BOOLOPT: [46, 'boolopts', boolopts],
  // Newer than the uapi headers of this machine (Debian 12): numbers from the kernel's if_link.h.
  IFLA_BR_FDB_N_LEARNED: [48, 'fdbLearned', u32, { readOnly: true }],
  IFLA_BR_FDB_MAX_LEARNED: [49, 'fdbMaxLearned', u32],
})

/** BR_GROUPFWD_RESTRICTED: 01:80:c2:00:00:0{0,1,2} are never forwarded (the kernel refuses the bits). */
const GROUPFWD_RESTRICTED = 0x7

/**
 * Ranges the kernel refuses whatever the bridge's state (br_stp_if.c, br_multicast.c); times
 * are in centiseconds, as `ip link ... type bridge` takes them. forwardDelay is range-checked
 * only while STP runs, so it is left to the kernel.
 */
const BRIDGE_RANGES: Ranges = {
  helloTime: [100, 1000, 'a hello time of 100-1000 centiseconds (1-10 s)'],
  maxAge: [600, 4000, 'a max age of 600-4000 centiseconds (6-40 s)'],
  multicastRouter: [0, 2, 'MDB_RTR_TYPE_DISABLED (0), TEMP_QUERY (1) or PERM (2)'],
  multicastIgmpVersion: [2, 3, 'IGMP version 2 or 3'],
  multicastMldVersion: [1, 2, 'MLD version 1 or 2'],
}

export const bridge: LinkKind = {
  kind: 'bridge',
  key: 'bridge',
  lower: false,
  data: IFLA_BR,
  check(o) {
    checkRanges(o, 'bridge', BRIDGE_RANGES)
    checkBitsClear(o['groupFwdMask'], 'bridge.groupFwdMask', GROUPFWD_RESTRICTED, 'bits 0-2 (STP, pause frames, LACP) cannot be forwarded')
    const b = o['boolopts']
    if (b === undefined) return
    if (typeof b !== 'object' || b === null) throw new ValidationError('bridge.boolopts: expected an object of booleans', 'bridge.boolopts', b)
    checkKnownKeys(b, BOOLOPT_SET, 'bridge.boolopts')
    for (const [k, v] of Object.entries(b)) if (v !== undefined) checkBool(v, `bridge.boolopts.${k}`)
  },
  // VLAN filtering off and boolean options off are what a new bridge has. Sent, they are
  // refused by a kernel without CONFIG_BRIDGE_VLAN_FILTERING (EOPNOTSUPP, even for off; so
  // are the VLAN-dependent options mcastVlanSnooping and mstEnabled), so a copy leaves them out.
  options(o) {
    if (o['vlanFiltering'] === false) delete o['vlanFiltering']
    const b = o['boolopts'] as Record<string, boolean> | undefined
    if (b) {
      const on = Object.fromEntries(Object.entries(b).filter(([, v]) => v))
      if (Object.keys(on).length) o['boolopts'] = on
      else delete o['boolopts']
    }
    return o
  },
}
