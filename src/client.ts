/**
 * The rtnetlink client: one NETLINK_ROUTE socket (in the current namespace or
 * created inside another) with the families hung off it: `.link`, `.addr`, `.route`.
 */
import { closeSync, fstatSync } from 'node:fs'
import { SocketClosedError, ValidationError } from './errors.js'
import { native } from './native/binding.js'
import { checkNetnsFd, closedHandle, openNamedFd } from './netns/run-dir.js'
import { checkOptionKeys, optionKeys } from './util/keys.js'
import { NetlinkSocket, type SocketOptions } from './netlink/socket.js'
import { AddrApi } from './rtnl/addr/api.js'
import { LinkApi } from './rtnl/link/api.js'
import { NeighApi } from './rtnl/neigh/api.js'
import { FdbApi } from './rtnl/neigh/fdb.js'
import { NexthopApi } from './rtnl/nexthop/api.js'
import { RuleApi } from './rtnl/rule/api.js'
import { NsIdApi } from './rtnl/nsid/api.js'
import { RouteApi } from './rtnl/route/api.js'
import { Monitor, monitorGroups, type MonitorOptions } from './rtnl/monitor.js'
import { log } from './util/log.js'

const debug = log('client')

/**
 * A network namespace to open the socket in: a NetNs handle (anything with an `fd`,
 * optionally `onClose` to let pooled sockets follow its lifetime), an fd, or a name
 * under /run/netns.
 */
export type NetnsLike = { readonly fd: number; onClose?(fn: () => void): void } | number | string

/** Options of {@link open} and {@link openSync}: the socket's options, and the namespace to open it in. */
export interface OpenOptions extends Omit<SocketOptions, 'netnsFd' | 'protocol' | 'binding'> {
  /** Open the socket inside this namespace (the socket stays there for its whole life). */
  netns?: NetnsLike
  /** For tests: a fake native binding. */
  binding?: NonNullable<SocketOptions['binding']>
}

/** An rtnetlink client. Close it with {@link Rtnl.close} or `await using`. */
export class Rtnl {
  /** Links: `ip link`. */
  readonly link: LinkApi
  /** Addresses: `ip address`. */
  readonly addr: AddrApi
  /** Routes: `ip route`. */
  readonly route: RouteApi
  /** Neighbours (ARP and NDP tables): `ip neigh`. */
  readonly neigh: NeighApi
  /** Routing policy rules: `ip rule`. */
  readonly rule: RuleApi
  /** Forwarding databases of bridges and vxlan devices: `bridge fdb`. */
  readonly fdb: FdbApi
  /** Nexthop objects: `ip nexthop`. */
  readonly nexthop: NexthopApi
  /** Namespace ids: `ip netns set` / `list-id`. */
  readonly nsid: NsIdApi

  constructor(
    /** The underlying socket, for raw requests. */
    readonly sock: NetlinkSocket,
    options: OpenOptions = {},
  ) {
    this.options = options
    this.link = new LinkApi(sock)
    this.addr = new AddrApi(sock)
    this.route = new RouteApi(sock)
    this.neigh = new NeighApi(sock)
    this.rule = new RuleApi(sock)
    this.fdb = new FdbApi(sock)
    this.nexthop = new NexthopApi(sock)
    this.nsid = new NsIdApi(sock)
  }

  private pool: Map<string, Rtnl> | undefined
  private readonly options: OpenOptions

  /**
   * A client for another namespace, from a small pool keyed by the namespace's
   * identity (device + inode), so orchestrators touching many namespaces reuse one
   * socket per namespace: `rtnl.in(ns).link.list()`. Pooled clients close with this
   * client, or when the NetNs handle they were opened for closes.
   * @throws {ValidationError} for something that is not a namespace handle, fd or name;
   *   {@link NetNsError} `ENOENT` (no such name), `ENOTNETNS`, `EBADF`.
   * @example for await (const l of rtnl.in(blue).link.list()) console.log(l.name)
   */
  in(netns: NetnsLike): Rtnl {
    const key = netnsKey(netns)
    this.pool ??= new Map()
    const hit = this.pool.get(key)
    if (hit && !hit.sock.isClosed) return hit
    const { netns: _ignored, ...rest } = this.options
    const client = openSync({ ...rest, netns })
    this.pool.set(key, client)
    if (typeof netns === 'object' && typeof netns.onClose === 'function') {
      netns.onClose(() => {
        client.close()
        if (this.pool?.get(key) === client) this.pool.delete(key)
      })
    }
    return client
  }

  /**
   * Watches changes (`ip monitor`): links, addresses and routes created, changed or deleted
   * in the client's namespace, as typed events, from the moment this returns. The monitor
   * reads on a socket of its own (the client's requests are never slowed or overrun by it);
   * close it, `break` out of its loop, or abort `signal` to stop. To mirror the kernel's
   * state, start the monitor first, then list, then apply the events; on an `overrun` event
   * list again.
   * @throws {ValidationError} for bad options; {@link SocketClosedError} on a closed client;
   *   system errors from socket() (`EMFILE`).
   * @example for await (const ev of rtnl.monitor({ objects: ['link'] })) console.log(ev.type === 'link' && ev.action, ev.type === 'link' && ev.link.name)
   */
  monitor(opts: MonitorOptions | null = {}): Monitor {
    if (opts === null || opts === undefined) opts = {}
    if (typeof opts !== 'object') throw new ValidationError('monitor: the options must be an object', 'options', opts)
    const groups = monitorGroups(opts)
    const sock = this.sibling(opts.receiveBufferSize)
    const monitors = this.monitors ??= new Set()
    let m: Monitor | undefined
    m = new Monitor(sock, groups, opts, () => { if (m) monitors.delete(m) })
    if (!m.closed) monitors.add(m)
    return m
  }

  private monitors: Set<Monitor> | undefined

  /**
   * A new NETLINK_ROUTE socket in the namespace of this client's socket: found by
   * SIOCGSKNS on it, so it is right however the client was opened. Without CAP_NET_ADMIN
   * there (SIOCGSKNS is refused), the socket is opened as the client was: in its `netns`,
   * or else in the current namespace.
   */
  private sibling(receiveBufferSize: number | undefined): NetlinkSocket {
    if (this.sock.isClosed) throw new SocketClosedError()
    const { netns: _netns, groups: _groups, ...rest } = this.options
    const opts = { ...rest, ...(receiveBufferSize !== undefined ? { receiveBufferSize } : {}) }
    const b = this.options.binding ?? native()
    if (b.ioctl !== undefined && b.ioctls !== undefined) {
      let nsfd: number | undefined
      try {
        nsfd = b.ioctl(this.sock.fd, b.ioctls.SIOCGSKNS, 0)
      } catch (err) {
        debug('SIOCGSKNS refused (%s): opening the monitor as the client was opened', (err as Error).message)
      }
      if (nsfd !== undefined) {
        try {
          return NetlinkSocket.open({ ...opts, netnsFd: nsfd })
        } finally {
          closeSync(nsfd)
        }
      }
    }
    return openSync({ ...opts, ...(this.options.netns !== undefined ? { netns: this.options.netns } : {}) }).sock
  }

  /**
   * Closes the socket, pooled clients from {@link in} and monitors from {@link monitor};
   * pending requests reject with SocketClosedError. Idempotent.
   */
  close(): void {
    this.sock.close()
    if (this.pool) for (const c of this.pool.values()) c.close()
    this.pool = undefined
    if (this.monitors) for (const m of [...this.monitors]) m.close()
  }

  [Symbol.dispose](): void {
    this.close()
  }

  async [Symbol.asyncDispose](): Promise<void> {
    this.close()
  }
}

const OPEN_KEYS = optionKeys<OpenOptions>()([
  'netns', 'groups', 'receiveBufferSize', 'sendBufferSize', 'timeout', 'maxInFlight', 'extAck', 'capAck', 'strict',
  'kernelOnly', 'binding',
])

/**
 * Opens an rtnetlink client in the current namespace, or in `opts.netns`.
 * @throws {ValidationError} for a bad name or something that is not a namespace handle or fd;
 *   {@link NetNsError} `ENOENT` (no such name), `ENOTNETNS` (an fd that is not a network
 *   namespace), `EBADF`; system errors (`EPERM`).
 * @example const rtnl = await open(); for await (const l of rtnl.link.list()) console.log(l.name)
 */
export async function open(opts: OpenOptions | null = {}): Promise<Rtnl> {
  return openSync(opts)
}

/** Synchronous form of {@link open}. */
export function openSync(opts: OpenOptions | null = {}): Rtnl {
  if (opts === null || opts === undefined) opts = {}
  if (typeof opts !== 'object') throw new ValidationError('open: the options must be an object', 'options', opts)
  // A misspelt `netns` would open the client in the current namespace.
  checkOptionKeys(opts, OPEN_KEYS, 'open')
  const { netns, ...rest } = opts
  if (netns === undefined) return new Rtnl(NetlinkSocket.open(rest), opts)
  if (typeof netns === 'string') {
    const fd = openNamedFd(netns)
    try {
      return new Rtnl(NetlinkSocket.open({ ...rest, netnsFd: fd }), opts)
    } finally {
      closeSync(fd)
    }
  }
  return new Rtnl(NetlinkSocket.open({ ...rest, netnsFd: netnsFdOf(netns) }), opts)
}

/**
 * The fd of a NetnsLike that is not a name. Anything else is refused: a socket must never
 * end up in the current namespace because a handle was mistyped.
 */
function netnsFdOf(netns: unknown): number {
  const fd = typeof netns === 'number' ? netns : typeof netns === 'object' && netns !== null ? (netns as { fd?: unknown }).fd : undefined
  if (typeof fd === 'number' && fd < 0 && typeof netns === 'object' && netns !== null) throw closedHandle(netns, 'netns')
  if (typeof fd !== 'number' || !Number.isInteger(fd) || fd < 0 || fd > 0x7fffffff)
    throw new ValidationError('netns: expected a NetNs handle (or any { fd }), a namespace fd or a name under /run/netns', 'netns', netns)
  checkNetnsFd(fd)
  return fd
}

/** Identity of a namespace: device and inode of its nsfs file. */
function netnsKey(netns: NetnsLike): string {
  if (typeof netns === 'string') {
    const fd = openNamedFd(netns)
    try {
      const st = fstatSync(fd, { bigint: true })
      return `${st.dev}:${st.ino}`
    } finally {
      closeSync(fd)
    }
  }
  const st = fstatSync(netnsFdOf(netns), { bigint: true })
  return `${st.dev}:${st.ino}`
}
