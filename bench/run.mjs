#!/usr/bin/env node
// Benchmark harness of rtnetlink: the same rtnetlink work done by a C reference, by
// iproute2 `ip` (-batch and one process per command), by optional third-party clients
// and by this library, each in fresh throw-away network namespaces, several times.
//
//   node bench/run.mjs [--quick] [--only W1,W3] [--reps N] [--contenders c-seq,ip-batch,...]
//                      [--write-docs|--no-docs] [--rebuild] [--strict] [--cpu N|none]
//
// Needs root (CAP_SYS_ADMIN + CAP_NET_ADMIN), `ip` and a C compiler. Every namespace it
// makes is named rtnl-bench-<pid>-<n> and deleted after use, on exit and on
// SIGINT/SIGTERM/SIGHUP; nothing is changed in the namespace the harness runs in.
// Output: a text table on stdout, bench/out/results.json, bench/out/benchmarks.md and
// bench/out/benchmarks-ratios.svg; a full run of every workload also writes
// docs/benchmarks.md and docs/benchmarks-ratios.svg.
import { execFileSync } from 'node:child_process'
import { cpus, release } from 'node:os'
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { NsPool, sweepStale } from './lib/netns.mjs'
import { CpuPinner } from './lib/cpu.mjs'
import { killChildren, run } from './lib/proc.mjs'
import { addRatios, finishRow, mdTable, ratioSvg, textTable } from './lib/report.mjs'
import { checkTargets, targetsMd, targetsText } from './lib/targets.mjs'
import { OUT, ROOT, prepareTools, removeScratch } from './lib/tools.mjs'
import { WARM_FLOOR, WARM_MAX_PASSES, WORKLOADS, instanceNames, makeInstance, warmPasses as warmPassesOf } from './lib/workloads.mjs'
import { cPipe, cSeq } from './contenders/c.mjs'
import { ipBatch, ipCmd } from './contenders/ip.mjs'
import { netlinkNpm, pyroute2 } from './contenders/peers.mjs'
import { nodeFloor, nodeFloorAwait, rtnetlinkPipe, rtnetlinkSeq } from './contenders/rtnetlink.mjs'

/** @typedef {import('./lib/contender.mjs').Contender} Contender */
/** @typedef {import('./lib/report.mjs').WorkloadReport} WorkloadReport */

/** Every contender, in the order of the tables. @type {Contender[]} */
const CONTENDERS = [cSeq, cPipe, rtnetlinkSeq, rtnetlinkPipe, nodeFloor, nodeFloorAwait, ipBatch, ipCmd, pyroute2, netlinkNpm]
/** Contenders whose failure does not fail the run (unless --strict): the library under development. */
const SOFT = new Set(['rtnetlink-seq', 'rtnetlink-pipe', 'node-floor', 'node-floor-await'])

const USAGE = `usage: node bench/run.mjs [options]
  --quick             tiny sizes, 1 repetition (CI: proves the harness works, < 60 s)
  --only W1,W3        run only these workloads (${WORKLOADS.map(w => w.id).join(', ')})
  --reps N            repetitions per workload (default 5; W4 and W5: 3; --quick: 1)
  --contenders a,b    only these contenders (${CONTENDERS.map(c => c.id).join(', ')})
  --write-docs        write docs/benchmarks.md + .svg even for a partial or quick run
  --no-docs           do not write docs/ (a full run of every workload does by default)
  --rebuild           run \`npm run build\` before the library contenders even if dist/ exists
  --strict            a failing library contender fails the run too
  --cpu N|none        pin the whole run to CPU N, or do not pin (default: before each
                      contender's run, pin to the CPU fastest in a short C calibration)`

const { values: opt } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
    reps: { type: 'string' },
    contenders: { type: 'string' },
    'write-docs': { type: 'boolean', default: false },
    'no-docs': { type: 'boolean', default: false },
    rebuild: { type: 'boolean', default: false },
    strict: { type: 'boolean', default: false },
    cpu: { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
})
if (opt.help) {
  console.log(USAGE)
  process.exit(0)
}

const pool = new NsPool()
/** @type {import('./lib/tools.mjs').Tools|undefined} */ let tools
let stopping = false

/** Last-chance cleanup: children we started, namespaces we made, scratch files. */
function cleanupSync() {
  killChildren()
  const gone = pool.deleteAllSync()
  if (tools) removeScratch(tools)
  return gone
}

for (const sig of /** @type {NodeJS.Signals[]} */ (['SIGINT', 'SIGTERM', 'SIGHUP'])) {
  process.on(sig, () => {
    if (stopping) return
    stopping = true
    const gone = cleanupSync()
    process.stderr.write(`\nbench: ${sig}: stopped; deleted ${gone.length} namespace(s) of this run` +
      `${pool.leftovers().length ? `; STILL PRESENT: ${pool.leftovers().join(' ')}` : ''}\n`)
    process.exit(sig === 'SIGINT' ? 130 : sig === 'SIGTERM' ? 143 : 129)
  })
}
process.on('exit', () => { cleanupSync() })

/** @param {string} s */
const log = s => process.stderr.write(`${s}\n`)

/** @param {string} cmd @param {string[]} args */
function tryRead(cmd, args) {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 10_000 }).trim()
  } catch {
    return ''
  }
}

function machine() {
  let cpu = cpus()[0]?.model ?? ''
  try {
    cpu = /model name\s*:\s*(.*)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? cpu
  } catch { /* keep os.cpus() */ }
  return {
    cpu,
    cores: cpus().length,
    kernel: release(),
    node: process.version,
    ip: tryRead('ip', ['-V']),
    cc: tryRead(process.env.CC ?? 'cc', ['--version']).split('\n')[0] ?? '',
  }
}

/** @param {number} ms */
const sleep = ms => new Promise(r => setTimeout(r, ms))

async function main() {
  if (process.getuid?.() !== 0) {
    console.error('bench: needs root (creates network namespaces); run as root, e.g. sudo node bench/run.mjs')
    process.exit(2)
  }
  const t0 = Date.now()
  const only = opt.only ? opt.only.split(',').map(s => s.trim().toUpperCase()) : null
  for (const id of only ?? []) if (!WORKLOADS.some(w => w.id === id)) throw new Error(`unknown workload ${id}`)
  const wanted = opt.contenders ? new Set(opt.contenders.split(',').map(s => s.trim())) : null
  for (const id of wanted ?? []) if (!CONTENDERS.some(c => c.id === id)) throw new Error(`unknown contender ${id}`)
  const workloads = WORKLOADS.filter(w => !only || only.includes(w.id))
  const quick = opt.quick
  const repsArg = opt.reps ? Number(opt.reps) : null
  if (repsArg !== null && !(Number.isInteger(repsArg) && repsArg >= 1 && repsArg <= 100)) throw new Error('--reps must be 1..100')

  const stale = await sweepStale()
  if (stale.length) log(`bench: deleted ${stale.length} namespace(s) left by earlier runs that died: ${stale.join(' ')}`)

  tools = await prepareTools()
  const pinner = await CpuPinner.create(opt.cpu, tools, pool, quick)
  const meta = { ...machine(), date: new Date().toISOString(), quick, pid: process.pid, pinning: pinner.why }
  log(`bench: ${meta.cpu}, ${meta.cores} cores, Linux ${meta.kernel}, Node ${meta.node}, ${meta.ip}${quick ? ' [--quick]' : ''}`)
  log(`bench: ${pinner.why}`)

  /** @type {Contender[]} */ const active = []
  /** @type {{ contender: string, label: string, reason: string }[]} */ const skipped = []
  for (const c of CONTENDERS) {
    if (wanted && !wanted.has(c.id)) continue
    const why = await c.probe({ tools, pool, quick, rebuild: opt.rebuild })
    if (why) {
      skipped.push({ contender: c.id, label: c.label, reason: why })
      log(`bench: skipping ${c.label}: ${why}`)
    } else active.push(c)
  }

  /** @type {WorkloadReport[]} */ const reports = []
  /** @type {{ workload: string, contender: string, error: string }[]} */ const errors = []

  for (const w of workloads) {
    const sizes = quick ? w.sizes.quick : w.sizes.full
    const reps = repsArg ?? (quick ? 1 : w.id === 'W4' || w.id === 'W5' ? 3 : 5)
    // Timed dumps per process (their median counts; the first is reported beside it).
    const dumps = quick ? 2 : 5
    /** @type {Map<string, { c: Contender, phases: string[] }>} */ const plan = new Map()
    for (const c of active) {
      const phases = c.phasesFor(w)
      if (!phases) continue
      const why = c.skipReason?.(w)
      if (why) {
        skipped.push({ contender: c.id, label: c.label, reason: `${w.id}: ${why}` })
        log(`bench: ${w.id}: skipping ${c.label}: ${why}`)
        continue
      }
      plan.set(c.id, { c, phases })
    }
    log(`\n${w.id}: ${w.title} (n=${sizes.n}, warm-up ${sizes.warm}, ${reps} rep${reps > 1 ? 's' : ''})`)
    /** @type {Map<string, Map<string, { reps: number[], firsts: number[], count: number|null, rss: number|null, growth: number|null, sampled: number|null }>>} */
    const acc = new Map()
    const failed = new Set()
    const order = [...plan.values()]
    for (let rep = 0; rep < reps; rep++) {
      // Rotate the order each repetition so that no contender always runs first or last.
      const rot = order.map((_, i) => order[(i + rep) % order.length])
      for (const { c, phases } of rot) {
        if (failed.has(c.id) || stopping) continue
        /** @type {import('./lib/workloads.mjs').Instance[]} */ const made = []
        try {
          const inst = await makeInstance(w, pool, sizes.n)
          made.push(inst)
          const warm = await makeInstance(w, pool, sizes.warm)
          made.push(warm)
          const pin = await pinner.pick()
          const warmPasses = Object.fromEntries(phases.map(ph => [ph, warmPassesOf(ph, inst.n, warm.n, quick)]))
          const outcome = await c.run({ w, inst, warm, phases, tools, quick, dumps, warmPasses })
          const bad = await w.verify(inst, outcome.done ?? inst.n)
          if (bad) throw new Error(`wrong kernel state afterwards: ${bad}`)
          const parts = []
          for (const phase of phases) {
            const r = outcome.phases[phase]
            if (!r) throw new Error(`no result for phase ${phase}`)
            const byPhase = acc.get(phase) ?? new Map()
            acc.set(phase, byPhase)
            const a = byPhase.get(c.id) ?? { reps: [], firsts: [], count: null, rss: null, growth: null, sampled: null }
            byPhase.set(c.id, a)
            a.reps.push(r.seconds)
            if (r.first !== undefined && r.first !== null) a.firsts.push(r.first)
            if (r.count !== undefined && r.count !== null) a.count = r.count
            if (r.maxRssKiB !== undefined && r.maxRssKiB !== null) a.rss = Math.max(a.rss ?? 0, r.maxRssKiB)
            if (r.rssGrowthKiB !== undefined && r.rssGrowthKiB !== null) a.growth = Math.max(a.growth ?? 0, r.rssGrowthKiB)
            if (r.sampled) a.sampled = r.sampled
            parts.push(`${phase} ${r.seconds.toFixed(4)} s${r.sampled ? ` (~ from ${r.sampled})` : ''}${r.first != null ? ` (first ${r.first.toFixed(4)} s)` : ''}`)
          }
          log(`  rep ${rep + 1}/${reps}  ${c.id.padEnd(15)} ${parts.join(', ')}${pin.us ? `  [CPU ${pin.cpus?.join(',')}; calibration ${Object.entries(pin.us).map(([k, v]) => `${k}:${v.toFixed(1)}`).join(' ')} µs]` : ''}`)
        } catch (e) {
          if (stopping) return
          const msg = /** @type {Error} */ (e).message
          failed.add(c.id)
          errors.push({ workload: w.id, contender: c.id, error: msg })
          log(`  rep ${rep + 1}/${reps}  ${c.id.padEnd(15)} FAILED: ${msg.split('\n').slice(0, 6).join('\n      ')}`)
        } finally {
          await pool.delete(made.flatMap(instanceNames))
          // Let the kernel's asynchronous namespace teardown settle before the next timing.
          if (!quick && made.length) await sleep(w.id === 'W5' ? 1000 : 300)
        }
      }
    }
    /** @type {WorkloadReport} */
    const report = { id: w.id, title: w.title, n: sizes.n, reps, dumps, note: w.note, phases: [] }
    for (const phase of w.phases) {
      const u = w.units[phase]
      /** @type {import('./lib/report.mjs').PhaseReport} */
      const p = { phase, unit: u.unit, per: u.per, rows: [] }
      for (const c of CONTENDERS) {
        const a = acc.get(phase)?.get(c.id)
        if (!a || failed.has(c.id) || !a.reps.length) continue
        p.rows.push(finishRow({
          contender: c.id, label: c.label, style: c.style, reps: a.reps, firsts: a.firsts, ops: w.ops(phase, sizes.n),
          count: a.count, maxRssKiB: a.rss, rssGrowthKiB: a.growth, sampled: a.sampled,
        }, p))
      }
      addRatios(p)
      if (p.rows.length) report.phases.push(p)
    }
    reports.push(report)
    console.log(`\n${textTable(report)}`)
  }

  await pinner.close(pool)
  const memory = await dumpMemory(workloads, wanted, quick, pool)
  const left = pool.leftovers()
  const seconds = (Date.now() - t0) / 1000
  const notes = [
    'ratio: median time / median time of the C reference of the same style (ᵖ: C pipelined); dumps against C sequential; † where C does not run the workload: against ip -batch.',
    '~ from k: one-process-per-command figures are k commands timed and extrapolated to n.',
    'Timed: the work only (not process start, socket creation, namespace setup or the warm-up, which runs on an identical smaller copy in its own namespaces).',
    `Dumps: each process times its dump ${quick ? 2 : 5} times in a row after the warm-up and reports the median; the first of them is listed under the table (for a JIT runtime it includes growing its heap).`,
  ]
  meta.pinning = pinner.summary()
  const targets = checkTargets(reports, memory, quick)
  const results = { meta: { ...meta, seconds }, notes, skipped, errors, workloads: reports, dumpMemory: memory, targets, leftNamespaces: left }
  mkdirSync(OUT, { recursive: true })
  writeFileSync(join(OUT, 'results.json'), `${JSON.stringify(results, null, 2)}\n`)
  const subtitle = `${meta.cpu}, ${meta.cores} cores, Linux ${meta.kernel}, Node ${meta.node}${quick ? ' (quick run: tiny sizes, not representative)' : ''}`
  const svg = ratioSvg(reports, subtitle)
  const md = markdown(results, reports, skipped, errors, memory, targets)
  writeFileSync(join(OUT, 'benchmarks-ratios.svg'), svg)
  writeFileSync(join(OUT, 'benchmarks.md'), md)
  const full = !quick && !only && !wanted
  if (!opt['no-docs'] && (full || opt['write-docs'])) {
    writeFileSync(join(ROOT, 'docs', 'benchmarks-ratios.svg'), svg)
    writeFileSync(join(ROOT, 'docs', 'benchmarks.md'), md)
    log('bench: wrote docs/benchmarks.md and docs/benchmarks-ratios.svg')
  }

  console.log(`\n${targetsText(targets, quick)}`)
  console.log(`\n${notes.join('\n')}`)
  for (const s of skipped) console.log(`skipped: ${s.label}: ${s.reason}`)
  for (const e of errors) console.log(`FAILED: ${e.workload} ${e.contender}: ${e.error.split('\n')[0]}`)
  console.log(`results: bench/out/results.json; ${seconds.toFixed(1)} s; namespaces left behind: ${left.length ? left.join(' ') : 'none'}`)
  const hard = errors.filter(e => opt.strict || !SOFT.has(e.contender))
  return left.length || hard.length ? 1 : 0
}

/**
 * @typedef {{ sizes: number[], rows: { routes: number, how: string, ms: number, growthMiB: number }[], error?: string }} DumpMemory
 */

/**
 * The W3 memory target (peak RSS growth of a streamed dump under 16 MiB, flat from 100k to
 * 1M routes), measured by bench/dump-rss.mjs: one dump per fresh process, by batches and
 * object by object, at the two sizes. Runs with W3 and the library's contenders.
 * @param {{ id: string }[]} workloads @param {Set<string> | null} wanted @param {boolean} quick
 * @param {NsPool} pool names for its two namespaces (so an interrupted run deletes them too)
 * @returns {Promise<DumpMemory | undefined>}
 */
async function dumpMemory(workloads, wanted, quick, pool) {
  if (stopping || !workloads.some(w => w.id === 'W3')) return undefined
  if (wanted && !wanted.has('rtnetlink-seq') && !wanted.has('rtnetlink-pipe')) return undefined
  const sizes = quick ? [1000, 10000] : [100000, 1000000]
  log(`bench: dump memory: one streamed route dump per fresh process at ${sizes.join(' and ')} routes (bench/dump-rss.mjs)`)
  try {
    const names = [pool.reserve(), pool.reserve()].join(',')
    const r = await run(process.execPath, [join(ROOT, 'bench', 'dump-rss.mjs'), '--sizes', sizes.join(','), '--json', '--names', names], { timeoutMs: 1_200_000 })
    const rows = r.stdout.trim().split('\n').filter(l => l.startsWith('{')).map(l => JSON.parse(l))
    /** @type {DumpMemory} */
    const m = { sizes, rows }
    console.log(`\n${memoryText(m)}`)
    return m
  } catch (e) {
    const error = String(/** @type {Error} */ (e)?.message ?? e).split('\n')[0]
    console.log(`\ndump memory: FAILED: ${error}`)
    return { sizes, rows: [], error }
  }
}

/** @param {DumpMemory} m */
function memoryText(m) {
  const lines = ['Dump memory (bench/dump-rss.mjs): peak RSS growth of one streamed route dump in a fresh process after the warm-up']
  for (const r of m.rows) lines.push(`  ${String(r.routes).padStart(8)} routes, ${r.how.padEnd(7)}: ${r.ms.toFixed(0).padStart(5)} ms, +${r.growthMiB.toFixed(1)} MiB`)
  return lines.join('\n')
}

/** @param {DumpMemory} m */
function memoryMd(m) {
  if (m.error) return `## Dump memory\n\n\`bench/dump-rss.mjs\` failed: ${m.error}`
  const cell = (/** @type {number} */ n, /** @type {string} */ how) => {
    const r = m.rows.find(x => x.routes === n && x.how === how)
    return r ? `+${r.growthMiB.toFixed(1)} MiB (${r.ms.toFixed(0)} ms)` : '–'
  }
  return `## Dump memory

Peak RSS growth of one streamed dump of all IPv4 routes (VmHWM minus the VmRSS at the start
of the dump), each in a fresh process after a 20-dump warm-up on a 5,000-route copy, with
Node's default flags (\`bench/dump-rss.mjs\`; the target: under 16 MiB, flat from 100k to 1M).

| routes | by batch | object by object |
|---|---|---|
${m.sizes.map(n => `| ${n.toLocaleString('en-US')} | ${cell(n, 'batches')} | ${cell(n, 'objects')} |`).join('\n')}`
}

/**
 * docs/benchmarks.md
 * @param {any} results @param {WorkloadReport[]} reports
 * @param {{ label: string, reason: string }[]} skipped @param {{ workload: string, contender: string, error: string }[]} errors
 * @param {DumpMemory | undefined} memory @param {import('./lib/targets.mjs').TargetCheck[]} targets
 */
function markdown(results, reports, skipped, errors, memory, targets) {
  const m = results.meta
  const contenders = CONTENDERS.map(c => `- **${c.label}**${c.note ? `: ${c.note}` : ''}`)
  return `# Benchmarks

Generated by \`node bench/run.mjs${m.quick ? ' --quick' : ''}\` (\`npm run bench\`) on ${m.date.slice(0, 10)}; do not edit by hand.${m.quick ? '\n\n**Quick run: tiny sizes and one repetition, only proves the harness works; the figures are not representative.**' : ''}

![ratio to the C reference](benchmarks-ratios.svg)

${targetsMd(targets, m.quick)}

## Machine

| | |
|---|---|
| CPU | ${m.cpu} (${m.cores} cores) |
| kernel | Linux ${m.kernel} |
| Node.js | ${m.node} |
| iproute2 | ${m.ip} |
| C compiler | ${m.cc} (\`-O2\`) |

## Method

- Every workload runs, for every contender and every repetition, in fresh network namespaces
  created by the harness (\`rtnl-bench-<pid>-<n>\`) and deleted right after; the host's links,
  addresses and routes are never touched. The figures are the median of the repetitions, with
  min and max; the run took ${results.meta.seconds.toFixed(0)} s.
- Only the work is timed: not process start-up, socket creation, namespace setup, nor the
  warm-up, which runs first on an identical smaller copy of the workload in its own namespaces.
  Phases that can be repeated without changing the kernel state (the GETs of W1, dumps)
  repeat the smaller copy until they have done as many operations as the timed phase and at
  least ${WARM_FLOOR.getlink.toLocaleString('en-US')} requests or ${WARM_FLOOR.dump.toLocaleString('en-US')} dumped objects (at most ${WARM_MAX_PASSES} passes),
  so that a JIT has compiled the loop: it does so after an absolute amount of work, and with
  the earlier rule (as many objects as the timed phase) a 10,000-address dump was still timed
  while V8 compiled (rtnetlink, pyroute2, npm \`netlink\` in W1; C needs no warm-up but gets
  one pass; the npm \`netlink\` package can only reach the timed namespace and dumps its links
  there before W3's dump). Adds run the warm-up copy once.
- CPU: ${m.pinning}. The virtual CPUs of a VM need not be equally fast: on this machine one
  took up to 1.7x as long as the other for the same C work, and which one was slow changed
  within minutes. A contender's processes (and the \`ip\` it times) run on the CPUs chosen for
  it; when all are within 10% nothing is restricted, since pinning a runtime with helper
  threads (V8's parallel GC) to one CPU would slow it (~5% for the pipelined route add).
- Each contender that runs code (C, Node, Python) does each phase in its own process, which
  reports the timing and its peak RSS (VmHWM of its own memory map; \`getrusage\`'s ru_maxrss is
  not used because it also counts the pre-exec image of the parent that forked the process).
  \`ip\` processes are timed by the C helper (posix_spawn/wait), which reports their peak RSS as
  the children's ru_maxrss (≥ the helper's own ~1.3 MiB for that reason).
- After each run the kernel state is checked with \`ip\` (addresses, routes, links present), so a
  contender that skipped work fails instead of looking fast.
- ${results.notes.slice(0, 2).join('\n- ')}

Contenders:

${contenders.join('\n')}

## Results

${reports.map(mdTable).join('\n\n')}
${memory ? `\n${memoryMd(memory)}\n` : ''}${skipped.length ? `\n## Skipped\n\n${skipped.map(s => `- ${s.label}: ${s.reason}`).join('\n')}\n` : ''}${errors.length ? `\n## Failed\n\n${errors.map(e => `- ${e.workload} ${e.contender}: ${e.error.split('\n')[0]}`).join('\n')}\n` : ''}`
}

main().then(code => {
  process.exitCode = code
}, e => {
  if (stopping) return
  console.error(`bench: ${e?.stack ?? e}`)
  process.exitCode = 1
})
