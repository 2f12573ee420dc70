/**
 * Error classes. One class per failure family, each with `name` set, a type
 * guard, and its data as fields rather than only in the message.
 */
import { constants as osConstants } from 'node:os'

const errnoNames = new Map<number, string>()
for (const [name, value] of Object.entries(osConstants.errno)) {
  if (!errnoNames.has(value)) errnoNames.set(value, name)
}
// Aliases sharing a number: use the name the kernel uses.
for (const name of ['EOPNOTSUPP', 'EAGAIN', 'EDEADLK'] as const) {
  const v = (osConstants.errno as Record<string, number>)[name]
  if (v !== undefined) errnoNames.set(v, name)
}

/** The errno name for a positive errno number (`17` → `'EEXIST'`). */
export function errnoName(errno: number): string {
  return errnoNames.get(errno) ?? `E${errno}`
}

/** What a failed request was, for error messages and debugging. */
export interface RequestInfo {
  /** Message type name, e.g. `'RTM_NEWLINK'`. */
  type: string
  /** Flag names, e.g. `['REQUEST', 'ACK', 'CREATE', 'EXCL']`. */
  flags: string[]
  seq: number
  /** What the request was about, e.g. a link name (`'veth0'`). */
  what?: string
}

/** The kernel's extended ACK: why it refused, and which attribute it blamed. */
export interface Extack {
  /** NLMSGERR_ATTR_MSG: the kernel's human-readable reason. */
  message?: string
  /** NLMSGERR_ATTR_OFFS: byte offset into our request of the offending attribute. */
  offset?: number
  /** The offending attribute's path in our request, e.g. `'IFLA_LINKINFO > IFLA_INFO_DATA > IFLA_VXLAN_ID'`. */
  attribute?: string
  /** NLMSGERR_ATTR_MISS_TYPE: the attribute the kernel wanted but did not get, by name when known. */
  missingAttribute?: string
  /** NLMSGERR_ATTR_MISS_NEST: path of the nest the missing attribute belongs in. */
  missingNest?: string
}

/** The kernel refused a request (NLMSG_ERROR carrying a non-zero error). */
export class NetlinkError extends Error {
  /** Always `'NetlinkError'`. */
  override readonly name = 'NetlinkError'
  constructor(
    /** `'EEXIST'`: the same field as Node's system errors. */
    readonly code: string,
    /** Positive errno, `17`. */
    readonly errno: number,
    /** The request that failed. */
    readonly request: RequestInfo,
    /** The kernel's extended ACK, when it sent one. */
    readonly extack?: Extack,
  ) {
    super(
      `${request.type}${request.what ? ` ${request.what}` : ''} failed: ${code}` +
        (extack?.message ? ` (kernel: ${extack.message})` : '') +
        (extack?.attribute ? ` [at ${extack.attribute}]` : '') +
        (extack?.missingAttribute ? ` [missing ${extack.missingAttribute}]` : ''),
    )
  }
}

/** True when err is a {@link NetlinkError}, optionally with the given code. */
export function isNetlinkError(err: unknown, code?: string): err is NetlinkError {
  return err instanceof NetlinkError && (code === undefined || err.code === code)
}

/** Bytes from the kernel (or given to a decoder) that do not parse. */
export class DecodeError extends Error {
  /** Always `'DecodeError'`. */
  override readonly name = 'DecodeError'
  /** Always `'EDECODE'`. */
  readonly code = 'EDECODE'
  constructor(
    message: string,
    /** Attribute path where decoding failed, e.g. `'RTM_NEWLINK > IFLA_LINKINFO'`. */
    readonly path: string,
    /** Byte offset in the datagram or buffer. */
    readonly offset: number,
    /** Hex of the bytes around the offset. */
    readonly excerpt: string,
  ) {
    super(`${message} at ${path || '<root>'} (offset ${offset}): ${excerpt}`)
  }
}

/** True when err is a {@link DecodeError}. */
export function isDecodeError(err: unknown): err is DecodeError {
  return err instanceof DecodeError
}

/** A dump kept being interrupted (NLM_F_DUMP_INTR) after all retries. */
export class DumpInterruptedError extends Error {
  /** Always `'DumpInterruptedError'`. */
  override readonly name = 'DumpInterruptedError'
  /** Always `'EINTR'`. */
  readonly code = 'EINTR'
  constructor(/** The dump request. */ readonly request: RequestInfo, /** How many times the dump was run, the last (interrupted) run included. */ readonly attempts: number) {
    super(`${request.type} dump was interrupted by concurrent changes ${attempts} time(s)`)
  }
}

/** A request got no answer within its timeout. */
export class TimeoutError extends Error {
  /** Always `'TimeoutError'`. */
  override readonly name = 'TimeoutError'
  /** Always `'ETIMEDOUT'`. */
  readonly code = 'ETIMEDOUT'
  constructor(/** The request that got no answer. */ readonly request: RequestInfo, /** The timeout that expired, in milliseconds. */ readonly timeout: number) {
    super(`${request.type}${request.what ? ` ${request.what}` : ''} timed out after ${timeout} ms`)
  }
}

/** The socket was closed (or failed) while the request was pending or before it was sent. */
export class SocketClosedError extends Error {
  /** Always `'SocketClosedError'`. */
  override readonly name = 'SocketClosedError'
  /** Always `'ECLOSED'`. */
  readonly code = 'ECLOSED'
  constructor(/** The request that was pending or being made, when the error is about one. */ readonly request?: RequestInfo, cause?: unknown) {
    super(`netlink socket closed${request ? ` before ${request.type} completed` : ''}`, cause === undefined ? undefined : { cause })
  }
}

/** Input rejected before anything was sent (bad name, address, prefix length...). */
export class ValidationError extends TypeError {
  /** Always `'ValidationError'`. */
  override readonly name = 'ValidationError'
  /** Always `'EINVAL'`. */
  readonly code = 'EINVAL'
  constructor(message: string, /** The offending option, e.g. `'name'`. */ readonly field: string, /** The offending value, as given. */ readonly value?: unknown) {
    super(message)
  }
}

/** True when err is a {@link ValidationError}. */
export function isValidationError(err: unknown): err is ValidationError {
  return err instanceof ValidationError
}

/** Hex excerpt of buf around offset (up to 16 bytes either side), for error messages. */
export function hexExcerpt(buf: Uint8Array, offset: number, radius = 16): string {
  const start = Math.max(0, offset - radius)
  const end = Math.min(buf.length, offset + radius)
  const parts: string[] = []
  for (let i = start; i < end; i++) {
    const h = buf[i]!.toString(16).padStart(2, '0')
    parts.push(i === offset ? `[${h}]` : h)
  }
  return parts.join(' ') || '<empty>'
}

/**
 * A network-namespace operation failed (src/netns). `code` is the errno name
 * (`'ENOENT'`: no such namespace, path or process; `'EEXIST'`; `'EPERM'`; `'EBADF'`:
 * handle closed) or `'ENOTNETNS'` (the file is not a network namespace); `errno`
 * and `syscall` are copied from the underlying system error when there is one.
 */
export class NetNsError extends Error {
  /** Always `'NetNsError'`. */
  override readonly name = 'NetNsError'
  /** Negative errno as in Node's system errors (`-2`), when a syscall failed. */
  readonly errno?: number
  constructor(
    message: string,
    /** The errno name (`'ENOENT'`, `'EEXIST'`, `'EPERM'`, `'EBADF'`, ...) or `'ENOTNETNS'`. */
    readonly code: string,
    /** The namespace name, path or pid concerned (`'blue'`, `'/proc/42/ns/net'`). */
    readonly netns: string,
    /** The system call concerned (`'open'`, `'unlink'`, `'umount2'`, `'ioctl'`...), when there is one. */
    readonly syscall?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options)
    const errno = (options?.cause as { errno?: unknown } | undefined)?.errno
    if (typeof errno === 'number') this.errno = errno
  }
}

/** True when err is a {@link NetNsError}, optionally with the given code. */
export function isNetNsError(err: unknown, code?: string): err is NetNsError {
  return err instanceof NetNsError && (code === undefined || err.code === code)
}
