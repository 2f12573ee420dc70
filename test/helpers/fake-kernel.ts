/**
 * A fake NativeBinding for socket-core tests: requests go to a handler that
 * queues reply datagrams; recvmsg pops them; poll readiness fires on setImmediate.
 */
import type { NativeBinding, PollHandle } from '../../src/native/binding.js'

export interface SentMessage {
  type: number
  flags: number
  seq: number
  pid: number
  payload: Buffer
  raw: Buffer
}

export type Handler = (msg: SentMessage, k: FakeKernel) => void

/** Builds one netlink message. */
export function nlmsg(type: number, flags: number, seq: number, pid: number, payload: Buffer = Buffer.alloc(0)): Buffer {
  const len = 16 + payload.length
  const b = Buffer.alloc((len + 3) & ~3)
  b.writeUInt32LE(len, 0)
  b.writeUInt16LE(type, 4)
  b.writeUInt16LE(flags, 6)
  b.writeUInt32LE(seq, 8)
  b.writeUInt32LE(pid, 12)
  payload.copy(b, 16)
  return b
}

/** An NLMSG_ERROR (error 0 = ACK) answering msg, capped, with optional extack TLVs. */
export function errorMsg(msg: SentMessage, error: number, tlvs?: Buffer): Buffer {
  const p = Buffer.alloc(4 + 16 + (tlvs?.length ?? 0))
  p.writeInt32LE(error, 0)
  msg.raw.copy(p, 4, 0, 16)
  if (tlvs) tlvs.copy(p, 20)
  return nlmsg(2, 0x100 | (tlvs ? 0x200 : 0), msg.seq, msg.pid, p)
}

export function tlv(type: number, data: Buffer): Buffer {
  const b = Buffer.alloc((4 + data.length + 3) & ~3)
  b.writeUInt16LE(4 + data.length, 0)
  b.writeUInt16LE(type, 2)
  data.copy(b, 4)
  return b
}

export class FakeKernel implements NativeBinding {
  /** Datagrams waiting to be read; pid is the sender's port id (0: the kernel). */
  readonly queue: { data: Buffer; groups: number; pid?: number }[] = []
  readonly sent: SentMessage[] = []
  sendCalls = 0
  closed = new Set<number>()
  pollCb: ((s: number, e: number) => void) | undefined
  polling = 0
  recvError: NodeJS.ErrnoException | undefined
  portId = 4242
  private scheduled = false

  constructor(public handler: Handler = (m, k) => k.reply(errorMsg(m, 0))) {
    this.recvBatch = (_fd, buf, slot, lens, pids) => {
      this.recvBatchCalls++
      if (this.recvError) {
        const e = this.recvError
        this.recvError = undefined
        throw e
      }
      let k = 0
      const max = Math.min(lens.length, Math.floor(buf.length / slot))
      while (k < max && this.queue.length && this.queue[0]!.groups === 0) {
        const d = this.queue.shift()!
        d.data.copy(buf, k * slot, 0, Math.min(slot, d.data.length))
        if (pids) pids[k] = d.pid ?? 0
        lens[k++] = d.data.length
      }
      return k
    }
  }

  reply(...msgs: Buffer[]): void {
    this.queue.push({ data: Buffer.concat(msgs), groups: 0 })
    this.kick()
  }

  /** A datagram sent to the socket's port by a process (port id `pid`), not the kernel. */
  forge(pid: number, ...msgs: Buffer[]): void {
    this.queue.push({ data: Buffer.concat(msgs), groups: 0, pid })
    this.kick()
  }

  multicast(groups: number, ...msgs: Buffer[]): void {
    this.queue.push({ data: Buffer.concat(msgs), groups })
    this.kick()
  }

  private kick(): void {
    if (this.scheduled) return
    this.scheduled = true
    setImmediate(() => {
      this.scheduled = false
      if (this.polling && this.queue.length && this.pollCb) this.pollCb(0, 1)
    })
  }

  socket(): number { return 100 }
  bind(): void {}
  /** connect() calls: [pid, groups]. */
  readonly connects: [number, number][] = []
  connect(_fd: number, pid: number, groups: number): void { this.connects.push([pid, groups]) }
  getsockname(): number { return this.portId }
  setsockopt(_fd: number, _level: number, _name: number, _value: number): void {}
  getsockopt(): number { return 1 << 20 }
  sendmsg(fd: number, buffers: Buffer | readonly Buffer[]): number {
    if (this.closed.has(fd)) throw Object.assign(new Error('EBADF'), { code: 'EBADF' })
    if (this.sendError) {
      const e = this.sendError
      this.sendError = undefined
      throw e
    }
    this.sendCalls++
    const all = Buffer.concat(Array.isArray(buffers) ? buffers : [buffers as Buffer])
    let off = 0
    while (off + 16 <= all.length) {
      const len = all.readUInt32LE(off)
      const raw = Buffer.from(all.subarray(off, off + len))
      const m: SentMessage = {
        type: raw.readUInt16LE(4), flags: raw.readUInt16LE(6), seq: raw.readUInt32LE(8), pid: raw.readUInt32LE(12),
        payload: raw.subarray(16), raw,
      }
      this.sent.push(m)
      this.handler(m, this)
      off += (len + 3) & ~3
    }
    return all.length
  }
  recvmsg(_fd: number, buf: Buffer, sender?: Uint32Array): number {
    if (this.recvError) {
      const e = this.recvError
      this.recvError = undefined
      throw e
    }
    const d = this.queue.shift()
    if (!d) return -1
    d.data.copy(buf, 0, 0, Math.min(buf.length, d.data.length))
    if (this.spillSize !== undefined) this.spilled = d.data.subarray(buf.length, buf.length + this.spillSize)
    if (sender) {
      sender[0] = d.pid ?? 0
      sender[1] = d.groups
    }
    return d.data.length
  }
  /**
   * Like the native sendRecv (sendmsg, then one MSG_DONTWAIT recvmsg): installed by
   * {@link FakeKernel.answerInSend}, so a handler that replies at once behaves like rtnetlink.
   */
  sendRecv?(fd: number, buffers: Buffer | readonly Buffer[], buf: Buffer, sender?: Uint32Array): number
  sendRecvCalls = 0
  /** A send error for the next sendmsg/sendRecv (e.g. EAGAIN), once. */
  sendError: NodeJS.ErrnoException | undefined
  answerInSend(): this {
    this.sendRecv = (fd, buffers, buf, sender) => {
      this.sendRecvCalls++
      this.sendmsg(fd, buffers)
      return this.recvmsg(fd, buf, sender)
    }
    return this
  }
  /** Like the native spill area behind recvmsg/sendRecv's buffer: installed by {@link FakeKernel.withSpill}. */
  spillSize?: number
  takeSpill?(buf: Buffer, offset: number, length: number): number
  private spilled: Buffer = Buffer.alloc(0)
  takeSpillCalls = 0
  withSpill(size: number): this {
    this.spillSize = size
    this.takeSpill = (buf, offset, length) => {
      this.takeSpillCalls++
      return this.spilled.copy(buf, offset, 0, Math.min(length, this.spilled.length))
    }
    return this
  }
  /** recvmmsg into slots. */
  recvBatchCalls = 0
  recvBatch?(fd: number, buf: Buffer, slot: number, lens: Int32Array, pids?: Uint32Array): number
  close(fd: number): void { this.closed.add(fd) }
  pollCreate(_fd: number, cb: (s: number, e: number) => void): PollHandle {
    this.pollCb = cb
    return {} as PollHandle
  }
  pollStart(_h: PollHandle, events: number): void {
    this.polling = events
    if (events) this.kick()
  }
  pollRef(): void {}
  pollClose(): void { this.pollCb = undefined; this.polling = 0 }
  setns(): void {}
  unshare(): void {}
  unshareNetns(): number { return 101 }
  socketInNetns(): number { return 100 }
  mount(): void {}
  umount2(): void {}
  flock(): boolean { return true }
  nsType(): number { return 0x40000000 }
  gettid(): number { return 1 }
  execvpe(): never { throw Object.assign(new Error("fake kernel: no exec"), { code: "ENOSYS" }) }
}
