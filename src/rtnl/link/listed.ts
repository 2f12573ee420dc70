/**
 * Links as listed, given back: the options that make one again (linkOptions), for
 * `link.add(link)` and for copying a link with changes.
 */
import { ValidationError } from '../../errors.js'
import type { AttrTable } from '../../attr/table.js'
import type { Link } from './codec.js'
import { kindByName, portKindByName } from './kinds/index.js'
import type { LinkAddOptions } from './api.js'

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
 * (not for a veth, whose IFLA_LINK is its peer, nor when it is in another namespace); the
 * writable part of its kind data and port data, as the kind plugin says a new link takes
 * it. Not carried: a veth's peer (the copy gets a new one, named by the kernel unless you
 * give `peer`), alternative names, the address generation mode, and the state the kernel
 * keeps (counters, carrier, operstate, timers, STP port state). Indexes (`master`, a vxlan's
 * `dev`) are those of the link's namespace.
 * @throws {ValidationError} for a link without a kind (hardware, loopback) or of a kind
 *   without a plugin whose data (`infoData`) cannot be sent.
 * @example await rtnl.link.add({ ...linkOptions(await rtnl.link.get('vx0')), name: 'vx1' })
 */
export function linkOptions(l: Link): LinkAddOptions {
  if (typeof l.kind !== 'string' || !l.kind)
    throw new ValidationError(`kind: link ${l.name} has no kind (a hardware or loopback device): it cannot be made again`, 'kind', l.kind)
  const plugin = kindByName(l.kind)
  if (!plugin && l.infoData?.length)
    throw new ValidationError(`infoData: kind ${l.kind} has no plugin, so its data cannot be sent (see registerKind)`, 'infoData', l.infoData)
  const o: LinkAddOptions = { name: l.name, kind: l.kind }
  const r = o as unknown as Record<string, unknown>
  for (const k of SETTINGS) if (l[k] !== undefined) r[k] = l[k]
  o.up = l.up
  const has = (f: string) => l.flags.includes(f as Link['flags'][number])
  o.promisc = has('PROMISC')
  o.allmulticast = has('ALLMULTI')
  o.multicast = has('MULTICAST')
  o.arp = !has('NOARP')
  if (l.parentIndex !== undefined && l.linkNetnsId === undefined && l.kind !== 'veth') o.parent = l.parentIndex
  const src = l as unknown as Record<string, Record<string, unknown> | undefined>
  if (plugin?.data && plugin.kind !== 'veth') {
    const data = src[plugin.key]
    if (data) r[plugin.key] = writable(plugin.data, data, plugin.options)
  }
  const port = l.portKind !== undefined ? portKindByName(l.portKind) : undefined
  if (port && l.master !== undefined) {
    const data = src[port.key]
    if (data) {
      const p = writable(port.data, data, port.options)
      if (Object.keys(p).length) r[port.key] = p
    }
  }
  return o
}

/** A decoded Link rather than link.add options: it has `index` and `flags` (options have neither). */
export function isListedLink(o: unknown): o is Link {
  return typeof o === 'object' && o !== null && typeof (o as Partial<Link>).index === 'number' && Array.isArray((o as Partial<Link>).flags)
}

/**
 * Options of link.add that a Link has no field for: given beside a listed link
 * (`add({ ...link, peer: {...} })`), they are taken as they are.
 */
export const ADD_ONLY_KEYS = ['peer', 'parent', 'netns', 'promisc', 'allmulticast', 'multicast', 'arp', 'addrGenMode'] as const
