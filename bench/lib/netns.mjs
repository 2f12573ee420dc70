// Throw-away network namespaces for the benchmarks. Every name this run hands out is
// `rtnl-bench-<pid>-<n>`, is recorded before anything can create it, and is deleted at
// the end of its workload, on exit, and on SIGINT/SIGTERM/SIGHUP. Nothing here (nor
// anywhere in bench/) changes links, addresses or routes of the namespace the harness
// runs in: every `ip` gets `-n NAME`, every socket is opened inside a namespace.
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync } from 'node:fs'
import { run } from './proc.mjs'

const RUN_DIR = '/run/netns'
const PREFIX = 'rtnl-bench'

export class NsPool {
  constructor() {
    this.prefix = `${PREFIX}-${process.pid}`
    this.n = 0
    /** @type {Set<string>} names handed out and not yet deleted */
    this.names = new Set()
  }

  /** A fresh unique name, recorded for deletion (the namespace is not created). */
  reserve() {
    const name = `${this.prefix}-${++this.n}`
    this.names.add(name)
    return name
  }

  /** Creates a fresh namespace (`ip netns add`) and returns its name. */
  async create() {
    const name = this.reserve()
    await run('ip', ['netns', 'add', name], { timeoutMs: 30_000 })
    return name
  }

  /**
   * Deletes namespaces handed out by this pool (all of them by default), whether or not
   * they were created. Waits for each `ip netns del`.
   * @param {Iterable<string>} [names]
   */
  async delete(names = [...this.names]) {
    /** @type {unknown} */ let first
    for (const name of [...names]) {
      if (!this.names.has(name)) continue
      if (existsSync(`${RUN_DIR}/${name}`)) {
        try {
          await run('ip', ['netns', 'del', name], { timeoutMs: 30_000 })
        } catch (e) {
          first ??= e
          continue
        }
      }
      this.names.delete(name)
    }
    if (first) throw first
  }

  /**
   * Synchronous last-chance cleanup for exit paths and signal handlers: deletes every
   * name handed out plus anything under /run/netns carrying this run's prefix.
   * @returns {string[]} the names deleted
   */
  deleteAllSync() {
    const found = new Set(this.names)
    try {
      for (const f of readdirSync(RUN_DIR)) if (f.startsWith(`${this.prefix}-`)) found.add(f)
    } catch { /* no /run/netns yet */ }
    /** @type {string[]} */ const done = []
    for (const name of found) {
      if (existsSync(`${RUN_DIR}/${name}`)) {
        spawnSync('ip', ['netns', 'del', name], { stdio: 'ignore', timeout: 30_000 })
        done.push(name)
      }
      this.names.delete(name)
    }
    return done
  }

  /** Names of namespaces of this run still present under /run/netns. */
  leftovers() {
    try {
      return readdirSync(RUN_DIR).filter(f => f.startsWith(`${this.prefix}-`))
    } catch {
      return []
    }
  }
}

/**
 * Deletes namespaces left by earlier harness runs that died without cleaning up:
 * only names of this harness's form whose process id no longer exists.
 * @returns {Promise<string[]>}
 */
export async function sweepStale() {
  /** @type {string[]} */ const gone = []
  let entries = []
  try { entries = readdirSync(RUN_DIR) } catch { return gone }
  for (const f of entries) {
    const m = /^rtnl-bench-(\d+)-\d+$/.exec(f)
    if (!m || Number(m[1]) === process.pid || pidAlive(Number(m[1]))) continue
    await run('ip', ['netns', 'del', f], { timeoutMs: 30_000, check: false })
    gone.push(f)
  }
  return gone
}

/** @param {number} pid */
function pidAlive(pid) {
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    return /** @type {NodeJS.ErrnoException} */ (e).code === 'EPERM'
  }
}
