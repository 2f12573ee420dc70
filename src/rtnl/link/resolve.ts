/**
 * Link references: `LinkRef = string | number` (name or ifindex) resolved to an
 * index with one RTM_GETLINK request (never a dump filtered in JavaScript).
 */
import { ValidationError } from '../../errors.js'
import type { NlMsg } from '../../netlink/header.js'
import { deferredDump, type DumpIterable, type DumpOptions, type NetlinkSocket } from '../../netlink/socket.js'
import { rdS32, wr16, wr32 } from '../../util/le.js'
import { u32, type Codec } from '../../attr/table.js'

/** A link by name (`'veth0'`, or an alternative name of up to 127 bytes) or interface index (`3`). */
export type LinkRef = string | number

// #define IFNAMSIZ 16
export const IFNAMSIZ = 16
// #define ALTIFNAMSIZ 128: alternative names (`ip link property add ... altname`) are longer.
export const ALTIFNAMSIZ = 128
const RTM_GETLINK = 18
const IFLA_IFNAME = 3
const IFLA_ALT_IFNAME = 53
const IFLA_EXT_MASK = 29
const RTEXT_FILTER_SKIP_STATS = 1 << 3

/**
 * Checks an interface name the way the kernel's dev_valid_name() does.
 * @throws {ValidationError} when empty, longer than 15 bytes, `.`/`..`, or containing `/`, `:`, whitespace or NUL.
 */
export function checkLinkName(name: unknown, field = 'name'): string {
  return checkName(name, field, IFNAMSIZ)
}

function checkName(name: unknown, field: string, size: number): string {
  if (typeof name !== 'string' || name.length === 0)
    throw new ValidationError(`${field}: a link name must be a non-empty string`, field, name)
  if (Buffer.byteLength(name) >= size)
    throw new ValidationError(`${field}: link name ${JSON.stringify(name)} is longer than ${size - 1} bytes`, field, name)
  // A NUL would end the name there in the kernel: 'ab\0cd' made a link 'ab'.
  if (name === '.' || name === '..' || /[/:\s\0]/.test(name))
    throw new ValidationError(`${field}: invalid link name ${JSON.stringify(name)}`, field, name)
  return name
}

/** Whether a link reference by name is longer than a name can be: an alternative name. */
export const isLongName = (ref: LinkRef): ref is string => typeof ref === 'string' && Buffer.byteLength(ref) >= IFNAMSIZ

/** Whether v is a valid interface index (a positive 32-bit integer). */
export function isLinkIndex(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v > 0 && v <= 0x7fffffff
}

/**
 * Checks a LinkRef's shape; returns it unchanged. A name may be an alternative name, up to
 * 127 bytes (the kernel finds a link by either).
 */
export function checkLinkRef(ref: unknown, field = 'link'): LinkRef {
  if (typeof ref === 'number') {
    if (!isLinkIndex(ref))
      throw new ValidationError(`${field}: an interface index must be a positive integer`, field, ref)
    return ref
  }
  return checkName(ref, field, ALTIFNAMSIZ)
}

/**
 * Builds RTM_GETLINK for one link by index or name, with IFLA_EXT_MASK (default: stats of
 * VFs skipped, as `ip link` sends). Straight-line writes into an exact-size buffer: this is
 * the request of every link.get() and every name resolution.
 */
export function getLinkRequest(ref: LinkRef, extMask = RTEXT_FILTER_SKIP_STATS): Buffer {
  const name = typeof ref === 'string' ? ref : undefined
  const nameLen = name === undefined ? 0 : Buffer.byteLength(name) + 1
  const nameAttr = (4 + nameLen + 3) & ~3
  const len = 32 + (name === undefined ? 0 : nameAttr) + 8
  const b = Buffer.allocUnsafe(len)
  // Every byte is written: Buffer#fill is a call into C++ that cost ~3% of a link.get.
  wr32(b, 0, len)
  wr32(b, 4, RTM_GETLINK) // type; flags 0
  wr32(b, 8, 0) // seq and port id: stamped by the socket
  wr32(b, 12, 0)
  wr32(b, 16, 0) // ifinfomsg: family, pad, type
  wr32(b, 20, name === undefined ? ref as number : 0) // ifi_index
  wr32(b, 24, 0) // ifi_flags
  wr32(b, 28, 0) // ifi_change
  let o = 32
  if (name !== undefined) {
    wr32(b, o + nameAttr - 4, 0) // the name's NUL and padding
    wr16(b, o, 4 + nameLen)
    // IFLA_IFNAME takes at most 15 bytes; a longer (alternative) name goes in IFLA_ALT_IFNAME.
    wr16(b, o + 2, nameLen > IFNAMSIZ ? IFLA_ALT_IFNAME : IFLA_IFNAME)
    b.write(name, o + 4, 'utf8')
    o += nameAttr
  }
  wr16(b, o, 8)
  wr16(b, o + 2, IFLA_EXT_MASK)
  wr32(b, o + 4, extMask)
  return b
}

const linkIndexOf = (m: NlMsg): number => rdS32(m.buf, m.off + 4)

/**
 * Resolves a link name to its index with one RTM_GETLINK; numbers pass through
 * unchecked (the kernel reports ENODEV on use).
 * @throws {NetlinkError} `ENODEV` when no link has that name.
 */
export async function resolveLink(sock: NetlinkSocket, ref: LinkRef, field = 'link'): Promise<number> {
  checkLinkRef(ref, field)
  if (typeof ref === 'number') return ref
  return (await sock.requestOne(getLinkRequest(ref), linkIndexOf, ref))!
}

/** A link that must be given (by name or index), as its index: resolveLink() after a "required" check. */
export function requiredLink(sock: NetlinkSocket, ref: unknown, field = 'link'): Promise<number> {
  if (ref === undefined) throw new ValidationError(`${field}: required (a name or an index)`, field, ref)
  return resolveLink(sock, ref as LinkRef, field)
}

/**
 * A dump filtered by a link and a master given by name or index (`neigh.list({ link, master })`,
 * `fdb.list`, `nexthop.list`): names are resolved first (one RTM_GETLINK each), then `make`
 * builds the request from the indexes. `keep`, if given, filters the decoded items here.
 * @throws {ValidationError} at once for a bad link reference.
 */
export function dumpByLinks<T>(
  sock: NetlinkSocket, refs: { link?: LinkRef | undefined; master?: LinkRef | undefined; linkField?: string },
  make: (link: number | undefined, master: number | undefined) => Buffer, decode: (m: NlMsg) => T,
  opts: DumpOptions, keep?: (item: T) => boolean,
): DumpIterable<T> {
  const field = refs.linkField ?? 'link'
  const link = refs.link === undefined ? undefined : checkLinkRef(refs.link, field)
  const master = refs.master === undefined ? undefined : checkLinkRef(refs.master, 'master')
  if (typeof link !== 'string' && typeof master !== 'string' && keep === undefined) return sock.dump(make(link, master), decode, opts)
  return deferredDump(async () => {
    const li = link === undefined ? undefined : await resolveLink(sock, link, field)
    const mi = master === undefined ? undefined : await resolveLink(sock, master, 'master')
    return sock.dump(make(li, mi), decode, opts)
  }, keep)
}

/**
 * A u32 attribute holding a link's index (IFLA_VXLAN_LINK, IFLA_BRPORT_BACKUP_PORT,
 * IFLA_BOND_PRIMARY...). Read as the index; link.add and link.set also take the link's
 * name there and resolve it before sending, as `ip` takes a device name.
 */
export const ifindex: Codec<number> = { ...u32, kind: 'ifindex', linkRef: true, check: (v, field) => void checkLinkRef(v, field) }
