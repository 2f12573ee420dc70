/**
 * rtnetlink: a pure-TypeScript rtnetlink client for Node.js on Linux.
 * @example
 * import { open } from 'rtnetlink'
 * const rtnl = await open()
 * for await (const link of rtnl.link.list()) console.log(link.index, link.name)
 */
export { open, openSync, Rtnl, type NetnsLike, type OpenOptions } from './client.js'
export {
  DecodeError,
  DumpInterruptedError,
  NetlinkError,
  SocketClosedError,
  TimeoutError,
  ValidationError,
  isDecodeError,
  isNetlinkError,
  isValidationError,
  type Extack,
  type RequestInfo,
} from './errors.js'
export { NetlinkSocket, type DumpIntrPolicy, type DumpIterable, type DumpOptions, type RequestOptions, type SocketOptions } from './netlink/socket.js'
export type { NlMsg } from './netlink/header.js'
export type { LinkRef } from './rtnl/link/resolve.js'
export { checkLinkName } from './rtnl/link/resolve.js'
export type { KindData, Link, PortData } from './rtnl/link/codec.js'
export type { AddrGenMode, LinkStats, OperState, LinkFlag } from './rtnl/link/schema.js'
export type {
  CallOptions, LinkAddOptions, LinkCommonOptions, LinkListFilter, LinkSetOptions, NetnsTarget, VethPeerOptions,
} from './rtnl/link/api.js'
export { LinkApi } from './rtnl/link/api.js'
export { linkChanges, linkOptions, type ListedLink } from './rtnl/link/listed.js'
export { registerKind, registerPortKind, knownKinds, type LinkKind, type PortKind } from './rtnl/link/kinds/index.js'
export { attrTable, type AttrTable, type AttrDef, type AttrsOf, type Codec } from './attr/table.js'
export * as codecs from './attr/codecs.js'
export type { NlWriter } from './attr/writer.js'
export { AddrApi, addrOptions, type Addr, type AddrAddOptions, type AddrDelOptions, type AddrListFilter, type ListedAddr } from './rtnl/addr/api.js'
export type { AddrCacheInfo, AddrFlag, Scope } from './rtnl/addr/schema.js'
export { RouteApi, routeOptions, type NexthopOptions, type RouteGetOptions, type RouteListFilter, type RouteOptions, type TableRef } from './rtnl/route/api.js'
export type { Route } from './rtnl/route/codec.js'
export type { EncapType, Nexthop, NexthopFlag, RouteCacheInfo, RouteMetrics, RouteProtocol, RouteType, Via } from './rtnl/route/schema.js'
export type { IpEncap, Ip6Encap, MplsEncap, RawEncap, RouteEncap, Seg6Encap, Seg6LocalAction, Seg6LocalCounters, Seg6LocalEncap, Seg6Mode, SegmentList, TunnelFlag, XfrmEncap } from './rtnl/route/encap.js'
export { Topology, TopologyError, type Plan, type Step } from './topology/topology.js'
export type { BridgeSpec, NamespaceSpec, RouteSpec, TopologySpec, VethEndSpec, VethSpec } from './topology/spec.js'
export { NeighApi, decodeNeigh, type Neigh, type NeighAddOptions, type NeighListFilter, type NeighRefOptions } from './rtnl/neigh/api.js'
export type { NeighCacheInfo, NeighFlag, NeighState } from './rtnl/neigh/schema.js'
export { FdbApi, decodeFdb, type FdbAddOptions, type FdbDelOptions, type FdbEntry, type FdbListFilter, type FdbState } from './rtnl/neigh/fdb.js'
export { NexthopApi, decodeNexthop, type NexthopAddOptions, type NexthopEntry, type NexthopGroupMember, type NexthopListFilter, type ResilientGroup } from './rtnl/nexthop/api.js'
export { RuleApi, decodeRule, ruleOptions, type Rule, type RuleListFilter, type RuleOptions } from './rtnl/rule/api.js'
export type { Range as RuleRange, RuleAction, RuleFlag } from './rtnl/rule/schema.js'
export { Monitor, type MonitorEvent, type MonitorObject, type MonitorOptions, type LinkEvent, type BridgePortEvent, type NeighEvent, type FdbEvent, type RuleEvent, type NexthopEvent, type NsIdEvent, type AddrEvent, type RouteEvent, type OverrunEvent } from './rtnl/monitor.js'
export { NsIdApi, decodeNsId, type NsIdEntry, type NsTarget } from './rtnl/nsid/api.js'
export { NetNs, NetNsError, isNetNsError, checkNetNsName, NETNS_RUN_DIR, type NetNsId, type NetNsExecOptions, type NetNsExecResult, type NetNsSpawnOptions } from './netns/netns.js'
export type { RawAttr } from './attr/codec.js'
