/**
 * A link kind plugin: the IFLA_INFO_KIND string, the table of its IFLA_INFO_DATA
 * (and, for kinds that are masters, of their ports' IFLA_INFO_SLAVE_DATA), the key
 * its options and reported data use on links, and optional checks before sending.
 */
import type { AttrTable } from '../../../attr/table.js'

/**
 * A link kind plugin for `registerKind()`: IFLA_INFO_KIND, the IFLA_INFO_DATA table, the
 * key the kind's options and data use, and optional `check` and `options` hooks.
 */
export interface LinkKind {
  /** IFLA_INFO_KIND, e.g. `'vxlan'`. */
  kind: string
  /** Key of the kind's options/data on LinkAddOptions and Link, e.g. `'vxlan'`. */
  key: string
  /** IFLA_INFO_DATA attributes. */
  data?: AttrTable
  /**
   * Whether the kind takes a lower device, given as `parent` (IFLA_LINK): true for macvlan,
   * vlan, ipvlan (then `parent` is required); false where the kernel ignores IFLA_LINK (then
   * `parent` is refused); undefined: `parent` is sent as given.
   */
  lower?: boolean
  /** Validates kind options before anything is sent (throws ValidationError). */
  check?(opts: Record<string, unknown>): void
  /**
   * For `link.add` only: the kind options with what `ip link add` sends for those not given,
   * where that differs from the kernel's own default (given a copy the hook may change).
   */
  defaults?(opts: Record<string, unknown>): Record<string, unknown>
  /**
   * For `linkOptions()`: the kind options that make a link with this data again, given
   * its writable attributes as listed (a copy the hook may change). Without it they are sent
   * as they are. A hook leaves out what the kernel takes differently from how it reports it
   * (a default that its mere presence changes, a value that is state rather than settings).
   */
  options?(data: Record<string, unknown>): Record<string, unknown>
}

/** Ports of a master kind: IFLA_INFO_SLAVE_KIND and its IFLA_INFO_SLAVE_DATA table. */
export interface PortKind {
  /** IFLA_INFO_SLAVE_KIND, e.g. `'bridge'`. */
  kind: string
  /** Key on Link / LinkSetOptions, e.g. `'bridgePort'`. */
  key: string
  /** IFLA_INFO_SLAVE_DATA attributes. */
  data: AttrTable
  /** Validates port data before anything is sent (throws ValidationError). */
  check?(opts: Record<string, unknown>): void
  /** For `linkOptions()`: as {@link LinkKind.options}, for the port data. */
  options?(data: Record<string, unknown>): Record<string, unknown>
}
