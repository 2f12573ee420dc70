/**
 * NetNs: network-namespace handles built on file descriptors, compatible with
 * `ip netns` (named namespaces are bind mounts under /run/netns, see run-dir.ts).
 *
 * setns() moves only the calling thread. Everything here that switches does so
 * synchronously and switches back before returning, so no JavaScript ever runs
 * (and no await ever resumes) in the wrong namespace. See docs/netns.md.
 */
import { execFile, spawn, type ChildProcess, type ExecFileException, type ExecFileOptions, type SpawnOptions } from 'node:child_process'
import { closeSync, fstatSync, readdirSync, statSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Worker, type WorkerOptions } from 'node:worker_threads'
import { native } from '../native/binding.js'
import { NetNsError, ValidationError, isNetNsError } from '../errors.js'
import { log } from '../util/log.js'
import { optBool, optInt } from '../util/check.js'
import { openSync as openClient, type OpenOptions, type Rtnl } from '../client.js'
import {
  bindNamed, checkNetNsName, checkNetnsFd, listNames, namesOf, netnsPath, openNsFile, sysError, unbindNamed, type NetNsId,
} from './run-dir.js'
import { THREAD_NETNS, runIn, switchDepth } from './switch.js'
import type { ExecHelperSpec } from './exec-helper.js'

export { NETNS_RUN_DIR, checkNetNsName, type NetNsId } from './run-dir.js'
export { CLONE_NEWNET } from './switch.js'
export { NetNsError, isNetNsError } from '../errors.js'

const debug = log('netns')

/** exec-helper.js beside this module (exec-helper.ts when running from the sources). */
function helperPath(): string {
  const self = fileURLToPath(import.meta.url)
  return join(dirname(self), self.endsWith('.ts') ? 'exec-helper.ts' : 'exec-helper.js')
}

/** Options of {@link NetNs.exec}: `execFile`'s, plus `reject`. */
export interface NetNsExecOptions extends Omit<ExecFileOptions, 'encoding'> {
  /** Full `ip netns exec` semantics, see {@link NetNsSpawnOptions.ipNetnsExec}. */
  ipNetnsExec?: boolean
  /**
   * When false, a command that ran but exited non-zero (or was killed by a signal)
   * resolves with its `code`/`signal` instead of rejecting. Default true, as `execFile`.
   */
  reject?: boolean
  /**
   * Written to the command's stdin, which is then closed (as `execFileSync`'s `input`).
   * Without it stdin is a pipe left open, as with `execFile`: a command that reads it waits.
   */
  input?: string | Buffer
}

/** Options of {@link NetNs.spawn}: `child_process.spawn`'s, plus `ipNetnsExec`. */
export interface NetNsSpawnOptions extends SpawnOptions {
  /**
   * Full `ip netns exec` semantics: the child also gets a private mount namespace in which
   * /sys describes this network namespace (`/sys/class/net` lists its links) and, for a
   * named namespace, each entry of `/etc/netns/NAME/` is bind-mounted over `/etc/` (e.g. a
   * per-namespace `resolv.conf`). Nothing is mounted in the caller's mount namespace. Costs a
   * short-lived helper process (a Node start-up, tens of milliseconds) that then execs the
   * program, which keeps the child's PID. A program that cannot be started exits 127 with a
   * message on stderr instead of emitting `'error'`. Not with `uid`/`gid` (the helper needs
   * CAP_SYS_ADMIN for the mounts) or an `'ipc'` channel.
   */
  ipNetnsExec?: boolean
}

/** What {@link NetNs.exec} collected. */
export interface NetNsExecResult {
  stdout: string
  stderr: string
  /** Exit code; `null` when killed by a signal. */
  code: number | null
  signal: NodeJS.Signals | null
}

// The safety net for handles nobody closed. Explicit close() is the contract: a fd
// number closed here after its owner closed it by hand could be someone else's by now.
const registry = new FinalizationRegistry<number>(fd => {
  try {
    closeSync(fd)
  } catch { /* already closed */ }
})

/**
 * A network namespace, held open by a file descriptor: the namespace stays alive at
 * least as long as the handle is open, whether it is named or not. Close handles with
 * {@link NetNs.close} or `using`.
 */
export class NetNs {
  private _fd: number
  private readonly closeHooks: (() => void)[] = []
  /** Set for handles made by {@link NetNs.create}: disposing them deletes the namespace. */
  private readonly owned: boolean
  /** Identity: device and inode of the namespace's nsfs file. Same namespace ⇔ same id. */
  readonly id: NetNsId

  private constructor(
    fd: number,
    /** Name under /run/netns, when opened or created by name. */
    readonly name: string | undefined,
    /** The path the handle was opened from (`/proc/self/fd/N` for anonymous ones). */
    readonly path: string,
    owned = false,
  ) {
    this._fd = fd
    this.owned = owned
    try {
      const st = fstatSync(fd, { bigint: true })
      this.id = { dev: st.dev, ino: st.ino }
    } catch (err) {
      closeSync(fd)
      throw sysError(err, `cannot stat ${path}`, name ?? path)
    }
    registry.register(this, fd, this)
  }

  /** The file descriptor (close-on-exec), or -1 once closed. */
  get fd(): number {
    return this._fd
  }

  /** True once {@link NetNs.close} was called. */
  get closed(): boolean {
    return this._fd < 0
  }

  // ---- named namespaces (ip netns add/attach/del/list) --------------------------

  /**
   * Creates a named namespace. Equivalent to `ip netns add NAME`: /run/netns made a shared
   * mount point (under iproute2's flock), an empty file /run/netns/NAME created exclusively,
   * a new namespace bind-mounted onto it. The namespace is made on a short-lived native
   * thread: no fork, no thread of this process is ever left in it.
   *
   * Returns an open handle that **owns** the name: `await using` / `[Symbol.asyncDispose]()` /
   * `[Symbol.dispose]()` close the handle **and delete the namespace**; plain
   * {@link NetNs.close} keeps it.
   * @throws {ValidationError} for a bad name (nothing touched).
   * @throws {NetNsError} `EEXIST` when the name exists, `EPERM` without CAP_SYS_ADMIN.
   * @example await using blue = await NetNs.create('blue') // deleted on dispose
   */
  static async create(name: string): Promise<NetNs> {
    return NetNs.createSync(name)
  }

  /**
   * Synchronous form of {@link NetNs.create} (same `ip netns add NAME`, same errors).
   * @example using blue = NetNs.createSync('blue') // deleted on dispose
   */
  static createSync(name: string): NetNs {
    checkNetNsName(name)
    let fd: number
    try {
      fd = native().unshareNetns()
    } catch (err) {
      throw sysError(err, `cannot create netns ${name}`, name)
    }
    try {
      bindNamed(name, `/proc/self/fd/${fd}`)
    } catch (err) {
      closeSync(fd)
      throw err
    }
    debug('created %s', name)
    return new NetNs(fd, name, netnsPath(name), true)
  }

  /**
   * Gives an existing namespace a name. Equivalent to `ip netns attach NAME PID` (and,
   * for a handle, to naming an anonymous namespace). The returned handle does not own
   * the name: disposing it only closes it.
   * @throws {ValidationError} for a bad name or pid.
   * @throws {NetNsError} `EEXIST` when the name exists, `ENOENT` for a missing process, `EPERM`.
   * @example const named = await NetNs.attach('job-42', child.pid!)
   */
  static async attach(name: string, target: number | NetNs): Promise<NetNs> {
    return NetNs.attachSync(name, target)
  }

  /** Synchronous form of {@link NetNs.attach}. @example NetNs.attachSync('scratch', NetNs.unshare()) */
  static attachSync(name: string, target: number | NetNs): NetNs {
    checkNetNsName(name)
    if (typeof target !== 'number' && !(target instanceof NetNs))
      throw new ValidationError('netns: attach target must be a pid or a NetNs handle', 'target', target)
    const source = typeof target === 'number' ? NetNs.fromPid(target) : target
    try {
      source.assertOpen()
      bindNamed(name, `/proc/self/fd/${source.fd}`)
    } finally {
      if (source !== target) source.close()
    }
    debug('attached %s', name)
    return NetNs.openSync(name)
  }

  /**
   * Deletes a named namespace. Equivalent to `ip netns del NAME`: detaches the bind mount
   * and removes the file. The namespace itself lives on while anything (a handle, a
   * socket, a process, a worker) still holds it.
   * @throws {ValidationError} for a bad name.
   * @throws {NetNsError} `ENOENT` when there is no such namespace, `EPERM`.
   * @example await NetNs.delete('blue')
   */
  static async delete(name: string): Promise<void> {
    NetNs.deleteSync(name)
  }

  /** Synchronous form of {@link NetNs.delete}. @example NetNs.deleteSync('blue') */
  static deleteSync(name: string): void {
    checkNetNsName(name)
    unbindNamed(name)
    debug('deleted %s', name)
  }

  /**
   * Names of the named namespaces, sorted. Equivalent to `ip netns list` (without ids:
   * see `rtnl.nsid`). No /run/netns yet means none.
   * @throws {NetNsError} when /run/netns cannot be read.
   * @example console.log(await NetNs.list())
   */
  static async list(): Promise<string[]> {
    return listNames()
  }

  /** Synchronous form of {@link NetNs.list}. @example NetNs.listSync().includes('blue') */
  static listSync(): string[] {
    return listNames()
  }

  // ---- opening handles --------------------------------------------------------

  /**
   * Opens a named namespace: the file /run/netns/NAME, as `ip -n NAME` does.
   * @throws {ValidationError} for a bad name.
   * @throws {NetNsError} `ENOENT` when it does not exist, `ENOTNETNS` when the file is not a namespace.
   * @example using blue = await NetNs.open('blue')
   */
  static async open(name: string): Promise<NetNs> {
    return NetNs.openSync(name)
  }

  /** Synchronous form of {@link NetNs.open}. @example using blue = NetNs.openSync('blue') */
  static openSync(name: string): NetNs {
    checkNetNsName(name)
    return NetNs.fromPathInternal(netnsPath(name), name)
  }

  /**
   * Opens the namespace a file refers to: `/proc/PID/ns/net`, `/proc/PID/task/TID/ns/net`,
   * `/proc/PID/fd/N` of an nsfs fd, or any bind-mounted namespace file (e.g. Docker's
   * `/run/docker/netns/ID`). Checked with ioctl(NS_GET_NSTYPE).
   * @throws {ValidationError} for an empty path.
   * @throws {NetNsError} `ENOENT` for a missing path, `ENOTNETNS` when it is not a network namespace, `EACCES`.
   * @example using ns = NetNs.fromPath('/proc/1/ns/net')
   */
  static fromPath(path: string): NetNs {
    if (typeof path !== 'string' || !path) throw new ValidationError('netns: path must be a non-empty string', 'path', path)
    return NetNs.fromPathInternal(path, undefined)
  }

  /**
   * Opens the namespace of a process (`/proc/PID/ns/net`: its main thread's).
   * @throws {ValidationError} unless pid is a positive integer.
   * @throws {NetNsError} `ENOENT` when there is no such process.
   * @example using ns = NetNs.fromPid(child.pid!)
   */
  static fromPid(pid: number): NetNs {
    if (!Number.isInteger(pid) || pid <= 0) throw new ValidationError('netns: pid must be a positive integer', 'pid', pid)
    return NetNs.fromPathInternal(`/proc/${pid}/ns/net`, undefined)
  }

  /**
   * The namespace of the calling thread (`/proc/thread-self/ns/net`): inside
   * {@link NetNs.runSync}, the one switched into; in a worker started by {@link NetNs.worker},
   * the worker's.
   * @example using here = NetNs.current()
   */
  static current(): NetNs {
    return NetNs.fromPathInternal(THREAD_NETNS, undefined)
  }

  /**
   * A new anonymous namespace, kept alive by this handle alone (nothing mounted,
   * invisible to `ip netns list`): it disappears when the handle and everything else
   * using it (sockets, processes, links' peers) are gone. Made on a short-lived native
   * thread, like {@link NetNs.create}.
   * @throws {NetNsError} `EPERM` without CAP_SYS_ADMIN.
   * @example using scratch = NetNs.unshare()
   */
  static unshare(): NetNs {
    let fd: number
    try {
      fd = native().unshareNetns()
    } catch (err) {
      throw sysError(err, 'cannot create an anonymous netns', '(anonymous)')
    }
    return new NetNs(fd, undefined, `/proc/self/fd/${fd}`)
  }

  private static fromPathInternal(path: string, name: string | undefined): NetNs {
    const fd = openNsFile(path, name)
    try {
      checkNetnsFd(fd, path, name ?? path)
    } catch (err) {
      closeSync(fd)
      throw err
    }
    return new NetNs(fd, name, path)
  }

  // ---- identity ------------------------------------------------------------------

  /**
   * True when both refer to the same namespace (same nsfs device and inode), however
   * they were opened.
   * @example NetNs.fromPid(pid).equals(blue)
   */
  equals(other: NetNs | NetNsId): boolean {
    const id = other instanceof NetNs ? other.id : other
    if (typeof id !== 'object' || id === null || typeof id.dev !== 'bigint' || typeof id.ino !== 'bigint')
      throw new ValidationError('equals: expected a NetNs or a { dev, ino } id', 'other', other)
    return this.id.dev === id.dev && this.id.ino === id.ino
  }

  /**
   * Names under /run/netns that are the namespace of a process, of a handle, or (no
   * argument) of the calling thread. Equivalent to `ip netns identify [PID]`, except that
   * every matching name is returned (`ip` prints one).
   * @throws {ValidationError} for a bad pid.
   * @throws {NetNsError} `ENOENT` when there is no such process.
   * @example console.log(await NetNs.identify(child.pid!)) // ['blue']
   */
  static async identify(target?: number | NetNs): Promise<string[]> {
    if (target instanceof NetNs) return namesOf(target.id)
    using ns = target === undefined ? NetNs.current() : NetNs.fromPid(target)
    return namesOf(ns.id)
  }

  /**
   * Pids of the processes whose main thread is in this namespace, sorted. Equivalent to
   * `ip netns pids NAME` (same scan of /proc/PID/ns/net; a process whose thread is only
   * switched by runSync is not listed, as with `ip`).
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
   * Runs a synchronous function with the calling thread switched into this namespace and
   * always switches back to the namespace the thread was in (also when fn throws). No
   * `ip` equivalent (`ip -n NAME` does this for its own socket).
   *
   * Nesting works: each call restores what it found. Refused: async and generator
   * functions (before switching); a function that returns a promise or thenable (after
   * switching back: its continuation would run outside). Only work that completes
   * synchronously lands in the namespace — e.g. `net.createServer().listen(port)` binds
   * at once, but `listen(port, host)` and `net.connect()` create their socket on a later
   * tick, outside (use {@link NetNs.worker} for those).
   * @throws {TypeError} for the refused functions above.
   * @throws {NetNsError} `EBADF` when the handle is closed; `EPERM` (and other setns errors)
   *   when the namespace — or the way back — cannot be entered; nothing has run then.
   * @example const server = blue.runSync(() => net.createServer(onConn).listen(8080))
   */
  runSync<T>(fn: () => T): T {
    this.assertOpen()
    return runIn(this._fd, this.label, fn)
  }

  /** True while a {@link NetNs.runSync} has the calling thread switched (per thread). */
  static get switched(): boolean {
    return switchDepth() > 0
  }

  /**
   * Starts a child process inside this namespace: `child_process.spawn` forks synchronously
   * while the thread is switched, and the child keeps the namespace for life. Like
   * `ip netns exec NAME CMD ARGS`; by default without its private mount namespace (the
   * child sees the caller's /sys and /etc): pass `ipNetnsExec: true` for those too.
   * @throws {NetNsError} as {@link NetNs.runSync}; {@link ValidationError} for `ipNetnsExec`
   *   with `uid`/`gid`/`'ipc'`; spawn failures (ENOENT...) arrive as the child's `'error'` event.
   * @example const child = blue.spawn('ping', ['-c1', '10.0.0.2'], { stdio: 'inherit' })
   * @example const { stdout } = await blue.exec('ls', ['/sys/class/net'], { ipNetnsExec: true })
   */
  spawn(command: string, args: readonly string[] = [], options: NetNsSpawnOptions = {}): ChildProcess {
    optBool(options?.ipNetnsExec, 'ipNetnsExec')
    if (debug.enabled) debug('spawn %s in %s%s', command, this.label, options.ipNetnsExec ? ' (ip netns exec)' : '')
    const { ipNetnsExec, ...rest } = options
    if (!ipNetnsExec) return this.runSync(() => spawn(command, args, rest))
    const h = this.viaHelper(command, args, rest)
    return this.runSync(() => spawn(h.file, h.args, h.options))
  }

  /**
   * The helper invocation that gives a command `ip netns exec`'s mounts: node runs
   * exec-helper.js, which sets them up in a mount namespace of its own and execs the command.
   */
  private viaHelper<O extends SpawnOptions | ExecFileOptions>(command: string, args: readonly string[], options: O): { file: string; args: string[]; options: O } {
    if (typeof command !== 'string' || !command) throw new ValidationError('command: a program name or path is required', 'command', command)
    const o = options as SpawnOptions
    if (o.uid !== undefined || o.gid !== undefined)
      throw new ValidationError('ipNetnsExec: uid/gid are not supported (the mounts need CAP_SYS_ADMIN; run e.g. setpriv inside)', 'uid', o.uid ?? o.gid)
    const stdio = o.stdio as unknown
    if (Array.isArray(stdio) ? stdio.includes('ipc') : stdio === 'ipc')
      throw new ValidationError("ipNetnsExec: an 'ipc' channel is not supported", 'stdio', stdio)
    let file = command
    let argv = [o.argv0 ?? command, ...args]
    if (o.shell) {
      // As child_process does: the command line joined with spaces, run by the shell.
      file = typeof o.shell === 'string' ? o.shell : '/bin/sh'
      argv = [file, '-c', [command, ...args].join(' ')]
    }
    const env = o.env ?? process.env
    const envList = Object.entries(env).flatMap(([k, v]) => (v === undefined ? [] : [`${k}=${v}`]))
    const spec: ExecHelperSpec = { file, argv, env: envList, name: this.name ?? null }
    // The helper itself runs without NODE_OPTIONS (it must not load the user's preloads);
    // the program gets the environment it was given.
    const helperEnv: NodeJS.ProcessEnv = { ...env }
    delete helperEnv['NODE_OPTIONS']
    const helper = helperPath()
    const loader = helper.endsWith('.ts') ? process.execArgv.filter(a => /^--(import|loader|experimental-loader|require)\b/.test(a)) : []
    return {
      file: process.execPath,
      args: [...loader, helper, JSON.stringify(spec)],
      options: { ...options, env: helperEnv, shell: false, argv0: undefined },
    }
  }

  /**
   * Runs a command inside this namespace and collects its output, like `execFile` (UTF-8,
   * maxBuffer 64 MiB unless given). Like `ip netns exec NAME CMD ARGS` (see
   * {@link NetNs.spawn} for what is not replicated).
   * @throws {Error} rejects with execFile's error (`code`, `signal`, `stdout`, `stderr`) when
   *   the command cannot start, or exits non-zero unless `reject: false`.
   * @example const { stdout, code } = await blue.exec('cat', ['/proc/net/dev'])
   */
  exec(command: string, args: readonly string[] = [], options: NetNsExecOptions = {}): Promise<NetNsExecResult> {
    const { reject: rejectOnExit = true, ipNetnsExec, input, ...rest } = options
    let call = { file: command, args: [...args], options: rest as ExecFileOptions }
    try {
      optBool(rejectOnExit, 'reject')
      optBool(ipNetnsExec, 'ipNetnsExec')
      if (input !== undefined && typeof input !== 'string' && !Buffer.isBuffer(input))
        throw new ValidationError('input: expected a string or a Buffer', 'input', input)
      if (ipNetnsExec) call = this.viaHelper(command, args, rest as ExecFileOptions)
    } catch (err) {
      return Promise.reject(err)
    }
    return new Promise((resolve, reject) => {
      const child = this.runSync(() =>
        execFile(call.file, call.args, { maxBuffer: 64 << 20, ...call.options, encoding: 'utf8' }, (err: ExecFileException | null, stdout: string, stderr: string) => {
          if (!err) return resolve({ stdout, stderr, code: 0, signal: null })
          const ran = typeof err.code === 'number' || (err.code == null && err.signal != null)
          if (ran && !rejectOnExit) {
            return resolve({ stdout, stderr, code: typeof err.code === 'number' ? err.code : null, signal: (err.signal ?? null) as NodeJS.Signals | null })
          }
          reject(Object.assign(err, { stdout, stderr }))
        }))
      if (input !== undefined && child.stdin) {
        // A command that exits without reading it all closes the pipe: EPIPE is not an error here.
        child.stdin.on('error', () => {})
        child.stdin.end(input)
      }
    })
  }

  /**
   * Starts a worker thread inside this namespace: `new Worker()` creates its thread while
   * the calling thread is switched, and the thread keeps the namespace, so everything the
   * worker's own event loop opens — TCP servers and clients, UDP, netlink — lives here.
   * Not its libuv thread-pool work (`dns.lookup` of host names, fs): that pool is shared
   * by the process. In the worker, read `/proc/thread-self/net/...`, not `/proc/net/...`.
   * @throws {NetNsError} as {@link NetNs.runSync}; Worker constructor errors.
   * @example const w = blue.worker(new URL('./server.js', import.meta.url), { workerData: { port: 80 } })
   */
  worker(filename: string | URL, options?: WorkerOptions): Worker {
    if (debug.enabled) debug('worker %s in %s', String(filename), this.label)
    return this.runSync(() => new Worker(filename, options))
  }

  /**
   * An rtnetlink client whose socket lives in this namespace (created in one native call:
   * no JavaScript runs while switched). Same as `open({ netns: this })`; like `ip -n NAME`.
   * @throws {NetNsError} `EBADF` when the handle is closed; socket/setns system errors.
   * @example using rtnl = blue.open()
   */
  open(options: Omit<OpenOptions, 'netns'> = {}): Rtnl {
    if (options !== null && options !== undefined && typeof options !== 'object')
      throw new ValidationError('open: the options must be an object', 'options', options)
    this.assertOpen()
    return openClient({ ...options, netns: this })
  }

  /**
   * A netlink socket (`AF_NETLINK`, raw, non-blocking, close-on-exec) of the given protocol
   * (0 = NETLINK_ROUTE) created inside this namespace by one native call; it stays there
   * for life. The caller owns (and closes) the fd.
   * @throws {NetNsError} `EBADF` when the handle is closed; system errors (EPERM, EPROTONOSUPPORT).
   * @example const fd = blue.openNetlinkFd()
   */
  openNetlinkFd(protocol = 0): number {
    optInt(protocol, 'protocol', 0, 31)
    this.assertOpen()
    return native().socketInNetns(this._fd, protocol)
  }

  // ---- lifetime --------------------------------------------------------------------

  /**
   * Calls fn when this handle closes (pooled clients follow the handle's lifetime); at
   * once when it is closed already.
   * @example blue.onClose(() => rtnl.close())
   */
  onClose(fn: () => void): void {
    // Checked now: a non-function would only fail when the handle closes.
    if (typeof fn !== 'function') throw new ValidationError('onClose: expected a function', 'fn', fn)
    if (this.closed) fn()
    else this.closeHooks.push(fn)
  }

  /**
   * Closes the fd. Idempotent. The namespace stays while it is named or in use; use
   * {@link NetNs.delete} (or dispose a handle from {@link NetNs.create}) to remove a name.
   * @example blue.close()
   */
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

  /**
   * Closes the handle; for a handle returned by {@link NetNs.create}, also deletes the
   * named namespace (`ip netns del NAME`; a name already gone is fine).
   * @example { using blue = NetNs.createSync('blue') } // deleted here
   */
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

  /** Same as `[Symbol.dispose]()`, for `await using`. */
  async [Symbol.asyncDispose](): Promise<void> {
    this[Symbol.dispose]()
  }

  private get label(): string {
    return this.name ?? this.path
  }

  private assertOpen(): void {
    if (this._fd < 0) throw new NetNsError(`netns handle ${this.label} is closed`, 'EBADF', this.label)
  }
}
