/**
 * Routes as listed, given back: the options that make one again (routeOptions) and the
 * delete that matches exactly it (deleteMessage, for route.del(route) and route.flush).
 */
import { ValidationError } from '../../errors.js'
import { optInt } from '../../util/check.js'
import { AF_INET, AF_INET6, formatIp, parseCidr, parseIp } from '../../util/ip.js'
import { routeMessage, type Route, type RtMsgHeader } from './codec.js'
import { protocolNumber, RTM_DELROUTE, scopeNumber, typeNumber, type RouteAttrs } from './schema.js'
import type { NexthopOptions, RouteOptions } from './api.js'

/**
 * The options that make a listed route again (`add`, `replace`, `append`): its `oif` is
 * `dev`, its `priority` is `metric`, its `via` and each path's are the address, a path's
 * `onlink` flag is `onlink`; a route on a nexthop object keeps only its `nhid` (the kernel
 * reports the nexthop's gateway and device too, and refuses both together). What the kernel
 * fills in (cacheinfo, flags other than onlink) and a lookup's mark (route.get) are left out. Indexes are those of the
 * route's namespace.
 * @example await rtnl.route.add({ ...routeOptions(r), table: 100 })
 */
export function routeOptions(r: Route): RouteOptions {
  const o: RouteOptions = { dst: r.dst, family: r.family, table: r.table, protocol: r.protocol, scope: r.scope }
  if (typeof r.type === 'string') o.type = r.type
  else throw new ValidationError(`type: route type ${r.type} has no name`, 'type', r.type)
  if (r.tos !== 0) o.tos = r.tos
  if (r.src !== undefined) o.src = r.src
  if (r.nhid !== undefined) o.nhid = r.nhid
  else {
    if (r.gateway !== undefined) o.gateway = r.gateway
    if (r.via !== undefined) o.via = r.via.address
    if (r.oif !== undefined) o.dev = r.oif
    if (r.multipath !== undefined) {
      o.multipath = r.multipath.map(n => {
        const p: NexthopOptions = { weight: n.weight }
        if (n.gateway !== undefined) p.gateway = n.gateway
        if (n.via !== undefined) p.via = n.via.address
        if (n.oif > 0) p.dev = n.oif
        if (n.flags.includes('onlink')) p.onlink = true
        if (n.encap !== undefined) p.encap = n.encap
        if (n.flow !== undefined) p.flow = n.flow
        return p
      })
    }
    if (r.flags.includes('onlink')) o.onlink = true
  }
  if (r.priority !== undefined) o.metric = r.priority
  if (r.prefsrc !== undefined) o.prefsrc = r.prefsrc
  if (r.metrics !== undefined) o.metrics = r.metrics
  if (r.flow !== undefined) o.flow = r.flow
  if (r.encap !== undefined) o.encap = r.encap
  if (typeof r.pref === 'string') o.pref = r.pref
  if (r.family === 'inet6' && r.expires !== undefined) o.expires = r.expires
  return o
}

/** A decoded Route rather than route options: it has `dstLength` (options have no such key). */
export function isListedRoute(o: RouteOptions | Route): o is Route {
  return typeof o === 'object' && o !== null && (o as Partial<Route>).dstLength !== undefined
}

/** The fields of a Route that deleteMessage() sends, checked: it may come from user code. */
export function checkListedRoute(r: Route): Route {
  if (r.family !== 'inet' && r.family !== 'inet6') throw new ValidationError("route.family: expected 'inet' or 'inet6'", 'family', r.family)
  optInt(r.dstLength, 'dstLength', 0, r.family === 'inet6' ? 128 : 32)
  if (typeof r.dst !== 'string' || (r.dstLength > 0 && parseCidr(r.dst, 'dst').prefixLength !== r.dstLength))
    throw new ValidationError('dst: expected the prefix of dstLength', 'dst', r.dst)
  optInt(r.tos, 'tos', 0, 255)
  optInt(r.table, 'table', 0, 0xffffffff)
  optInt(r.priority, 'priority', 0, 0xffffffff)
  optInt(r.oif, 'oif', 1, 0x7fffffff)
  optInt(r.nhid, 'nhid', 1, 0xffffffff)
  if (r.gateway !== undefined) parseIp(r.gateway, 'gateway')
  return r
}

/** RTM_DELROUTE for a route as it was listed: its own key, as `ip route flush` sends it back. */
export function deleteMessage(r: Route): Buffer {
  const family = r.family === 'inet6' ? AF_INET6 : AF_INET
  const h: RtMsgHeader = {
    family, dstLen: r.dstLength, tos: r.tos, table: r.table < 256 ? r.table : 0,
    protocol: protocolNumber(r.protocol), scope: scopeNumber(r.scope), type: typeof r.type === 'number' ? r.type : typeNumber(r.type),
  }
  const attrs: RouteAttrs = {}
  if (r.dstLength > 0) attrs.dst = r.dst.slice(0, r.dst.lastIndexOf('/'))
  // An IPv6 source-specific route (`from PREFIX`) sits under its source prefix: without it
  // the kernel looks elsewhere and answers ESRCH.
  if (r.src !== undefined) {
    const s = parseCidr(r.src, 'src')
    h.srcLen = s.prefixLength
    attrs.src = formatIp(s.bytes)
  }
  if (r.table >= 256) attrs.table = r.table
  if (r.priority !== undefined) attrs.priority = r.priority
  // A route on a nexthop object is matched by its id: the kernel reports the nexthop's device
  // and gateway too, and a delete that names them matches no such route (fib_nh_match).
  if (r.nhid !== undefined) attrs.nhid = r.nhid
  else {
    if (r.oif !== undefined) attrs.oif = r.oif
    if (r.gateway !== undefined) attrs.gateway = r.gateway
  }
  return routeMessage(RTM_DELROUTE, 0, h, attrs)
}
