// iproute2 `ip` as a contender: `ip -batch` on generated files, and one `ip` process per
// command (a sample, timed and extrapolated). Processes are timed by rtnl_ref exec /
// spawn-each (fork/exec/wait in C, no Node spawn overhead); their output goes to /dev/null.
import { median } from '../lib/report.mjs'
import { scratchFile, timeEach, timeProcess } from '../lib/tools.mjs'

/** @typedef {import('../lib/contender.mjs').Contender} Contender */
/** @typedef {import('../lib/workloads.mjs').Group} Group */

/** Adjacent groups of the same namespace become one batch file. @param {Group[]} groups */
function merge(groups) {
  /** @type {Group[]} */ const out = []
  for (const g of groups) {
    const last = out[out.length - 1]
    if (last && last.ns === g.ns) last.lines.push(...g.lines)
    else out.push({ ns: g.ns, lines: [...g.lines] })
  }
  return out
}

/**
 * Runs groups with `ip [-n NS] -batch FILE`, one process per merged group.
 * @param {import('../lib/tools.mjs').Tools} tools @param {Group[]} groups
 */
async function runBatches(tools, groups) {
  let seconds = 0
  /** @type {number|null} */ let rss = null
  for (const g of merge(groups)) {
    if (!g.lines.length) continue
    const f = scratchFile(tools, g.lines, 'batch')
    const argv = g.ns ? ['ip', '-n', g.ns, '-batch', f] : ['ip', '-batch', f]
    const t = await timeProcess(tools, argv, { stdoutNull: true })
    seconds += t.seconds
    if (t.maxRssKiB !== null) rss = Math.max(rss ?? 0, t.maxRssKiB)
  }
  return { seconds, maxRssKiB: rss }
}

/** One command line per group line: `-n NS words` (or the words alone for ns null). @param {Group[]} groups */
function perCommand(groups) {
  return groups.flatMap(g => g.lines.map(l => (g.ns ? `-n ${g.ns} ${l}` : l)))
}

/** @type {Contender} */
export const ipBatch = {
  id: 'ip-batch',
  label: 'ip -batch',
  style: 'seq',
  note: 'iproute2 `ip -n NS -batch FILE`: one process per namespace touched, each command sent and acknowledged in turn',
  phasesFor: w => w.phases.filter(p => p !== 'dump'),
  async probe() { return null },
  async run({ w, inst, warm, phases, tools }) {
    /** @type {Record<string, import('../lib/contender.mjs').PhaseResult>} */
    const out = {}
    for (const phase of phases) {
      await runBatches(tools, w.ipGroups(warm, phase, 0, warm.n))
      out[phase] = await runBatches(tools, w.ipGroups(inst, phase, 0, inst.n))
    }
    return { phases: out }
  },
}

/** @type {Contender} */
export const ipCmd = {
  id: 'ip-cmd',
  label: 'ip, one process per command',
  style: 'seq',
  note: 'one `ip -n NS ...` process per command; a sample of the items is timed and extrapolated to n (marked ~)',
  phasesFor: w => w.phases,
  async probe() { return null },
  async run({ w, inst, warm, phases, tools, quick, dumps }) {
    const sizes = quick ? w.sizes.quick : w.sizes.full
    const k = Math.min(sizes.sample, inst.n)
    /** @type {Record<string, import('../lib/contender.mjs').PhaseResult>} */
    const out = {}
    let done = inst.n
    for (const phase of phases) {
      if (phase === 'dump') {
        if (!w.ipDump) throw new Error(`${w.id} has no ip dump command`)
        await timeProcess(tools, ['ip', ...w.ipDump(warm, phase)], { stdoutNull: true })
        // `dumps` processes, like the in-process repeats of the other contenders.
        const ts = []
        for (let i = 0; i < Math.max(1, dumps); i++) ts.push(await timeProcess(tools, ['ip', ...w.ipDump(inst, phase)], { stdoutNull: true }))
        out[phase] = { seconds: median(ts.map(t => t.seconds)), maxRssKiB: Math.max(...ts.map(t => t.maxRssKiB ?? 0)) || null, first: ts[0].seconds }
        continue
      }
      const kw = Math.min(k, warm.n)
      await timeEach(tools, ['ip'], perCommand(w.ipGroups(warm, phase, 0, kw)), { stdoutNull: true })
      const t = await timeEach(tools, ['ip'], perCommand(w.ipGroups(inst, phase, 0, k)), { stdoutNull: true })
      out[phase] = { seconds: (t.seconds * inst.n) / k, maxRssKiB: t.maxRssKiB }
      if (k < inst.n) out[phase].sampled = k
      // Later phases (the dump) need the whole set: the rest is added untimed with ip -batch.
      if (w.phases.includes('dump') && k < inst.n) await runBatches(tools, w.ipGroups(inst, phase, k, inst.n))
      else done = k
    }
    return { phases: out, done }
  },
}
