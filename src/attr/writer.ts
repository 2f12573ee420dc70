/**
 * NlWriter: builds netlink messages into one growable Buffer with straight-line
 * writes — nlmsghdr, a fixed family header, then attributes (TLVs), nested
 * attributes closed by patching their length.
 */
import { NLA_F_NESTED, NLMSG_HDRLEN } from '../netlink/constants.js'

// #define NLA_ALIGN(len) (((len) + NLA_ALIGNTO - 1) & ~(NLA_ALIGNTO - 1))
export const align4 = (n: number): number => (n + 3) & ~3

/** The writer {@link NlWriter.acquire} hands out, while nobody holds it. */
let spare: NlWriter | undefined

/**
 * Writes netlink messages and attributes into a growable buffer. Attributes are padded to
 * 4 bytes as they are written; integers are written little-endian, except by the `Be`
 * methods (network order). A codec's `encode` is given one to write its attribute with.
 */
export class NlWriter {
  /** The buffer written into. Writes replace it with a larger one as it grows: do not hold on to it across writes. */
  buf: Buffer
  /** Write position: bytes `[0, off)` of {@link buf} are what was written. */
  off = 0
  /** From acquire(): take() copies out and gives the writer back. */
  private pooled = false

  constructor(size = 256) {
    this.buf = Buffer.allocUnsafe(size)
  }

  /**
   * A reusable writer for building one message (the request builders' hot path): its
   * buffer is kept between messages and {@link take} returns an exact-size copy, one small
   * allocation instead of a fresh oversized buffer per request. A writer that was never
   * given back (an encoder threw) is simply left to the collector.
   */
  static acquire(): NlWriter {
    const w = spare ?? new NlWriter(4096)
    spare = undefined
    w.off = 0
    w.pooled = true
    return w
  }

  /** Makes room for n more bytes. */
  ensure(n: number): void {
    const need = this.off + n
    if (need <= this.buf.length) return
    let size = this.buf.length * 2
    while (size < need) size *= 2
    const next = Buffer.allocUnsafe(size)
    this.buf.copy(next, 0, 0, this.off)
    this.buf = next
  }

  /** Starts a message: writes an nlmsghdr whose length, seq and pid are patched later. */
  beginMessage(type: number, flags: number): number {
    const start = this.off
    this.ensure(NLMSG_HDRLEN)
    const b = this.buf
    for (let i = 0; i < NLMSG_HDRLEN; i++) b[start + i] = 0
    b.writeUInt16LE(type, start + 4)
    b.writeUInt16LE(flags, start + 6)
    this.off += NLMSG_HDRLEN
    return start
  }

  /** Patches nlmsg_len of the message started at start and pads to 4 bytes. */
  endMessage(start: number): void {
    this.pad()
    this.buf.writeUInt32LE(this.off - start, start)
  }

  /** Reserves n zeroed bytes (a fixed header) and returns their offset. */
  zeros(n: number): number {
    this.ensure(n)
    const at = this.off
    const b = this.buf
    if (n <= 64) for (let i = 0; i < n; i++) b[at + i] = 0
    else b.fill(0, at, at + n)
    this.off += n
    return at
  }

  /** Pads with zero bytes to the next 4-byte boundary (NLMSG_ALIGN / NLA_ALIGN). */
  pad(): void {
    const p = align4(this.off) - this.off
    if (p) {
      this.ensure(p)
      this.buf.fill(0, this.off, this.off + p)
      this.off += p
    }
  }

  private attrHeader(type: number, payload: number): number {
    const total = align4(4 + payload)
    this.ensure(total)
    const at = this.off
    this.buf.writeUInt16LE(4 + payload, at)
    this.buf.writeUInt16LE(type, at + 2)
    if (total !== 4 + payload) this.buf.fill(0, at + 4 + payload, at + total)
    this.off += total
    return at + 4
  }

  /** A u8 attribute. */
  attrU8(type: number, v: number): void {
    const at = this.attrHeader(type, 1) // before reading this.buf: attrHeader may grow it
    this.buf.writeUInt8(v, at)
  }
  /** A u16 attribute (little-endian). */
  attrU16(type: number, v: number): void {
    const at = this.attrHeader(type, 2) // before reading this.buf: attrHeader may grow it
    this.buf.writeUInt16LE(v, at)
  }
  /** A __be16 attribute (network byte order, e.g. a port). */
  attrBe16(type: number, v: number): void {
    const at = this.attrHeader(type, 2) // before reading this.buf: attrHeader may grow it
    this.buf.writeUInt16BE(v, at)
  }
  /** A u32 attribute (little-endian). */
  attrU32(type: number, v: number): void {
    const at = this.attrHeader(type, 4) // before reading this.buf: attrHeader may grow it
    this.buf.writeUInt32LE(v >>> 0, at)
  }
  /** An s32 attribute (little-endian). */
  attrS32(type: number, v: number): void {
    const at = this.attrHeader(type, 4) // before reading this.buf: attrHeader may grow it
    this.buf.writeInt32LE(v, at)
  }
  /** A __be32 attribute (network byte order). */
  attrBe32(type: number, v: number): void {
    const at = this.attrHeader(type, 4) // before reading this.buf: attrHeader may grow it
    this.buf.writeUInt32BE(v >>> 0, at)
  }
  /** A u64 attribute (little-endian), from a bigint or a number. */
  attrU64(type: number, v: bigint | number): void {
    const at = this.attrHeader(type, 8) // before reading this.buf: attrHeader may grow it
    this.buf.writeBigUInt64LE(BigInt(v), at)
  }
  /** A flag attribute (NLA_FLAG): a header with no payload. */
  attrFlag(type: number): void {
    this.attrHeader(type, 0)
  }
  /** A NUL-terminated string attribute (NLA_NUL_STRING / NLA_STRING as iproute2 sends them). */
  attrStr(type: number, s: string): void {
    const len = Buffer.byteLength(s)
    const at = this.attrHeader(type, len + 1)
    this.buf.write(s, at, len, 'utf8')
    this.buf[at + len] = 0
  }
  /** An attribute whose payload is `data` as it is (padded to 4 bytes). */
  attrBytes(type: number, data: Uint8Array): void {
    const at = this.attrHeader(type, data.length)
    this.buf.set(data, at)
  }

  /** Opens a nested attribute (NLA_F_NESTED unless plain is set); close with {@link endNest}. */
  beginNest(type: number, plain = false): number {
    const at = this.off
    this.ensure(4)
    this.buf.writeUInt16LE(0, at)
    this.buf.writeUInt16LE(plain ? type : type | NLA_F_NESTED, at + 2)
    this.off += 4
    return at
  }

  /** Closes the nested attribute {@link beginNest} opened at `at` by patching its length. */
  endNest(at: number): void {
    this.buf.writeUInt16LE(this.off - at, at)
  }

  /** A copy of what was written. */
  finish(): Buffer {
    return Buffer.from(this.buf.subarray(0, this.off))
  }

  /**
   * What was written. The writer must not be used afterwards: one made with `new` hands over
   * its own buffer (no copy); one from {@link acquire} returns an exact-size copy and goes
   * back to the pool.
   */
  take(): Buffer {
    if (this.pooled) {
      const n = this.off
      const out = Buffer.allocUnsafe(n)
      const b = this.buf
      if (n <= 128) for (let i = 0; i < n; i++) out[i] = b[i]!
      else b.copy(out, 0, 0, n)
      this.off = 0
      this.pooled = false
      if (b.length <= 65536) spare = this
      return out
    }
    const out = this.buf.subarray(0, this.off)
    this.buf = Buffer.alloc(0)
    this.off = 0
    return out
  }

  /** A view of what was written (valid until the next write). */
  view(): Buffer {
    return this.buf.subarray(0, this.off)
  }

  /** Discards what was written (the buffer is kept) to start again at offset 0. */
  reset(): void {
    this.off = 0
  }
}
