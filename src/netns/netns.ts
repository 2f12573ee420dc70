/**
 * NetNs: network-namespace handles built on file descriptors, compatible with
 * `ip netns` (named namespaces are bind mounts under /run/netns).
 *
 * setns() moves only the calling thread. Everything here that switches does so
 * synchronously and switches back before returning, so no JavaScript ever runs
 * (and no await ever resumes) in the wrong namespace. See docs/netns.md.
 */
import { execFile, spawn, type ChildProcess, type ExecFileOptions, type SpawnOptions } from 'node:child_process'
import {
  closeSync, constants as fsConstants, fstatSync, mkdirSync, openSync as fsOpenSync, readdirSync, statSync, unlinkSync,
} from 'node:fs'
import { Worker, type WorkerOptions } from 'node:worker_threads'
import { native } from '../native/binding.js'
import { ValidationError } from '../errors.js'
import { log } from '../util/log.js'
import { openSync as openClient, type OpenOptions, type Rtnl } from '../client.js'

const debug = log('netns')

// <sched.h>
export const CLONE_NEWNET = 0x40000000
// <sys/mount.h>
const MS_BIND = 4096
const MS_REC = 16384
const MS_SHARED = 1 << 20
const MNT_DETACH = 2
// <sys/file.h>
const LOCK_EX = 2
const LOCK_UN = 8

/** Where named namespaces live, as for iproute2. */
export const NETNS_RUN_DIR = '/run/netns'
// #define NAME_MAX 255
const NAME_MAX = 255

/** Identity of a namespace: device and inode of its nsfs file (same namespace ⇔ same id). */
export interface NetNsId {
  dev: bigint
  ino: bigint
}

/** A namespace operation failed: `code` is the errno name (`'ENOENT'`, `'EEXIST'`, `'EPERM'`) or `'ENOTNETNS'`. */
export class NetNsError extends Error {
  override readonly name = 'NetNsError'
  constructor(
    message: string,
    readonly code: string,
    /** The namespace name or path concerned. */
    readonly netns: string,
    readonly syscall?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options)
  }
}

/** True when err is a {@link NetNsError}, optionally with the given code. */
export function isNetNsError(err: unknown, code?: string): err is NetNsError {
  return err instanceof NetNsError && (code === undefined || err.code === code)
}

/**
 * Checks a namespace name as `ip netns` would accept it.
 * @throws {ValidationError} when empty, `.`/`..`, containing `/` or NUL, or over 255 bytes.
 */
export function checkNetNsName(name: unknown): string {
  if (typeof name !== 'string' || name.length === 0)
    throw new ValidationError('netns: a namespace name must be a non-empty string', 'name', name)
  if (name === '.' || name === '..' || name.includes('/') || name.includes('\0'))
    throw new ValidationError(`netns: invalid namespace name ${JSON.stringify(name)}`, 'name', name)
  if (Buffer.byteLength(name) > NAME_MAX)
    throw new ValidationError(`netns: namespace name longer than ${NAME_MAX} bytes`, 'name', name)
  return name
}

function sysError(err: unknown, what: string, netns: string): NetNsError {
  const e = err as NodeJS.ErrnoException
  const code = e?.code ?? 'EIO'
  return new NetNsError(`${what}: ${code}${e?.message ? ` (${e.message})` : ''}`, code, netns, e?.syscall, { cause: err })
}

const registry = new FinalizationRegistry<number>(fd => {
  try {
    closeSync(fd)
  } catch { /* already closed */ }
})

let switchDepth = 0

/** A network namespace, held open by a file descriptor. */
export class NetNs {
  private _fd: number
  private readonly closeHooks: (() => void)[] = []
  /** Set for handles made by {@link NetNs.create}: disposing them deletes the namespace. */
  private readonly owned: boolean
  /** The device and inode of the namespace. */
  readonly id: NetNsId

  private constructor(
    fd: number,
    /** Name under /run/netns, when opened or created by name. */
    readonly name: string | undefined,
    /** The path the handle was opened from (or `/proc/self/fd/N` for anonymous ones). */
    readonly path: string,
    owned = false,
  ) {
    this._fd = fd
    this.owned = owned
    const st = fstatSync(fd, { bigint: true })
    this.id = { dev: st.dev, ino: st.ino }
    registry.register(this, fd, this)
  }

  /** The file descriptor (-1 once closed). */
  get fd(): number {
    return this._fd
  }

  /** True once {@link close} was called. */
  get closed(): boolean {
    return this._fd < 0
  }

  // ---- named namespaces (ip netns add/del/list) -------------------------------

  /**
   * Creates a named namespace, like `ip netns add NAME`: /run/netns made a shared
   * mount point (under iproute2's lock), an empty file bind-mounted onto a fresh
   * namespace. The namespace is created on a short-lived native thread: no fork,
   * no thread of this process left in it. Returns an open handle; disposing it
   * (`await using`) deletes the namespace.
   * @throws {ValidationError} for a bad name; {@link NetNsError} `EEXIST` when it exists, `EPERM` without privileges.
   * @example await using blue = await NetNs.create('blue')
   */
  static async create(name: string): Promise<NetNs> {
    return NetNs.createSync(name)
  }

  /** Synchronous form of {@link create}. */
  static createSync(name: string): NetNs {
    checkNetNsName(name)
    const b = native()
    const path = `${NETNS_RUN_DIR}/${name}`
    makeRunDirShared()
    let file: number
    try {
      file = fsOpenSync(path, fsConstants.O_RDONLY | fsConstants.O_CREAT | fsConstants.O_EXCL, 0)
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST')
        throw new NetNsError(`netns ${name} already exists`, 'EEXIST', name, 'open', { cause: err })
      throw sysError(err, `cannot create namespace file ${path}`, name)
    }
    closeSync(file)
    let nsfd = -1
    try {
      nsfd = b.unshareNetns()
      b.mount(`/proc/self/fd/${nsfd}`, path, 'none', MS_BIND, null)
    } catch (err) {
      if (nsfd >= 0) closeSync(nsfd)
      try {
        unlinkSync(path)
      } catch { /* best effort */ }
      throw sysError(err, `cannot create netns ${name}`, name)
    }
    debug('created %s', name)
    return new NetNs(nsfd, name, path, true)
  }

  /**
   * Deletes a named namespace, like `ip netns del NAME`: detaches the bind mount and
   * removes the file. The namespace itself lives on while anything (a handle, a
   * socket, a process) still holds it.
   * @throws {NetNsError} `ENOENT` when there is no such namespace.
   * @example await NetNs.delete('blue')
   */
  static async delete(name: string): Promise<void> {
    NetNs.deleteSync(name)
  }

  /** Synchronous form of {@link delete}. */
  static deleteSync(name: string): void {
    checkNetNsName(name)
    const path = `${NETNS_RUN_DIR}/${name}`
    try {
      statSync(path)
    } catch (err) {
      throw new NetNsError(`netns ${name} does not exist`, 'ENOENT', name, 'stat', { cause: err })
    }
    try {
      native().umount2(path, MNT_DETACH)
    } catch (err) {
      // EINVAL: not a mount point (a stale file); still remove it, as iproute2 does.
      if ((err as NodeJS.ErrnoException).code !== 'EINVAL') throw sysError(err, `cannot unmount ${path}`, name)
    }
    try {
      unlinkSync(path)
    } catch (err) {
      throw sysError(err, `cannot remove namespace file ${path}`, name)
    }
    debug('deleted %s', name)
  }

  /**
   * Names of the named namespaces, like `ip netns list` (sorted).
   * @example console.log(await NetNs.list())
   */
  static async list(): Promise<string[]> {
    return NetNs.listSync()
  }

  /** Synchronous form of {@link list}. */
  static listSync(): string[] {
    try {
      return readdirSync(NETNS_RUN_DIR).filter(n => n !== '.' && n !== '..').sort()
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return []
      throw sysError(err, `cannot list ${NETNS_RUN_DIR}`, NETNS_RUN_DIR)
    }
  }

  // ---- opening handles --------------------------------------------------------

  /**
   * Opens a named namespace (/run/netns/NAME).
   * @throws {NetNsError} `ENOENT` when it does not exist.
   * @example const blue = await NetNs.open('blue')
   */
  static async open(name: string): Promise<NetNs> {
    return NetNs.openSync(name)
  }

  /** Synchronous form of {@link open}. */
  static openSync(name: string): NetNs {
    checkNetNsName(name)
    return NetNs.fromPathInternal(`${NETNS_RUN_DIR}/${name}`, name)
  }

  /**
   * Opens the namespace a file refers to: `/proc/PID/ns/net`, `/proc/PID/task/TID/ns/net`
   * or any bind-mounted namespace file.
   * @throws {NetNsError} `ENOENT` for a missing path, `ENOTNETNS` when it is not a network namespace.
   */
  static fromPath(path: string): NetNs {
    if (typeof path !== 'string' || !path) throw new ValidationError('netns: path must be a non-empty string', 'path', path)
    return NetNs.fromPathInternal(path, undefined)
  }

  /**
   * Opens the namespace of a process (`/proc/PID/ns/net`).
   * @throws {NetNsError} `ENOENT` when there is no such process.
   */
  static fromPid(pid: number): NetNs {
    if (!Number.isInteger(pid) || pid <= 0) throw new ValidationError('netns: pid must be a positive integer', 'pid', pid)
    return NetNs.fromPathInternal(`/proc/${pid}/ns/net`, undefined)
  }

  /** The namespace of the calling thread. */
  static current(): NetNs {
    return NetNs.fromPathInternal('/proc/thread-self/ns/net', undefined)
  }

  /**
   * A new anonymous namespace, kept alive by this handle alone (nothing mounted):
   * it disappears when the handle and everything else using it are closed.
   * @example using scratch = NetNs.unshare()
   */
  static unshare(): NetNs {
    const fd = native().unshareNetns()
    return new NetNs(fd, undefined, `/proc/self/fd/${fd}`)
  }

  private static fromPathInternal(path: string, name: string | undefined): NetNs {
    let fd: number
    try {
      fd = fsOpenSync(path, 'r')
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code
      if (code === 'ENOENT')
        throw new NetNsError(name ? `netns ${name} does not exist` : `no such namespace file: ${path}`, 'ENOENT', name ?? path, 'open', { cause: err })
      throw sysError(err, `cannot open ${path}`, name ?? path)
    }
    let type = 0
    try {
      type = native().nsType(fd)
    } catch { /* ENOTTY: not an nsfs file */ }
    if (type !== CLONE_NEWNET) {
      closeSync(fd)
      throw new NetNsError(`${path} is not a network namespace`, 'ENOTNETNS', name ?? path)
    }
    return new NetNs(fd, name, path)
  }

  // ---- identity ------------------------------------------------------------------

  /** True when both handles refer to the same namespace. */
  equals(other: NetNs | NetNsId): boolean {
    const id = other instanceof NetNs ? other.id : other
    return this.id.dev === id.dev && this.id.ino === id.ino
  }

  /**
   * Names of the named namespaces that are this namespace, like `ip netns identify`.
   * @example console.log(await NetNs.identify(process.pid))
   */
  static async identify(target: number | NetNs): Promise<string[]> {
    let id: NetNsId
    if (typeof target === 'number') {
      try {
        const st = statSync(`/proc/${target}/ns/net`, { bigint: true })
        id = { dev: st.dev, ino: st.ino }
      } catch (err) {
        throw new NetNsError(`no such process: ${target}`, 'ESRCH', String(target), 'stat', { cause: err })
      }
    } else id = target.id
    const out: string[] = []
    for (const name of NetNs.listSync()) {
      try {
        const st = statSync(`${NETNS_RUN_DIR}/${name}`, { bigint: true })
        if (st.dev === id.dev && st.ino === id.ino) out.push(name)
      } catch { /* raced with a delete */ }
    }
    return out
  }

  /**
   * Pids of the processes in this namespace, like `ip netns pids NAME` (sorted).
   * @example console.log(await blue.pids())
   */
  async pids(): Promise<number[]> {
    const out: number[] = []
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue
      try {
        const st = statSync(`/proc/${entry}/ns/net`, { bigint: true })
        if (st.dev === this.id.dev && st.ino === this.id.ino) out.push(Number(entry))
      } catch { /* process gone or not ours to see */ }
    }
    return out.sort((a, b) => a - b)
  }

  // ---- running things inside -----------------------------------------------------

  /**
   * Runs a synchronous function with the calling thread switched into this namespace,
   * and always switches back (also when fn throws). Nesting is fine (each call restores
   * what it found). A function returning a promise is refused after switching back:
   * its continuation would run in whatever namespace the thread is in by then.
   * @throws {TypeError} when fn returns a promise; system errors from setns().
   * @example const server = blue.runSync(() => net.createServer().listen(80))
   */
  runSync<T>(fn: () => T): T {
    this.assertOpen()
    if (typeof fn !== 'function') throw new TypeError('runSync: expected a function')
    const b = native()
    const self = fsOpenSync('/proc/thread-self/ns/net', 'r')
    let result: T
    try {
      b.setns(this._fd, CLONE_NEWNET)
      switchDepth++
      try {
        result = fn()
      } finally {
        switchDepth--
        b.setns(self, CLONE_NEWNET)
      }
    } finally {
      closeSync(self)
    }
    if (result !== null && (typeof result === 'object' || typeof result === 'function') && typeof (result as { then?: unknown }).then === 'function')
      throw new TypeError('runSync: fn returned a promise; only synchronous work may run while switched (it has been switched back)')
    return result
  }

  /** True while some runSync() has the calling thread switched. */
  static get switched(): boolean {
    return switchDepth > 0
  }

  /**
   * Starts a child process inside this namespace (the fork happens while switched; the
   * child keeps the namespace for life). Like `ip netns exec NAME CMD` without the
   * private mount namespace.
   * @example const child = blue.spawn('ping', ['-c1', '10.0.0.2'], { stdio: 'inherit' })
   */
  spawn(command: string, args: readonly string[] = [], options: SpawnOptions = {}): ChildProcess {
    return this.runSync(() => spawn(command, args, options))
  }

  /**
   * Runs a command inside this namespace and collects its output, like `execFile`.
   * Rejects with the exec error (with `stdout`/`stderr`/`code`) when it fails.
   * @example const { stdout } = await blue.exec('ip', ['-json', 'link'])
   */
  exec(command: string, args: readonly string[] = [], options: ExecFileOptions = {}): Promise<{ stdout: string; stderr: string }> {
    return new Promise((resolve, reject) => {
      this.runSync(() => {
        execFile(command, args, { maxBuffer: 64 << 20, ...options, encoding: 'utf8' }, (err, stdout, stderr) => {
          if (err) reject(Object.assign(err, { stdout, stderr }))
          else resolve({ stdout: String(stdout), stderr: String(stderr) })
        })
      })
    })
  }

  /**
   * Starts a worker thread inside this namespace: its thread is created while switched,
   * so its sockets (TCP servers and clients) live here.
   * @example const w = blue.worker(new URL('./server.js', import.meta.url))
   */
  worker(filename: string | URL, options?: WorkerOptions): Worker {
    return this.runSync(() => new Worker(filename, options))
  }

  /**
   * An rtnetlink client whose socket lives in this namespace (created in one native
   * call: no JavaScript runs while switched). Same as `open({ netns: this })`.
   * @example await using rtnl = blue.open()
   */
  open(options: Omit<OpenOptions, 'netns'> = {}): Rtnl {
    this.assertOpen()
    return openClient({ ...options, netns: this })
  }

  /** A netlink socket fd of the given protocol created inside this namespace. */
  openNetlinkFd(protocol = 0): number {
    this.assertOpen()
    return native().socketInNetns(this._fd, protocol)
  }

  // ---- lifetime --------------------------------------------------------------------

  /** Calls fn when this handle closes (pooled clients follow the handle's lifetime). */
  onClose(fn: () => void): void {
    if (this.closed) fn()
    else this.closeHooks.push(fn)
  }

  /** Closes the fd (the namespace stays if it is named or still in use). Idempotent. */
  close(): void {
    if (this._fd < 0) return
    const fd = this._fd
    this._fd = -1
    registry.unregister(this)
    for (const fn of this.closeHooks.splice(0)) {
      try {
        fn()
      } catch (err) {
        debug('close hook failed: %s', (err as Error).message)
      }
    }
    closeSync(fd)
  }

  /** Closes the handle; for a handle from {@link create}, also deletes the named namespace. */
  [Symbol.dispose](): void {
    this.close()
    if (this.owned && this.name) {
      try {
        NetNs.deleteSync(this.name)
      } catch (err) {
        if (!isNetNsError(err, 'ENOENT')) throw err
      }
    }
  }

  async [Symbol.asyncDispose](): Promise<void> {
    this[Symbol.dispose]()
  }

  private assertOpen(): void {
    if (this._fd < 0) throw new NetNsError(`netns handle${this.name ? ` ${this.name}` : ''} is closed`, 'EBADF', this.name ?? this.path)
  }
}

/**
 * Makes /run/netns exist and be a shared mount point, as iproute2 does: under an
 * exclusive flock on the directory (so concurrent creators do not stack bind mounts),
 * try MS_SHARED|MS_REC; on EINVAL (not a mount point) bind-mount the directory onto
 * itself once and retry.
 */
function makeRunDirShared(): void {
  const b = native()
  try {
    mkdirSync(NETNS_RUN_DIR, { mode: 0o755 })
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw sysError(err, `mkdir ${NETNS_RUN_DIR}`, NETNS_RUN_DIR)
  }
  const lock = fsOpenSync(NETNS_RUN_DIR, fsConstants.O_RDONLY | fsConstants.O_DIRECTORY)
  try {
    b.flock(lock, LOCK_EX)
    let madeMount = false
    for (;;) {
      try {
        b.mount('', NETNS_RUN_DIR, 'none', MS_SHARED | MS_REC, null)
        break
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EINVAL' || madeMount)
          throw sysError(err, `mount --make-shared ${NETNS_RUN_DIR}`, NETNS_RUN_DIR)
        try {
          b.mount(NETNS_RUN_DIR, NETNS_RUN_DIR, 'none', MS_BIND | MS_REC, null)
        } catch (err2) {
          throw sysError(err2, `mount --bind ${NETNS_RUN_DIR} ${NETNS_RUN_DIR}`, NETNS_RUN_DIR)
        }
        madeMount = true
      }
    }
  } finally {
    try {
      b.flock(lock, LOCK_UN)
    } catch { /* closing releases it anyway */ }
    closeSync(lock)
  }
}
