/** Address codecs: IPv4/IPv6 (by payload length) and hardware (MAC) addresses, as strings. */
import { formatIp, formatMac, parseIp, parseMac } from '../util/ip.js'
import { decodeFail } from './codec.js'
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
  encode: (w, t, v) => w.attrBytes(t, parseIp(v).bytes),
}

/** A hardware address as `'aa:bb:cc:dd:ee:ff'` (any length: 6 for Ethernet, 20 for InfiniBand). */
export const mac: Codec<string> = {
  kind: 'mac',
  decode: (buf, off, len) => formatMac(buf, off, len),
  encode: (w, t, v) => w.attrBytes(t, parseMac(v)),
}
