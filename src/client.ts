/**
 * The rtnetlink client: one NETLINK_ROUTE socket (in the current namespace or
 * created inside another) with the families hung off it: `.link`, `.addr`, `.route`.
 */
import { closeSync, fstatSync } from 'node:fs'
import { ValidationError } from './errors.js'
import { checkNetnsFd, closedHandle, openNamedFd } from './netns/run-dir.js'
import { checkOptionKeys, optionKeys } from './util/keys.js'
import { NetlinkSocket, type SocketOptions } from './netlink/socket.js'
import { AddrApi } from './rtnl/addr/api.js'
import { LinkApi } from './rtnl/link/api.js'
import { NsIdApi } from './rtnl/nsid/api.js'
import { RouteApi } from './rtnl/route/api.js'

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

  /** Closes the socket (and pooled ones from {@link in}); pending requests reject with SocketClosedError. Idempotent. */
  close(): void {
    this.sock.close()
    if (this.pool) for (const c of this.pool.values()) c.close()
    this.pool = undefined
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
