/** The registry of link kinds (IFLA_INFO_KIND) and port kinds (IFLA_INFO_SLAVE_KIND). */
import { bond, bondPort } from './bond.js'
import { bridge } from './bridge.js'
import { bridgePort } from './bridge-port.js'
import { ipvlan } from './ipvlan.js'
import { macvlan, macvtap } from './macvlan.js'
import { dummy, ifb } from './simple.js'
import { tun } from './tun.js'
import { greKinds, iptunKinds } from './tunnels.js'
import { geneve } from './geneve.js'
import { vrf, vrfPort } from './vrf.js'
import type { LinkKind, PortKind } from './types.js'
import { ValidationError } from '../../../errors.js'
import { IFLA } from '../schema.js'
import { veth } from './veth.js'
import { vlan } from './vlan.js'
import { vxlan } from './vxlan.js'

export type { LinkKind, PortKind } from './types.js'

const kinds = new Map<string, LinkKind>()
const portKinds = new Map<string, PortKind>()
/** Options keys that carry kind data (`vxlan: { id }`), from the registered kinds; rebuilt on register. */
let dataKeys: readonly string[] = []

/**
 * Keys a kind cannot take: the options of link.add/link.set and the fields of a Link (the
 * IFLA table's keys, plus these), which its data would shadow.
 */
const RESERVED_KEYS = new Set([
  'kind', 'parent', 'peer', 'up', 'netns', 'replace', 'timeout', 'signal',
  'index', 'type', 'linkType', 'flags', 'lowerUp', 'portKind', 'infoData', 'portData', 'unknown',
])

function checkKey(what: 'registerKind' | 'registerPortKind', k: { kind?: unknown; key?: unknown; data?: unknown; check?: unknown; options?: unknown; defaults?: unknown; lower?: unknown }): void {
  if (typeof k?.kind !== 'string' || !k.kind) throw new ValidationError(`${what}: kind must be a non-empty string`, `${what}.kind`, k?.kind)
  for (const f of ['check', 'options', 'defaults'] as const)
    if (k[f] !== undefined && typeof k[f] !== 'function') throw new ValidationError(`${what}: ${f} must be a function`, `${what}.${f}`, k[f])
  if (k.lower !== undefined && typeof k.lower !== 'boolean') throw new ValidationError(`${what}: lower must be a boolean`, `${what}.lower`, k.lower)
  if (typeof k.key !== 'string' || !/^[A-Za-z_$][\w$]*$/.test(k.key))
    throw new ValidationError(`${what}: key must be an identifier (where the kind's options and data go)`, `${what}.key`, k.key)
  if (RESERVED_KEYS.has(k.key) || IFLA.byKey.has(k.key)) throw new ValidationError(`${what}: key ${JSON.stringify(k.key)} is a link option or field`, `${what}.key`, k.key)
  const port = what === 'registerPortKind'
  const clash = (others: Iterable<LinkKind | PortKind>, samePlace: boolean) => {
    for (const o of others) {
      if (o.key !== k.key || (samePlace && o.kind === k.kind)) continue
      // macvlan and macvtap (and the GRE kinds, ipip and sit) report one data table under one key.
      if (samePlace && !port && o.data !== undefined && o.data === k.data) continue
      throw new ValidationError(`${what}: key ${JSON.stringify(k.key)} is already used by ${samePlace === port ? 'port' : 'link'} kind ${o.kind}`, `${what}.key`, k.key)
    }
  }
  clash(port ? portKinds.values() : kinds.values(), true)
  clash(port ? kinds.values() : portKinds.values(), false)
}

/**
 * Adds (or replaces, by `kind`) a link kind plugin: link.add/link.set then take the kind's
 * options under `key`, encode them with its `data` table, and links of that kind report their
 * IFLA_INFO_DATA under the same key.
 * @throws {ValidationError} when `key` is not an identifier, is a link option or field, or is
 *   another kind's key.
 */
export function registerKind(k: LinkKind): void {
  checkKey('registerKind', k)
  addKind(k)
}

function addKind(k: LinkKind): void {
  kinds.set(k.kind, k)
  // veth's data is built from `peer`, not given under a key of its own.
  dataKeys = [...new Set([...kinds.values()].filter(x => x.data !== undefined && x.kind !== 'veth').map(x => x.key))]
}

/** Adds (or replaces, by `kind`) a port kind plugin: link.set takes its options under `key`. */
export function registerPortKind(k: PortKind): void {
  checkKey('registerPortKind', k)
  portKinds.set(k.kind, k)
}

export function kindByName(name: string): LinkKind | undefined {
  return kinds.get(name)
}

export function portKindByName(name: string): PortKind | undefined {
  return portKinds.get(name)
}

/** The options keys of registered kinds that take data (e.g. `'vxlan'`). */
export function kindDataKeys(): readonly string[] {
  return dataKeys
}

/** The registered port kinds. */
export function registeredPortKinds(): IterableIterator<PortKind> {
  return portKinds.values()
}

/** Kinds with a plugin. */
export function knownKinds(): string[] {
  return [...kinds.keys()]
}

// The built-in kinds (registered unchecked: the IFLA table does not exist yet while this loads).
for (const k of [veth, bridge, vxlan, macvlan, macvtap, ipvlan, vlan, dummy, ifb, bond, tun, vrf, geneve, ...greKinds, ...iptunKinds]) addKind(k)
for (const k of [bridgePort, bondPort, vrfPort]) portKinds.set(k.kind, k)
