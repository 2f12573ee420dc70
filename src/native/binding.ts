/**
 * The only loader of the native helper. Everything above this file talks to the
 * kernel through the {@link NativeBinding} interface, so socket-core tests can
 * swap in a fake kernel.
 */
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import { dirname, join } from 'node:path'

/** Opaque handle of a `uv_poll` watcher created by {@link NativeBinding.pollCreate}. */
export type PollHandle = { readonly __poll: unique symbol }

/** Readiness events passed to {@link NativeBinding.pollStart}: UV_READABLE = 1, UV_WRITABLE = 2. */
export const POLL_READABLE = 1
export const POLL_WRITABLE = 2

/**
 * The syscalls the native helper exposes. Failures throw Node-style system
 * errors (`code: 'EPERM'`, negative `errno`, `syscall`).
 */
export interface NativeBinding {
  /** socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, protocol) */
  socket(protocol: number): number
  bind(fd: number, pid: number, groups: number): void
  /**
   * connect(): the default destination. A netlink socket connected to the kernel (pid 0)
   * is refused to other sockets: their unicasts to it fail with ECONNREFUSED.
   */
  connect(fd: number, pid: number, groups: number): void
  /** The port id (nl_pid) the kernel assigned to the socket. */
  getsockname(fd: number): number
  setsockopt(fd: number, level: number, name: number, value: number): void
  getsockopt(fd: number, level: number, name: number): number
  /** One sendmsg() to the kernel with the buffers as iovecs; returns bytes sent. */
  sendmsg(fd: number, buffers: Buffer | readonly Buffer[]): number
  /**
   * Non-blocking recvmsg() into buf with MSG_TRUNC: returns the datagram's real
   * length (larger than buf.length when truncated) or -1 when nothing is queued.
   * sender, if given, receives [nl_pid, nl_groups] when either is not 0 (the caller zeroes
   * it first: a reply from the kernel leaves it untouched).
   */
  recvmsg(fd: number, buf: Buffer, sender?: Uint32Array): number
  /**
   * sendmsg() then one non-blocking recvmsg() into buf, in one call (rtnetlink usually
   * answers inside sendmsg). Returns what recvmsg would; optional in fakes.
   */
  sendRecv?(fd: number, buffers: Buffer | readonly Buffer[], buf: Buffer, sender?: Uint32Array): number
  /**
   * One non-blocking recvmmsg() into consecutive `slot`-byte slots of buf; lens[i] receives
   * each datagram's real length (> slot when truncated), pids[i] (when given) its sender's
   * port id (0: the kernel). Returns how many were read (0: none). Optional in fakes.
   */
  recvBatch?(fd: number, buf: Buffer, slot: number, lens: Int32Array, pids?: Uint32Array): number
  /**
   * recvmsg and sendRecv read a datagram larger than their buffer on into a native spill
   * area of this many bytes (0 or absent: none, such a datagram is cut off).
   */
  readonly spillSize?: number
  /**
   * Copies the part of the last datagram recvmsg/sendRecv read that did not fit its buffer
   * (its real length minus the buffer's, at most spillSize) to buf at offset; returns the
   * bytes copied. Valid until the next read. Optional in fakes.
   */
  takeSpill?(buf: Buffer, offset: number, length: number): number
  close(fd: number): void
  /** A stopped, unreferenced uv_poll watcher calling back (status, events). */
  pollCreate(fd: number, callback: (status: number, events: number) => void): PollHandle
  /** Starts watching for events (POLL_READABLE | POLL_WRITABLE); 0 stops. */
  pollStart(handle: PollHandle, events: number): void
  pollRef(handle: PollHandle, ref: boolean): void
  /** Stops and frees the watcher; call before closing its fd. */
  pollClose(handle: PollHandle): void
  setns(fd: number, nstype: number): void
  unshare(flags: number): void
  /** A new network namespace, created on a short-lived thread; returns its fd. */
  unshareNetns(): number
  /** A netlink socket created inside the namespace nsfd, in one native call. */
  socketInNetns(nsfd: number, protocol: number): number
  /**
   * open(path, flags | O_CLOEXEC) inside the namespace nsfd, in one native call: for a
   * device that binds itself to its opener's namespace (/dev/net/tun). Optional in fakes.
   */
  openInNetns?(nsfd: number, path: string, flags: number): number
  /** ioctl(fd, request, arg): a Buffer by address, a number by value; returns ioctl's result. Optional in fakes. */
  ioctl?(fd: number, request: number, arg: Buffer | number): number
  /** ioctl request numbers, as the headers encode them for this architecture. */
  readonly ioctls?: { readonly TUNSETIFF: number; readonly TUNSETPERSIST: number; readonly TUNSETOWNER: number; readonly TUNSETGROUP: number; readonly SIOCGSKNS: number }
  mount(source: string | null, target: string, fstype: string | null, flags: number, data: string | null): void
  umount2(target: string, flags: number): void
  /** flock(); false when LOCK_NB was given and the lock is held elsewhere. */
  flock(fd: number, operation: number): boolean
  /** The CLONE_NEW* type of the namespace an nsfs fd refers to (ioctl NS_GET_NSTYPE); ENOTTY for other files. */
  nsType(fd: number): number
  gettid(): number
  /**
   * Replaces the process with file (PATH lookup as execvp), signal dispositions and mask
   * reset; returns only by throwing. For the `ip netns exec` helper process only.
   */
  execvpe(file: string, argv: string[], env: string[]): never
}

let loaded: NativeBinding | undefined

/** Loads the addon (prebuilt for this platform, else the local node-gyp build). */
export function native(): NativeBinding {
  if (loaded) return loaded
  const require = createRequire(import.meta.url)
  const load = require('node-gyp-build') as (dir: string) => NativeBinding
  // src/native/binding.ts and dist/native/binding.js both sit two levels below the package root.
  const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
  loaded = load(root)
  return loaded
}
