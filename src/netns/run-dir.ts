/**
 * Named namespaces the way iproute2 keeps them: an empty file /run/netns/NAME with
 * the namespace bind-mounted onto it, /run/netns itself a shared mount point so an
 * unmount propagates to every mount namespace. Facts from iproute2's ip/ipnetns.c
 * (netns_add, on_netns_del, invalid_name); the code is ours.
 */
import {
  closeSync, constants as fsConstants, mkdirSync, openSync, readdirSync, statSync, unlinkSync,
} from 'node:fs'
import { native } from '../native/binding.js'
import { NetNsError, ValidationError } from '../errors.js'
import { log } from '../util/log.js'
import { optInt } from '../util/check.js'

const debug = log('netns')

// <sched.h> #define CLONE_NEWNET 0x40000000 /* New network namespace. */ (also what
// ioctl(NS_GET_NSTYPE) answers for a network namespace)
export const CLONE_NEWNET = 0x40000000

/** Where named namespaces live, as for iproute2 (`/var/run` is a link to `/run`). */
export const NETNS_RUN_DIR = '/run/netns'
// <linux/limits.h> #define NAME_MAX 255 /* # chars in a file name */
const NAME_MAX = 255
// <sys/mount.h>
const MS_BIND = 4096
const MS_REC = 16384
const MS_SHARED = 1 << 20
const MNT_DETACH = 2
// <sys/file.h>
const LOCK_EX = 2
const LOCK_UN = 8

/** Identity of a namespace: device and inode of its nsfs file (same namespace ⇔ same id). */
export interface NetNsId {
  dev: bigint
  ino: bigint
}

/**
 * Checks a namespace name as `ip netns` does (iproute2's `invalid_name`), plus NUL.
 * @returns the name, unchanged.
 * @throws {ValidationError} when not a string, empty, `.` or `..`, containing `/` or NUL,
 *   or longer than NAME_MAX (255) bytes in UTF-8; its message starts with `where`, its
 *   field is `field`.
 * @example checkNetNsName('blue') // 'blue'
 */
export function checkNetNsName(name: unknown, where = 'netns', field = 'name'): string {
  if (typeof name !== 'string' || name.length === 0)
    throw new ValidationError(`${where}: a namespace name must be a non-empty string`, field, name)
  if (name === '.' || name === '..' || name.includes('/') || name.includes('\0'))
    throw new ValidationError(`${where}: invalid namespace name ${JSON.stringify(name)}`, field, name)
  if (Buffer.byteLength(name) > NAME_MAX)
    throw new ValidationError(`${where}: namespace name longer than ${NAME_MAX} bytes`, field, name)
  return name
}

/** /run/netns/NAME (name already checked). */
export function netnsPath(name: string): string {
  return `${NETNS_RUN_DIR}/${name}`
}

/** A NetNsError carrying a system error's code, errno and syscall. */
export function sysError(err: unknown, what: string, netns: string): NetNsError {
  const e = err as NodeJS.ErrnoException | undefined
  const code = typeof e?.code === 'string' ? e.code : 'EIO'
  return new NetNsError(`${what}: ${e?.message ?? code}`, code, netns, e?.syscall, { cause: err })
}

/**
 * Opens a namespace file read-only (the caller closes the fd): a missing one is a NetNsError
 * ENOENT naming the namespace (`netns NAME does not exist`) or the path.
 */
export function openNsFile(path: string, name: string | undefined): number {
  try {
    return openSync(path, 'r')
  } catch (err) {
    const label = name ?? path
    if (errCode(err) === 'ENOENT')
      throw new NetNsError(name ? `netns ${name} does not exist` : `no such namespace file: ${path}`, 'ENOENT', label, 'open', { cause: err })
    throw sysError(err, `cannot open ${path}`, label)
  }
}

/**
 * Opens /run/netns/NAME read-only for a verb that takes a namespace by name (a client's
 * `netns`, a link's `netns`): the caller closes the fd. A name that does not exist is a
 * NetNsError ENOENT, and a file there that is not a namespace (left by an `ip netns add` that
 * did not finish, or no longer mounted) ENOTNETNS, as from NetNs.open(); setns() on it was a
 * bare EINVAL.
 * @throws {ValidationError} for a bad name. @throws {NetNsError} ENOENT, ENOTNETNS, EACCES, ...
 */
export function openNamedFd(name: unknown, field = 'netns'): number {
  const path = netnsPath(checkNetNsName(name, field, field))
  const fd = openNsFile(path, name as string)
  try {
    checkNetnsFd(fd, path, name as string)
  } catch (err) {
    closeSync(fd)
    throw err
  }
  return fd
}

/**
 * A namespace a verb is given (a link's `netns`, a peer's, `rtnl.nsid`'s target): a NetNs
 * handle or `{ fd }`, `{ pid }`, or a name under /run/netns. A name is opened (`opened`: the
 * caller closes the fd); a closed handle is a NetNsError EBADF; anything else a ValidationError.
 */
export function netnsRef(target: unknown, field: string): { fd: number; opened: boolean } | { pid: number } {
  if (typeof target === 'string') return { fd: openNamedFd(target, field), opened: true }
  if (target && typeof (target as { fd?: unknown }).fd === 'number') {
    const fd = (target as { fd: number }).fd
    if (fd < 0) throw closedHandle(target, field)
    return { fd, opened: false }
  }
  const pid = target ? (target as { pid?: unknown }).pid : undefined
  if (typeof pid === 'number') {
    optInt(pid, `${field}.pid`, 1, 0x7fffffff)
    return { pid }
  }
  throw new ValidationError(`${field}: expected a NetNs handle, { fd }, { pid } or a namespace name`, field, target)
}

/** The error for a closed handle given as a namespace: EBADF, as the handle's own methods say. */
export function closedHandle(handle: object, field: string): NetNsError {
  const label = (handle as { label?: unknown }).label
  return new NetNsError(`${field}: netns handle ${typeof label === 'string' ? `${label} ` : ''}is closed`, 'EBADF', typeof label === 'string' ? label : field)
}

/**
 * Checks that an fd is a network namespace (ioctl NS_GET_NSTYPE), so a wrong fd is a
 * NetNsError (`SUBJECT is not a network namespace`: ENOTNETNS; EBADF) before it is used.
 */
export function checkNetnsFd(fd: number, subject = `netns: fd ${fd}`, label = `fd ${fd}`): void {
  let type = 0
  try {
    type = native().nsType(fd)
  } catch (err) {
    if (errCode(err) === 'EBADF') throw new NetNsError(`${subject} is not open`, 'EBADF', label, 'ioctl', { cause: err })
    // ENOTTY: not an nsfs file
  }
  if (type !== CLONE_NEWNET) throw new NetNsError(`${subject} is not a network namespace`, 'ENOTNETNS', label, 'ioctl')
}

function errCode(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException | undefined)?.code
}

/**
 * Makes /run/netns exist and be a shared mount point, as `ip netns add` does: mkdir
 * 0755; then, under an exclusive flock on the directory (so concurrent creators — us or
 * `ip` — do not stack bind mounts; https://bugs.debian.org/949235), mount MS_SHARED|MS_REC,
 * and on EINVAL (not a mount point yet) bind-mount the directory onto itself once and retry.
 * Like iproute2, a failing flock only warns.
 */
export function ensureRunDir(): void {
  const b = native()
  try {
    mkdirSync(NETNS_RUN_DIR, { mode: 0o755 })
  } catch (err) {
    if (errCode(err) !== 'EEXIST') throw sysError(err, `mkdir ${NETNS_RUN_DIR}`, NETNS_RUN_DIR)
  }
  let lock: number
  try {
    lock = openSync(NETNS_RUN_DIR, fsConstants.O_RDONLY | fsConstants.O_DIRECTORY)
  } catch (err) {
    throw sysError(err, `cannot open ${NETNS_RUN_DIR}`, NETNS_RUN_DIR)
  }
  let locked = false
  try {
    try {
      locked = b.flock(lock, LOCK_EX)
    } catch (err) {
      debug('could not flock %s (%s), going on as iproute2 does', NETNS_RUN_DIR, errCode(err))
    }
    let madeMount = false
    for (;;) {
      try {
        b.mount('', NETNS_RUN_DIR, 'none', MS_SHARED | MS_REC, null)
        break
      } catch (err) {
        if (errCode(err) !== 'EINVAL' || madeMount)
          throw sysError(err, `mount --make-shared ${NETNS_RUN_DIR}`, NETNS_RUN_DIR)
      }
      try {
        b.mount(NETNS_RUN_DIR, NETNS_RUN_DIR, 'none', MS_BIND | MS_REC, null)
      } catch (err) {
        throw sysError(err, `mount --bind ${NETNS_RUN_DIR} ${NETNS_RUN_DIR}`, NETNS_RUN_DIR)
      }
      debug('made %s a mount point', NETNS_RUN_DIR)
      madeMount = true
    }
  } finally {
    if (locked) {
      try {
        b.flock(lock, LOCK_UN)
      } catch { /* closing releases it anyway */ }
    }
    closeSync(lock)
  }
}

/**
 * Names the namespace behind `source` (a path the kernel resolves to an nsfs file, e.g.
 * `/proc/self/fd/N`): creates /run/netns/NAME exclusively (mode 0) and bind-mounts
 * source onto it. On failure nothing is left behind.
 * @throws {NetNsError} `EEXIST` when the name is taken, system errors (EPERM...).
 */
export function bindNamed(name: string, source: string): void {
  ensureRunDir()
  const path = netnsPath(name)
  try {
    closeSync(openSync(path, fsConstants.O_RDONLY | fsConstants.O_CREAT | fsConstants.O_EXCL, 0))
  } catch (err) {
    if (errCode(err) === 'EEXIST') throw new NetNsError(`netns ${name} already exists`, 'EEXIST', name, 'open', { cause: err })
    throw sysError(err, `cannot create namespace file ${path}`, name)
  }
  try {
    native().mount(source, path, 'none', MS_BIND, null)
  } catch (err) {
    try {
      unlinkSync(path)
    } catch { /* best effort, as iproute2 */ }
    throw sysError(err, `cannot bind ${source} -> ${path}`, name)
  }
}

/**
 * Removes a name, as `ip netns del` does: detach the bind mount (lazily: MNT_DETACH), then
 * unlink the file. A stale file that is not a mount point is removed too.
 * @throws {NetNsError} `ENOENT` when there is no such name, system errors (EPERM...).
 */
export function unbindNamed(name: string): void {
  const path = netnsPath(name)
  try {
    native().umount2(path, MNT_DETACH)
  } catch (err) {
    const code = errCode(err)
    if (code === 'ENOENT') throw new NetNsError(`netns ${name} does not exist`, 'ENOENT', name, 'umount2', { cause: err })
    // EINVAL: not a mount point (a stale file); iproute2 ignores umount errors and unlinks.
    if (code !== 'EINVAL') throw sysError(err, `cannot unmount ${path}`, name)
  }
  try {
    unlinkSync(path)
  } catch (err) {
    if (errCode(err) === 'ENOENT') throw new NetNsError(`netns ${name} does not exist`, 'ENOENT', name, 'unlink', { cause: err })
    throw sysError(err, `cannot remove namespace file ${path}`, name)
  }
}

/** Entries of /run/netns, sorted; none when the directory does not exist (as `ip netns list`). */
export function listNames(): string[] {
  try {
    return readdirSync(NETNS_RUN_DIR).filter(n => n !== '.' && n !== '..').sort()
  } catch (err) {
    if (errCode(err) === 'ENOENT') return []
    throw sysError(err, `cannot list ${NETNS_RUN_DIR}`, NETNS_RUN_DIR)
  }
}

/** The names under /run/netns whose namespace has this identity (stat, as `ip netns identify`). */
export function namesOf(id: NetNsId): string[] {
  const out: string[] = []
  for (const name of listNames()) {
    try {
      const st = statSync(netnsPath(name), { bigint: true })
      if (st.dev === id.dev && st.ino === id.ino) out.push(name)
    } catch { /* raced with a delete */ }
  }
  return out
}
