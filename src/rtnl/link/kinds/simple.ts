/** Kinds without IFLA_INFO_DATA of their own: dummy, ifb. */
import type { LinkKind } from './types.js'

/** dummy: a device that drops everything (not in this test kernel: use a port-less bridge). */
export const dummy: LinkKind = { kind: 'dummy', key: 'dummy', lower: false }
/** ifb: intermediate functional block, for ingress shaping. */
export const ifb: LinkKind = { kind: 'ifb', key: 'ifb', lower: false }
