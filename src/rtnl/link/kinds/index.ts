/** The registry of link kinds (IFLA_INFO_KIND) and port kinds (IFLA_INFO_SLAVE_KIND). */
import { bond, bondPort } from './bond.js'
import { bridge } from './bridge.js'
import { bridgePort } from './bridge-port.js'
import { ipvlan } from './ipvlan.js'
import { macvlan, macvtap } from './macvlan.js'
import { dummy, ifb } from './simple.js'
import type { LinkKind, PortKind } from './types.js'
import { veth } from './veth.js'
import { vlan } from './vlan.js'
import { vxlan } from './vxlan.js'

export type { LinkKind, PortKind } from './types.js'

const kinds = new Map<string, LinkKind>()
const portKinds = new Map<string, PortKind>()

/** Adds (or replaces) a link kind plugin. */
export function registerKind(k: LinkKind): void {
  kinds.set(k.kind, k)
}

/** Adds (or replaces) a port kind plugin. */
export function registerPortKind(k: PortKind): void {
  portKinds.set(k.kind, k)
}

export function kindByName(name: string): LinkKind | undefined {
  return kinds.get(name)
}

export function portKindByName(name: string): PortKind | undefined {
  return portKinds.get(name)
}

/** Kinds with a plugin. */
export function knownKinds(): string[] {
  return [...kinds.keys()]
}

for (const k of [veth, bridge, vxlan, macvlan, macvtap, ipvlan, vlan, dummy, ifb, bond]) registerKind(k)
for (const k of [bridgePort, bondPort]) registerPortKind(k)
