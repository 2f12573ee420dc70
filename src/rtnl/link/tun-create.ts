/**
 * tun/tap creation. The kernel makes these devices through ioctl(TUNSETIFF) on /dev/net/tun
 * and refuses them over rtnetlink (EOPNOTSUPP), so this does what `ip tuntap add` does: open
 * /dev/net/tun in the namespace of the client's socket (the device is made in its opener's
 * namespace), TUNSETIFF with the type and flags, TUNSETOWNER / TUNSETGROUP, and TUNSETPERSIST
 * last. Until that last call the device lives only as long as the file descriptor, so a
 * failure on the way leaves nothing behind.
 */
import { closeSync, constants } from 'node:fs'
import { NetlinkError } from '../../errors.js'
import type { NativeBinding } from '../../native/binding.js'
import { log } from '../../util/log.js'

const debug = log('link')

// <linux/if_tun.h>
const IFF_TUN = 0x0001
const IFF_TAP = 0x0002
const IFF_MULTI_QUEUE = 0x0100
const IFF_NO_PI = 0x1000
const IFF_VNET_HDR = 0x4000
/** TUNSETIFF fails (EBUSY) when a device of that name exists, instead of attaching to it. */
const IFF_TUN_EXCL = 0x8000
const IFNAMSIZ = 16
/** struct ifreq: the name, then a union whose first member is ifr_flags (short); 40 bytes on 64-bit. */
const IFREQ_SIZE = 40

/** What a tun/tap device is made with (`ip tuntap add mode tun|tap [user U] [group G] [pi] [vnet_hdr] [multi_queue]`). */
export interface TunSettings {
  type: 'tun' | 'tap'
  owner?: number
  group?: number
  pi?: boolean
  vnetHdr?: boolean
  multiQueue?: boolean
}

/** A failed tun/tap ioctl as the NetlinkError a refused RTM_NEWLINK would be (same `code`). */
function tunError(err: unknown, call: string, name: string, code?: string): Error {
  const e = err as NodeJS.ErrnoException
  if (typeof e?.code !== 'string') return err as Error
  const c = code ?? e.code
  const errno = code === undefined ? Math.abs(e.errno ?? 0) : ({ EEXIST: 17, EOPNOTSUPP: 95 } as Record<string, number>)[code] ?? 0
  return Object.assign(new NetlinkError(c, errno, { type: call, flags: [], seq: 0, what: name }), { cause: err })
}

/**
 * Makes a persistent tun/tap device named `name` (a template such as `'tap%d'` too) in the
 * namespace of the netlink socket `sockFd`; returns the name the kernel gave it.
 * @throws {NetlinkError} `EEXIST` when a link of that name exists, `EOPNOTSUPP` without
 *   /dev/net/tun, else the ioctl's own code (`EPERM`, `EINVAL`...).
 */
export function createTun(b: NativeBinding, sockFd: number, name: string, o: TunSettings): string {
  const io = b.ioctls
  if (b.ioctl === undefined || b.openInNetns === undefined || io === undefined)
    throw tunError(Object.assign(new Error('the native helper predates tun/tap support'), { code: 'ENOSYS', errno: -38 }), 'TUNSETIFF', name)
  let nsfd: number
  try {
    nsfd = b.ioctl(sockFd, io.SIOCGSKNS, 0)
  } catch (err) {
    throw tunError(err, 'SIOCGSKNS', name)
  }
  let fd: number
  try {
    fd = b.openInNetns(nsfd, '/dev/net/tun', constants.O_RDWR)
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    throw tunError(err, 'open /dev/net/tun', name, code === 'ENOENT' || code === 'ENODEV' || code === 'ENXIO' ? 'EOPNOTSUPP' : undefined)
  } finally {
    closeSync(nsfd)
  }
  try {
    const ifr = Buffer.alloc(IFREQ_SIZE)
    ifr.write(name, 0, IFNAMSIZ - 1, 'utf8')
    const flags = (o.type === 'tun' ? IFF_TUN : IFF_TAP) | (o.pi ? 0 : IFF_NO_PI) | (o.vnetHdr ? IFF_VNET_HDR : 0) |
      (o.multiQueue ? IFF_MULTI_QUEUE : 0) | IFF_TUN_EXCL
    ifr.writeUInt16LE(flags, IFNAMSIZ)
    try {
      b.ioctl(fd, io.TUNSETIFF, ifr)
    } catch (err) {
      throw tunError(err, 'TUNSETIFF', name, (err as NodeJS.ErrnoException).code === 'EBUSY' ? 'EEXIST' : undefined)
    }
    const end = ifr.indexOf(0)
    const made = ifr.toString('utf8', 0, end >= 0 && end < IFNAMSIZ ? end : IFNAMSIZ)
    const call = (what: 'TUNSETOWNER' | 'TUNSETGROUP' | 'TUNSETPERSIST', v: number) => {
      try {
        b.ioctl!(fd, io[what], v)
      } catch (err) {
        throw tunError(err, what, made)
      }
    }
    if (o.owner !== undefined) call('TUNSETOWNER', o.owner)
    if (o.group !== undefined) call('TUNSETGROUP', o.group)
    call('TUNSETPERSIST', 1)
    debug('tun: made %s (%s, flags %s)', made, o.type, flags.toString(16))
    return made
  } finally {
    closeSync(fd)
  }
}
