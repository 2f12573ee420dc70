// The benchmark issue's targets, checked against the figures of this run: each one is
// measured from the report (never written in by hand) and marked met or missed. Where a
// contender or workload did not run, the target says so instead of passing.

/** @typedef {import('./report.mjs').WorkloadReport} WorkloadReport */
/** @typedef {import('./report.mjs').Row} Row */

/**
 * @typedef {object} TargetCheck
 * @property {string} target     the target as the issue states it
 * @property {string} measured   what this run measured
 * @property {'met'|'missed'|'not run'|'quick run'} status  (a quick run's tiny sizes judge nothing)
 */

/**
 * @param {WorkloadReport[]} reports
 * @param {string} workload @param {string} phase @param {string} contender
 * @returns {Row | undefined}
 */
function row(reports, workload, phase, contender) {
  return reports.find(w => w.id === workload)?.phases.find(p => p.phase === phase)?.rows.find(r => r.contender === contender)
}

/** @param {number} r */
const x = r => `${r.toFixed(2)}x`

/**
 * One ratio target over one or more rows: met when every row is at or under `limit`.
 * @param {WorkloadReport[]} reports @param {string} target @param {number} limit
 * @param {{ w: string, phase: string, c: string, name: string }[]} rows
 * @returns {TargetCheck}
 */
function ratioTarget(reports, target, limit, rows) {
  const found = rows.map(d => ({ ...d, r: row(reports, d.w, d.phase, d.c) })).filter(d => d.r && d.r.ratio !== null)
  if (!found.length) return { target, measured: 'not run', status: 'not run' }
  const measured = found.map(d => `${d.name} ${x(/** @type {number} */ (d.r?.ratio))}`).join(', ')
  const missing = rows.length - found.length
  const met = found.every(d => /** @type {number} */ (d.r?.ratio) <= limit)
  return { target, measured: missing ? `${measured} (${missing} not run)` : measured, status: met && !missing ? 'met' : met ? 'not run' : 'missed' }
}

/**
 * "A is faster than B" targets: the ratio of B's median to A's.
 * @param {WorkloadReport[]} reports @param {string} target @param {string} w @param {string} phase
 * @param {string} fast @param {string} slow @param {string} slowName @param {number} factor at least this many times faster
 * @returns {TargetCheck}
 */
function fasterTarget(reports, target, w, phase, fast, slow, slowName, factor) {
  const a = row(reports, w, phase, fast)
  const b = row(reports, w, phase, slow)
  if (!a || !b || !(a.median > 0)) return { target, measured: 'not run', status: 'not run' }
  const k = b.median / a.median
  return { target, measured: `${slowName} takes ${k >= 100 ? k.toFixed(0) : k.toFixed(2)}x as long`, status: k > factor ? 'met' : 'missed' }
}

/**
 * @param {WorkloadReport[]} reports
 * @param {{ rows: { routes: number, how: string, growthMiB: number }[], sizes: number[], error?: string } | undefined} memory
 * @param {boolean} [quick] a quick run: measured, but not judged
 * @returns {TargetCheck[]}
 */
export function checkTargets(reports, memory, quick = false) {
  const seq = 'rtnetlink-seq', pipe = 'rtnetlink-pipe'
  /** @type {TargetCheck[]} */
  const out = [
    ratioTarget(reports, 'W1 sequential RTM_GETLINK within 1.3x of C sequential', 1.3,
      [{ w: 'W1', phase: 'getlink', c: seq, name: 'awaited' }]),
    fasterTarget(reports, 'W1 faster than `ip -batch`', 'W1', 'getlink', seq, 'ip-batch', '`ip -batch`', 1),
    ratioTarget(reports, 'W3 100k route adds pipelined within 1.3x of C pipelined', 1.3,
      [{ w: 'W3', phase: 'add', c: pipe, name: 'pipelined' }]),
    fasterTarget(reports, 'W3 add pipelined faster than `ip -batch`', 'W3', 'add', pipe, 'ip-batch', '`ip -batch`', 1),
    fasterTarget(reports, 'W3 add pipelined over 100x faster than one `ip` per command', 'W3', 'add', pipe, 'ip-cmd', 'one `ip` per command', 100),
    ratioTarget(reports, 'W2 address add within 1.1x of C', 1.1,
      [{ w: 'W2', phase: 'add', c: seq, name: 'awaited' }, { w: 'W2', phase: 'add', c: pipe, name: 'pipelined' }]),
    ratioTarget(reports, 'W2 address list within 1.1x of C', 1.1,
      [{ w: 'W2', phase: 'dump', c: seq, name: 'object by object' }, { w: 'W2', phase: 'dump', c: pipe, name: 'by batch' }]),
    ratioTarget(reports, 'W4 link churn within 1.1x of C', 1.1,
      [{ w: 'W4', phase: 'churn', c: seq, name: 'awaited' }, { w: 'W4', phase: 'churn', c: pipe, name: 'pipelined' }]),
    ratioTarget(reports, 'W3 dump of 100k routes into typed objects within 2x of C', 2,
      [{ w: 'W3', phase: 'dump', c: seq, name: 'object by object' }, { w: 'W3', phase: 'dump', c: pipe, name: 'by batch' }]),
  ]
  const target = 'Streamed dump: peak RSS growth under 16 MiB, flat from 100k to 1M routes'
  const rows = memory && !memory.error ? memory.rows : []
  if (!rows.length) out.push({ target, measured: memory?.error ? `failed: ${memory.error}` : 'not run', status: 'not run' })
  else {
    const by = (/** @type {string} */ how) => rows.filter(r => r.how === how).sort((a, b) => a.routes - b.routes)
    const parts = ['batches', 'objects'].map(how => `${how === 'batches' ? 'by batch' : 'object by object'} ${by(how).map(r => `+${r.growthMiB.toFixed(1)}`).join(' → ')} MiB`)
    const under = rows.every(r => r.growthMiB < 16)
    out.push({ target, measured: `${parts.join(', ')} (at ${memory?.sizes.map(n => n.toLocaleString('en-US')).join(' and ')} routes)`, status: under ? 'met' : 'missed' })
  }
  if (quick) for (const c of out) if (c.status !== 'not run') c.status = 'quick run'
  return out
}

/** @param {TargetCheck[]} checks @param {boolean} quick */
export function targetsText(checks, quick) {
  const w = Math.max(...checks.map(c => c.target.length))
  const head = `Targets of the benchmark issue${quick ? ' (quick run: tiny sizes, not representative)' : ''}:`
  return [head, ...checks.map(c => `  ${c.status.padEnd(9)}  ${c.target.padEnd(w)}  ${c.measured}`)].join('\n')
}

/** @param {TargetCheck[]} checks @param {boolean} quick */
export function targetsMd(checks, quick) {
  return `## Targets

The benchmark issue's targets, checked against this run's medians by the harness${quick ? ' (quick run: tiny sizes, not representative)' : ''}.
What limits the ones missed is taken apart in [performance.md](performance.md).

| target | this run | status |
|---|---|---|
${checks.map(c => `| ${c.target} | ${c.measured} | ${c.status === 'missed' ? '**missed**' : c.status} |`).join('\n')}`
}
