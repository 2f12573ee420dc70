/**
 * Declarative topologies: namespaces, bridges, veth pairs, addresses and routes
 * described as one plain object. See {@link Topology}.
 */

/** A whole topology: named namespaces (created like `ip netns add`) and what lives in them. */
export interface TopologySpec {
  namespaces: Record<string, NamespaceSpec>
}

export interface NamespaceSpec {
  /** Bring `lo` up (default true). */
  loopback?: boolean
  /** Bridges in this namespace, by name. */
  bridges?: Record<string, BridgeSpec>
  /** veth pairs whose first end lives in this namespace, by that end's name. */
  veths?: Record<string, VethSpec>
  /** Routes of the main table. */
  routes?: RouteSpec[]
}

export interface BridgeSpec {
  /** Addresses with prefix (`'10.0.0.1/24'`). */
  addresses?: string[]
  mtu?: number
  /** Default true. */
  up?: boolean
}

export interface VethEndSpec {
  addresses?: string[]
  /** A bridge in the same namespace this end is a port of. */
  master?: string
  mtu?: number
  /** Default true. */
  up?: boolean
}

export interface VethSpec extends VethEndSpec {
  peer: VethEndSpec & {
    name: string
    /** Namespace of the peer (a key of `namespaces`); default: the same namespace. */
    netns?: string
  }
}

export interface RouteSpec {
  /** `'default'` or a CIDR. */
  dst: string
  gateway?: string
  /** Output device (a link of this namespace). */
  dev?: string
  metric?: number
}
