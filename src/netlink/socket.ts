/**
 * NetlinkSocket: the protocol engine. Frames and pipelines requests, matches
 * replies by sequence number, turns NLMSG_ERROR into {@link NetlinkError} (with
 * the extended ACK mapped back to attribute names), streams dumps with
 * back-pressure, and never leaves a promise hanging: timeouts, AbortSignal,
 * close() and socket failures all settle what is pending.
 */
import { attrName, attrPathAt, type AttrTable } from '../attr/table.js'
import { rd16, rd32, rdS32, wr16, wr32 } from '../util/le.js'
import { isInt, optBool, optInt } from '../util/check.js'
import {
  DecodeError,
  DumpInterruptedError,
  errnoName,
  type Extack,
  hexExcerpt,
  NetlinkError,
  type RequestInfo,
  SocketClosedError,
  TimeoutError,
  ValidationError,
} from '../errors.js'
import { native, type NativeBinding, POLL_READABLE, type PollHandle } from '../native/binding.js'
import { SeqTable } from './seq-table.js'
import { enabledCheck, log } from '../util/log.js'
import { checkOptionKeys, optionKeys } from '../util/keys.js'
import {
  flagNames,
  NETLINK_ADD_MEMBERSHIP,
  NETLINK_CAP_ACK,
  NETLINK_DROP_MEMBERSHIP,
  NETLINK_EXT_ACK,
  NETLINK_GET_STRICT_CHK,
  NETLINK_ROUTE,
  NLM_F_ACK,
  NLM_F_ACK_TLVS,
  NLM_F_CAPPED,
  NLM_F_DUMP,
  NLM_F_DUMP_INTR,
  NLM_F_ECHO,
  NLM_F_REQUEST,
  NLMSG_DONE,
  NLMSG_ERROR,
  NLMSG_HDRLEN,
  NLMSG_MIN_TYPE,
  NLMSG_NOOP,
  NLMSG_OVERRUN,
  NLMSGERR_ATTR_MISS_NEST,
  NLMSGERR_ATTR_MISS_TYPE,
  NLMSGERR_ATTR_MSG,
  NLMSGERR_ATTR_OFFS,
  SO_RCVBUF,
  SO_RCVBUFFORCE,
  SO_SNDBUF,
  SO_SNDBUFFORCE,
  SOL_NETLINK,
  SOL_SOCKET,
} from './constants.js'
import type { NlMsg } from './header.js'
import { messageTypeInfo, messageTypeName } from './registry.js'

const debug = log('socket')
/** `DEBUG=rtnetlink:hex` adds the bytes of every message sent and received. */
const hexlog = log('hex')
/** debug.enabled || hexlog.enabled, without asking both getters on every request. */
const tracing = enabledCheck(debug, hexlog)

/** What to do when the kernel flags a dump as interrupted (NLM_F_DUMP_INTR). */
export type DumpIntrPolicy = 'retry' | 'partial' | 'throw'

/** Options of {@link NetlinkSocket.open}. */
export interface SocketOptions {
  /** Netlink protocol; default NETLINK_ROUTE (0). */
  protocol?: number
  /** Create the socket inside this network namespace (an fd of /proc/PID/ns/net or /run/netns/NAME). */
  netnsFd?: number
  /** Multicast groups (numbers, e.g. RTNLGRP_LINK = 1) to join right away. */
  groups?: readonly number[]
  /** Receive buffer in bytes (SO_RCVBUFFORCE, falling back to SO_RCVBUF); default 4 MiB. */
  receiveBufferSize?: number
  /** Send buffer in bytes, which caps one pipelined sendmsg; default 1 MiB. */
  sendBufferSize?: number
  /** Default per-request timeout in ms; default none (the kernel always answers rtnetlink). */
  timeout?: number
  /** Requests awaiting their answer at once; more wait in a queue. Default 1024. */
  maxInFlight?: number
  /** Ask for the kernel's extended ACK (error text and attribute offset); default true. */
  extAck?: boolean
  /** Do not echo whole requests in error replies (NETLINK_CAP_ACK); default true. */
  capAck?: boolean
  /** Strict header checking, so dump filters are applied by the kernel; default true. */
  strict?: boolean
  /**
   * Default true: take datagrams from the kernel only. Any process in the namespace can send
   * to a netlink socket's port; a forged ACK, error or reply whose sequence number matched a
   * pending request would settle it. So the socket is connected to the kernel, which then
   * refuses other senders (ECONNREFUSED on their side), and a datagram read from a sender
   * port id other than 0 is dropped (`stats.foreign` counts them), as iproute2 drops them.
   * false: accept them (a protocol with user-space peers, such as udev's
   * NETLINK_KOBJECT_UEVENT broadcasts).
   */
  kernelOnly?: boolean
  /** The native binding (tests pass a fake kernel). */
  binding?: NativeBinding
}

/** Options of {@link NetlinkSocket.request}; `T` is what `decode` makes of a reply. */
export interface RequestOptions<T> {
  /** Timeout in ms for this request (overrides the socket's). */
  timeout?: number
  /** Aborts the request: it rejects with the signal's reason. */
  signal?: AbortSignal
  /** What the request is about, for error messages (`'veth0'`). */
  what?: string
  /**
   * Decodes each reply message (other than the ACK) while the receive buffer is
   * valid. Without it replies are ignored and the promise resolves to []. The message
   * object is rewritten for the next message: keep what you read, not `msg`.
   */
  decode?: (msg: NlMsg) => T | undefined
  /**
   * Default true: ask for an ACK and resolve when it arrives. false: resolve on the
   * first reply message (a GET for one object answers with exactly one).
   */
  ack?: boolean
}

/** Options of {@link NetlinkSocket.dump}. */
export interface DumpOptions {
  /** Timeout in ms for the whole dump (overrides the socket's); iteration then rejects with a TimeoutError at its next step. */
  timeout?: number
  /** Aborts the dump: iteration rejects with the signal's reason at its next step (what was queued is dropped). */
  signal?: AbortSignal
  /** What the dump is about, for error messages (`'routes'`). */
  what?: string
  /** NLM_F_DUMP_INTR handling; default 'retry'. */
  onInterrupt?: DumpIntrPolicy
  /** Attempts in 'retry' mode before DumpInterruptedError; default 3. */
  maxAttempts?: number
  /**
   * 'retry' holds back up to this many decoded items so a dump interrupted early
   * can restart without the consumer seeing duplicates; default 2048. An interrupt
   * after items were released throws DumpInterruptedError.
   */
  holdLimit?: number
}

/**
 * The async iterable a dump returns. `interrupted` is set in 'partial' mode. Its object
 * iterator reuses one result object once that result's `value` has been read (as
 * `for await` reads it): keep values, not result objects, across `next()` calls.
 */
export interface DumpIterable<T> extends AsyncIterable<T> {
  /** True when the kernel flagged the dump as inconsistent (policy 'partial'). */
  readonly interrupted: boolean
  /**
   * The same dump as arrays of objects: each is one kernel datagram's worth (up to about a
   * thousand; in 'retry' mode the first can hold up to `holdLimit`), so a loop takes one
   * `await` per datagram instead of one per object (for 100,000 routes that halves the
   * JavaScript time). Streamed with the same back-pressure as the object iterator: the next
   * datagram is read when a batch is handed out. Iterate a dump one way only.
   * @example for await (const batch of rtnl.route.list().batches()) for (const r of batch) count++
   */
  batches(): AsyncIterable<T[]>
  /** Every object in one array: convenient for small tables (a big one is held in memory). */
  toArray(): Promise<T[]>
}

/**
 * A dump that starts after an asynchronous step (e.g. resolving a link name to an index),
 * optionally filtered in JavaScript: the same {@link DumpIterable} interface as a plain dump.
 */
export function deferredDump<T>(start: () => Promise<DumpIterable<T>>, keep?: (item: T) => boolean): DumpIterable<T> {
  let inner: DumpIterable<T> | undefined
  const batches = async function* (): AsyncGenerator<T[]> {
    inner = await start()
    for await (const b of inner.batches()) {
      const out = keep ? b.filter(keep) : b
      if (out.length > 0) yield out
    }
  }
  return {
    get interrupted() {
      return inner?.interrupted ?? false
    },
    async *[Symbol.asyncIterator]() {
      inner = await start()
      for await (const x of inner) if (!keep || keep(x)) yield x
    },
    batches,
    toArray: () => collect(batches()),
  }
}

/**
 * An iterator result that a dump's item iterator reuses: its value can be replaced only
 * after it has been read, so results asked for ahead of reading (`next()` twice, then
 * the awaits) each keep their own value.
 */
class SharedResult<V> {
  v: V | undefined = undefined
  read = true
  readonly done = false
  get value(): V {
    this.read = true
    return this.v as V
  }
}

async function collect<T>(batches: AsyncIterable<T[]>): Promise<T[]> {
  const out: T[] = []
  for await (const b of batches) for (let i = 0; i < b.length; i++) out.push(b[i]!)
  return out
}

/** A raw notification listener: called synchronously, msg.buf is reused afterwards. */
export type MessageListener = (msg: NlMsg, groups: number) => void

interface Pending {
  seq: number
  msg: Buffer
  type: number
  flags: number
  /** What the request is about (a link index is turned into text only for an error). */
  what: string | number | undefined
  decode: ((m: NlMsg) => unknown) | undefined
  /** Decoded replies, allocated with the first one (most requests only get an ACK). */
  results: unknown[] | undefined
  ackless: boolean
  /** Unset while a request sent at once has no promise yet: settle() then keeps the outcome. */
  resolve: ((v: unknown) => void) | undefined
  reject: ((e: unknown) => void) | undefined
  timer: NodeJS.Timeout | undefined
  signal: AbortSignal | undefined
  onAbort: (() => void) | undefined
  sent: boolean
  settled: boolean
  /** Sent again once: a GET whose reply was cut off (see truncated). */
  retried: boolean
  dump: DumpState | undefined
  /** What the promise resolves with: the reply list, nothing (requestVoid) or the first reply (requestOne). */
  result: Result
  /**
   * Outcome of a request settled before its promise existed (sent and answered at once);
   * before that, a requestOne()'s first decoded reply.
   */
  failed: boolean
  value: unknown
}

const enum Result { List, Void, One }

function clearQueue(s: DumpState): void {
  s.queue = []
  s.head = s.tail = 0
}

/** Lets the consumer have the items held back in 'retry' mode (they are in the queue already). */
function releaseHeld(s: DumpState): void {
  s.open = true
}

/**
 * Storage for the next batch after the last was handed out whole: sized like it (one kernel
 * datagram's worth). The item-by-item consumer keeps its array (a new one per batch measured
 * 1.01–1.02x the time of a 100k-route dump and no better for addresses).
 */
function nextQueue(s: DumpState, last: number): void {
  s.queue = s.done ? [] : new Array(Math.min(Math.max(last, 16), 4096))
}

interface DumpState {
  /**
   * Decoded items waiting for the consumer: queue[head..tail), visible to it once `open`.
   * Written by index into storage sized like the last batch (a push-grown array allocated
   * ~3x its final size per batch).
   */
  queue: unknown[]
  head: number
  tail: number
  done: boolean
  error: unknown
  waiter: (() => void) | undefined
  discard: boolean
  policy: DumpIntrPolicy
  interrupted: boolean
  attempts: number
  maxAttempts: number
  holdLimit: number
  /**
   * Whether the consumer may take what is queued: from the start, except in 'retry' mode,
   * which holds the first items back (in the queue, not handed out) until the dump is done
   * or holdLimit items are queued, so that an interrupted dump can restart unseen.
   */
  open: boolean
  /** A part of the dump arrived: the kernel started it, and it ends with its DONE. */
  seen: boolean
}

const resolved = Promise.resolve()
const MAX_TIMER = 0x7fffffff

const SOCKET_KEYS = optionKeys<SocketOptions>()([
  'protocol', 'netnsFd', 'groups', 'receiveBufferSize', 'sendBufferSize', 'timeout', 'maxInFlight', 'extAck', 'capAck',
  'strict', 'kernelOnly', 'binding',
])

/**
 * Socket options of the wrong type or range, refused before a socket is made: a
 * `maxInFlight` of 'x' or 0 let no request leave (every request waited forever), and a
 * `groups` entry or buffer size of the wrong type was a bare error from the native helper.
 */
function checkSocketOptions(o: SocketOptions): void {
  if (typeof o !== 'object' || o === null) throw new ValidationError('options: expected an object', 'options', o)
  // A misspelt `netnsFd` would open the socket in the current namespace.
  checkOptionKeys(o, SOCKET_KEYS, 'NetlinkSocket.open')
  optInt(o.protocol, 'protocol', 0, 31)
  optInt(o.netnsFd, 'netnsFd', 0, 0x7fffffff)
  optInt(o.maxInFlight, 'maxInFlight', 1, 0x7fffffff)
  optInt(o.receiveBufferSize, 'receiveBufferSize', 0, 0x7fffffff)
  optInt(o.sendBufferSize, 'sendBufferSize', 0, 0x7fffffff)
  optBool(o.extAck, 'extAck')
  optBool(o.capAck, 'capAck')
  optBool(o.strict, 'strict')
  optBool(o.kernelOnly, 'kernelOnly')
  if (o.groups !== undefined) {
    if (!Array.isArray(o.groups)) throw new ValidationError('groups: expected an array of multicast group numbers', 'groups', o.groups)
    o.groups.forEach((g, i) => checkGroup(g, `groups[${i}]`))
  }
}

/** A multicast group number (RTNLGRP_*, 1 and up). */
function checkGroup(g: unknown, field: string): void {
  if (!isInt(g, 1, 0xffffffff)) throw new ValidationError(`${field}: expected a multicast group number 1-4294967295`, field, g)
}

/** Dump options of the wrong type or value (an unknown policy, 0 attempts, 'x' held items). */
function badDumpOpts(o: DumpOptions): ValidationError | undefined {
  if (o.onInterrupt !== undefined && o.onInterrupt !== 'retry' && o.onInterrupt !== 'partial' && o.onInterrupt !== 'throw')
    return new ValidationError("onInterrupt: expected 'retry', 'partial' or 'throw'", 'onInterrupt', o.onInterrupt)
  if (o.maxAttempts !== undefined && !isInt(o.maxAttempts, 1, 0x7fffffff))
    return new ValidationError('maxAttempts: expected an integer 1 or more', 'maxAttempts', o.maxAttempts)
  if (o.holdLimit !== undefined && !isInt(o.holdLimit, 0, 0x7fffffff))
    return new ValidationError('holdLimit: expected an integer 0 or more', 'holdLimit', o.holdLimit)
  return undefined
}

/** A timeout that is not a number of milliseconds >= 0, or a signal that is not an AbortSignal. */
function badCallOpts(timeout: unknown, signal: unknown): ValidationError | undefined {
  if (timeout !== undefined && timeout !== null && !(typeof timeout === 'number' && timeout >= 0))
    return new ValidationError('timeout: expected milliseconds >= 0 (Infinity: none)', 'timeout', timeout)
  if (signal !== undefined && signal !== null &&
      !(typeof signal === 'object' && typeof (signal as AbortSignal).aborted === 'boolean' && typeof (signal as AbortSignal).addEventListener === 'function'))
    return new ValidationError('signal: expected an AbortSignal', 'signal', signal)
  return undefined
}
// recvBatch: 64 slots of 8 KiB to start with (ACKs and most single-object replies fit). A
// larger reply makes them larger, keeping the buffer at 512 KiB (16 KiB x 32 ... 64 KiB x 8);
// past 64 KiB a socket reads one datagram at a time (see growBatchSlot).
const BATCH_SLOT = 8192
const BATCH_SLOTS = 64
const BATCH_BYTES = BATCH_SLOT * BATCH_SLOTS
const BATCH_SLOT_MAX = 65536
/** Largest receive buffer a socket grows to for one datagram (see unspill, truncated). */
const RBUF_MAX = 1 << 24
/** libuv's status for POLLERR (it has no other for a socket error). */
const UV_EBADF = -9
const DEFAULT_RCVBUF = 4 << 20
const DEFAULT_SNDBUF = 1 << 20
const MAX_IOV = 1024
/** Sequence numbers of abandoned requests remembered at most (see NetlinkSocket.dropLater). */
const DROP_MAX = 4096

/**
 * A netlink socket. Create with {@link NetlinkSocket.open}; many requests may be
 * in flight at once; dumps are serialized (the kernel runs one per socket).
 */
export class NetlinkSocket {
  /** The socket's file descriptor. */
  readonly fd: number
  /** The port id (nl_pid) the kernel bound the socket to; stamped into every request. */
  readonly portId: number
  /** Which optional kernel features were enabled. */
  readonly features: { extAck: boolean; capAck: boolean; strict: boolean }

  private readonly b: NativeBinding
  private readonly poll: PollHandle
  private readonly pending = new SeqTable<Pending>()
  /**
   * Sequence numbers of requests given up on whose answers may still come (see overrun()),
   * and whether that answer ends with an ACK, ERROR or DONE (else it is one message).
   */
  private readonly dropSeqs = new Map<number, boolean>()
  private readonly sendQueue: Pending[] = []
  private readonly dumpQueue: Pending[] = []
  private activeDump: Pending | undefined
  private readonly listeners = new Set<MessageListener>()
  private rbuf = Buffer.allocUnsafe(65536)
  private bbuf: Buffer | undefined
  /** Slot size of batch reads (0: a reply larger than BATCH_SLOT_MAX was met, none any more). */
  private batchSlot = BATCH_SLOT
  private readonly blens = new Int32Array(BATCH_SLOTS)
  private readonly bpids = new Uint32Array(BATCH_SLOTS)
  /** Drop datagrams not sent by the kernel (SocketOptions.kernelOnly). */
  private readonly kernelOnly: boolean
  private readonly sender = new Uint32Array(2)
  /** The message handed to decoders of replies and dumps, rewritten for each one (see NlMsg). */
  private readonly cursor: NlMsg = { type: 0, flags: 0, seq: 0, pid: 0, buf: Buffer.alloc(0), off: 0, end: 0 }
  private seq = 0
  private inFlight = 0
  private readonly maxInFlight: number
  private readonly maxBatchBytes: number
  private readonly defaultTimeout: number | undefined
  private flushScheduled = false
  private readonly flushTask = (): void => {
    this.flushScheduled = false
    this.flush()
  }
  /** In onDatagram (listeners and decoders run there): start() must not read into rbuf now. */
  private busy = false
  private polling = false
  /** POLLERR reports in a row (see onReadable). */
  private pollErrors = 0
  private refed = true
  private groupCount = 0
  /** pauseNotifications(): notifications are not read (replies still are). */
  private notifyPaused = false
  private closed = false
  private closeError: unknown

  private constructor(b: NativeBinding, fd: number, opts: SocketOptions) {
    // V8 treats a field that has only ever held its initial value as a constant, and throws
    // away compiled code that relied on it when it changes. Written twice here, the fields
    // close() sets are ordinary fields from the start: otherwise the first close() of any
    // socket deoptimizes the request path of every socket (a socket opened after another was
    // closed ran its first 20,000 awaited link.get() calls ~10% slower while V8 recompiled).
    this.closed = true
    this.closed = false
    this.closeError = null
    this.closeError = undefined
    this.notifyPaused = true
    this.notifyPaused = false
    this.b = b
    this.fd = fd
    this.maxInFlight = opts.maxInFlight ?? 1024
    const badTimeout = badCallOpts(opts.timeout, undefined)
    if (badTimeout) throw badTimeout
    this.defaultTimeout = opts.timeout
    this.kernelOnly = opts.kernelOnly ?? true
    const opt = (name: number, on: boolean | undefined): boolean => {
      if (on === false) return false
      try {
        b.setsockopt(fd, SOL_NETLINK, name, 1)
        return true
      } catch (err) {
        debug('setsockopt %d unsupported: %s', name, (err as Error).message)
        return false
      }
    }
    this.features = {
      extAck: opt(NETLINK_EXT_ACK, opts.extAck),
      capAck: opt(NETLINK_CAP_ACK, opts.capAck),
      strict: opt(NETLINK_GET_STRICT_CHK, opts.strict),
    }
    setBuf(b, fd, SO_RCVBUFFORCE, SO_RCVBUF, opts.receiveBufferSize ?? DEFAULT_RCVBUF)
    const snd = setBuf(b, fd, SO_SNDBUFFORCE, SO_SNDBUF, opts.sendBufferSize ?? DEFAULT_SNDBUF)
    // sendmsg refuses a datagram over sk_sndbuf - 32; getsockopt reports the doubled value.
    this.maxBatchBytes = Math.max(4096, Math.floor(snd / 2) - 64)
    b.bind(fd, 0, 0)
    this.portId = b.getsockname(fd)
    if (this.kernelOnly) {
      // Connected to the kernel, the socket is refused to other sockets: a process's unicast
      // to its port fails with ECONNREFUSED in the sender (netlink_getsockbyportid), so it can
      // neither forge answers nor fill the receive buffer. Replies and notifications come from
      // the kernel and still arrive. What is read is checked too (foreign()).
      try {
        b.connect(fd, 0, 0)
      } catch (err) {
        debug('connect to the kernel failed: %s', (err as Error).message)
      }
    }
    this.poll = b.pollCreate(fd, (status, events) => this.onReadable(status, events))
    for (const g of opts.groups ?? []) this.subscribe(g)
    debug('open fd=%d port=%d features=%o', fd, this.portId, this.features)
  }

  /**
   * Opens a netlink socket (in the current namespace, or inside `netnsFd`).
   * @throws system errors from socket()/bind() (`EPERM`, `EPROTONOSUPPORT`, `EBADF` for a bad netns fd).
   */
  static open(opts: SocketOptions = {}): NetlinkSocket {
    checkSocketOptions(opts)
    const b = opts.binding ?? native()
    const protocol = opts.protocol ?? NETLINK_ROUTE
    const fd = opts.netnsFd !== undefined ? b.socketInNetns(opts.netnsFd, protocol) : b.socket(protocol)
    try {
      return new NetlinkSocket(b, fd, opts)
    } catch (err) {
      b.close(fd)
      throw err
    }
  }

  /** True once {@link close} was called or the socket failed. */
  get isClosed(): boolean {
    return this.closed
  }

  /**
   * Sends one request (a complete message from NlWriter; seq, pid and the
   * REQUEST/ACK flags are filled in) and resolves with the decoded replies.
   * @throws {NetlinkError} when the kernel refuses; TimeoutError, the signal's reason, SocketClosedError.
   */
  request<T = never>(msg: Buffer, opts: RequestOptions<T> = {}): Promise<T[]> {
    return this.start(msg, opts.decode, opts.what, opts, opts.ack === false, Result.List) as Promise<T[]>
  }

  /**
   * Like {@link request} for a change whose only answer is an ACK: resolves with nothing.
   * Verbs return this promise as it is (no `.then()` to drop the empty reply list), which
   * saves a promise and a microtask per request in bulk changes.
   */
  requestVoid(msg: Buffer, opts: Omit<RequestOptions<never>, 'decode' | 'ack'> = {}): Promise<void> {
    return this.start(msg, undefined, opts.what, opts, false, Result.Void) as Promise<void>
  }

  /**
   * A GET answered by exactly one object (no ACK asked): resolves with it decoded, or with
   * undefined if decode skips it. `what` names the object in errors (a number is formatted
   * only then).
   */
  requestOne<T>(msg: Buffer, decode: (msg: NlMsg) => T | undefined, what: string | number | undefined, opts: { timeout?: number; signal?: AbortSignal } = {}): Promise<T | undefined> {
    return this.start(msg, decode, what, opts, true, Result.One) as Promise<T | undefined>
  }

  /**
   * Sends a request and returns its promise. When the socket is idle (nothing queued, in
   * flight or dumping, and no other request started in this tick) the request is sent and
   * its answer read right away, in one native call: rtnetlink answers within sendmsg, so a
   * lone request (the awaited one-by-one case) costs no queueing, no extra tick and, when
   * answered, no promise executor. Requests started in the same tick after it are queued
   * and leave together in one sendmsg, as before.
   */
  private start(msg: Buffer, decode: ((m: NlMsg) => unknown) | undefined, what: string | number | undefined,
    opts: { timeout?: number; signal?: AbortSignal }, ackless: boolean, result: Result): Promise<unknown> {
    const refused = this.refusal(msg, what, opts.signal, opts.timeout)
    if (refused !== undefined) return Promise.reject(refused)
    const p = this.makePending(msg, what, decode, opts.signal)
    p.ackless = ackless
    p.result = result
    if (!this.flushScheduled && this.inFlight === 0 && this.sendQueue.length === 0 && this.activeDump === undefined &&
      !this.busy && this.b.sendRecv !== undefined) {
      this.sendNow(p)
      if (p.settled) return p.failed ? Promise.reject(p.value) : Promise.resolve(p.value)
      if (p.sent || p.retried) return this.promiseOf(p, opts)
    }
    this.sendQueue.push(p)
    this.scheduleFlush()
    return this.promiseOf(p, opts)
  }

  /** The promise of a request not settled yet; arms its timeout and abort listener. */
  private promiseOf(p: Pending, opts: { timeout?: number; signal?: AbortSignal }): Promise<unknown> {
    return new Promise<unknown>((resolve, reject) => {
      p.resolve = resolve
      p.reject = reject
      this.arm(p, opts)
    })
  }

  /**
   * Starts a dump (NLM_F_DUMP is added) and returns its decoded items as an
   * async iterable. Items are read from the kernel only as fast as they are
   * consumed. Breaking out of the loop early drains the rest of the dump in
   * the background. `decode` gets one message object that is rewritten for every
   * item (like its `buf`, it is only valid during the call): keep what you read
   * from it, not the object.
   */
  dump<T>(msg: Buffer, decode: (msg: NlMsg) => T | undefined, opts: DumpOptions = {}): DumpIterable<T> {
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const sock = this
    let state: DumpState | undefined
    let p: Pending | undefined
    let startError: unknown
    const start = (): void => {
      msg.writeUInt16LE(msg.readUInt16LE(6) | NLM_F_DUMP, 6)
      const policy = opts.onInterrupt ?? 'retry'
      state = {
        queue: [], head: 0, tail: 0, done: false, error: undefined, waiter: undefined, discard: false,
        policy, interrupted: false, attempts: 1,
        maxAttempts: Math.max(1, opts.maxAttempts ?? 3), holdLimit: opts.holdLimit ?? 2048,
        open: policy !== 'retry', seen: false,
      }
      const s = state
      const refused = this.refusal(msg, opts.what, opts.signal, opts.timeout) ?? badDumpOpts(opts)
      if (refused !== undefined) {
        startError = refused
        return
      }
      p = this.makePending(msg, opts.what, decode as (m: NlMsg) => unknown, opts.signal)
      p.resolve = () => { s.done = true; sock.wake(s) }
      p.reject = (err: unknown) => { s.error ??= err; s.done = true; sock.wake(s) }
      p.dump = s
      this.arm(p, opts)
      this.dumpQueue.push(p)
      this.startNextDump()
      // Queued behind a running dump: that one is now read to its end (see wantsRead).
      if (this.activeDump !== p) this.pump()
    }
    /** Waits until something is queued, the dump ends or fails; false at the end. */
    const wait = async (): Promise<boolean> => {
      const s = state!
      for (;;) {
        // A failed dump (aborted, timed out, refused, closed) fails at once: what it had
        // queued is dropped, so that an abort or a timeout stops the loop at its next step
        // rather than after the rest of a datagram's items (a 1 ms timeout was seen after
        // 2,211 more routes).
        if (s.error !== undefined) {
          const e = s.error
          s.error = undefined
          s.done = true
          clearQueue(s)
          throw e
        }
        if (s.open && s.tail > s.head) return true
        if (s.done) return false
        await new Promise<void>(r => {
          s.waiter = r
          sock.pump()
        })
      }
    }
    const shiftOne = (): T => {
      const s = state!
      const v = s.queue[s.head] as T
      s.queue[s.head++] = undefined
      if (s.head === s.tail) {
        s.head = s.tail = 0
        // The next part of the dump, read now that this one is handed out: one kernel
        // datagram's worth decoded at a time keeps what a scavenge must copy small.
        if (!s.done) sock.pump()
      }
      return v
    }
    const takeAll = (): T[] => {
      const s = state!
      let all = s.queue as T[]
      if (s.head === 0) {
        all.length = s.tail
        nextQueue(s, s.tail)
      } else all = all.slice(s.head, s.tail)
      s.head = s.tail = 0
      if (!s.done) sock.pump()
      return all
    }
    let consumer: 'items' | 'batches' | undefined
    /** An iterator over the dump, by item or by batch (one consumer per dump). */
    const iterator = <V>(kind: 'items' | 'batches', take: () => V): AsyncIterator<V> => {
      if (consumer !== undefined && consumer !== kind) {
        const err = new TypeError(`this dump is already iterated by ${consumer}; call list() again for another pass`)
        return { next: () => Promise.reject(err) }
      }
      consumer = kind
      if (!state && startError === undefined) start()
      const slow = async (): Promise<IteratorResult<V>> => ((await wait()) ? { value: take(), done: false } : { value: undefined, done: true })
      // One result object and one promise of it, reused while the consumer reads each
      // value before asking for the next (as `for await` does): ~55 B less per item.
      const shared = new SharedResult<V>()
      const sharedP = Promise.resolve(shared as IteratorResult<V>)
      return {
        next: (): Promise<IteratorResult<V>> => {
          if (startError !== undefined) return Promise.reject(startError)
          // Fast path without an async function's machinery: data is usually queued.
          if (state!.open && state!.tail > state!.head && state!.error === undefined) {
            if (shared.read) {
              shared.v = take()
              shared.read = false
              return sharedP
            }
            return Promise.resolve({ value: take(), done: false })
          }
          return slow()
        },
        return: async (): Promise<IteratorResult<V>> => {
          if (state && !state.done) {
            state.discard = true
            clearQueue(state)
            sock.pump()
          }
          return { value: undefined, done: true }
        },
      }
    }
    const iterable: DumpIterable<T> = {
      get interrupted() {
        return state?.interrupted ?? false
      },
      [Symbol.asyncIterator]: (): AsyncIterator<T> => iterator('items', shiftOne),
      batches: (): AsyncIterable<T[]> => ({ [Symbol.asyncIterator]: () => iterator('batches', takeAll) }),
      toArray: (): Promise<T[]> => collect(iterable.batches()),
    }
    return iterable
  }

  /** Joins a multicast group (e.g. RTNLGRP_LINK = 1). Messages go to {@link onMessage} listeners. */
  subscribe(group: number): void {
    checkGroup(group, 'group')
    this.assertOpen()
    this.b.setsockopt(this.fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, group)
    this.groupCount++
    this.updatePoll()
  }

  /** Leaves a multicast group. */
  unsubscribe(group: number): void {
    checkGroup(group, 'group')
    this.assertOpen()
    this.b.setsockopt(this.fd, SOL_NETLINK, NETLINK_DROP_MEMBERSHIP, group)
    this.groupCount = Math.max(0, this.groupCount - 1)
    this.updatePoll()
  }

  /**
   * Adds a listener for messages that answer no request (multicast
   * notifications). Called synchronously; msg.buf is reused afterwards. Errors that
   * belong to no request go to {@link onError} listeners. Returns a function removing
   * the listener.
   */
  onMessage(listener: MessageListener): () => void {
    this.listeners.add(listener)
    this.updatePoll()
    return () => {
      this.listeners.delete(listener)
      this.updatePoll()
    }
  }

  /**
   * Stops (`true`) or resumes (`false`) reading while only notifications are wanted: a
   * consumer's back-pressure. Meanwhile the kernel queues them in the receive buffer and,
   * when it is full, drops them and reports ENOBUFS (to {@link onError} listeners). Answers
   * to requests are still read, and notifications that come with them still delivered.
   */
  pauseNotifications(paused: boolean): void {
    if (paused === this.notifyPaused) return
    this.notifyPaused = paused
    this.updatePoll()
  }

  private errorListeners = new Set<(err: Error) => void>()

  /**
   * Listens for errors that belong to no request: ENOBUFS overruns while only notifications
   * are wanted, and malformed datagrams that name no pending request (DecodeError).
   */
  onError(listener: (err: Error) => void): () => void {
    this.errorListeners.add(listener)
    return () => this.errorListeners.delete(listener)
  }

  /** Lets the process exit while this socket waits for notifications only (requests still keep it alive). */
  unref(): void {
    this.refed = false
    this.applyRef()
  }

  /** Undoes {@link unref}: the socket keeps the process alive while it waits for notifications (the default). */
  ref(): void {
    this.refed = true
    this.applyRef()
  }

  /**
   * Counters since the socket opened: requests sent, and of those the ones that change
   * state (NEW/DEL/SET message types; GETs and dumps excluded); `foreign`: datagrams
   * dropped because a process, not the kernel, sent them (SocketOptions.kernelOnly);
   * `retries`: GETs sent again because their reply was cut off (it did not fit a batch
   * read's slot, or passed the spill area too); each also counts in `requests`.
   */
  readonly stats = { requests: 0, changes: 0, dumps: 0, foreign: 0, retries: 0 }

  /** The native binding the socket goes through (a fake kernel in tests); for the link API's tun/tap ioctls. @internal */
  get binding(): NativeBinding {
    return this.b
  }

  /** Requests sent and not yet answered, plus those waiting to be sent. */
  get pendingCount(): number {
    return this.pending.size + this.sendQueue.length + this.dumpQueue.length
  }

  /**
   * Closes the socket. Everything pending rejects with {@link SocketClosedError}.
   * Idempotent.
   */
  close(): void {
    this.fail(new SocketClosedError())
  }

  [Symbol.dispose](): void {
    this.close()
  }

  // ---- internals ----------------------------------------------------------

  private assertOpen(): void {
    if (this.closed) throw this.closeError ?? new SocketClosedError()
  }

  /** Why a request cannot start (closed socket, malformed message, aborted signal), or undefined. */
  private refusal(msg: Buffer, what: string | number | undefined, signal: AbortSignal | undefined, timeout: number | undefined): unknown {
    if (timeout != null || signal != null) {
      const bad = badCallOpts(timeout, signal)
      if (bad !== undefined) return bad
    }
    if (this.closed) {
      return this.closeError instanceof SocketClosedError || !this.closeError ? new SocketClosedError(this.infoOf(msg, 0, what)) : this.closeError
    }
    if (msg.length < NLMSG_HDRLEN || rd32(msg, 0) !== msg.length) {
      return new TypeError('request: expected one complete netlink message (nlmsg_len must equal the buffer length)')
    }
    if (signal?.aborted) return signal.reason ?? new Error('aborted')
    return undefined
  }

  private makePending(msg: Buffer, what: string | number | undefined, decode: ((m: NlMsg) => unknown) | undefined, signal: AbortSignal | undefined): Pending {
    return {
      seq: 0, msg, type: rd16(msg, 4), flags: rd16(msg, 6), what, decode, results: undefined,
      ackless: false, resolve: undefined, reject: undefined, timer: undefined, signal, onAbort: undefined, sent: false,
      settled: false, retried: false, dump: undefined, result: Result.List, failed: false, value: undefined,
    }
  }

  /** Settles p when its signal aborts or its timeout (or the socket's) expires. */
  private arm(p: Pending, opts: { timeout?: number; signal?: AbortSignal }): void {
    const signal = opts.signal
    if (signal) {
      p.onAbort = () => this.settle(p, signal.reason, true)
      signal.addEventListener('abort', p.onAbort, { once: true })
    }
    const ms = opts.timeout ?? this.defaultTimeout
    // Past setTimeout's 32-bit range Node would fire after 1 ms: ~25 days or more is no timeout.
    if (ms === undefined || ms > MAX_TIMER) return
    p.timer = setTimeout(() => this.settle(p, new TimeoutError(this.infoOf(p.msg, p.seq, p.what), ms), true), ms)
  }

  private infoOf(msg: Buffer, seq: number, what: string | number | undefined): RequestInfo {
    const type = msg.length >= 8 ? msg.readUInt16LE(4) : 0
    const flags = msg.length >= 8 ? msg.readUInt16LE(6) : 0
    const info: RequestInfo = { type: messageTypeName(type), flags: flagNames(flags, messageTypeInfo(type)?.kind), seq }
    if (what !== undefined) info.what = String(what)
    return info
  }

  /** Settles a request once: resolves (err undefined) or rejects. */
  private settle(p: Pending, err: unknown, failed: boolean): void {
    if (p.settled) return
    p.settled = true
    if (p.timer) clearTimeout(p.timer)
    if (p.onAbort) p.signal!.removeEventListener('abort', p.onAbort)
    if (!p.sent) {
      const i = this.sendQueue.indexOf(p)
      if (i >= 0) this.sendQueue.splice(i, 1)
      const j = this.dumpQueue.indexOf(p)
      if (j >= 0) this.dumpQueue.splice(j, 1)
    } else if (p.dump && failed) {
      // The kernel keeps dumping: read the rest and throw it away.
      p.dump.discard = true
    } else if (this.pending.get(p.seq) === p && (!failed || this.closed)) {
      this.forget(p)
    }
    // A failed in-flight request stays in `pending` (marked settled) so its late
    // answer is recognised and dropped; it is removed when that answer arrives.
    const value = failed ? err : p.result === Result.List ? (p.results ?? []) : p.result === Result.One ? p.value : undefined
    if (p.resolve === undefined) {
      // Sent and answered inside start(): it returns a settled promise.
      p.failed = failed
      p.value = value
    } else if (failed) p.reject!(value)
    else p.resolve(value)
    if (p.dump && (!failed || !p.sent)) this.dumpFinished(p)
  }

  private forget(p: Pending): void {
    if (this.pending.get(p.seq) === p) {
      this.pending.delete(p.seq)
      this.inFlight--
    }
  }

  private dumpFinished(p: Pending): void {
    if (this.activeDump === p) {
      this.activeDump = undefined
      this.startNextDump()
    }
  }

  private startNextDump(): void {
    if (this.activeDump || this.closed) return
    const next = this.dumpQueue.shift()
    if (!next) return
    this.activeDump = next
    this.sendQueue.push(next)
    this.scheduleFlush()
  }

  private wake(s: DumpState): void {
    const w = s.waiter
    if (w) {
      s.waiter = undefined
      w()
    }
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return
    this.flushScheduled = true
    // A resolved-promise continuation: Node's queueMicrotask wraps each callback in an AsyncResource.
    resolved.then(this.flushTask)
  }

  private nextSeq(): number {
    do {
      this.seq = (this.seq + 1) >>> 0
    } while (this.seq === 0 || this.pending.has(this.seq) || (this.dropSeqs.size > 0 && this.dropSeqs.has(this.seq)))
    return this.seq
  }

  /**
   * Sends one request and reads its answer in the same native call (start() checked the
   * socket is idle). The flush task is scheduled as a marker: requests started later in this
   * tick queue behind it and leave together. If the answer is not there yet the request
   * stays pending and is completed by the poll, like any other.
   */
  private sendNow(p: Pending): void {
    this.flushScheduled = true
    resolved.then(this.flushTask)
    this.stamp(p)
    if (tracing()) this.traceSend([p])
    let n = -1
    try {
      n = this.b.sendRecv!(this.fd, p.msg, this.rbuf, this.unsetSender())
    } catch (err) {
      const failure = sendFailure(err)
      if (failure === 'retry') {
        // start() queues it; flush() retries once replies drain.
        this.unstamp(p)
        return
      }
      if (failure === 'fail') {
        this.settle(p, err, true)
        this.forget(p)
        return
      }
    }
    this.received(n)
    if (!p.settled) this.drain()
    this.updatePoll()
  }

  /** Stamps seq, port id and REQUEST(/ACK) into a request being sent and records it as pending. */
  private stamp(p: Pending): void {
    const seq = this.nextSeq()
    p.seq = seq
    p.sent = true
    const m = p.msg
    wr16(m, 6, p.flags | NLM_F_REQUEST | (p.dump || p.ackless ? 0 : NLM_F_ACK))
    wr32(m, 8, seq)
    wr32(m, 12, this.portId)
    this.pending.set(seq, p)
    this.inFlight++
    this.stats.requests++
    if (p.dump) this.stats.dumps++
    else {
      const k = messageTypeInfo(p.type)?.kind
      if (k === 'new' || k === 'del') this.stats.changes++
    }
  }

  /** Undoes stamp() for a request the kernel did not take (EAGAIN/ENOBUFS on send). */
  private unstamp(p: Pending): void {
    this.pending.delete(p.seq)
    this.inFlight--
    p.sent = false
  }

  /**
   * The sender array zeroed for a read: the native helper writes it only for a sender other
   * than the kernel's unicast (port id or groups not 0).
   */
  private unsetSender(): Uint32Array {
    const s = this.sender
    s[0] = 0
    s[1] = 0
    return s
  }

  /** Parses what sendRecv or recvmsg read: n bytes into rbuf (-1: nothing yet). */
  private received(n: number): void {
    if (n < 0 || this.foreign(n, this.sender[0]!)) return
    if (n > this.rbuf.length && !this.unspill(n)) this.truncated(n)
    else this.onDatagram(n, this.sender[1]!)
  }

  /**
   * A datagram longer than rbuf, read on into the native helper's spill area (a link's
   * reply is sized to the link: with many VFs or altnames it passes 64 KiB): rbuf grows to
   * hold it and its rest is copied in. False when the spill could not hold it either.
   */
  private unspill(n: number): boolean {
    const have = this.rbuf.length
    if (this.b.takeSpill === undefined || n - have > (this.b.spillSize ?? 0)) return false
    const big = Buffer.allocUnsafe(grownSize(n, have))
    this.rbuf.copy(big, 0, 0, have)
    if (this.b.takeSpill(big, have, n - have) !== n - have) return false
    debug('datagram of %d bytes read on past the %d-byte buffer', n, have)
    this.rbuf = big
    return true
  }

  /** Sends queued requests in batches (one sendmsg each), draining replies in between. */
  private flush(): void {
    if (this.closed) return
    let rounds = 0
    const trace = tracing()
    const q = this.sendQueue
    while (q.length > 0 && this.inFlight < this.maxInFlight) {
      const room = Math.min(this.maxInFlight - this.inFlight, MAX_IOV)
      let count = 0
      let bytes = 0
      while (count < room && count < q.length) {
        const len = q[count]!.msg.length
        if (count > 0 && bytes + len > this.maxBatchBytes) break
        bytes += len
        count++
      }
      const batch = count === q.length ? q.splice(0) : q.splice(0, count)
      const bufs: Buffer[] = new Array(count)
      for (let i = 0; i < count; i++) {
        const p = batch[i]!
        this.stamp(p)
        bufs[i] = p.msg
      }
      if (trace) this.traceSend(batch)
      let n = -1
      try {
        const out = count === 1 ? bufs[0]! : bufs
        if (this.b.sendRecv) n = this.b.sendRecv(this.fd, out, this.rbuf, this.unsetSender())
        else this.b.sendmsg(this.fd, out)
      } catch (err) {
        const failure = sendFailure(err)
        if (failure === 'retry') {
          // Put the batch back and retry once replies drain.
          for (const p of batch) this.unstamp(p)
          q.unshift(...batch)
          this.drain()
          if (this.inFlight === 0) setTimeout(() => this.flush(), 1)
          break
        }
        if (failure === 'fail') {
          for (const p of batch) this.settle(p, err, true)
          for (const p of batch) this.forget(p)
          continue
        }
      }
      this.received(n)
      this.drain()
      if (++rounds >= 64 && q.length > 0) {
        // Let the event loop breathe during very long pipelines.
        setImmediate(() => this.flush())
        break
      }
    }
    this.updatePoll()
  }

  private traceSend(batch: Pending[]): void {
    for (const p of batch) {
      if (debug.enabled) debug('send %s seq=%d len=%d flags=%s', messageTypeName(p.type), p.seq, p.msg.length, flagNames(p.msg.readUInt16LE(6), messageTypeInfo(p.type)?.kind).join('|'))
      if (hexlog.enabled) hexlog('send seq=%d %s', p.seq, p.msg.toString('hex'))
    }
  }

  /** Reads while anything wants data and data is queued. */
  private pump(): void {
    if (this.closed) return
    this.drain()
    this.updatePoll()
  }

  private wantsRead(): boolean {
    if (this.closed) return false
    if (this.inFlight > (this.activeDump?.sent && this.pending.has(this.activeDump.seq) ? 1 : 0)) return true
    const d = this.activeDump
    if (d && d.sent && d.dump) {
      if (d.dump.discard || d.settled) return true
      // One kernel datagram at a time: the next is read when the consumer has taken all of
      // the last (the kernel builds it during that read anyway, so reading ahead gains
      // nothing). Fewer decoded objects alive means less for each scavenge to copy, and V8
      // grows its young generation by what scavenges copy: a 1M-route dump raised the peak
      // RSS by 24 MiB with 1,024 objects queued ahead, by 8 MiB with one datagram's worth.
      if (d.dump.tail === d.dump.head || !d.dump.open) return true
      // The kernel runs one dump per socket at a time. With another waiting, this one is read
      // to its end whatever its consumer does: a dump started inside another's loop (for each
      // link, list its addresses) would otherwise wait for the outer one, which waits for
      // its loop. The outer dump is then held in memory, as a dump read with toArray() is.
      if (this.dumpQueue.length > 0) return true
    }
    return this.groupCount > 0 && !this.notifyPaused
  }

  private updatePoll(): void {
    if (this.closed) return
    const want = this.wantsRead()
    if (want !== this.polling) {
      this.polling = want
      this.b.pollStart(this.poll, want ? POLL_READABLE : 0)
      this.applyRef()
    } else if (!this.refed && want) this.applyRef()
  }

  private applyRef(): void {
    if (this.closed) return
    // Requests keep the process alive; a pure notification listener only when ref()'d.
    const keep = this.refed || this.pending.size > 0 || this.sendQueue.length > 0
    this.b.pollRef(this.poll, keep)
  }

  private onReadable(status: number, _events: number): void {
    if (this.closed) return
    if (status < 0) {
      // libuv reports POLLERR as UV_EBADF and stops the handle. A netlink socket raises
      // POLLERR for a pending socket error: ENOBUFS once the kernel dropped messages for a
      // full receive buffer. Reading reports it (overrun()) and polling starts again; a
      // closed fd fails the read. Only POLLERR with nothing to read, repeatedly, is fatal.
      if (status !== UV_EBADF || ++this.pollErrors > 3) {
        this.fail(Object.assign(new Error(`netlink socket poll failed: ${status}`), { code: 'EIO' }))
        return
      }
      debug('POLLERR: reading the pending socket error')
      this.polling = false
    } else this.pollErrors = 0
    this.drain()
    if (this.sendQueue.length > 0) this.flush()
    else this.updatePoll()
  }

  private drain(): void {
    const b = this.b
    // Many small answers (ACKs of a pipelined batch): read them 64 per syscall. Not while a
    // dump runs (its parts are large and read one at a time for back-pressure) or while
    // notifications are wanted (their sender groups matter).
    if (b.recvBatch && !this.activeDump && this.groupCount === 0 && this.inFlight > 1) {
      while (!this.closed && this.batchSlot > 0 && this.wantsRead()) {
        // Local: a reply too large for its slot makes later reads use larger ones.
        const slot = this.batchSlot
        const bbuf = this.bbuf ??= Buffer.allocUnsafe(BATCH_BYTES)
        let k: number
        try {
          k = b.recvBatch(this.fd, bbuf, slot, this.blens, this.bpids)
        } catch (err) {
          const e = err as NodeJS.ErrnoException
          if (e.code === 'ENOBUFS') {
            this.overrun()
            continue
          }
          this.fail(err)
          return
        }
        if (k === 0) return
        for (let i = 0; i < k && !this.closed; i++) {
          const n = this.blens[i]!
          if (this.foreign(n, this.bpids[i]!)) continue
          if (n > slot) this.truncated(n, bbuf, i * slot, slot)
          else this.onDatagram(n, 0, bbuf, i * slot)
        }
        if (this.activeDump) break
      }
    }
    while (!this.closed && this.wantsRead()) {
      let n: number
      try {
        n = b.recvmsg(this.fd, this.rbuf, this.unsetSender())
      } catch (err) {
        const e = err as NodeJS.ErrnoException
        if (e.code === 'ENOBUFS') {
          this.overrun()
          continue
        }
        this.fail(err)
        return
      }
      if (n < 0) break
      this.received(n)
    }
  }

  /**
   * A datagram a process sent to this socket's port rather than the kernel: dropped (before
   * anything reads it, truncated or not) unless the socket accepts user-space senders.
   */
  private foreign(n: number, pid: number): boolean {
    if (pid === 0 || !this.kernelOnly) return false
    this.stats.foreign++
    debug('dropped a %d-byte datagram from port %d: not the kernel', n, pid)
    return true
  }

  /** The receive buffer overflowed: some answers were lost. */
  private overrun(): void {
    const err = (p?: Pending): NetlinkError =>
      new NetlinkError('ENOBUFS', 105, p ? this.infoOf(p.msg, p.seq, p.what) : { type: 'notification', flags: [], seq: 0 }, {
        message: 'socket receive buffer overrun: answers were lost; the request may or may not have been applied',
      })
    debug('ENOBUFS: receive buffer overrun')
    let any = false
    for (const p of this.pending.values()) {
      if (!p.settled) {
        any = true
        this.settle(p, err(p), true)
      }
      // A dump the kernel started goes on (an overrun drops none of its parts): it stays
      // pending, its remaining parts are read and dropped, and its DONE lets the next dump
      // start. Forgotten, its parts reached the notification listeners, and the next dump
      // was refused (EBUSY) or, after a timeout, never started.
      if (p.dump?.seen) continue
      // Its answer may be the one this overrun lost, or still come (then, forgotten, it
      // reached the notification listeners): what comes is dropped, and its sequence number
      // is not reused meanwhile. A dump not started yet is given up the same way.
      this.forget(p)
      this.dropLater(p.seq, p.dump !== undefined || !p.ackless)
      if (p.dump) this.dumpFinished(p)
    }
    if (this.groupCount > 0 || !any) for (const l of this.errorListeners) l(err())
  }

  /**
   * Fails over a request whose answer was malformed: it is no longer pending, and the rest of
   * its answer (its ACK), if still to come, is dropped rather than handed to the listeners.
   */
  private abandon(p: Pending): void {
    this.forget(p)
    if (!p.ackless) this.dropLater(p.seq, true)
  }

  /**
   * A malformed answer (truncated, bad length, stray bytes): fails the request it belongs to,
   * if any, or else goes to the error listeners.
   */
  private malformed(p: Pending | undefined, err: Error): void {
    if (p) {
      if (!p.dump) this.abandon(p)
      this.settle(p, err, true)
    } else for (const l of this.errorListeners) l(err)
  }

  /**
   * Drops what comes later with this sequence number (see overrun()): up to its DONE or
   * ERROR when `toAck`, else its first message. At most DROP_MAX are remembered.
   */
  private dropLater(seq: number, toAck: boolean): void {
    this.dropSeqs.set(seq, toAck)
    if (this.dropSeqs.size > DROP_MAX) this.dropSeqs.delete(this.dropSeqs.keys().next().value!)
  }

  /**
   * A datagram cut off at the end of its buffer: the buffer (or the batch slot) grows for the
   * next one. A GET's lone reply is asked for again, once; anything else fails its request
   * (DecodeError), or goes to the error listeners.
   */
  private truncated(n: number, buf: Buffer = this.rbuf, base = 0, size = buf.length): void {
    const seq = size >= 16 ? buf.readUInt32LE(base + 8) : 0
    const p = this.pending.get(seq)
    debug('truncated datagram %d > %d', n, size)
    if (buf !== this.rbuf) this.growBatchSlot(n)
    // Past batch reads, what comes next is read into rbuf: it grows now too.
    if (n > this.rbuf.length && (buf === this.rbuf || this.batchSlot === 0)) this.rbuf = Buffer.allocUnsafe(grownSize(n, this.rbuf.length))
    if (p !== undefined && this.retryable(p)) {
      this.resend(p)
      return
    }
    const err = new DecodeError(`datagram of ${n} bytes truncated to ${size}`, messageTypeName(buf.readUInt16LE(base + 4)), base, hexExcerpt(buf, base))
    this.malformed(p, err)
  }

  /** Batch reads with slots that hold n bytes from now on; none past BATCH_SLOT_MAX. */
  private growBatchSlot(n: number): void {
    if (n <= this.batchSlot || this.batchSlot === 0) return
    let slot = this.batchSlot
    while (slot < n && slot <= BATCH_SLOT_MAX) slot *= 2
    this.batchSlot = slot > BATCH_SLOT_MAX ? 0 : slot
    debug('batch reads: %s', this.batchSlot > 0 ? `${this.batchSlot}-byte slots` : 'off')
  }

  /**
   * A request that may be sent again after its answer was cut off: a GET (not a dump, which
   * the kernel has moved past) with nothing of its answer taken yet, not retried before.
   */
  private retryable(p: Pending): boolean {
    return !p.settled && !p.retried && p.dump === undefined && p.results === undefined && p.value === undefined &&
      messageTypeInfo(p.type)?.kind === 'get'
  }

  /** Sends p again, first in line, under a new sequence number; the old one's rest is dropped. */
  private resend(p: Pending): void {
    p.retried = true
    this.stats.retries++
    this.abandon(p)
    p.sent = false
    this.sendQueue.unshift(p)
    this.scheduleFlush()
  }

  private onDatagram(n: number, groups: number, buf: Buffer = this.rbuf, base = 0): void {
    if (this.busy) {
      this.parse(n, groups, buf, base)
      return
    }
    this.busy = true
    try {
      this.parse(n, groups, buf, base)
    } finally {
      this.busy = false
    }
  }

  private parse(n: number, groups: number, buf: Buffer, base: number): void {
    const trace = tracing()
    const end = base + n
    let off = base
    while (off + NLMSG_HDRLEN <= end) {
      const len = rd32(buf, off)
      const type = rd16(buf, off + 4)
      const flags = rd16(buf, off + 6)
      const seq = rd32(buf, off + 8)
      const pid = rd32(buf, off + 12)
      if (len < NLMSG_HDRLEN || off + len > end) {
        const err = new DecodeError(`bad nlmsg_len ${len} (datagram ${n} bytes)`, messageTypeName(type), off, hexExcerpt(buf, off))
        this.malformed(groups === 0 ? this.pending.get(seq) : undefined, err)
        return
      }
      let p = pid === this.portId ? this.pending.get(seq) : undefined
      // A multicast copy (groups set) of our own request's change is a notification, unless
      // the request asked for NLM_F_ECHO: the kernel then leaves this socket out of the
      // multicast and sends it the copy alone, as the request's reply.
      if (p !== undefined && groups !== 0 && (p.flags & NLM_F_ECHO) === 0) p = undefined
      if (p !== undefined && !trace) {
        if (type === NLMSG_ERROR && p.dump === undefined && !p.settled && len >= NLMSG_HDRLEN + 4 && rdS32(buf, off + NLMSG_HDRLEN) === 0) {
          // A plain ACK (error 0) of a pending request: settled without a message object
          // (bulk changes get one per request).
          this.forget(p)
          this.settle(p, undefined, false)
          off += (len + 3) & ~3
          continue
        }
        if (type >= NLMSG_MIN_TYPE) {
          this.onData(p, type, flags, seq, pid, buf, off, len)
          off += (len + 3) & ~3
          continue
        }
      }
      const msg: NlMsg = { type, flags, seq, pid, buf, off: off + NLMSG_HDRLEN, end: off + len }
      if (trace) {
        if (debug.enabled) debug('recv %s seq=%d len=%d flags=0x%s groups=%d', messageTypeName(type), seq, len, flags.toString(16), groups)
        if (hexlog.enabled) hexlog('recv seq=%d %s', seq, buf.toString('hex', off, off + len))
      }
      if (p) this.onReply(p, msg)
      else if (this.dropSeqs.size > 0 && groups === 0 && pid === this.portId && this.dropSeqs.has(seq)) {
        if (!this.dropSeqs.get(seq) || type === NLMSG_DONE || type === NLMSG_ERROR) this.dropSeqs.delete(seq)
      } else if (type !== NLMSG_NOOP && type !== NLMSG_OVERRUN) for (const l of this.listeners) l(msg, groups)
      off += (len + 3) & ~3
    }
    if (off < end) this.strayBytes(groups, buf, off, end)
  }

  /**
   * Bytes after the last message, too few for a header (the kernel never sends them): the
   * request whose sequence number they still carry gets a DecodeError, else onError listeners.
   */
  private strayBytes(groups: number, buf: Buffer, off: number, end: number): void {
    const err = new DecodeError(`${end - off} stray bytes at the end of a datagram, too few for a netlink header`, 'nlmsghdr', off, hexExcerpt(buf, off))
    debug('stray bytes: %s', err.message)
    const p = groups === 0 && end - off >= 12 ? this.pending.get(rd32(buf, off + 8)) : undefined
    this.malformed(p, err)
  }

  private onReply(p: Pending, msg: NlMsg): void {
    const { type } = msg
    if (p.settled && !p.dump) {
      // A late answer to a request that timed out or was aborted.
      if (type === NLMSG_ERROR || p.ackless) this.forget(p)
      return
    }
    if (type === NLMSG_ERROR) {
      const error = msg.end - msg.off >= 4 ? rdS32(msg.buf, msg.off) : -71 /* EPROTO */
      if (!p.dump) this.forget(p)
      if (error === 0) this.settle(p, undefined, false)
      else this.reject(p, msg, -error)
      if (p.dump) this.endDump(p)
      return
    }
    if (type === NLMSG_DONE) {
      if (!p.dump) return
      const s = p.dump
      const error = msg.end - msg.off >= 4 ? msg.buf.readInt32LE(msg.off) : 0
      if (msg.flags & NLM_F_DUMP_INTR) this.onIntr(p, s)
      if (error < 0 && !p.settled) this.reject(p, msg, -error)
      this.endDump(p)
      return
    }
    if (type === NLMSG_NOOP || type === NLMSG_OVERRUN) return
    if (p.dump) {
      this.onDumpItem(p, p.dump, msg)
      return
    }
    if (p.decode) {
      try {
        const v = p.decode(msg)
        if (v !== undefined) {
          if (p.result !== Result.One) (p.results ??= []).push(v)
          else if (p.value === undefined) p.value = v // requestOne: the first reply, no list
        }
      } catch (err) {
        this.settle(p, err, true)
        if (p.ackless) this.forget(p)
        return
      }
    }
    if (p.ackless) {
      this.forget(p)
      this.settle(p, undefined, false)
    }
  }

  /**
   * A data message answering a request or a dump: decoded through one reused cursor instead
   * of a new message object each (a 100,000-route dump allocated 7.7 MB of them).
   */
  private onData(p: Pending, type: number, flags: number, seq: number, pid: number, buf: Buffer, off: number, len: number): void {
    const c = this.cursor
    c.type = type
    c.flags = flags
    c.seq = seq
    c.pid = pid
    c.buf = buf
    c.off = off + NLMSG_HDRLEN
    c.end = off + len
    if (p.dump !== undefined) this.onDumpItem(p, p.dump, c)
    else this.onReply(p, c)
  }

  /** A data message of a dump: decoded and queued for the consumer. */
  private onDumpItem(p: Pending, s: DumpState, msg: NlMsg): void {
    s.seen = true
    if (msg.flags & NLM_F_DUMP_INTR) this.onIntr(p, s)
    // A 'retry' attempt interrupted before anything was handed out is restarted at its end:
    // the rest of it is dropped. Held, it could reach holdLimit and be handed out, and the
    // restart then repeated those items.
    if (s.discard || p.settled || (s.interrupted && !s.open)) return
    let v: unknown
    try {
      v = p.decode!(msg)
    } catch (err) {
      this.settle(p, err, true)
      return
    }
    if (v === undefined) return
    s.queue[s.tail++] = v
    if (!s.open && s.tail - s.head >= s.holdLimit) releaseHeld(s)
    if (s.open) this.wake(s)
  }

  private onIntr(p: Pending, s: DumpState): void {
    if (s.interrupted || s.discard) return
    s.interrupted = true
    debug('dump %s seq=%d interrupted (policy %s, attempt %d)', messageTypeName(p.type), p.seq, s.policy, s.attempts)
    if (s.policy === 'throw' || (s.policy === 'retry' && (s.open || s.attempts >= s.maxAttempts))) {
      clearQueue(s)
      this.settle(p, new DumpInterruptedError(this.infoOf(p.msg, p.seq, p.what), s.attempts), true)
    }
  }

  /** The kernel finished a dump (DONE or ERROR). */
  private endDump(p: Pending): void {
    const s = p.dump!
    this.forget(p)
    if (!p.settled && s.policy === 'retry' && s.interrupted) {
      // Restart transparently: nothing was released to the consumer yet.
      s.attempts++
      s.interrupted = false
      s.seen = false
      clearQueue(s) // the held items: none was handed out
      p.sent = false
      p.results = undefined
      this.activeDump = p
      this.sendQueue.unshift(p)
      this.scheduleFlush()
      return
    }
    if (!p.settled) {
      releaseHeld(s)
      this.settle(p, undefined, false)
    } else this.dumpFinished(p)
    this.wake(s)
  }

  /** Rejects p with a NetlinkError built from an NLMSG_ERROR / NLMSG_DONE carrying an error. */
  private reject(p: Pending, msg: NlMsg, errno: number): void {
    const extack = msg.type === NLMSG_ERROR ? this.parseExtack(p, msg) : this.parseDoneExtack(msg)
    const err = new NetlinkError(errnoName(errno), errno, this.infoOf(p.msg, p.seq, p.what), extack)
    debug('%s', err.message)
    this.settle(p, err, true)
  }

  private parseDoneExtack(msg: NlMsg): Extack | undefined {
    if (!(msg.flags & NLM_F_ACK_TLVS)) return undefined
    return this.readExtackTlvs(msg.buf, msg.off + 4, msg.end, undefined)
  }

  private parseExtack(p: Pending, msg: NlMsg): Extack | undefined {
    if (!(msg.flags & NLM_F_ACK_TLVS)) return undefined
    // struct nlmsgerr { int error; struct nlmsghdr msg; } then the request's payload
    // unless NLM_F_CAPPED, then the TLVs.
    const echoed = msg.end - msg.off >= 20 ? msg.buf.readUInt32LE(msg.off + 4) : NLMSG_HDRLEN
    const start = msg.off + 4 + (msg.flags & NLM_F_CAPPED ? NLMSG_HDRLEN : (echoed + 3) & ~3)
    return this.readExtackTlvs(msg.buf, start, msg.end, p)
  }

  private readExtackTlvs(buf: Buffer, start: number, end: number, p: Pending | undefined): Extack | undefined {
    const ext: Extack = {}
    let missType: number | undefined
    let missNest: number | undefined
    let off = start
    while (off + 4 <= end) {
      const len = buf.readUInt16LE(off)
      if (len < 4 || off + len > end) break
      const type = buf.readUInt16LE(off + 2) & 0x3fff
      const at = off + 4
      const plen = len - 4
      if (type === NLMSGERR_ATTR_MSG) {
        let e = at + plen
        while (e > at && buf[e - 1] === 0) e--
        ext.message = buf.toString('utf8', at, e)
      } else if (type === NLMSGERR_ATTR_OFFS && plen >= 4) ext.offset = buf.readUInt32LE(at)
      else if (type === NLMSGERR_ATTR_MISS_TYPE && plen >= 4) missType = buf.readUInt32LE(at)
      else if (type === NLMSGERR_ATTR_MISS_NEST && plen >= 4) missNest = buf.readUInt32LE(at)
      off += (len + 3) & ~3
    }
    if (p) this.nameExtack(p, ext, missType, missNest)
    else if (missType !== undefined) ext.missingAttribute = `#${missType}`
    return Object.keys(ext).length ? ext : undefined
  }

  /** Maps the kernel's offsets in our request back to attribute names. */
  private nameExtack(p: Pending, ext: Extack, missType: number | undefined, missNest: number | undefined): void {
    const info = messageTypeInfo(p.type)
    const root = info?.attrs
    const attrStart = NLMSG_HDRLEN + (info?.headerSize ?? 0)
    const req = p.msg
    const describe = (offset: number): { name: string; table: AttrTable | undefined } | undefined => {
      if (!info) return undefined
      if (offset < attrStart) return { name: `${info.name} header (byte ${offset - NLMSG_HDRLEN})`, table: root }
      const r = attrPathAt(root, req, attrStart, req.length, offset)
      if (!r.path.length) return undefined
      return { name: r.path.join(' > '), table: r.innerTable }
    }
    if (ext.offset !== undefined && ext.offset < req.length) {
      const d = describe(ext.offset)
      if (d) ext.attribute = d.name
    }
    if (missType !== undefined) {
      let table: AttrTable | undefined = root
      if (missNest !== undefined) {
        const d = describe(missNest)
        if (d) {
          ext.missingNest = d.name
          table = d.table
        } else table = undefined
      }
      const name = attrName(table, missType)
      ext.missingAttribute = ext.missingNest ? `${ext.missingNest} > ${name}` : name
    }
  }

  /** Closes the socket, rejecting everything pending with err. */
  private fail(err: unknown): void {
    if (this.closed) return
    this.closed = true
    this.closeError = err
    debug('close fd=%d: %s', this.fd, (err as Error).message)
    try {
      this.b.pollClose(this.poll)
    } catch { /* already closed */ }
    try {
      this.b.close(this.fd)
    } catch { /* already closed */ }
    const all = [...this.pending.values(), ...this.sendQueue, ...this.dumpQueue]
    this.pending.clear()
    this.sendQueue.length = 0
    this.dumpQueue.length = 0
    this.inFlight = 0
    if (this.activeDump !== undefined) this.activeDump = undefined // (see the constructor)
    for (const p of all) {
      if (p.dump) p.dump.discard = false
      this.settle(p, err instanceof SocketClosedError ? new SocketClosedError(this.infoOf(p.msg, p.seq, p.what)) : err, true)
      if (p.dump) this.wake(p.dump)
    }
    if (!(err instanceof SocketClosedError)) for (const l of this.errorListeners) l(err as Error)
  }
}

/**
 * What a failed send means: 'read' (sendRecv sent, then its read failed, e.g. ENOBUFS:
 * drain() deals with it), 'retry' (kernel memory pressure: send again once replies drain)
 * or 'fail' (the requests reject with the error).
 */
function sendFailure(err: unknown): 'read' | 'retry' | 'fail' {
  const e = err as NodeJS.ErrnoException
  if (e.syscall === 'recvmsg') return 'read'
  if (e.code === 'EAGAIN' || e.code === 'ENOBUFS') return 'retry'
  return 'fail'
}

function setBuf(b: NativeBinding, fd: number, force: number, plain: number, size: number): number {
  try {
    b.setsockopt(fd, SOL_SOCKET, force, size)
  } catch {
    try {
      b.setsockopt(fd, SOL_SOCKET, plain, size)
    } catch (err) {
      debug('cannot set buffer size: %s', (err as Error).message)
    }
  }
  try {
    return b.getsockopt(fd, SOL_SOCKET, plain)
  } catch {
    return 212992
  }
}

/** The size a receive buffer of `have` bytes grows to for an n-byte datagram. */
function grownSize(n: number, have: number): number {
  return Math.max(n, Math.min(RBUF_MAX, Math.max(n + 4096, have * 2)))
}
