/**
 * struct nlmsghdr and struct nlmsgerr, read with straight-line code.
 *
 *   struct nlmsghdr { __u32 nlmsg_len; __u16 nlmsg_type; __u16 nlmsg_flags; __u32 nlmsg_seq; __u32 nlmsg_pid; };
 *   struct nlmsgerr { int error; struct nlmsghdr msg; };
 */
import BufferLayout from 'buffer-layout'
import { NLMSG_HDRLEN } from './constants.js'
import { wr16, wr32 } from '../util/le.js'

/**
 * A fixed kernel struct declared with buffer-layout. Typed with this interface rather than
 * buffer-layout's classes, which ship no typings: the published declarations must not need them.
 */
export interface StructLayout<T = Record<string, number>> {
  /** Size in bytes. */
  readonly span: number
  decode(b: Uint8Array, offset?: number): T
  encode(src: T, b: Uint8Array, offset?: number): number
}

/** Declaration of struct nlmsghdr, checked against the hand-written reader in tests. */
export const nlmsghdr: StructLayout = BufferLayout.struct([
  BufferLayout.u32('len'),
  BufferLayout.u16('type'),
  BufferLayout.u16('flags'),
  BufferLayout.u32('seq'),
  BufferLayout.u32('pid'),
], 'nlmsghdr')

/**
 * One netlink message inside a received datagram. buf is the socket's receive
 * buffer: decoders must copy what they keep, because it is reused for the next
 * datagram. Decoders of replies and dumps also get one NlMsg object rewritten for every
 * message (only listeners get their own): keep what you read from it, not the object.
 */
export interface NlMsg {
  type: number
  flags: number
  seq: number
  pid: number
  buf: Buffer
  /** Offset of the message's payload (after nlmsghdr). */
  off: number
  /** End of the message (off + payload length). */
  end: number
}

export interface NlMsgHeader {
  len: number
  type: number
  flags: number
  seq: number
  pid: number
}

export function readHeader(buf: Buffer, off: number): NlMsgHeader {
  return {
    len: buf.readUInt32LE(off),
    type: buf.readUInt16LE(off + 4),
    flags: buf.readUInt16LE(off + 6),
    seq: buf.readUInt32LE(off + 8),
    pid: buf.readUInt32LE(off + 12),
  }
}

export { NLMSG_HDRLEN }

/**
 * Writes the nlmsghdr of a request built by hand (straight-line builders of hot requests):
 * length, type and flags; seq and port id 0 (the socket stamps them when it sends).
 */
export function putNlmsghdr(b: Buffer, len: number, type: number, flags: number): void {
  wr32(b, 0, len)
  wr16(b, 4, type)
  wr16(b, 6, flags)
  wr32(b, 8, 0)
  wr32(b, 12, 0)
}
