/**
 * Route verbs: `ip route` as a typed promise API (IPv4 and IPv6).
 */
import { ValidationError } from '../../errors.js'
import { NLM_F_APPEND, NLM_F_CREATE, NLM_F_EXCL, NLM_F_REPLACE } from '../../netlink/constants.js'
import { deferredDump, type DumpIterable, type NetlinkSocket } from '../../netlink/socket.js'
import { AF_INET, AF_INET6, AF_UNSPEC, familyNumber, formatIp, isNetworkAddress, networkOf, parseCidr, parseIp, parseIpv4CidrInto, parseIpv4Into, type Family } from '../../util/ip.js'
import { wr16, wr32 } from '../../util/le.js'
import { putNlmsghdr } from '../../netlink/header.js'
import { rawIp } from '../../attr/types.js'
import { checkAttrKeys } from '../../attr/table.js'
import { checkKnownKeys, checkOptionKeys, optionKeys } from '../../util/keys.js'
import { optBool, optInt } from '../../util/check.js'
import { SCOPES, type Scope } from '../addr/schema.js'
import { callOpts, listFilter, requestOpts, type CallOptions } from '../link/api.js'
import { checkLinkRef, isLinkIndex, resolveLink, type LinkRef } from '../link/resolve.js'
import { decodeRoute, routeMessage, type Route, type RtMsgHeader } from './codec.js'
import { checkEncap, encapLinkNames, withLinkIndexes, type RouteEncap } from './encap.js'
import { checkListedRoute, deleteMessage, isListedRoute, routeOptions } from './listed.js'
import {
  protocolNumber, scopeNumber, typeNumber, ROUTE_TYPES, RTAX, RTM_DELROUTE, RTM_F_FIB_MATCH, RTM_F_LOOKUP_TABLE, RTM_GETROUTE, RTM_NEWROUTE, RTNH_F,
  TABLES, type Nexthop, type NexthopFlag, type RouteAttrs, type RouteMetrics, type RouteProtocol, type RouteType,
} from './schema.js'

export { routeOptions }

/**
 * A routing table, as `ip route ... table T` takes it: its id (ids above 255 are sent in
 * RTA_TABLE) or a reserved table's name (RT_TABLE_*: `'main'` 254, `'local'` 255, `'default'` 253).
 */
export type TableRef = number | 'main' | 'local' | 'default'

/** One path of a multipath route. */
export interface NexthopOptions {
  gateway?: string
  /** A gateway of the other family (RTA_VIA), e.g. an IPv6 next hop for an IPv4 route. */
  via?: string
  dev?: LinkRef
  /** 1-256 (default 1). */
  weight?: number
  onlink?: boolean
  /** This path's lightweight tunnel encapsulation (`nexthop ... encap TYPE ...`). */
  encap?: RouteEncap
  /** This path's routing realms (`nexthop ... realm`, RTA_FLOW). */
  flow?: number
}

const NEXTHOP_KEYS: ReadonlySet<string> = new Set(['gateway', 'via', 'dev', 'weight', 'onlink', 'encap', 'flow'])

/** Options of route add/replace/append/del (`ip route add ...`). */
export interface RouteOptions extends CallOptions {
  /** `'10.0.0.0/24'`, an address (full-length prefix) or `'default'`. */
  dst: string
  /** Family for `dst: 'default'` when no gateway says it (default IPv4). */
  family?: Family | 4 | 6
  /** Source prefix (IPv6 `from`). */
  src?: string
  gateway?: string
  via?: string
  dev?: LinkRef
  table?: TableRef
  protocol?: RouteProtocol | number
  scope?: Scope | number
  type?: RouteType
  /** The route's metric (`metric N`, RTA_PRIORITY). */
  metric?: number
  /** Preferred source address (`src` in ip's syntax). */
  prefsrc?: string
  metrics?: RouteMetrics
  multipath?: NexthopOptions[]
  onlink?: boolean
  tos?: number
  /** IPv6: lifetime in seconds. */
  expires?: number
  /** IPv6 router preference. */
  pref?: 'low' | 'medium' | 'high'
  /**
   * Lightweight tunnel encapsulation (`encap ip|ip6|mpls|seg6|seg6local|xfrm ...`), e.g.
   * `{ type: 'ip', id: 5, dst: '10.0.0.9', ttl: 64 }` for a collect-metadata tunnel device, or
   * `{ type: 'seg6', mode: 'encap', segments: ['2001:db8::2'] }`.
   */
  encap?: RouteEncap
  /** IPv4 routing realms (`realm`, RTA_FLOW): the destination realm in the low 16 bits, the source's in the high 16. */
  flow?: number
  /** Use a nexthop object (`nhid N`, made with `ip nexthop add`) instead of gateway/dev/multipath. */
  nhid?: number
}

/** Route options sent as a u32 attribute of the same name, with their lowest value. */
const U32_OPTIONS = [['flow', 0], ['nhid', 1]] as const

/** The options route.add/replace/append/del take (and `mark`, refused with its own reason). */
const ROUTE_KEYS: ReadonlySet<string> = new Set([...optionKeys<RouteOptions>()([
  'dst', 'family', 'src', 'gateway', 'via', 'dev', 'table', 'protocol', 'scope', 'type', 'metric', 'prefsrc', 'metrics',
  'multipath', 'onlink', 'tos', 'expires', 'pref', 'encap', 'flow', 'nhid', 'timeout', 'signal',
]), 'mark'])
const ROUTE_LIST_KEYS = optionKeys<RouteListFilter>()(['table', 'family', 'protocol', 'type', 'dev', 'timeout', 'signal'])
const ROUTE_GET_KEYS = optionKeys<RouteGetOptions>()([
  'dst', 'src', 'iif', 'oif', 'mark', 'tos', 'ipProto', 'sport', 'dport', 'uid', 'fibMatch', 'timeout', 'signal',
])

/**
 * Options the kernel would take and ignore for a route of this family: refused, so that
 * nothing is silently dropped (ip sends them). `mark` is a key of lookups (route.get), which
 * the route verbs once took.
 */
function checkFamilyOptions(o: RouteOptions, family: number): void {
  const given = o as RouteOptions & { mark?: unknown }
  if (given.mark !== undefined)
    throw new ValidationError('mark: a key of route lookups (route.get); the kernel ignores it on a route', 'mark', given.mark)
  if (family === AF_INET6) {
    if (o.flow !== undefined) throw new ValidationError('flow: IPv4 only (IPv6 routes have no realms; the kernel ignores it)', 'flow', o.flow)
    o.multipath?.forEach((n, i) => {
      if (n && typeof n === 'object' && n.flow !== undefined)
        throw new ValidationError(`multipath[${i}].flow: IPv4 only (IPv6 routes have no realms; the kernel ignores it)`, `multipath[${i}].flow`, n.flow)
    })
    if (o.scope !== undefined && scopeNumber(o.scope) !== SCOPES.universe)
      throw new ValidationError('scope: an IPv6 route is always of scope universe (the kernel ignores another)', 'scope', o.scope)
  } else if (o.pref !== undefined) {
    throw new ValidationError('pref: IPv6 only (the kernel ignores it on an IPv4 route)', 'pref', o.pref)
  }
}

/** `ip route show` filters; table, protocol, type and dev are applied by the kernel. */
export interface RouteListFilter extends CallOptions {
  /** Default `'main'`; `'all'` for every table. */
  table?: TableRef | 'all'
  family?: Family | 4 | 6
  protocol?: RouteProtocol | number
  type?: RouteType
  dev?: LinkRef
}

/** `ip route get` options. */
export interface RouteGetOptions extends CallOptions {
  dst: string
  src?: string
  iif?: LinkRef
  oif?: LinkRef
  mark?: number
  /** The packet's TOS (`dsfield`/`tos`). */
  tos?: number
  /** The packet's transport protocol (`ipproto`): `'tcp'`, `'udp'`, `'icmp'`, `'icmpv6'` or a number; the kernel takes those four. */
  ipProto?: 'tcp' | 'udp' | 'icmp' | 'icmpv6' | number
  /** The packet's ports (`sport`, `dport`), with `ipProto` tcp or udp. */
  sport?: number
  dport?: number
  /** The uid of the sending socket (`uid`), for uid-range rules. */
  uid?: number
  /** Return the FIB entry that matched (`ip route get fibmatch`) instead of the resulting route. */
  fibMatch?: boolean
}

/** IPPROTO_* by the names `ip route get ipproto` takes (<netinet/in.h>). */
const IP_PROTOS = { icmp: 1, tcp: 6, udp: 17, icmpv6: 58 } as const

function tableNumber(t: TableRef | 'all' | undefined, dflt: number): number {
  if (t === undefined) return dflt
  if (t === 'all') return TABLES.unspec
  if (typeof t === 'string' && t in TABLES) return TABLES[t as keyof typeof TABLES]
  if (typeof t === 'number' && Number.isInteger(t) && t >= 0 && t <= 0xffffffff) return t
  throw new ValidationError(`table: expected a table id or 'main', 'local', 'default'`, 'table', t)
}

/** `rtnl.route`: routes (`ip route`). */
export class RouteApi {
  constructor(/** The socket its requests are sent on (for `rtnl.route`, the client's `rtnl.sock`). */ readonly sock: NetlinkSocket) {}

  /**
   * Lists routes (a streamed dump; large tables are never held in memory).
   * Equivalent to `ip route show [table T] [proto P] [type T] [dev D]`, for both families
   * unless `family` is given (`ip route show` without `-6` lists IPv4 only).
   * @example for await (const r of rtnl.route.list({ table: 'all' })) console.log(r.dst, r.gateway)
   */
  list(filter: RouteListFilter | null = {}): DumpIterable<Route> {
    filter = listFilter(filter, 'route.list', ROUTE_LIST_KEYS)
    const family = familyNumber(filter.family)
    const table = tableNumber(filter.table, TABLES.main)
    const h: RtMsgHeader = { family, table: table < 256 ? table : 0 }
    const attrs: RouteAttrs = {}
    if (table >= 256) attrs.table = table
    if (filter.protocol !== undefined) h.protocol = protocolNumber(filter.protocol)
    if (filter.type !== undefined) h.type = typeNumber(filter.type)
    const run = (oif?: number) => {
      const a = oif === undefined ? attrs : { ...attrs, oif }
      return this.sock.dump(routeMessage(RTM_GETROUTE, 0, h, a), m => {
        const r = decodeRoute(m)
        // The kernel filters by table for IPv4 and IPv6; local/broadcast entries of other
        // families or kernels without strict checking are dropped here.
        if (table !== TABLES.unspec && r.table !== table) return undefined
        return r
      }, { ...filter, what: 'routes' })
    }
    if (filter.dev === undefined) return run()
    const ref = checkLinkRef(filter.dev, 'dev')
    let oif = 0
    return deferredDump(async () => run((oif = await resolveLink(this.sock, ref, 'dev'))),
      r => r.oif === oif || r.multipath?.some(n => n.oif === oif) === true)
  }

  /**
   * Asks the kernel which route it would use (`ip route get DST [from SRC] [iif I] [oif O] [mark M]
   * [tos T] [ipproto P] [sport N] [dport N] [uid U] [fibmatch]`): the flow fields are what
   * policy rules match on. An IPv4 answer has the lookup's `uid` (IPv6's do not carry it).
   * @throws {NetlinkError} `ENETUNREACH` when nothing matches.
   * @example const r = await rtnl.route.get({ dst: '10.0.0.7' })
   */
  async get(opts: RouteGetOptions): Promise<Route> {
    if (!opts || typeof opts !== 'object') throw new ValidationError('route.get: options object required ({ dst })', 'options', opts)
    checkOptionKeys(opts, ROUTE_GET_KEYS, 'route.get')
    const d = parseIp(opts.dst, 'dst')
    const attrs: RouteAttrs = { dst: formatIp(d.bytes) }
    let srcLen = 0
    if (opts.src !== undefined) {
      const s = parseIp(opts.src, 'src')
      if (s.family !== d.family) throw new ValidationError('src: not the same family as dst', 'src', opts.src)
      attrs.src = formatIp(s.bytes)
      srcLen = s.bytes.length * 8
    }
    if (opts.iif !== undefined) attrs.iif = await resolveLink(this.sock, checkLinkRef(opts.iif, 'iif'), 'iif')
    if (opts.oif !== undefined) attrs.oif = await resolveLink(this.sock, checkLinkRef(opts.oif, 'oif'), 'oif')
    if (opts.mark !== undefined) {
      optInt(opts.mark, 'mark', 0, 0xffffffff)
      attrs.mark = opts.mark
    }
    optBool(opts.fibMatch, 'fibMatch')
    optInt(opts.tos, 'tos', 0, 255)
    if (opts.ipProto !== undefined) {
      const p = opts.ipProto
      if (typeof p === 'string' ? !Object.hasOwn(IP_PROTOS, p) : !Number.isInteger(p) || p < 0 || p > 255)
        throw new ValidationError(`ipProto: ${Object.keys(IP_PROTOS).join(', ')} or a number 0-255`, 'ipProto', p)
      attrs.ipProto = typeof p === 'string' ? IP_PROTOS[p] : p
    }
    for (const [k, max] of [['sport', 0xffff], ['dport', 0xffff], ['uid', 0xffffffff]] as const) {
      optInt(opts[k], k, 0, max)
      if (opts[k] !== undefined) attrs[k] = opts[k]
    }
    // RTM_F_LOOKUP_TABLE (report the table the route was found in) is IPv4's: IPv6 reports it
    // anyway and, with strict checking, refuses any flag but FIB_MATCH ("Invalid flags for
    // get route request"), as iproute2 knows.
    const flags = (d.family === AF_INET ? RTM_F_LOOKUP_TABLE : 0) | (opts.fibMatch ? RTM_F_FIB_MATCH : 0)
    const h: RtMsgHeader = { family: d.family, dstLen: d.bytes.length * 8, srcLen, tos: opts.tos ?? 0, flags }
    // One RTM_NEWROUTE answers (an error otherwise); decodeRoute never skips it.
    return (await this.sock.requestOne(routeMessage(RTM_GETROUTE, 0, h, attrs), decodeRoute, opts.dst, opts))!
  }

  /**
   * Adds a route. Equivalent to `ip route add`. A listed {@link Route} can be given (changed
   * or not): it is read as {@link routeOptions} reads it, e.g. to copy a route to another
   * table with `add({ ...route, table: 100 })`.
   * @throws {ValidationError} on bad prefixes, gateways or family mixes; {@link NetlinkError}
   *   `EEXIST` when it exists, `ENETUNREACH` when the gateway is not reachable, `ENODEV`.
   * @example await rtnl.route.add({ dst: '10.2.0.0/16', gateway: '10.0.0.254' })
   */
  add(opts: RouteOptions | (Route & CallOptions)): Promise<void> {
    return this.send(opts, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL, 'route.add')
  }

  /** Adds or replaces a route (`ip route replace`). */
  replace(opts: RouteOptions | (Route & CallOptions)): Promise<void> {
    return this.send(opts, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_REPLACE, 'route.replace')
  }

  /** Appends a route after existing ones with the same key (`ip route append`, IPv6 multipath building). */
  append(opts: RouteOptions | (Route & CallOptions)): Promise<void> {
    return this.send(opts, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_APPEND, 'route.append')
  }

  /**
   * Deletes every route the filter lists (`ip route flush [table T] [proto P] [type T] [dev D]`)
   * and returns how many went. Like `ip`, it wants a filter: at least one of `table`, `dev`,
   * `protocol` or `type` (`table: 'main'` for the main table, `table: 'all'` for every
   * table). Both families unless `family` is given, where `ip route flush` (without `-6`)
   * takes IPv4 only: `{ dev: 'eth0' }` also removes the link's IPv6 routes, `fe80::/64`
   * included. Each route is deleted by its own key (prefix, tos, table, protocol, scope, type,
   * metric, and device and gateway or nexthop id), 256 requests in flight; one already gone is not an error.
   * @throws {ValidationError} without a filter; {@link NetlinkError} `ENODEV` for an unknown `dev`.
   * @example const n = await rtnl.route.flush({ table: 1000 })
   */
  async flush(filter: RouteListFilter): Promise<number> {
    const f = listFilter(filter, 'route.flush', ROUTE_LIST_KEYS)
    if (f.table === undefined && f.dev === undefined && f.protocol === undefined && f.type === undefined)
      throw new ValidationError("route.flush: give table, dev, protocol or type (table: 'main' for the main table)", 'filter', filter)
    const routes = await this.list(f).toArray()
    let n = 0
    for (let i = 0; i < routes.length; i += 256) {
      const sent = routes.slice(i, i + 256).map(r => this.sock.requestVoid(deleteMessage(r), requestOpts(r.dst, f)))
      for (const s of await Promise.allSettled(sent)) {
        if (s.status === 'fulfilled') n++
        else if ((s.reason as { code?: string }).code !== 'ESRCH') throw s.reason
      }
    }
    return n
  }

  /**
   * Deletes a route (`ip route del`); fields given narrow the match. Given a {@link Route} as
   * listed (or returned by `get({ fibMatch: true })`), deletes exactly that route, by its own
   * key (prefix, tos, table, protocol, scope, type, metric, device and gateway or nexthop id), as
   * {@link flush} does: route options name some of these differently (`dev`, `metric`), and
   * without them the kernel deletes the first route to that prefix.
   * @throws {NetlinkError} `ESRCH` when no route matches.
   * @example for await (const r of rtnl.route.list()) if (r.protocol === 'static') await rtnl.route.del(r)
   */
  del(opts: RouteOptions | (Route & CallOptions)): Promise<void> {
    if (isListedRoute(opts)) {
      try {
        return this.sock.requestVoid(deleteMessage(checkListedRoute(opts)), requestOpts(opts.dst, opts))
      } catch (err) {
        return Promise.reject(err)
      }
    }
    return this.send(opts, RTM_DELROUTE, 0, 'route.del')
  }

  /**
   * Builds and sends without extra promise hops when no link name needs resolving:
   * bulk adds (100,000 routes) spend their time in the kernel, not in microtasks.
   */
  private send(o: RouteOptions | (Route & CallOptions), type: number, flags: number, verb: string): Promise<void> {
    try {
      let opts: RouteOptions
      if (isListedRoute(o)) opts = { ...routeOptions(o), ...callOpts(o) }
      else {
        checkOptionKeys(o, ROUTE_KEYS, verb)
        opts = o
      }
      if (type === RTM_NEWROUTE) {
        const m = plainRouteMessage(opts, flags)
        if (m !== undefined) return this.sock.requestVoid(m, requestOpts(opts.dst, opts))
      }
      const refs = linkNames(opts)
      if (refs.length === 0) return this.sendBuilt(opts, type, flags, undefined)
      return Promise.all(refs.map(r => resolveLink(this.sock, r, 'dev')))
        .then(idx => this.sendBuilt(opts, type, flags, new Map(refs.map((r, i) => [r, idx[i]!]))))
    } catch (err) {
      return Promise.reject(err)
    }
  }

  private sendBuilt(opts: RouteOptions, type: number, flags: number, names: Map<LinkRef, number> | undefined): Promise<void> {
    const { h, attrs } = this.build(opts, type === RTM_DELROUTE, names)
    return this.sock.requestVoid(routeMessage(type, flags, h, attrs), requestOpts(opts.dst, opts))
  }

  private build(o: RouteOptions, forDelete: boolean, names: Map<LinkRef, number> | undefined): { h: RtMsgHeader; attrs: RouteAttrs } {
    const index = (ref: LinkRef, field: string): number => {
      checkLinkRef(ref, field)
      return typeof ref === 'number' ? ref : names!.get(ref)!
    }
    const encapOf = (e: unknown, field: string): RouteEncap => {
      checkEncap(e, field)
      return withLinkIndexes(e, index, field)
    }
    if (!o || typeof o !== 'object') throw new ValidationError('route: options object required', 'options', o)
    if (typeof o.dst !== 'string') throw new ValidationError(`dst: expected a prefix or 'default'`, 'dst', o.dst)
    const attrs: RouteAttrs = {}
    let family = familyNumber(o.family)
    let dstLen = 0
    if (o.dst === 'default') {
      if (family === AF_UNSPEC) {
        const hint = o.gateway ?? o.multipath?.find(n => n.gateway)?.gateway
        family = hint && parseIp(hint, 'gateway').family === AF_INET6 ? AF_INET6 : AF_INET
      }
    } else {
      const c = parseCidr(o.dst, 'dst')
      if (family !== AF_UNSPEC && family !== c.family) throw new ValidationError('dst: not of the given family', 'dst', o.dst)
      family = c.family
      dstLen = c.prefixLength
      if (!isNetworkAddress(c.bytes, c.prefixLength))
        throw new ValidationError(`dst: ${o.dst} has host bits set (did you mean ${formatIp(networkOf(c.bytes, c.prefixLength))}/${c.prefixLength}?)`, 'dst', o.dst)
      if (dstLen > 0) attrs.dst = rawIp(c.bytes)
    }
    checkFamilyOptions(o, family)
    const h: RtMsgHeader = { family, dstLen }
    if (o.src !== undefined) {
      const s = parseCidr(o.src, 'src')
      if (s.family !== family) throw new ValidationError('src: not the same family as dst', 'src', o.src)
      attrs.src = formatIp(s.bytes)
      h.srcLen = s.prefixLength
    }
    let hasGateway = false
    if (o.gateway !== undefined) {
      const g = parseIp(o.gateway, 'gateway')
      if (g.family !== family) throw new ValidationError(`gateway: ${o.gateway} is not of the route's family (use via for a gateway of the other family)`, 'gateway', o.gateway)
      attrs.gateway = rawIp(g.bytes)
      hasGateway = true
    }
    if (o.via !== undefined) {
      const v = parseIp(o.via, 'via')
      attrs.via = { family: v.family === AF_INET6 ? 'inet6' : 'inet', address: formatIp(v.bytes) }
      hasGateway = true
    }
    if (o.dev !== undefined) attrs.oif = index(o.dev, 'dev')
    const table = tableNumber(o.table, TABLES.main)
    h.table = table < 256 ? table : TABLES.unspec
    if (table >= 256) attrs.table = table
    const type = o.type !== undefined ? typeNumber(o.type) : ROUTE_TYPES.unicast
    if (!forDelete || o.type !== undefined) h.type = type
    if (!forDelete || o.protocol !== undefined) h.protocol = protocolNumber(o.protocol ?? 'boot')
    if (o.scope !== undefined) h.scope = scopeNumber(o.scope)
    else if (forDelete) h.scope = SCOPES.nowhere // RT_SCOPE_NOWHERE: match any scope
    else h.scope = defaultScope(type, hasGateway || o.multipath !== undefined || o.nhid !== undefined)
    if (o.tos !== undefined) {
      optInt(o.tos, 'tos', 0, 255)
      h.tos = o.tos
    }
    optBool(o.onlink, 'onlink')
    if (o.onlink) h.flags = RTNH_F.onlink
    if (o.metric !== undefined) {
      optInt(o.metric, 'metric', 0, 0xffffffff)
      attrs.priority = o.metric
    }
    if (o.prefsrc !== undefined) {
      const p = parseIp(o.prefsrc, 'prefsrc')
      if (p.family !== family) throw new ValidationError('prefsrc: not of the route\'s family', 'prefsrc', o.prefsrc)
      attrs.prefsrc = formatIp(p.bytes)
    }
    if (o.metrics !== undefined) {
      checkAttrKeys(RTAX, o.metrics, 'metrics')
      attrs.metrics = o.metrics
    }
    if (o.expires !== undefined) {
      if (family !== AF_INET6) throw new ValidationError('expires: IPv6 only', 'expires', o.expires)
      optInt(o.expires, 'expires', 0, 0xffffffff)
      attrs.expires = o.expires
    }
    if (o.pref !== undefined) {
      const p = { medium: 0, high: 1, low: 3 }[o.pref]
      if (p === undefined) throw new ValidationError("pref: 'low', 'medium' or 'high'", 'pref', o.pref)
      attrs.pref = p
    }
    for (const [k, min] of U32_OPTIONS) {
      const v = o[k]
      if (v === undefined) continue
      optInt(v, k, min, 0xffffffff)
      attrs[k] = v
    }
    if (o.encap !== undefined) attrs.encap = encapOf(o.encap, 'encap')
    if (o.multipath !== undefined) {
      if (!Array.isArray(o.multipath) || o.multipath.length === 0) throw new ValidationError('multipath: a non-empty array of next hops', 'multipath', o.multipath)
      const nhs: Nexthop[] = []
      for (const [i, n] of o.multipath.entries()) {
        if (typeof n !== 'object' || n === null) throw new ValidationError(`multipath[${i}]: expected { gateway, dev, ... }`, `multipath[${i}]`, n)
        checkKnownKeys(n, NEXTHOP_KEYS, `multipath[${i}]`)
        const weight = n.weight ?? 1
        if (!Number.isInteger(weight) || weight < 1 || weight > 256) throw new ValidationError(`multipath[${i}].weight: 1-256`, `multipath[${i}].weight`, n.weight)
        optBool(n.onlink, `multipath[${i}].onlink`)
        const nh: Nexthop = { oif: 0, weight, flags: n.onlink ? ['onlink'] as NexthopFlag[] : [] }
        if (n.gateway !== undefined) {
          const g = parseIp(n.gateway, `multipath[${i}].gateway`)
          if (g.family !== family) throw new ValidationError(`multipath[${i}].gateway: not of the route's family`, `multipath[${i}].gateway`, n.gateway)
          nh.gateway = formatIp(g.bytes)
        }
        if (n.via !== undefined) {
          const v = parseIp(n.via, `multipath[${i}].via`)
          nh.via = { family: v.family === AF_INET6 ? 'inet6' : 'inet', address: formatIp(v.bytes) }
        }
        if (n.dev !== undefined) nh.oif = index(n.dev, `multipath[${i}].dev`)
        if (n.flow !== undefined) {
          optInt(n.flow, `multipath[${i}].flow`, 0, 0xffffffff)
          nh.flow = n.flow
        }
        if (n.encap !== undefined) nh.encap = encapOf(n.encap, `multipath[${i}].encap`)
        nhs.push(nh)
      }
      attrs.multipath = nhs
    }
    return { h, attrs }
  }
}

/**
 * The scope `ip route add` gives a route of this type when none is set: host for local and
 * nat, link for broadcast, multicast, anycast and a unicast route with no next hop
 * (directly connected), universe otherwise.
 */
function defaultScope(type: number, viaNextHop: boolean): number {
  if (type === ROUTE_TYPES.local || type === ROUTE_TYPES.nat) return SCOPES.host
  if (type === ROUTE_TYPES.broadcast || type === ROUTE_TYPES.multicast || type === ROUTE_TYPES.anycast) return SCOPES.link
  if (type === ROUTE_TYPES.unicast && !viaNextHop) return SCOPES.link
  return SCOPES.universe
}

const dstBytes = new Uint8Array(4)
const gwBytes = new Uint8Array(4)

/**
 * RTM_NEWROUTE for the common route, an IPv4 prefix with any of type, dev (an index), gateway
 * (IPv4), metric, table, protocol and scope, written straight into its message: the bytes
 * build() + routeMessage() produce (tested), without the parsed-prefix, header and attribute
 * objects and the table-driven encoder. undefined for anything else, and for anything invalid:
 * the general path then validates and reports in its own order.
 */
export function plainRouteMessage(o: RouteOptions, nlFlags: number): Buffer | undefined {
  if (typeof o !== 'object' || o === null || typeof o.dst !== 'string' || o.family !== undefined || o.src !== undefined ||
    o.via !== undefined || o.prefsrc !== undefined || o.metrics !== undefined || o.expires !== undefined ||
    o.pref !== undefined || (o as { mark?: unknown }).mark !== undefined || o.multipath !== undefined || o.tos !== undefined || o.onlink !== undefined ||
    o.encap !== undefined || o.flow !== undefined || o.nhid !== undefined) return undefined
  const dev = o.dev
  if (dev !== undefined && !isLinkIndex(dev)) return undefined
  const metric = o.metric
  if (metric !== undefined && !(Number.isInteger(metric) && metric >= 0 && metric <= 0xffffffff)) return undefined
  const gw = o.gateway
  if (gw !== undefined && (typeof gw !== 'string' || !parseIpv4Into(gw, 0, gw.length, gwBytes, 0))) return undefined
  const dstLen = parseIpv4CidrInto(o.dst, dstBytes, 0)
  if (dstLen < 0 || !isNetworkAddress(dstBytes, dstLen)) return undefined
  let table: number, type: number, protocol: number, scope: number
  try {
    table = tableNumber(o.table, TABLES.main)
    type = o.type !== undefined ? typeNumber(o.type) : ROUTE_TYPES.unicast
    protocol = protocolNumber(o.protocol ?? 'boot')
    scope = o.scope !== undefined ? scopeNumber(o.scope) : defaultScope(type, gw !== undefined)
  } catch {
    return undefined
  }
  const len = 28 + (dstLen > 0 ? 8 : 0) + (dev !== undefined ? 8 : 0) + (gw !== undefined ? 8 : 0) + (metric !== undefined ? 8 : 0) + (table >= 256 ? 8 : 0)
  const b = Buffer.allocUnsafe(len)
  let o2 = 28
  putNlmsghdr(b, len, RTM_NEWROUTE, nlFlags)
  b[16] = AF_INET
  b[17] = dstLen
  b[18] = 0
  b[19] = 0
  b[20] = table < 256 ? table : TABLES.unspec
  b[21] = protocol
  b[22] = scope
  b[23] = type
  wr32(b, 24, 0)
  // Attributes in table order: RTA_DST, RTA_OIF, RTA_GATEWAY, RTA_PRIORITY, RTA_TABLE.
  if (dstLen > 0) o2 = ipv4Attr(b, o2, 1, dstBytes) // RTA_DST
  if (dev !== undefined) o2 = u32Attr(b, o2, 4, dev) // RTA_OIF
  if (gw !== undefined) o2 = ipv4Attr(b, o2, 5, gwBytes) // RTA_GATEWAY
  if (metric !== undefined) o2 = u32Attr(b, o2, 6, metric) // RTA_PRIORITY
  if (table >= 256) u32Attr(b, o2, 15, table) // RTA_TABLE
  return b
}

function ipv4Attr(b: Buffer, o: number, type: number, a: Uint8Array): number {
  wr16(b, o, 8)
  wr16(b, o + 2, type)
  b[o + 4] = a[0]!
  b[o + 5] = a[1]!
  b[o + 6] = a[2]!
  b[o + 7] = a[3]!
  return o + 8
}

function u32Attr(b: Buffer, o: number, type: number, v: number): number {
  wr16(b, o, 8)
  wr16(b, o + 2, type)
  wr32(b, o + 4, v)
  return o + 8
}

const NO_NAMES: readonly string[] = Object.freeze([])

/** Link names (not indexes) an options object refers to, to resolve before building. */
function linkNames(o: RouteOptions): readonly string[] {
  if (!o || (typeof o.dev !== 'string' && !Array.isArray(o.multipath) && o.encap === undefined)) return NO_NAMES
  const out: string[] = []
  if (typeof o.dev === 'string') out.push(checkLinkRef(o.dev, 'dev') as string)
  out.push(...encapNames(o.encap, 'encap'))
  if (Array.isArray(o.multipath)) {
    o.multipath.forEach((n, i) => {
      if (n && typeof n.dev === 'string') out.push(checkLinkRef(n.dev, 'dev') as string)
      if (n) out.push(...encapNames(n.encap, `multipath[${i}].encap`))
    })
  }
  return out
}

/** seg6local iif/oif names of an encap option (checked first, so that a bad one is named). */
function encapNames(e: unknown, field: string): string[] {
  if (e === undefined) return []
  checkEncap(e, field)
  return encapLinkNames(e).map(n => checkLinkRef(n, field) as string)
}

export { AF_INET, AF_INET6 }
