/** Address codecs: IPv4/IPv6 (by payload length) and hardware (MAC) addresses, as strings. */
import { formatIp, formatMac, parseIp, parseMac } from '../util/ip.js'
import { decodeFail } from './codec.js'
import { ValidationError } from '../errors.js'
import type { Codec } from './table.js'

/** An IPv4 (4 bytes) or IPv6 (16 bytes) address as a string. */
export const ip: Codec<string> = {
  kind: 'ip',
  decode(buf, off, len, path) {
    if (len !== 4 && len !== 16) {
      if (len === 0) return ''
      decodeFail(`address attribute has ${len} bytes`, buf, off, path)
    }
    return formatIp(buf, off, len)
  },
  // Builders on hot paths pass already-parsed bytes (see rawIp) instead of re-parsing text.
  encode: (w, t, v) => w.attrBytes(t, typeof v === 'string' ? parseIp(v).bytes : (v as Uint8Array)),
  check(v, field) {
    if (typeof v !== 'string') throw new ValidationError(`${field}: expected an IPv4 or IPv6 address as a string`, field, v)
    parseIp(v, field)
  },
}

/** An address of one family only (`ipv4`, `ipv6`): the kernel reads a fixed size there. */
function ipOf(family: 4 | 6): Codec<string> {
  const size = family === 4 ? 4 : 16
  return {
    kind: `ipv${family}`,
    decode(buf, off, len, path) {
      if (len !== size) decodeFail(`IPv${family} address attribute has ${len} bytes`, buf, off, path)
      return formatIp(buf, off, len)
    },
    encode: ip.encode,
    check(v, field) {
      if (typeof v !== 'string' || parseIp(v, field).bytes.length !== size)
        throw new ValidationError(`${field}: expected an IPv${family} address as a string`, field, v)
    },
  }
}
export const ipv4: Codec<string> = ipOf(4)
export const ipv6: Codec<string> = ipOf(6)

/**
 * Passes parsed address bytes where an `ip` attribute value (a string) is expected,
 * so the encoder copies them instead of parsing the text again. Internal.
 */
export function rawIp(bytes: Uint8Array): string {
  return bytes as unknown as string
}

/** A hardware address as `'aa:bb:cc:dd:ee:ff'` (any length: 6 for Ethernet, 20 for InfiniBand). */
export const mac: Codec<string> = {
  kind: 'mac',
  decode: (buf, off, len) => formatMac(buf, off, len),
  encode: (w, t, v) => w.attrBytes(t, parseMac(v)),
  check(v, field) {
    if (typeof v !== 'string') throw new ValidationError(`${field}: expected a hardware address as a string ('aa:bb:cc:dd:ee:ff')`, field, v)
    parseMac(v, field)
  },
}
