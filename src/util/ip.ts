/**
 * IPv4/IPv6 addresses, CIDR prefixes and MAC addresses: parse (strictly, with
 * {@link ValidationError}) and format (IPv6 per RFC 5952, as `ip` prints them).
 */
import { ValidationError } from '../errors.js'

export const AF_UNSPEC = 0
export const AF_INET = 2
export const AF_BRIDGE = 7
export const AF_INET6 = 10
export const AF_MPLS = 28

/** 4 for IPv4, 6 for IPv6, as in Node's `net.isIP`. */
export type IpVersion = 4 | 6

/** An address family: `'inet'` (IPv4), `'inet6'` (IPv6). */
export type Family = 'inet' | 'inet6'

export interface ParsedIp {
  family: typeof AF_INET | typeof AF_INET6
  bytes: Buffer
}

export interface ParsedCidr extends ParsedIp {
  /** The address as given, normalised (`'10.0.0.1'`, `'fe80::1'`). */
  address: string
  prefixLength: number
}

function parseIpv4(s: string): Buffer | undefined {
  const out = Buffer.allocUnsafe(4)
  return parseIpv4Into(s, 0, s.length, out, 0) ? out : undefined
}

/**
 * Parses the dotted IPv4 address s[start..end) into out[off..off+4); false when it is not one
 * (no leading zeros, no other forms). Hand-rolled (no split/regex): this runs once per address
 * in bulk adds.
 */
export function parseIpv4Into(s: string, start: number, end: number, out: Uint8Array, off: number): boolean {
  const n = end - start
  if (n < 7 || n > 15) return false
  let part = 0
  let value = 0
  let digits = 0
  for (let i = start; i <= end; i++) {
    const c = i < end ? s.charCodeAt(i) : 46 /* '.' */
    if (c === 46) {
      if (digits === 0 || part > 3) return false
      out[off + part++] = value
      value = 0
      digits = 0
    } else if (c >= 48 && c <= 57) {
      if (digits > 0 && value === 0) return false // leading zero
      value = value * 10 + (c - 48)
      if (++digits > 3 || value > 255) return false
    } else return false
  }
  return part === 4
}

/**
 * `'a.b.c.d'` or `'a.b.c.d/n'` parsed into out[off..off+4): the prefix length (32 without
 * one), or -1 for anything else, which the caller hands to {@link parseCidr} for its error.
 */
export function parseIpv4CidrInto(s: string, out: Uint8Array, off: number): number {
  const slash = s.indexOf('/')
  if (slash < 0) return parseIpv4Into(s, 0, s.length, out, off) ? 32 : -1
  const n = s.length - slash - 1
  if (n < 1 || n > 2 || !parseIpv4Into(s, 0, slash, out, off)) return -1
  let v = 0
  for (let i = slash + 1; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c < 48 || c > 57) return -1
    v = v * 10 + (c - 48)
  }
  return v <= 32 ? v : -1
}

function parseIpv6(s: string): Buffer | undefined {
  const pct = s.indexOf('%')
  if (pct >= 0) return undefined // zone ids are not addresses the kernel takes
  let head = s
  let tail = ''
  const dbl = s.indexOf('::')
  if (dbl >= 0) {
    if (s.indexOf('::', dbl + 1) >= 0) return undefined
    head = s.slice(0, dbl)
    tail = s.slice(dbl + 2)
  }
  // A dotted IPv4 part may only end the address (RFC 4291 2.2): not before a '::'.
  const groups = (part: string, endsAddress: boolean): number[] | undefined => {
    if (part === '') return []
    const out: number[] = []
    const items = part.split(':')
    for (let i = 0; i < items.length; i++) {
      const g = items[i]!
      if (endsAddress && i === items.length - 1 && g.includes('.')) {
        const v4 = parseIpv4(g)
        if (!v4) return undefined
        out.push((v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!)
      } else {
        if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined
        out.push(parseInt(g, 16))
      }
    }
    return out
  }
  const h = groups(head, dbl < 0)
  const t = groups(tail, true)
  if (!h || !t) return undefined
  let all: number[]
  if (dbl >= 0) {
    if (h.length + t.length > 7) return undefined
    all = [...h, ...new Array<number>(8 - h.length - t.length).fill(0), ...t]
  } else {
    if (h.length !== 8) return undefined
    all = h
  }
  const out = Buffer.allocUnsafe(16)
  for (let i = 0; i < 8; i++) out.writeUInt16BE(all[i]!, i * 2)
  return out
}

/** Parses an IPv4 or IPv6 address; undefined when it is neither. */
export function tryParseIp(s: string): ParsedIp | undefined {
  if (typeof s !== 'string') return undefined
  if (s.includes(':')) {
    const b = parseIpv6(s)
    return b && { family: AF_INET6, bytes: b }
  }
  const b = parseIpv4(s)
  return b && { family: AF_INET, bytes: b }
}

/**
 * Parses an IPv4 or IPv6 address.
 * @throws {ValidationError} when s is not an address.
 */
export function parseIp(s: string, field = 'address'): ParsedIp {
  const r = tryParseIp(s)
  if (!r) throw new ValidationError(`${field}: not an IPv4 or IPv6 address: ${JSON.stringify(s)}`, field, s)
  return r
}

/**
 * Parses `'10.0.0.1/24'`, `'fe80::1/64'`, or a bare address (full-length prefix).
 * @throws {ValidationError} on a bad address or prefix length.
 */
export function parseCidr(s: string, field = 'address'): ParsedCidr {
  if (typeof s !== 'string') throw new ValidationError(`${field}: expected a string like '10.0.0.1/24'`, field, s)
  const slash = s.indexOf('/')
  const addr = slash >= 0 ? s.slice(0, slash) : s
  const ip = parseIp(addr, field)
  const max = ip.family === AF_INET ? 32 : 128
  let prefixLength = max
  if (slash >= 0) {
    let v = 0
    const n = s.length - slash - 1
    for (let i = slash + 1; i < s.length; i++) {
      const c = s.charCodeAt(i)
      if (c < 48 || c > 57) { v = -1; break }
      v = v * 10 + (c - 48)
    }
    if (n < 1 || n > 3 || v < 0 || v > max)
      throw new ValidationError(`${field}: bad prefix length in ${JSON.stringify(s)} (0-${max})`, field, s)
    prefixLength = v
  }
  // The canonical text: IPv4 as given (already canonical once parsed), IPv6 re-formatted.
  return { family: ip.family, bytes: ip.bytes, address: ip.family === AF_INET ? addr : formatIp(ip.bytes), prefixLength }
}

/** Formats 4 or 16 bytes (at off) as an IPv4 or RFC 5952 IPv6 address. */
export function formatIp(buf: Uint8Array, off = 0, len = buf.length - off): string {
  if (len === 4) return ipv4Prefix(buf, off) + DEC[buf[off + 3]!]!
  if (len === 16) return formatIpv6(buf, off)
  return formatHex(buf, off, len)
}

/**
 * `address/prefixLength` of 4 or 16 bytes at off (a route's dst). For IPv4 it is two cached
 * pieces joined once: a dump of many routes formats each dst with one string concatenation.
 */
export function formatPrefix(buf: Uint8Array, off: number, len: number, prefixLength: number): string {
  if (len === 4 && prefixLength <= 32) return ipv4Prefix(buf, off) + lastOctetSlash(buf[off + 3]!, prefixLength)
  return `${formatIp(buf, off, len)}/${prefixLength}`
}

const DEC: string[] = Array.from({ length: 256 }, (_, i) => String(i))
const DEC_DOT: string[] = Array.from({ length: 256 }, (_, i) => `${i}.`)

/** `'a.b.c.'` of the recently formatted /24s, direct-mapped by the 24 bits. */
const PREFIX_SLOTS = 4096
const prefixKeys = new Int32Array(PREFIX_SLOTS).fill(-1)
const prefixStrs: string[] = new Array<string>(PREFIX_SLOTS).fill('')

function ipv4Prefix(buf: Uint8Array, off: number): string {
  const key = (buf[off]! << 16) | (buf[off + 1]! << 8) | buf[off + 2]!
  const slot = (key ^ (key >>> 12)) & (PREFIX_SLOTS - 1)
  if (prefixKeys[slot] === key) return prefixStrs[slot]!
  const s = DEC_DOT[buf[off]!]! + DEC_DOT[buf[off + 1]!]! + DEC_DOT[buf[off + 2]!]!
  prefixKeys[slot] = key
  prefixStrs[slot] = s
  return s
}

/** `'d/len'` for every last octet and IPv4 prefix length, built on first use. */
const OCTET_SLASH: (string | undefined)[] = new Array<string | undefined>(256 * 33).fill(undefined)

function lastOctetSlash(d: number, prefixLength: number): string {
  const i = d * 33 + prefixLength
  return OCTET_SLASH[i] ??= `${d}/${prefixLength}`
}

function formatIpv6(b: Uint8Array, off: number): string {
  const g: number[] = new Array(8)
  for (let i = 0; i < 8; i++) g[i] = (b[off + 2 * i]! << 8) | b[off + 2 * i + 1]!
  // IPv4-mapped ::ffff:a.b.c.d and IPv4-compatible ::a.b.c.d (sit tunnels' addresses), as ip
  // and inet_ntop print them: dotted when the first five groups are zero and the sixth is
  // 0xffff, or the first six are zero and the seventh is not (::1 and ::2 stay hex).
  if (g[0] === 0 && g[1] === 0 && g[2] === 0 && g[3] === 0 && g[4] === 0) {
    if (g[5] === 0xffff) return `::ffff:${formatIp(b, off + 12, 4)}`
    if (g[5] === 0 && g[6] !== 0) return `::${formatIp(b, off + 12, 4)}`
  }
  let bestStart = -1
  let bestLen = 1
  for (let i = 0; i < 8; ) {
    if (g[i] !== 0) { i++; continue }
    let j = i
    while (j < 8 && g[j] === 0) j++
    if (j - i > bestLen) { bestStart = i; bestLen = j - i }
    i = j
  }
  if (bestStart < 0) return g.map(x => x.toString(16)).join(':')
  const left = g.slice(0, bestStart).map(x => x.toString(16)).join(':')
  const right = g.slice(bestStart + bestLen).map(x => x.toString(16)).join(':')
  return `${left}::${right}`
}

const HEX2: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'))

/**
 * MAC strings recently formatted, direct-mapped by the address's 48-bit value: a dump of
 * links, neighbours or FDB entries repeats the same few addresses, and a hit builds nothing.
 */
const MAC_SLOTS = 1024
const macKeys = new Float64Array(MAC_SLOTS).fill(-1)
const macStrs: string[] = new Array<string>(MAC_SLOTS).fill('')

function formatHex(buf: Uint8Array, off: number, len: number): string {
  if (len === 6) {
    const lo = (buf[off + 2]! << 24 | buf[off + 3]! << 16 | buf[off + 4]! << 8 | buf[off + 5]!) >>> 0
    const hi = buf[off]! << 8 | buf[off + 1]!
    const key = hi * 0x100000000 + lo
    const slot = (lo ^ (lo >>> 11) ^ (hi * 7)) & (MAC_SLOTS - 1)
    if (macKeys[slot] === key) return macStrs[slot]!
    const s = `${HEX2[buf[off]!]}:${HEX2[buf[off + 1]!]}:${HEX2[buf[off + 2]!]}:${HEX2[buf[off + 3]!]}:${HEX2[buf[off + 4]!]}:${HEX2[buf[off + 5]!]}`
    macKeys[slot] = key
    macStrs[slot] = s
    return s
  }
  let s = ''
  for (let i = 0; i < len; i++) s += (i ? ':' : '') + HEX2[buf[off + i]!]
  return s
}

/** Formats a hardware address as `'aa:bb:cc:dd:ee:ff'` (any length). */
export function formatMac(buf: Uint8Array, off = 0, len = buf.length - off): string {
  return formatHex(buf, off, len)
}

/**
 * Parses a MAC (or other hardware) address `'aa:bb:cc:dd:ee:ff'` (`-` separators accepted).
 * @throws {ValidationError} when malformed.
 */
export function parseMac(s: string, field = 'address'): Buffer {
  if (typeof s !== 'string' || !/^[0-9a-fA-F]{1,2}([:-][0-9a-fA-F]{1,2})*$/.test(s))
    throw new ValidationError(`${field}: not a hardware address: ${JSON.stringify(s)}`, field, s)
  return Buffer.from(s.split(/[:-]/).map(x => parseInt(x, 16)))
}

/** True when bytes has no bit set beyond prefixLength. */
export function isNetworkAddress(bytes: Uint8Array, prefixLength: number): boolean {
  for (let i = 0; i < bytes.length; i++) {
    const bits = prefixLength - i * 8
    if (bits >= 8) continue
    const mask = bits <= 0 ? 0 : (0xff << (8 - bits)) & 0xff
    if ((bytes[i]! & ~mask & 0xff) !== 0) return false
  }
  return true
}

/** Zeroes host bits: the network address of bytes/prefixLength (a new Buffer). */
export function networkOf(bytes: Buffer, prefixLength: number): Buffer {
  const out = Buffer.from(bytes)
  for (let i = 0; i < out.length; i++) {
    const bits = Math.max(0, Math.min(8, prefixLength - i * 8))
    out[i] = out[i]! & ((0xff << (8 - bits)) & 0xff)
  }
  return out
}

/** Like {@link familyNumber}, but only IPv4 or IPv6 (or 0 for undefined): no other AF_* number. */
export function ipFamilyNumber(f: Family | IpVersion | number | undefined, field = 'family'): number {
  const n = familyNumber(f, field)
  if (n !== AF_UNSPEC && n !== AF_INET && n !== AF_INET6) throw new ValidationError(`${field}: expected 'inet', 'inet6', 4 or 6`, field, f)
  return n
}

/** 'inet' | 'inet6' | 4 | 6 | AF_* number → AF_* number (0 for undefined). */
export function familyNumber(f: Family | IpVersion | number | undefined, field = 'family'): number {
  if (f === undefined) return AF_UNSPEC
  if (f === 'inet' || f === 4 || f === AF_INET) return AF_INET
  if (f === 'inet6' || f === 6 || f === AF_INET6) return AF_INET6
  if (typeof f === 'number' && Number.isInteger(f) && f >= 0 && f < 256) return f
  throw new ValidationError(`${field}: expected 'inet', 'inet6', 4 or 6`, field, f)
}
