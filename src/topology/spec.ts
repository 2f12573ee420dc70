/**
 * Declarative topologies: namespaces, bridges, veth pairs, addresses and routes
 * described as one plain object. See {@link Topology}.
 */

/** A whole topology: named namespaces (created like `ip netns add`) and what lives in them. */
export interface TopologySpec {
  namespaces: Record<string, NamespaceSpec>
}

/** One namespace of a {@link TopologySpec}; its key in `namespaces` is its name (under /run/netns). */
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

/** A bridge (a link of kind `bridge`), under its name. */
export interface BridgeSpec {
  /**
   * Addresses with prefix (`'10.0.0.1/24'`). `apply()` removes any other address it finds on
   * the link, IPv6 link-local ones (`fe80:`) excepted, so leaving this out means none.
   */
  addresses?: string[]
  /** MTU in bytes; unset: left as it is. */
  mtu?: number
  /** Default true. */
  up?: boolean
}

/** Settings of one end of a veth pair: the first end's are on the {@link VethSpec} itself, the other's in its `peer`. */
export interface VethEndSpec {
  /** Addresses with prefix, as in {@link BridgeSpec.addresses}. */
  addresses?: string[]
  /** A bridge in the same namespace this end is a port of. */
  master?: string
  /** MTU in bytes; unset: left as it is. */
  mtu?: number
  /** Default true. */
  up?: boolean
}

/** A veth pair, under the name of its first end: that end's settings and its `peer`. */
export interface VethSpec extends VethEndSpec {
  /** The other end. */
  peer: VethEndSpec & {
    /** The peer's link name. */
    name: string
    /** Namespace of the peer (a key of `namespaces`); default: the same namespace. */
    netns?: string
  }
}

/**
 * A route of the namespace's main table (`ip route add DST [via GW] [dev DEV]`). `plan()` lists
 * a replacement for an existing route to `dst` whose gateway or metric differs from one given here.
 */
export interface RouteSpec {
  /** `'default'` or a CIDR. */
  dst: string
  /** Next-hop address. */
  gateway?: string
  /** Output device (a link of this namespace). */
  dev?: string
  metric?: number
}
