/** macvlan and macvtap: IFLA_MACVLAN_* (IFLA_INFO_DATA), <linux/if_link.h>. */
import { attrTable, enumOf, s32, u16, u32, type Codec } from '../../../attr/table.js'
import { mac } from '../../../attr/types.js'
import { forEachAttr } from '../../../attr/codec.js'
import { ValidationError } from '../../../errors.js'
import type { LinkKind } from './types.js'

/** MACVLAN_MODE_*: how macvlans on one lower device reach each other. */
export type MacvlanMode = 'private' | 'vepa' | 'bridge' | 'passthru' | 'source'

const IFLA_MACVLAN_MACADDR = 4

/**
 * IFLA_MACVLAN_MACADDR_DATA: the source MACs of a `source` mode macvlan, a nest of
 * IFLA_MACVLAN_MACADDR attributes (reported; sent with `macaddrMode: 'set'`).
 */
const macList: Codec<string[]> = {
  kind: 'nested',
  decode(buf, off, len, path) {
    const out: string[] = []
    forEachAttr(buf, off, off + len, path, (type, p, l) => {
      if (type === IFLA_MACVLAN_MACADDR) out.push(mac.decode(buf, p, l, path))
    })
    return out
  },
  encode(w, t, v) {
    const at = w.beginNest(t)
    for (const m of v) mac.encode(w, IFLA_MACVLAN_MACADDR, m)
    w.endNest(at)
  },
  check(v, field) {
    if (!Array.isArray(v)) throw new ValidationError(`${field}: expected an array of MAC addresses`, field, v)
    v.forEach((m, i) => mac.check!(m, `${field}[${i}]`))
  },
}

export const IFLA_MACVLAN = attrTable('IFLA_MACVLAN', {
  IFLA_MACVLAN_MODE: [1, 'mode', enumOf(u32, { private: 1, vepa: 2, bridge: 4, passthru: 8, source: 16 })],
  IFLA_MACVLAN_FLAGS: [2, 'flags', u16],
  // Source mode: what to do with `macaddr` / `macaddrs` (MACVLAN_MACADDR_*); not reported.
  IFLA_MACVLAN_MACADDR_MODE: [3, 'macaddrMode', enumOf(u32, { add: 0, del: 1, flush: 2, set: 3 })],
  IFLA_MACVLAN_MACADDR: [IFLA_MACVLAN_MACADDR, 'macaddr', mac],
  IFLA_MACVLAN_MACADDR_DATA: [5, 'macaddrs', macList],
  IFLA_MACVLAN_MACADDR_COUNT: [6, 'macaddrCount', u32, { readOnly: true }],
  IFLA_MACVLAN_BC_QUEUE_LEN: [7, 'bcQueueLen', u32],
  IFLA_MACVLAN_BC_QUEUE_LEN_USED: [8, 'bcQueueLenUsed', u32, { readOnly: true }],
  // Newer than the uapi headers of this machine (Debian 12): the number from the kernel's if_link.h.
  IFLA_MACVLAN_BC_CUTOFF: [9, 'bcCutoff', s32],      // reported when not the default (1)
})

/** A source-mode MAC list is made with `macaddrMode: 'set'` (the only mode a new link takes). */
function macvlanOptions(o: Record<string, unknown>): Record<string, unknown> {
  const macs = o['macaddrs'] as string[] | undefined
  if (macs?.length) o['macaddrMode'] = 'set'
  else delete o['macaddrs']
  return o
}

export const macvlan: LinkKind = { kind: 'macvlan', key: 'macvlan', data: IFLA_MACVLAN, options: macvlanOptions, lower: true }
export const macvtap: LinkKind = { kind: 'macvtap', key: 'macvlan', data: IFLA_MACVLAN, options: macvlanOptions, lower: true }
