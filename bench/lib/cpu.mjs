// CPU pinning of a benchmark run. On a VM the virtual CPUs need not be equally fast, nor stay
// so: on the machine these benchmarks were first run on, the C reference took 5.0 µs per
// RTM_GETLINK on one virtual CPU and 7.3 µs on the other (19 against 33 ms per 100,000-route
// dump), and which one was slow changed from one minute to the next. Left to the scheduler,
// each contender's process lands on either, so two contenders could differ by 50% for no
// reason of their own. So before each contender's run the harness times a short C reference
// calibration on every CPU it may use and restricts itself, and with it the processes it
// starts next (affinity is inherited), to the CPUs within 10% of the fastest. When all are
// (the usual case) nothing is restricted: pinning a runtime with helper threads (V8's
// parallel GC) to one CPU costs it ~5% here, which the harness must not impose either.
// `--cpu N` pins the whole run to CPU N instead; `--cpu none` turns this off.
import { readFileSync } from 'node:fs'
import { run, runJson } from './proc.mjs'

/** CPUs this process may run on (Cpus_allowed_list), or null when unknown. */
export function allowedCpus() {
  try {
    const m = /^Cpus_allowed_list:\s*(.+)$/m.exec(readFileSync('/proc/self/status', 'utf8'))
    if (!m) return null
    /** @type {number[]} */ const out = []
    for (const part of m[1].trim().split(',')) {
      const [a, b] = part.split('-').map(Number)
      for (let c = a; c <= (b ?? a); c++) out.push(c)
    }
    return out
  } catch {
    return null
  }
}

/** Sets the CPUs of every thread of this process (children started later inherit them). @param {number[]} cpus */
async function pinSelf(cpus) {
  await run('taskset', ['-a', '-p', '-c', cpus.join(','), String(process.pid)], { timeoutMs: 10_000, stdout: 'ignore' })
}

export class CpuPinner {
  /**
   * @param {'auto'|'fixed'|'off'} mode @param {string} why @param {number[]} cpus
   * @param {string|null} ref @param {string|null} ns calibration namespace (auto)
   */
  constructor(mode, why, cpus, ref, ns) {
    this.mode = mode
    this.why = why
    this.cpus = cpus
    this.ref = ref
    this.ns = ns
    /** @type {Record<string, number>} how often each CPU was chosen */
    this.chosen = {}
  }

  /**
   * @param {string|undefined} arg  --cpu: a CPU number, 'none', or undefined (auto)
   * @param {{ ref: string|null }} tools
   * @param {{ create(): Promise<string> }} pool
   * @param {boolean} quick  --quick: pinned to the first CPU, no calibration
   */
  static async create(arg, tools, pool, quick) {
    if (arg === 'none') return new CpuPinner('off', 'not pinned (--cpu none)', [], null, null)
    const cpus = allowedCpus() ?? []
    const tasksetOk = (await run('taskset', ['--version'], { check: false, timeoutMs: 10_000 }).catch(() => null))?.code === 0
    if (!tasksetOk) return new CpuPinner('off', 'not pinned: `taskset` (util-linux) is not installed', [], null, null)
    if (arg !== undefined) {
      const cpu = Number(arg)
      if (!Number.isInteger(cpu) || (cpus.length && !cpus.includes(cpu))) throw new Error(`--cpu ${arg}: not one of the allowed CPUs ${cpus.join(',')}`)
      await pinSelf([cpu])
      return new CpuPinner('fixed', `pinned to CPU ${cpu} (--cpu)`, [cpu], null, null)
    }
    if (cpus.length < 2) return new CpuPinner('off', 'not pinned: one CPU', cpus, null, null)
    if (quick || !tools.ref) {
      await pinSelf([cpus[0]])
      return new CpuPinner('fixed', `pinned to CPU ${cpus[0]} (${quick ? '--quick: no calibration' : 'no C reference to calibrate with'})`, [cpus[0]], null, null)
    }
    const ns = await pool.create()
    return new CpuPinner('auto', `before each contender run, a calibration on CPUs ${cpus.join(',')} restricts it to those within 10% of the fastest`, cpus, tools.ref, ns)
  }

  /**
   * Before a contender's run: in auto mode, times 2,000 RTM_GETLINK round trips of the C
   * reference on each CPU (two rounds, interleaved, the best of each counts) and restricts
   * this process to the CPUs within 10% of the fastest. Returns them (null: not pinned).
   * @returns {Promise<{ cpus: number[]|null, us?: Record<string, number> }>}
   */
  async pick() {
    if (this.mode === 'off' || (this.mode === 'auto' && !this.ns)) return { cpus: null }
    if (this.mode === 'fixed') return { cpus: this.cpus }
    /** @type {Record<string, number>} */ const best = {}
    for (let round = 0; round < 2; round++) {
      for (const cpu of this.cpus) {
        const j = await runJson('taskset', ['-c', String(cpu), /** @type {string} */ (this.ref), '--netns', /** @type {string} */ (this.ns),
          '--warm-netns', /** @type {string} */ (this.ns), '--warm-count', '300', 'getlink', '--count', '2000', '--index', '1'], { timeoutMs: 60_000 })
        best[cpu] = Math.min(best[cpu] ?? Infinity, (j.seconds / 2000) * 1e6)
      }
    }
    const fastest = Math.min(...this.cpus.map(c => best[c]))
    const cpus = this.cpus.filter(c => best[c] <= fastest * 1.1)
    await pinSelf(cpus)
    const key = cpus.length === this.cpus.length ? 'all' : cpus.join(',')
    this.chosen[key] = (this.chosen[key] ?? 0) + 1
    return { cpus, us: best }
  }

  /** Deletes the calibration namespace. @param {{ delete(names: string[]): Promise<void> }} pool */
  async close(pool) {
    if (this.ns) await pool.delete([this.ns])
    this.ns = null
  }

  /** What the report says about pinning. */
  summary() {
    if (this.mode !== 'auto') return this.why
    const n = Object.values(this.chosen).reduce((a, b) => a + b, 0)
    const counts = Object.entries(this.chosen).map(([c, k]) => `${c === 'all' ? 'all CPUs' : `CPU ${c}`} ${k}x`).join(', ')
    return `${this.why} (${n} runs: ${counts || 'none'})`
  }
}
