/**
 * The rtnetlink client: one NETLINK_ROUTE socket (in the current namespace or
 * created inside another) with the families hung off it: `.link`, `.addr`, `.route`.
 */
import { closeSync, openSync as fsOpenSync } from 'node:fs'
import { ValidationError } from './errors.js'
import { NetlinkSocket, type SocketOptions } from './netlink/socket.js'
import { AddrApi } from './rtnl/addr/api.js'
import { LinkApi } from './rtnl/link/api.js'
import { RouteApi } from './rtnl/route/api.js'

/** A network namespace to open the socket in: a NetNs handle, an fd, or a name under /run/netns. */
export type NetnsLike = { readonly fd: number } | number | string

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

  constructor(
    /** The underlying socket, for raw requests. */
    readonly sock: NetlinkSocket,
  ) {
    this.link = new LinkApi(sock)
    this.addr = new AddrApi(sock)
    this.route = new RouteApi(sock)
  }

  /** Closes the socket; pending requests reject with SocketClosedError. Idempotent. */
  close(): void {
    this.sock.close()
  }

  [Symbol.dispose](): void {
    this.close()
  }

  async [Symbol.asyncDispose](): Promise<void> {
    this.close()
  }
}

/**
 * Opens an rtnetlink client in the current namespace, or in `opts.netns`.
 * @throws system errors (`ENOENT` for a namespace name that does not exist, `EPERM`).
 * @example const rtnl = await open(); for await (const l of rtnl.link.list()) console.log(l.name)
 */
export async function open(opts: OpenOptions = {}): Promise<Rtnl> {
  return openSync(opts)
}

/** Synchronous form of {@link open}. */
export function openSync(opts: OpenOptions = {}): Rtnl {
  const { netns, ...rest } = opts
  if (netns === undefined) return new Rtnl(NetlinkSocket.open(rest))
  if (typeof netns === 'number') return new Rtnl(NetlinkSocket.open({ ...rest, netnsFd: netns }))
  if (typeof netns === 'string') {
    if (!netns || netns.includes('/') || netns === '.' || netns === '..')
      throw new ValidationError(`netns: invalid namespace name ${JSON.stringify(netns)}`, 'netns', netns)
    const fd = fsOpenSync(`/run/netns/${netns}`, 'r')
    try {
      return new Rtnl(NetlinkSocket.open({ ...rest, netnsFd: fd }))
    } finally {
      closeSync(fd)
    }
  }
  return new Rtnl(NetlinkSocket.open({ ...rest, netnsFd: netns.fd }))
}
