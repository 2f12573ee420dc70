/**
 * Links as listed, given back: the options that make one again (linkOptions), for
 * `link.add(link)` and for copying a link with changes; and the changes that make a link
 * like a listed one (linkChanges), for `link.set(ref, link)`.
 */
import { isDeepStrictEqual } from 'node:util'
import { ValidationError } from '../../errors.js'
import type { AttrTable } from '../../attr/table.js'
import type { Link } from './codec.js'
import { kindByName, portKindByName } from './kinds/index.js'
import type { LinkAddOptions, LinkSetOptions } from './api.js'
import type { LinkRef } from './resolve.js'

/**
 * A listed link given back to link.add or link.set, changed or not: a Link whose master may
 * also be a name (or null: none), with the options a Link has no field for.
 */
export type ListedLink = Omit<Link, 'master'> & {
  /** As listed (an index), or a name, or null for none. */
  master?: LinkRef | null
} & Pick<LinkAddOptions, (typeof ADD_EXTRAS)[number]>

/** Settings a Link reports under the name link.add takes, copied when set. */
const SETTINGS = [
  'mtu', 'address', 'broadcast', 'txQueueLen', 'alias', 'group', 'master', 'numTxQueues', 'numRxQueues',
  'gsoMaxSize', 'gsoMaxSegs', 'groMaxSize', 'gsoIpv4MaxSize', 'groIpv4MaxSize',
] as const

/** The writable attributes of decoded kind or port data, through the plugin's hook. */
function writable(table: AttrTable | undefined, data: Record<string, unknown>, hook?: (o: Record<string, unknown>) => Record<string, unknown>): Record<string, unknown> {
  const o: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(data)) {
    if (v === undefined || k === 'unknown') continue
    const e = table?.byKey.get(k)
    if (e && !e.readOnly) o[k] = v
  }
  return hook ? hook(o) : o
}

/**
 * The options that make a listed link again (`link.add`): its name and kind; mtu, MAC and
 * broadcast addresses, queue length, alias, group, master, queue counts, GSO/GRO limits; `up`
 * and the `promisc`/`allmulticast`/`multicast`/`arp` flags; its lower device as `parent`
 * (for kinds that take one: not a veth's, whose IFLA_LINK is its peer, nor one in another namespace); the
 * writable part of its kind data and port data, as the kind plugin says a new link takes
 * it. Not carried: a veth's peer (the copy gets a new one, named by the kernel unless you
 * give `peer`), alternative names, the address generation mode, and the state the kernel
 * keeps (counters, carrier, operstate, timers, STP port state). Indexes (`master`, a vxlan's
 * `dev`) are those of the link's namespace.
 * @throws {ValidationError} for a link without a kind (hardware, loopback) or of a kind
 *   without a plugin whose data (`infoData`) cannot be sent.
 * @example await rtnl.link.add({ ...linkOptions(await rtnl.link.get('vx0')), name: 'vx1' })
 */
export function linkOptions(l: ListedLink): LinkAddOptions {
  if (typeof l.kind !== 'string' || !l.kind)
    throw new ValidationError(`kind: link ${l.name} has no kind (a hardware or loopback device): it cannot be made again`, 'kind', l.kind)
  if (!kindByName(l.kind) && l.infoData?.length)
    throw new ValidationError(`infoData: kind ${l.kind} has no plugin, so its data cannot be sent (see registerKind)`, 'infoData', l.infoData)
  return { name: l.name, kind: l.kind, ...settingsOf(l) }
}

/** What linkOptions() reads from a link, its name and kind aside (any link has them). */
function settingsOf(l: ListedLink): Omit<LinkAddOptions, 'name' | 'kind'> {
  const o: Omit<LinkAddOptions, 'name' | 'kind'> = {}
  const r = o as Record<string, unknown>
  for (const k of SETTINGS) if (l[k] !== undefined) r[k] = l[k]
  o.up = l.up
  const has = (f: string) => l.flags.includes(f as Link['flags'][number])
  o.promisc = has('PROMISC')
  o.allmulticast = has('ALLMULTI')
  o.multicast = has('MULTICAST')
  o.arp = !has('NOARP')
  const src = l as unknown as Record<string, Record<string, unknown> | undefined>
  const plugin = l.kind ? kindByName(l.kind) : undefined
  if (l.parentIndex !== undefined && l.linkNetnsId === undefined && plugin?.lower !== false) o.parent = l.parentIndex
  if (plugin?.data && plugin.kind !== 'veth') {
    const data = src[plugin.key]
    if (data) r[plugin.key] = writable(plugin.data, data, plugin.options)
  }
  const port = l.portKind !== undefined ? portKindByName(l.portKind) : undefined
  if (port && l.master != null) {
    const data = src[port.key]
    if (data) {
      const p = writable(port.data, data, port.options)
      if (Object.keys(p).length) r[port.key] = p
    }
  }
  return o
}

/** Settings that link.set cannot change (parent) or that only link.add takes (queue counts). */
const NOT_CHANGED = new Set(['parent', 'numTxQueues', 'numRxQueues'])

/**
 * The link.set options that make link `cur` like the listed link `want`: only what differs,
 * kind and port data attribute by attribute (a kind refuses to be sent what it cannot change,
 * even unchanged); a master or alias `want` has not is removed. Options a Link has no field
 * for (`promisc`...) are the caller's to add.
 */
export function linkChanges(want: ListedLink, cur: Link): LinkSetOptions {
  const w = settingsOf(want) as Record<string, unknown>
  const have = settingsOf(cur) as Record<string, unknown>
  const out: Record<string, unknown> = {}
  if (want.name !== cur.name) out['name'] = want.name
  const dataKeys = new Set<string>()
  const plugin = cur.kind ? kindByName(cur.kind) : undefined
  if (plugin) dataKeys.add(plugin.key)
  const port = want.portKind !== undefined ? portKindByName(want.portKind) : undefined
  if (port) dataKeys.add(port.key)
  for (const [k, v] of Object.entries(w)) {
    if (NOT_CHANGED.has(k)) continue
    const h = have[k]
    if (dataKeys.has(k) && h && typeof h === 'object') {
      const d: Record<string, unknown> = {}
      for (const [a, x] of Object.entries(v as Record<string, unknown>))
        if (!isDeepStrictEqual(x, (h as Record<string, unknown>)[a])) d[a] = x
      if (Object.keys(d).length) out[k] = d
    } else if (!isDeepStrictEqual(v, h)) {
      out[k] = v
    }
  }
  if (want.master == null && cur.master !== undefined) out['master'] = null
  if (want.alias === undefined && cur.alias !== undefined) out['alias'] = ''
  if (plugin && out[plugin.key] !== undefined) out['kind'] = cur.kind
  return out as LinkSetOptions
}

/** A decoded Link rather than link.add options: it has `index` and `flags` (options have neither). */
export function isListedLink(o: unknown): o is ListedLink {
  return typeof o === 'object' && o !== null && typeof (o as Partial<Link>).index === 'number' && Array.isArray((o as Partial<Link>).flags)
}

/**
 * Options of link.add that a Link has no field for: given beside a listed link
 * (`add({ ...link, peer: {...} })`), they are taken as they are.
 */
export const ADD_EXTRAS = ['peer', 'parent', 'netns', 'promisc', 'allmulticast', 'multicast', 'arp', 'addrGenMode'] as const

/** The same for link.set: those of ADD_EXTRAS it takes (a link's peer and parent are fixed). */
export const SET_EXTRAS = ADD_EXTRAS.filter(k => k !== 'peer' && k !== 'parent')
