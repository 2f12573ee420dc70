/**
 * Link references: `LinkRef = string | number` (name or ifindex) resolved to an
 * index with one RTM_GETLINK request (never a dump filtered in JavaScript).
 */
import { NlWriter } from '../../attr/writer.js'
import { ValidationError } from '../../errors.js'
import type { NetlinkSocket } from '../../netlink/socket.js'

/** A link by name (`'veth0'`) or interface index (`3`). */
export type LinkRef = string | number

// #define IFNAMSIZ 16
export const IFNAMSIZ = 16
const RTM_GETLINK = 18
const IFLA_IFNAME = 3
const IFLA_EXT_MASK = 29
const RTEXT_FILTER_SKIP_STATS = 1 << 3

/**
 * Checks an interface name the way the kernel's dev_valid_name() does.
 * @throws {ValidationError} when empty, longer than 15 bytes, `.`/`..`, or containing `/`, `:` or whitespace.
 */
export function checkLinkName(name: unknown, field = 'name'): string {
  if (typeof name !== 'string' || name.length === 0)
    throw new ValidationError(`${field}: a link name must be a non-empty string`, field, name)
  if (Buffer.byteLength(name) >= IFNAMSIZ)
    throw new ValidationError(`${field}: link name ${JSON.stringify(name)} is longer than ${IFNAMSIZ - 1} bytes`, field, name)
  if (name === '.' || name === '..' || /[/:\s]/.test(name))
    throw new ValidationError(`${field}: invalid link name ${JSON.stringify(name)}`, field, name)
  return name
}

/** Checks a LinkRef's shape; returns it unchanged. */
export function checkLinkRef(ref: unknown, field = 'link'): LinkRef {
  if (typeof ref === 'number') {
    if (!Number.isInteger(ref) || ref <= 0 || ref > 0x7fffffff)
      throw new ValidationError(`${field}: an interface index must be a positive integer`, field, ref)
    return ref
  }
  return checkLinkName(ref, field)
}

/** Builds RTM_GETLINK for one link by index or name (stats skipped: the caller wants the index). */
export function getLinkRequest(ref: LinkRef, flags = 0, skipStats = true): Buffer {
  const w = new NlWriter(64)
  const start = w.beginMessage(RTM_GETLINK, flags)
  const h = w.zeros(16) // struct ifinfomsg
  if (typeof ref === 'number') w.buf.writeInt32LE(ref, h + 4)
  else w.attrStr(IFLA_IFNAME, ref)
  if (skipStats) w.attrU32(IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS)
  w.endMessage(start)
  return w.finish()
}

/**
 * Resolves a link name to its index with one RTM_GETLINK; numbers pass through
 * unchecked (the kernel reports ENODEV on use).
 * @throws {NetlinkError} `ENODEV` when no link has that name.
 */
export async function resolveLink(sock: NetlinkSocket, ref: LinkRef, field = 'link'): Promise<number> {
  checkLinkRef(ref, field)
  if (typeof ref === 'number') return ref
  const [index] = await sock.request(getLinkRequest(ref), {
    ack: false,
    what: ref,
    decode: m => m.buf.readInt32LE(m.off + 4),
  })
  return index!
}
