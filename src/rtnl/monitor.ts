/**
 * Change notifications (`ip monitor`): the kernel's RTM_NEW/DEL LINK, ADDR and ROUTE
 * multicasts, decoded into the same typed objects the lists give, as an async iterable.
 *
 * A monitor reads on a socket of its own, opened in its client's namespace, so that a burst
 * of notifications never overruns the client's socket (which would fail its requests) and a
 * slow consumer applies back-pressure: past `maxQueued` events nothing more is read, the
 * kernel queues the rest in the socket's receive buffer and, once that is full, drops them.
 * The monitor then yields one `{ type: 'overrun' }`: changes were missed, list to resync.
 */
import { isNetlinkError, ValidationError } from '../errors.js'
import type { NlMsg } from '../netlink/header.js'
import type { NetlinkSocket } from '../netlink/socket.js'
import { log } from '../util/log.js'
import { checkOptionKeys, optionKeys } from '../util/keys.js'
import { optInt } from '../util/check.js'
import { AF_BRIDGE, AF_INET, AF_INET6, familyNumber, ipFamilyNumber, type Family } from '../util/ip.js'
import { decodeAttrs } from '../attr/table.js'
import { IFLA_BRPORT } from './link/kinds/bridge-port.js'
import { decodeAddr, type Addr } from './addr/api.js'
import { decodeLink, type Link } from './link/codec.js'
import { decodeRoute, type Route } from './route/codec.js'
import { decodeNeigh, type Neigh } from './neigh/api.js'
import { decodeFdb, type FdbEntry } from './neigh/fdb.js'
import { decodeRule, type Rule } from './rule/api.js'
import { decodeNexthop, type NexthopEntry } from './nexthop/api.js'
import { decodeNsId, type NsIdEntry } from './nsid/api.js'

const debug = log('monitor')

// <linux/rtnetlink.h> enum rtnetlink_groups
const RTNLGRP_LINK = 1
const RTNLGRP_NEIGH = 3
const RTNLGRP_IPV4_IFADDR = 5
const RTNLGRP_IPV4_ROUTE = 7
const RTNLGRP_IPV4_RULE = 8
const RTNLGRP_IPV6_IFADDR = 9
const RTNLGRP_IPV6_ROUTE = 11
const RTNLGRP_IPV6_RULE = 19
const RTNLGRP_NSID = 28
const RTNLGRP_NEXTHOP = 32

const RTM_NEWLINK = 16
const RTM_DELLINK = 17
const RTM_NEWADDR = 20
const RTM_DELADDR = 21
const RTM_NEWROUTE = 24
const RTM_DELROUTE = 25
const RTM_NEWNEIGH = 28
const RTM_DELNEIGH = 29
const RTM_NEWRULE = 32
const RTM_DELRULE = 33
const RTM_NEWNEXTHOP = 104
const RTM_DELNEXTHOP = 105
const RTM_NEWNSID = 88
const RTM_DELNSID = 89

const IFLA_PROTINFO = 12
/** ~(NLA_F_NESTED | NLA_F_NET_BYTEORDER) */
const NLA_TYPE_MASK = 0x3fff

/** What a monitor can watch: `ip monitor link`, `address`, `route`, `neigh`, `rule`, `nexthop`, `nsid`, and `bridge monitor fdb`. */
export type MonitorObject = 'link' | 'addr' | 'route' | 'neigh' | 'rule' | 'fdb' | 'nexthop' | 'nsid'

const OBJECTS: readonly MonitorObject[] = ['link', 'addr', 'route', 'neigh', 'rule', 'fdb', 'nexthop', 'nsid']

/** Options of {@link Rtnl.monitor}. */
export interface MonitorOptions {
  /** What to watch; default all: `['link', 'addr', 'route', 'neigh', 'rule', 'fdb', 'nexthop', 'nsid']`. */
  objects?: readonly MonitorObject[]
  /** Addresses, routes, neighbours and rules of this family only (default all); links and fdb entries have none. */
  family?: Family | 4 | 6
  /**
   * Events held for a consumer that does not keep up before the monitor stops reading
   * (default 4096); the kernel then queues up to `receiveBufferSize` bytes and drops the rest.
   */
  maxQueued?: number
  /** SO_RCVBUF(FORCE) of the monitor's socket, bytes (default 4 MiB). */
  receiveBufferSize?: number
  /** Aborting it ends the monitor: the loop's next step rejects with the signal's reason. */
  signal?: AbortSignal
}

/** A link was created or changed (`'new'`), or deleted (`'del'`). */
export interface LinkEvent { type: 'link'; action: 'new' | 'del'; link: Link }
/**
 * A bridge port's state as the bridge reports it (`bridge monitor link`; `ip monitor` prints
 * these as link lines): `'new'` when a link becomes a port or its port state changes (STP
 * state, cost...), `'del'` when it stops being a port (the link itself stays). `link` holds
 * what the bridge sends: the port's name, index, `master`, flags, operState, mtu, address,
 * and `bridgePort` (IFLA_PROTINFO) on `'new'`.
 */
export interface BridgePortEvent { type: 'bridgePort'; action: 'new' | 'del'; link: Link }
/** An address was added or changed (`'new'`), or removed (`'del'`). */
export interface AddrEvent { type: 'addr'; action: 'new' | 'del'; addr: Addr }
/** A neighbour entry (ARP, NDP) was added or changed state (`'new'`), or removed (`'del'`). */
export interface NeighEvent { type: 'neigh'; action: 'new' | 'del'; neigh: Neigh }
/** A forwarding entry of a bridge or vxlan device was added, learned or changed (`'new'`), or removed or aged out (`'del'`). */
export interface FdbEvent { type: 'fdb'; action: 'new' | 'del'; fdb: FdbEntry }
/**
 * The client's namespace gave a peer namespace an id (`'new'`: `rtnl.nsid.set`, or the kernel
 * assigning one), or the peer went away (`'del'`).
 */
export interface NsIdEvent { type: 'nsid'; action: 'new' | 'del'; nsid: NsIdEntry }
/** A nexthop object was added or replaced (`'new'`), or removed (`'del'`). */
export interface NexthopEvent { type: 'nexthop'; action: 'new' | 'del'; nexthop: NexthopEntry }
/** A routing policy rule was added (`'new'`) or removed (`'del'`). */
export interface RuleEvent { type: 'rule'; action: 'new' | 'del'; rule: Rule }
/** A route was added or replaced (`'new'`), or removed (`'del'`). */
export interface RouteEvent { type: 'route'; action: 'new' | 'del'; route: Route }
/**
 * The kernel dropped notifications (ENOBUFS): its receive buffer was full because the
 * consumer fell behind, or a burst outran it. What changed meanwhile is unknown: list again.
 */
export interface OverrunEvent { type: 'overrun' }

/** One notification: see {@link Rtnl.monitor}. */
export type MonitorEvent = LinkEvent | BridgePortEvent | AddrEvent | RouteEvent | NeighEvent | FdbEvent | RuleEvent | NexthopEvent | NsIdEvent | OverrunEvent

const MONITOR_KEYS = optionKeys<MonitorOptions>()(['objects', 'family', 'maxQueued', 'receiveBufferSize', 'signal'])

/** The multicast groups to join for these options; throws ValidationError for bad ones. */
export function monitorGroups(opts: MonitorOptions): number[] {
  checkOptionKeys(opts, MONITOR_KEYS, 'monitor')
  const objects = opts.objects ?? OBJECTS
  if (!Array.isArray(objects) || objects.length === 0 || objects.some(o => !OBJECTS.includes(o)))
    throw new ValidationError(`objects: expected a non-empty array of ${OBJECTS.map(o => `'${o}'`).join(', ')}`, 'objects', objects)
  const family = ipFamilyNumber(opts.family)
  optInt(opts.maxQueued, 'maxQueued', 1, 0x7fffffff)
  optInt(opts.receiveBufferSize, 'receiveBufferSize', 0, 0x7fffffff)
  if (opts.signal !== undefined && !(opts.signal instanceof AbortSignal)) throw new ValidationError('signal: expected an AbortSignal', 'signal', opts.signal)
  const v4 = family !== AF_INET6
  const v6 = family !== AF_INET
  const groups: number[] = []
  if (objects.includes('link')) groups.push(RTNLGRP_LINK)
  if (objects.includes('addr')) {
    if (v4) groups.push(RTNLGRP_IPV4_IFADDR)
    if (v6) groups.push(RTNLGRP_IPV6_IFADDR)
  }
  if (objects.includes('route')) {
    if (v4) groups.push(RTNLGRP_IPV4_ROUTE)
    if (v6) groups.push(RTNLGRP_IPV6_ROUTE)
  }
  if (objects.includes('neigh') || objects.includes('fdb')) groups.push(RTNLGRP_NEIGH)
  if (objects.includes('rule')) {
    if (v4) groups.push(RTNLGRP_IPV4_RULE)
    if (v6) groups.push(RTNLGRP_IPV6_RULE)
  }
  if (objects.includes('nexthop')) groups.push(RTNLGRP_NEXTHOP)
  if (objects.includes('nsid')) groups.push(RTNLGRP_NSID)
  return groups
}

/**
 * A bridge's RTM_NEWLINK/RTM_DELLINK about one of its ports (ifi_family AF_BRIDGE, sent to
 * RTNLGRP_LINK too): the link as sent, with IFLA_PROTINFO's IFLA_BRPORT_* as `bridgePort`.
 */
function bridgePortEvent(msg: NlMsg, action: 'new' | 'del'): BridgePortEvent {
  const link = decodeLink(msg)
  const u = link.unknown
  const i = u ? u.findIndex(a => (a.type & NLA_TYPE_MASK) === IFLA_PROTINFO) : -1
  if (u && i >= 0) {
    const d = u[i]!.data
    link.bridgePort = decodeAttrs(IFLA_BRPORT, Buffer.from(d.buffer, d.byteOffset, d.length), 0, d.length, 'RTM_NEWLINK > IFLA_PROTINFO') as NonNullable<Link['bridgePort']>
    u.splice(i, 1)
    if (u.length === 0) delete link.unknown
  }
  return { type: 'bridgePort', action, link }
}

/** Which of the neighbour group's messages are wanted: AF_INET/AF_INET6 ones (`neigh`), AF_BRIDGE ones (`fdb`). */
interface NeighWanted { neigh: boolean; fdb: boolean; family: number }

/**
 * The event a notification stands for; undefined for message types a monitor does not report,
 * and for neighbour-group messages not asked for (the group carries every family).
 */
function toEvent(msg: NlMsg, nw: NeighWanted): MonitorEvent | undefined {
  switch (msg.type) {
    case RTM_NEWLINK:
    case RTM_DELLINK: {
      const action = msg.type === RTM_NEWLINK ? 'new' : 'del'
      if (msg.end - msg.off >= 1 && msg.buf[msg.off] === AF_BRIDGE) return bridgePortEvent(msg, action)
      return { type: 'link', action, link: decodeLink(msg) }
    }
    case RTM_NEWADDR: return { type: 'addr', action: 'new', addr: decodeAddr(msg) }
    case RTM_DELADDR: return { type: 'addr', action: 'del', addr: decodeAddr(msg) }
    case RTM_NEWROUTE: return { type: 'route', action: 'new', route: decodeRoute(msg) }
    case RTM_DELROUTE: return { type: 'route', action: 'del', route: decodeRoute(msg) }
    case RTM_NEWNEIGH:
    case RTM_DELNEIGH: {
      const action = msg.type === RTM_NEWNEIGH ? 'new' : 'del'
      const fam = msg.end > msg.off ? msg.buf[msg.off]! : 0
      if (fam === AF_BRIDGE) return nw.fdb ? { type: 'fdb', action, fdb: decodeFdb(msg) } : undefined
      if (!nw.neigh || (nw.family !== 0 && fam !== nw.family)) return undefined
      return { type: 'neigh', action, neigh: decodeNeigh(msg) }
    }
    case RTM_NEWRULE: return { type: 'rule', action: 'new', rule: decodeRule(msg) }
    case RTM_DELRULE: return { type: 'rule', action: 'del', rule: decodeRule(msg) }
    case RTM_NEWNEXTHOP: return { type: 'nexthop', action: 'new', nexthop: decodeNexthop(msg) }
    case RTM_DELNEXTHOP: return { type: 'nexthop', action: 'del', nexthop: decodeNexthop(msg) }
    case RTM_NEWNSID:
    case RTM_DELNSID: {
      const e = decodeNsId(msg)
      return e === undefined ? undefined : { type: 'nsid', action: msg.type === RTM_NEWNSID ? 'new' : 'del', nsid: e }
    }
    default: return undefined
  }
}

const DONE: IteratorResult<MonitorEvent> = Object.freeze({ value: undefined, done: true }) as IteratorResult<MonitorEvent>

/**
 * A running monitor: an async iterator of {@link MonitorEvent}s (one consumer), from the
 * moment {@link Rtnl.monitor} returned until {@link close} (or `break`, or the signal).
 * @example for await (const ev of rtnl.monitor()) if (ev.type === 'link') console.log(ev.action, ev.link.name)
 */
export class Monitor implements AsyncIterableIterator<MonitorEvent> {
  /** Counters: events decoded, overruns reported, notifications of types not reported. */
  readonly stats = { events: 0, overruns: 0, ignored: 0 }
  private readonly queue: MonitorEvent[] = []
  private head = 0
  private readonly maxQueued: number
  /** Which neighbour-group messages to report (the group carries every family). */
  private readonly neighWanted: NeighWanted
  private paused = false
  /** next() calls waiting for an event, oldest first. */
  private readonly waiters: { resolve: (r: IteratorResult<MonitorEvent>) => void; reject: (e: unknown) => void }[] = []
  private error: unknown
  private ended = false
  private readonly offMessage: () => void
  private readonly offError: () => void
  private readonly signal: AbortSignal | undefined
  private readonly onAbort = (): void => this.fail(this.signal!.reason)

  /** @internal Made by {@link Rtnl.monitor}, which opens `sock` and checks the options. */
  constructor(private readonly sock: NetlinkSocket, groups: readonly number[], opts: MonitorOptions, private readonly onEnd?: () => void) {
    this.maxQueued = opts.maxQueued ?? 4096
    const objects = opts.objects ?? OBJECTS
    this.neighWanted = { neigh: objects.includes('neigh'), fdb: objects.includes('fdb'), family: familyNumber(opts.family) }
    this.signal = opts.signal
    this.offMessage = sock.onMessage(msg => this.onMessage(msg))
    this.offError = sock.onError(err => this.onError(err))
    try {
      for (const g of groups) sock.subscribe(g)
    } catch (err) {
      this.close()
      throw err
    }
    if (this.signal) {
      if (this.signal.aborted) this.fail(this.signal.reason)
      else this.signal.addEventListener('abort', this.onAbort, { once: true })
    }
    debug('monitor fd=%d groups=%o', sock.fd, groups)
  }

  /** True once the monitor was closed or failed (after close(), queued events are still handed out). */
  get closed(): boolean {
    return this.ended
  }

  /**
   * The next event; waits for one. Rejects with the error that ended the monitor (the
   * signal's reason, a DecodeError, a socket failure), dropping what was still queued, then is done.
   */
  next(): Promise<IteratorResult<MonitorEvent>> {
    if (this.error !== undefined) {
      const e = this.error
      this.error = undefined
      return Promise.reject(e)
    }
    if (this.head < this.queue.length) return Promise.resolve({ value: this.take(), done: false })
    if (this.ended) return Promise.resolve(DONE)
    return new Promise((resolve, reject) => { this.waiters.push({ resolve, reject }) })
  }

  /** Ends the monitor (a `break` out of `for await` calls it). */
  return(): Promise<IteratorResult<MonitorEvent>> {
    this.close()
    return Promise.resolve(DONE)
  }

  [Symbol.asyncIterator](): this {
    return this
  }

  /** Stops listening and closes the monitor's socket; a waiting `next()` resolves as done. Idempotent. */
  close(): void {
    this.end(undefined)
  }

  [Symbol.dispose](): void {
    this.close()
  }

  async [Symbol.asyncDispose](): Promise<void> {
    this.close()
  }

  private take(): MonitorEvent {
    const ev = this.queue[this.head]!
    this.queue[this.head++] = undefined as unknown as MonitorEvent
    if (this.head === this.queue.length) {
      this.queue.length = 0
      this.head = 0
    }
    if (this.paused && this.queue.length - this.head <= this.maxQueued >> 1) {
      this.paused = false
      if (!this.ended) this.sock.pauseNotifications(false)
    }
    return ev
  }

  private push(ev: MonitorEvent): void {
    const w = this.waiters.shift()
    if (w) {
      w.resolve({ value: ev, done: false })
      return
    }
    this.queue.push(ev)
    if (!this.paused && this.queue.length - this.head >= this.maxQueued) {
      this.paused = true
      this.sock.pauseNotifications(true)
    }
  }

  private onMessage(msg: NlMsg): void {
    if (this.ended) return
    let ev: MonitorEvent | undefined
    try {
      ev = toEvent(msg, this.neighWanted)
    } catch (err) {
      this.fail(err)
      return
    }
    if (ev === undefined) {
      this.stats.ignored++
      return
    }
    this.stats.events++
    this.push(ev)
  }

  private onError(err: Error): void {
    if (this.ended) return
    if (isNetlinkError(err, 'ENOBUFS')) {
      this.stats.overruns++
      debug('overrun (ENOBUFS)')
      // One marker per run of lost notifications.
      const last = this.queue.length > this.head ? this.queue[this.queue.length - 1] : undefined
      if (last?.type !== 'overrun') this.push({ type: 'overrun' })
      return
    }
    this.fail(err)
  }

  /** Ends the monitor with an error, thrown at the loop's next step (what was queued is dropped). */
  private fail(err: unknown): void {
    if (this.ended) return
    this.queue.length = 0
    this.head = 0
    this.end(err)
  }

  private end(err: unknown): void {
    if (this.ended) return
    this.ended = true
    this.offMessage()
    this.offError()
    this.signal?.removeEventListener('abort', this.onAbort)
    this.sock.close()
    this.onEnd?.()
    const ws = this.waiters.splice(0)
    if (err !== undefined) {
      // The first waiting step gets the error, the others are done; with none waiting, the next step gets it.
      if (ws.length > 0) ws.shift()!.reject(err)
      else this.error = err
    }
    for (const w of ws) w.resolve(DONE)
  }
}
