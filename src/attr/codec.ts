/**
 * Attribute (TLV) walking: struct nlattr { __u16 nla_len; __u16 nla_type; }
 * followed by the payload, padded to 4 bytes. Every walker checks lengths and
 * throws a {@link DecodeError} carrying the attribute path instead of reading
 * past the end.
 */
import { DecodeError, hexExcerpt } from '../errors.js'
import { rd16 } from '../util/le.js'
import { NLA_TYPE_MASK } from '../netlink/constants.js'

/** An attribute kept as type + raw bytes (unknown to the schema, or raw by design). */
export interface RawAttr {
  /** nla_type, including the NLA_F_NESTED / NLA_F_NET_BYTEORDER bits as received. */
  type: number
  data: Uint8Array
}

/** Payload of empty attributes (e.g. empty nests), shared: nothing in it to change. */
const EMPTY: Uint8Array = Object.freeze(new Uint8Array(0)) as Uint8Array

/** A copy of buf[start, end) that does not keep the (reused) receive buffer alive: one allocation. */
export function copyBytes(buf: Uint8Array, start: number, end: number): Uint8Array {
  const n = end - start
  if (n === 0) return EMPTY
  const out = new Uint8Array(n)
  // Small payloads (most unknown attributes): a byte loop beats creating a view to copy from.
  if (n <= 64) for (let i = 0; i < n; i++) out[i] = buf[start + i]!
  else out.set(new Uint8Array(buf.buffer, buf.byteOffset + start, n))
  return out
}

/** Throws a DecodeError for buf at off. */
export function decodeFail(msg: string, buf: Uint8Array, off: number, path: string): never {
  throw new DecodeError(msg, path, off, hexExcerpt(buf, off))
}

/**
 * Calls fn(type, payloadOffset, payloadLength) for each attribute in [start, end).
 * type has the NLA_F_* bits masked off. Throws DecodeError on a malformed TLV.
 */
export function forEachAttr(
  buf: Buffer,
  start: number,
  end: number,
  path: string,
  fn: (type: number, off: number, len: number) => void,
): void {
  let off = start
  while (off + 4 <= end) {
    const len = rd16(buf, off)
    if (len < 4 || off + len > end) decodeFail(`bad attribute length ${len}`, buf, off, path)
    fn(rd16(buf, off + 2) & NLA_TYPE_MASK, off + 4, len - 4)
    off += (len + 3) & ~3
  }
  if (off < end && end - off >= 4) decodeFail('trailing bytes after attributes', buf, off, path)
}

/** The first attribute of the given type in [start, end), as [payloadOffset, length], or undefined. */
export function findAttr(buf: Buffer, start: number, end: number, type: number): [number, number] | undefined {
  const at = attrOffset(buf, start, end, type)
  return at < 0 ? undefined : [at + 4, rd16(buf, at) - 4]
}

/**
 * The offset of the first attribute of the given type in [start, end) (its header), or -1,
 * also when a malformed length ends the walk. No allocation: for peeks on hot paths.
 */
export function attrOffset(buf: Buffer, start: number, end: number, type: number): number {
  let off = start
  while (off + 4 <= end) {
    const len = rd16(buf, off)
    if (len < 4 || off + len > end) return -1
    if ((rd16(buf, off + 2) & NLA_TYPE_MASK) === type) return off
    off += (len + 3) & ~3
  }
  return -1
}

/**
 * Short ASCII strings recently decoded (link names, qdiscs, kinds, labels), by a hash of
 * their bytes: a name the kernel reports again is returned without building a new string.
 * Direct-mapped (a colliding name replaces the older one), so its size is fixed.
 */
const STR_SLOTS = 1024
const STR_MAX = 32
const strCache: string[] = new Array<string>(STR_SLOTS).fill('')

/** Reads a NUL-terminated (or unterminated) string payload. */
export function readStr(buf: Buffer, off: number, len: number): string {
  const limit = off + len
  let end = off
  let ascii = 0
  let h = 0
  for (; end < limit; end++) {
    const c = buf[end]!
    if (c === 0) break
    ascii |= c
    h = (Math.imul(h, 31) + c) | 0
  }
  const n = end - off
  if (ascii > 0x7f) return buf.toString('utf8', off, end)
  if (n > STR_MAX) return latin1(buf, off, end)
  if (n === 0) return ''
  const slot = (h ^ (h >>> 10) ^ n) & (STR_SLOTS - 1)
  const hit = strCache[slot]!
  if (hit.length === n) {
    let i = 0
    while (i < n && hit.charCodeAt(i) === buf[off + i]) i++
    if (i === n) return hit
  }
  // Names are short and ASCII: latin1Slice skips toString's argument checks and UTF-8 decoding.
  const s = latin1(buf, off, end)
  strCache[slot] = s
  return s
}

type Latin1Slice = (this: Buffer, start: number, end: number) => string
const latin1Slice = (Buffer.prototype as unknown as { latin1Slice?: Latin1Slice }).latin1Slice
const latin1 = latin1Slice
  ? (buf: Buffer, s: number, e: number): string => latin1Slice.call(buf, s, e)
  : (buf: Buffer, s: number, e: number): string => buf.toString('latin1', s, e)

/** Checks a fixed-size payload. */
export function expectLen(buf: Buffer, off: number, len: number, want: number, path: string): void {
  if (len < want) decodeFail(`attribute payload is ${len} bytes, expected ${want}`, buf, off, path)
}
