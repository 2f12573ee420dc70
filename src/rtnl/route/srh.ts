/**
 * IPv6 segment routing headers (struct ipv6_sr_hdr, <linux/seg6.h>) as segment lists, for
 * seg6 encapsulations and seg6local behaviours (./encap.ts).
 */
import type { Codec } from '../../attr/table.js'
import { decodeFail } from '../../attr/codec.js'
import { ValidationError } from '../../errors.js'
import { AF_INET6, formatIp, parseIp } from '../../util/ip.js'
import { isInt } from '../../util/check.js'
import { checkKnownKeys } from '../../util/keys.js'

// SR6_FLAG1_HMAC, SR6_TLV_HMAC (<linux/seg6.h>); struct sr6_tlv_hmac is 40 bytes (<linux/seg6_hmac.h>).
const SR6_FLAG1_HMAC = 1 << 3
const SR6_TLV_HMAC = 5
const HMAC_TLV_LEN = 40

/** The segments of an SRH, in the order a packet visits them, with an HMAC key id and tag. */
export interface SegmentList {
  /** IPv6 addresses, first segment first (`segs a,b,c`). */
  segments: string[]
  /** `hmac KEYID`: the key id of an HMAC TLV (computed by the kernel). */
  hmac?: number
  /** The SRH's tag field. */
  tag?: number
}

/**
 * struct ipv6_sr_hdr as iproute2's parse_srh() builds it: segments[] holds them in reverse
 * (segments[first_segment] is visited first); `slot` adds a zero segment at segments[0],
 * which the kernel fills with the packet's destination (inline insertion).
 */
export function writeSrh(v: SegmentList, slot: boolean): Buffer {
  const n = v.segments.length + (slot ? 1 : 0)
  const len = 8 + 16 * n + (v.hmac !== undefined ? HMAC_TLV_LEN : 0)
  const b = Buffer.alloc(len)
  b[1] = (len >> 3) - 1 // hdrlen: 8-octet units after the first 8
  b[2] = 4 // IPV6_SRCRT_TYPE_4
  b[3] = n - 1 // segments_left
  b[4] = n - 1 // first_segment
  b[5] = v.hmac !== undefined ? SR6_FLAG1_HMAC : 0
  b.writeUInt16BE(v.tag ?? 0, 6)
  v.segments.forEach((s, i) => Buffer.from(parseIp(s).bytes).copy(b, 8 + 16 * (n - 1 - i)))
  if (v.hmac !== undefined) {
    const t = len - HMAC_TLV_LEN
    b[t] = SR6_TLV_HMAC
    b[t + 1] = HMAC_TLV_LEN - 2
    b.writeUInt32BE(v.hmac, t + 4)
  }
  return b
}

export function readSrh(buf: Buffer, off: number, len: number, path: string): SegmentList {
  if (len < 8) decodeFail('ipv6_sr_hdr shorter than 8 bytes', buf, off, path)
  const total = (buf[off + 1]! + 1) * 8
  const n = buf[off + 4]! + 1
  if (total > len || 8 + 16 * n > total) decodeFail(`ipv6_sr_hdr of ${total} bytes with ${n} segments in ${len}`, buf, off, path)
  const out: SegmentList = { segments: [] }
  for (let i = n - 1; i >= 0; i--) out.segments.push(formatIp(buf, off + 8 + 16 * i, 16))
  const tag = buf.readUInt16BE(off + 6)
  if (tag !== 0) out.tag = tag
  if (buf[off + 5]! & SR6_FLAG1_HMAC) {
    const t = off + total - HMAC_TLV_LEN
    if (t < off + 8 + 16 * n || buf[t] !== SR6_TLV_HMAC) decodeFail('HMAC flag without an HMAC TLV', buf, off, path)
    out.hmac = buf.readUInt32BE(t + 4)
  }
  return out
}

export function checkSegments(v: Record<string, unknown>, field: string): void {
  const s = v['segments']
  if (!Array.isArray(s) || s.length === 0 || s.length > 127)
    throw new ValidationError(`${field}.segments: expected 1-127 IPv6 addresses`, `${field}.segments`, s)
  s.forEach((a: unknown, i) => {
    if (typeof a !== 'string' || parseIp(a, `${field}.segments[${i}]`).family !== AF_INET6)
      throw new ValidationError(`${field}.segments[${i}]: expected an IPv6 address`, `${field}.segments[${i}]`, a)
  })
  if (v['hmac'] !== undefined && !isInt(v['hmac'], 0, 0xffffffff))
    throw new ValidationError(`${field}.hmac: expected a key id 0-4294967295`, `${field}.hmac`, v['hmac'])
  if (v['tag'] !== undefined && !isInt(v['tag'], 0, 0xffff))
    throw new ValidationError(`${field}.tag: expected an integer 0-65535`, `${field}.tag`, v['tag'])
}

/** A segment list given without the zero slot inline insertion adds, read back without it. */
export function dropSlot(s: SegmentList): SegmentList {
  if (s.segments.length > 1 && s.segments[s.segments.length - 1] === '::') s.segments.pop()
  return s
}

/** SEG6_LOCAL_SRH: an SRH alone, as a segment list (End.B6's zero slot is handled by the kind). */
export const srh: Codec<SegmentList> = {
  kind: 'ipv6_sr_hdr',
  decode: readSrh,
  encode: (w, t, v) => w.attrBytes(t, writeSrh(v, false)),
  check(v, field) {
    if (typeof v !== 'object' || v === null) throw new ValidationError(`${field}: expected { segments, hmac?, tag? }`, field, v)
    checkKnownKeys(v, SRH_KEYS, field)
    checkSegments(v as Record<string, unknown>, field)
  },
}
const SRH_KEYS: ReadonlySet<string> = new Set(['segments', 'hmac', 'tag'])

