// Results of the benchmark run: statistics, ratios, the text table, the Markdown page
// and a hand-written SVG bar chart of the ratios (no dependencies).

/**
 * @typedef {object} Row  one contender on one workload phase
 * @property {string} contender
 * @property {string} label
 * @property {'seq'|'pipe'} style
 * @property {number[]} reps         seconds of each repetition
 * @property {number[]} [firsts]     dumps: the first timed dump of each repetition's process
 * @property {number|null} [first]   median of firsts
 * @property {number} median
 * @property {number} min
 * @property {number} max
 * @property {number} ops            items (requests, addresses, routes, pairs, namespaces) or 1 for a dump
 * @property {number|null} perOp     median / ops, in the phase's unit
 * @property {number|null} count     dumps: objects decoded (last repetition)
 * @property {number|null} maxRssKiB largest over the repetitions
 * @property {number|null} [rssGrowthKiB] largest rise of the peak over the RSS at the start of the timed work (library contenders)
 * @property {number|null} sampled   items timed when extrapolated
 * @property {string|null} ref       contender the ratio is against
 * @property {number|null} ratio     median / median of ref
 */

/**
 * @typedef {object} PhaseReport
 * @property {string} phase
 * @property {'us'|'ms'|'s'} unit
 * @property {string} per
 * @property {Row[]} rows
 */

/**
 * @typedef {object} WorkloadReport
 * @property {string} id
 * @property {string} title
 * @property {number} n
 * @property {number} reps
 * @property {number} [dumps]  timed dumps per process (the figure is their median)
 * @property {string} note
 * @property {PhaseReport[]} phases
 */

/** @param {number[]} xs */
export function median(xs) {
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2
}

const SCALE = { us: 1e6, ms: 1e3, s: 1 }
const UNIT = { us: 'µs', ms: 'ms', s: 's' }

/**
 * Chooses each row's reference and ratio: the C reference of the same style (dumps: C
 * sequential); where C does not run the workload (W5), `ip -batch`.
 * @param {PhaseReport} p
 */
export function addRatios(p) {
  const by = new Map(p.rows.map(r => [r.contender, r]))
  for (const r of p.rows) {
    /** @type {string[]} */
    const prefs = p.phase === 'dump' ? ['c-seq'] : r.style === 'pipe' ? ['c-pipe', 'c-seq'] : ['c-seq']
    let ref = prefs.find(id => by.has(id)) ?? null
    if (!ref && !by.has('c-seq') && !by.has('c-pipe') && by.has('ip-batch')) ref = 'ip-batch'
    const base = ref ? by.get(ref) : undefined
    r.ref = ref
    r.ratio = base && base.median > 0 ? r.median / base.median : null
  }
}

/** @param {number} s */
function fmtSeconds(s) {
  if (s >= 100) return `${s.toFixed(0)} s`
  if (s >= 10) return `${s.toFixed(1)} s`
  if (s >= 1) return `${s.toFixed(2)} s`
  if (s >= 0.001) return `${(s * 1e3).toFixed(s >= 0.1 ? 0 : s >= 0.01 ? 1 : 2)} ms`
  return `${(s * 1e6).toFixed(0)} µs`
}

/** @param {number} v */
function fmtNum(v) {
  if (v >= 1000) return v.toFixed(0)
  if (v >= 100) return v.toFixed(0)
  if (v >= 10) return v.toFixed(1)
  return v.toFixed(2)
}

/** @param {number|null} kib */
function fmtRss(kib, growth) {
  if (kib === null || kib === undefined) return ''
  const g = growth === null || growth === undefined ? '' : ` (+${(growth / 1024).toFixed(1)})`
  return `${(kib / 1024).toFixed(1)} MiB${g}`
}

/** @param {Row} r @param {PhaseReport} p */
function perOpText(r, p) {
  if (p.phase === 'dump') return r.count !== null ? `${r.count} objs` : ''
  return r.perOp === null ? '' : `${fmtNum(r.perOp)} ${UNIT[p.unit]}/${p.per}`
}

/** @param {Row} r */
function ratioText(r) {
  if (r.ratio === null) return ''
  const mark = r.ref === 'ip-batch' ? '†' : r.ref === 'c-pipe' ? 'ᵖ' : ''
  return `${r.ratio >= 100 ? r.ratio.toFixed(0) : r.ratio >= 10 ? r.ratio.toFixed(1) : r.ratio.toFixed(2)}x${mark}`
}

/**
 * Fills the derived fields of a row from its repetitions.
 * @param {Omit<Row, 'median'|'min'|'max'|'perOp'|'ref'|'ratio'>} partial @param {PhaseReport} p
 * @returns {Row}
 */
export function finishRow(partial, p) {
  const med = median(partial.reps)
  return {
    ...partial,
    first: partial.firsts?.length ? median(partial.firsts) : null,
    median: med,
    min: Math.min(...partial.reps),
    max: Math.max(...partial.reps),
    perOp: partial.ops > 1 ? (med / partial.ops) * SCALE[p.unit] : null,
    ref: null,
    ratio: null,
  }
}

/**
 * @param {string[][]} rows first row = header
 * @param {boolean[]} right columns aligned right
 */
function grid(rows, right) {
  const w = rows[0].map((_, i) => Math.max(...rows.map(r => [...(r[i] ?? '')].length)))
  return rows.map(r => r.map((c, i) => {
    const pad = ' '.repeat(w[i] - [...c].length)
    return right[i] ? pad + c : c + pad
  }).join('  ').trimEnd()).join('\n')
}

/** @param {Row} r */
function labelOf(r) {
  return `${r.label}${r.sampled ? ` (~ from ${r.sampled})` : ''}`
}

/**
 * Plain-text table of one workload.
 * @param {WorkloadReport} w
 */
export function textTable(w) {
  const head = ['phase', 'contender', 'median', 'min', 'max', 'per op', 'ratio', 'peak RSS']
  /** @type {string[][]} */ const rows = [head]
  for (const p of w.phases)
    for (const r of p.rows)
      rows.push([p.phase, labelOf(r), fmtSeconds(r.median), fmtSeconds(r.min), fmtSeconds(r.max), perOpText(r, p), ratioText(r), fmtRss(r.maxRssKiB, r.rssGrowthKiB)])
  const title = `${w.id}  ${w.title}  (n=${w.n}, ${w.reps} rep${w.reps > 1 ? 's' : ''})`
  const firsts = w.phases.map(firstLine).filter(Boolean)
  return `${title}\n${grid(rows, [false, false, true, true, true, true, true, true])}${firsts.length ? `\n${firsts.join('\n')}` : ''}`
}

/**
 * A dump phase timed several times per process: the first timed dump of each process (median
 * over the repetitions), with its ratio to the reference's median.
 * @param {PhaseReport} p @returns {string}
 */
function firstLine(p) {
  const rows = p.rows.filter(r => r.first !== null && r.first !== undefined)
  if (!rows.length) return ''
  const by = new Map(p.rows.map(r => [r.contender, r]))
  const parts = rows.map(r => {
    const base = r.ref ? by.get(r.ref) : undefined
    const ratio = base && base.median > 0 ? ` (${(/** @type {number} */ (r.first) / base.median).toFixed(2)}x)` : ''
    return `${r.label} ${fmtSeconds(/** @type {number} */ (r.first))}${ratio}`
  })
  return `first timed ${p.phase} of each process (median over the repetitions; ratio to the reference's median): ${parts.join('; ')}`
}

/** @param {string} s */
function mdEscape(s) {
  return s.replace(/\|/g, '\\|')
}

/**
 * Markdown table of one workload.
 * @param {WorkloadReport} w
 */
export function mdTable(w) {
  const out = [`### ${w.id}: ${w.title}`, '', `n = ${w.n}, ${w.reps} repetition${w.reps > 1 ? 's' : ''}. ${w.note}`, '',
    '| phase | contender | median | min | max | per op | ratio | peak RSS |', '|---|---|--:|--:|--:|--:|--:|--:|']
  for (const p of w.phases)
    for (const r of p.rows)
      out.push(`| ${p.phase} | ${mdEscape(labelOf(r))} | ${fmtSeconds(r.median)} | ${fmtSeconds(r.min)} | ${fmtSeconds(r.max)} | ${perOpText(r, p)} | ${ratioText(r)} | ${fmtRss(r.maxRssKiB, r.rssGrowthKiB)} |`)
  const firsts = w.phases.map(firstLine).filter(Boolean)
  if (firsts.length) out.push('', ...firsts.map(f => `${w.dumps} timed dumps per process; the table gives their median. The ${f}.`))
  return out.join('\n')
}

const COLORS = {
  'c-seq': '#4d4d4d', 'c-pipe': '#999999', 'ip-batch': '#1f77b4', 'ip-cmd': '#aec7e8',
  pyroute2: '#2ca02c', 'netlink-npm': '#9467bd', 'rtnetlink-seq': '#d62728', 'rtnetlink-pipe': '#ff9896',
}

/** @param {string} s */
function xml(s) {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
}

/**
 * Horizontal bar chart of the ratio to the reference, log scale, one group per workload phase.
 * @param {WorkloadReport[]} workloads @param {string} subtitle
 */
export function ratioSvg(workloads, subtitle) {
  /** @type {{ group: string, rows: Row[] }[]} */
  const groups = []
  for (const w of workloads)
    for (const p of w.phases) {
      const rows = p.rows.filter(r => r.ratio !== null && r.ratio > 0)
      const vsIp = rows.every(r => r.ref === 'ip-batch')
      if (rows.length) groups.push({ group: `${w.id} ${p.phase}${vsIp ? ' (vs ip -batch)' : ''}`, rows })
    }
  const barH = 14, gap = 3, groupGap = 14, left = 330, right = 70, width = 900, top = 56
  const plotW = width - left - right
  const all = groups.flatMap(g => g.rows.map(r => /** @type {number} */ (r.ratio)))
  const lo = Math.min(0.5, ...all), hi = Math.max(2, ...all)
  const minE = Math.floor(Math.log10(lo)), maxE = Math.ceil(Math.log10(hi))
  const x = (/** @type {number} */ v) => left + ((Math.log10(v) - minE) / (maxE - minE)) * plotW
  let y = top
  /** @type {string[]} */ const body = []
  for (const g of groups) {
    body.push(`<text x="8" y="${y + barH - 3}" font-weight="bold">${xml(g.group)}</text>`)
    for (const r of g.rows) {
      const ratio = /** @type {number} */ (r.ratio)
      // Bars grow from the reference (1x): right when slower, left when faster.
      const x1 = x(ratio), xa = Math.min(x(1), x1), xb = Math.max(x(1), x1)
      const color = COLORS[/** @type {keyof typeof COLORS} */ (r.contender)] ?? '#bcbd22'
      body.push(`<text x="${left - 6}" y="${y + barH - 3}" text-anchor="end">${xml(labelOf(r))}</text>`)
      body.push(`<rect x="${(xb - xa < 2 ? xa - 1 : xa).toFixed(1)}" y="${y}" width="${Math.max(2, xb - xa).toFixed(1)}" height="${barH}" fill="${color}"><title>${xml(`${g.group} ${r.label}: ${ratio.toFixed(2)}x ${r.ref}`)}</title></rect>`)
      body.push(`<text x="${(xb + 4).toFixed(1)}" y="${y + barH - 3}">${ratioText(r)}</text>`)
      y += barH + gap
    }
    y += groupGap
  }
  const height = y + 30
  /** @type {string[]} */ const axis = []
  for (let e = minE; e <= maxE; e++) {
    for (const m of [1, 2, 5]) {
      const v = m * 10 ** e
      if (v < 10 ** minE || v > 10 ** maxE) continue
      const xv = x(v).toFixed(1)
      axis.push(`<line x1="${xv}" y1="${top - 6}" x2="${xv}" y2="${y}" stroke="${m === 1 ? '#ccc' : '#eee'}"/>`)
      if (m === 1 || maxE - minE <= 3) axis.push(`<text x="${xv}" y="${y + 14}" text-anchor="middle" fill="#555">${v >= 1 ? v : v.toFixed(-e)}x</text>`)
    }
  }
  const one = x(1).toFixed(1)
  axis.push(`<line x1="${one}" y1="${top - 6}" x2="${one}" y2="${y}" stroke="#000" stroke-dasharray="3,2"/>`)
  return `<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">
<rect width="100%" height="100%" fill="#fff"/>
<text x="8" y="18" font-size="14" font-weight="bold">Time relative to the C reference of the same style (median, log scale; left of 1x is faster)</text>
<text x="8" y="36" fill="#555">${xml(subtitle)}</text>
${axis.join('\n')}
${body.join('\n')}
</svg>
`
}
