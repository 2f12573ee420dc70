// Optional third-party contenders, W1 and W3 only: pyroute2 (Debian python3-pyroute2)
// and the npm `netlink` package (installed into bench/peers/node_modules by
// `npm install --prefix bench/peers`, never into the library's package.json).
// Skipped, saying so, when not installed.
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { run, runJson } from '../lib/proc.mjs'
import { BENCH } from '../lib/tools.mjs'

/** @typedef {import('../lib/contender.mjs').Contender} Contender */

const PEERS = join(BENCH, 'peers')
const ONLY = new Set(['W1', 'W3'])

/** @type {string|null} */ let python = null
/** @type {string} */ let pyroute2Version = ''

/** @type {Contender} */
export const pyroute2 = {
  id: 'pyroute2',
  label: 'pyroute2 (Python), sequential',
  style: 'seq',
  phasesFor: w => (ONLY.has(w.id) ? w.phases : null),
  async probe() {
    for (const py of ['/usr/bin/python3', 'python3']) {
      const r = await run(py, ['-c', "import pyroute2, importlib.metadata as m; print(m.version('pyroute2'))"], { check: false, timeoutMs: 30_000 }).catch(() => null)
      if (r && r.code === 0) {
        python = py
        pyroute2Version = r.stdout.trim()
        this.label = `pyroute2 ${pyroute2Version} (Python), sequential`
        return null
      }
    }
    return 'pyroute2 not installed (apt-get install python3-pyroute2)'
  },
  async run({ w, inst, warm, phases, dumps, warmPasses }) {
    /** @type {Record<string, import('../lib/contender.mjs').PhaseResult>} */
    const out = {}
    for (const phase of phases) {
      const spec = { w: w.id, phase, inst, warm, dumps, warmPasses: warmPasses[phase] }
      const j = await runJson(/** @type {string} */ (python), [join(PEERS, 'pyroute2_bench.py'), JSON.stringify(spec)], { timeoutMs: 1_800_000 })
      out[phase] = { seconds: j.seconds, count: j.count, maxRssKiB: j.maxrss_kib, first: j.first }
    }
    return { phases: out }
  },
}

/** @type {Contender} */
export const netlinkNpm = {
  id: 'netlink-npm',
  label: 'npm netlink (Node), sequential',
  style: 'seq',
  note: 'runs under `ip netns exec` (the package cannot open a socket in another namespace); warm-up in the timed namespace (W3 dump: a link dump only)',
  phasesFor: w => (ONLY.has(w.id) ? w.phases : null),
  async probe() {
    const pkg = join(PEERS, 'node_modules', 'netlink', 'package.json')
    if (!existsSync(pkg)) return 'npm `netlink` not installed (npm install --prefix bench/peers)'
    const r = await run(process.execPath, ['-e', "require('netlink').createRtNetlink"], { cwd: PEERS, check: false, timeoutMs: 30_000 })
    if (r.code !== 0) return `npm \`netlink\` does not load: ${r.stderr.trim().split('\n')[0]}`
    const version = JSON.parse(readFileSync(pkg, 'utf8')).version
    this.label = `npm netlink ${version} (Node), sequential`
    return null
  },
  async run({ w, inst, warm, phases, dumps, warmPasses }) {
    /** @type {Record<string, import('../lib/contender.mjs').PhaseResult>} */
    const out = {}
    for (const phase of phases) {
      const spec = { w: w.id, phase, inst, warm, dumps, warmPasses: warmPasses[phase] }
      const j = await runJson('ip', ['netns', 'exec', inst.ns[0], process.execPath, join(PEERS, 'netlink_bench.mjs'), JSON.stringify(spec)],
        { timeoutMs: 1_800_000 })
      out[phase] = { seconds: j.seconds, count: j.count, maxRssKiB: j.maxrss_kib, first: j.first }
    }
    return { phases: out }
  },
}
