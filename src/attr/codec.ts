/**
 * Attribute (TLV) walking: struct nlattr { __u16 nla_len; __u16 nla_type; }
 * followed by the payload, padded to 4 bytes. Every walker checks lengths and
 * throws a {@link DecodeError} carrying the attribute path instead of reading
 * past the end.
 */
import { DecodeError, hexExcerpt } from '../errors.js'
import { NLA_TYPE_MASK } from '../netlink/constants.js'

/** An attribute kept as type + raw bytes (unknown to the schema, or raw by design). */
export interface RawAttr {
  /** nla_type, including the NLA_F_NESTED / NLA_F_NET_BYTEORDER bits as received. */
  type: number
  data: Uint8Array
}

/** A copy of buf[start, end) that does not keep the (reused) receive buffer alive: one allocation. */
export function copyBytes(buf: Uint8Array, start: number, end: number): Uint8Array {
  // A plain Uint8Array view, then its slice: avoids Buffer's species constructor.
  return new Uint8Array(buf.buffer, buf.byteOffset + start, end - start).slice()
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
    const len = buf.readUInt16LE(off)
    if (len < 4 || off + len > end) decodeFail(`bad attribute length ${len}`, buf, off, path)
    fn(buf.readUInt16LE(off + 2) & NLA_TYPE_MASK, off + 4, len - 4)
    off += (len + 3) & ~3
  }
  if (off < end && end - off >= 4) decodeFail('trailing bytes after attributes', buf, off, path)
}

/** The first attribute of the given type in [start, end), as [payloadOffset, length], or undefined. */
export function findAttr(buf: Buffer, start: number, end: number, type: number): [number, number] | undefined {
  let off = start
  while (off + 4 <= end) {
    const len = buf.readUInt16LE(off)
    if (len < 4 || off + len > end) return undefined
    if ((buf.readUInt16LE(off + 2) & NLA_TYPE_MASK) === type) return [off + 4, len - 4]
    off += (len + 3) & ~3
  }
  return undefined
}

/** Reads a NUL-terminated (or unterminated) string payload. */
export function readStr(buf: Buffer, off: number, len: number): string {
  let end = off + len
  const nul = buf.indexOf(0, off)
  if (nul >= 0 && nul < end) end = nul
  return buf.toString('utf8', off, end)
}

/** Checks a fixed-size payload. */
export function expectLen(buf: Buffer, off: number, len: number, want: number, path: string): void {
  if (len < want) decodeFail(`attribute payload is ${len} bytes, expected ${want}`, buf, off, path)
}
