// The library's own contenders: rtnetlink awaited one request (and one dumped object) at a
// time, and pipelined (Promise.all over chunks of 256 requests, the depth of the C
// reference's 256 per sendmsg; dumps by batches()). The work runs in rtnetlink-child.mjs, one
// Node process per workload phase, against the compiled library in dist/ (built with
// `npm run build` when dist/index.js is missing). Skipped, with the reason printed, when
// the library cannot be imported or lacks a function a workload needs.
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { run, runJson } from '../lib/proc.mjs'
import { BENCH, ROOT } from '../lib/tools.mjs'

/** @typedef {import('../lib/contender.mjs').Contender} Contender */

const CHILD = join(BENCH, 'contenders', 'rtnetlink-child.mjs')
const DIST_INDEX = process.env.RTNL_BENCH_LIB || join(ROOT, 'dist', 'index.js')
// 256 in flight, like the C reference. Deeper is slower in Node, not faster: with 1,024
// promises per chunk a 100k-route add took ~830 ms against ~570 ms (V8 promotes the
// in-flight requests' objects to the old generation; 31 MB promoted against 1.5 MB).
const CHUNK = 256

/** Shared probe result of both library contenders. */
/** @type {Promise<{ why: string|null, features: Record<string, string|null> }>|undefined} */
let probed

/** @param {import('../lib/contender.mjs').ProbeContext} ctx */
async function probeOnce(ctx) {
  if (!process.env.RTNL_BENCH_LIB && (!existsSync(DIST_INDEX) || ctx.rebuild)) {
    const r = await run('npm', ['run', 'build'], { cwd: ROOT, check: false, timeoutMs: 300_000 })
    if (!existsSync(DIST_INDEX))
      return { why: `dist/index.js missing and \`npm run build\` failed: ${(r.stderr || r.stdout).trim().split('\n').slice(-3).join(' | ')}`, features: {} }
  }
  const ns = await ctx.pool.create()
  try {
    const j = await runJson(process.execPath, [CHILD, 'probe', JSON.stringify({ ns })], { timeoutMs: 60_000, check: false })
    if (!j.ok) return { why: `cannot use the library: ${j.reason}`, features: {} }
    return { why: null, features: j.features }
  } catch (e) {
    return { why: `library probe failed: ${/** @type {Error} */ (e).message.split('\n')[0]}`, features: {} }
  } finally {
    await ctx.pool.delete([ns])
  }
}

/**
 * @param {'seq'|'pipe'} style
 * @param {'seq'|'pipe'|'floor'|'floor-await'} [mode]  what the child runs (default: the style)
 * @returns {Contender}
 */
function make(style, mode = style) {
  /** @type {Record<string, string|null>} */ let features = {}
  return {
    id: style === 'seq' ? 'rtnetlink-seq' : 'rtnetlink-pipe',
    label: style === 'seq' ? 'rtnetlink, awaited one by one' : 'rtnetlink, pipelined / batched',
    note: style === 'seq'
      ? 'one `await` per request and per dumped object (`for await (const r of rtnl.route.list())`)'
      : `requests in chunks of ${CHUNK} promises awaited together (the C reference's depth); dumps iterated by \`list().batches()\` (one \`await\` per batch of decoded objects)`,
    style,
    phasesFor(w) {
      return w.phases.length ? w.phases : null
    },
    async probe(ctx) {
      probed ??= probeOnce(ctx)
      const p = await probed
      features = p.features
      return p.why
    },
    skipReason(w) {
      const f = features[w.id]
      return f ? `rtnetlink: ${f}` : null
    },
    async run({ w, inst, warm, phases, dumps, warmPasses }) {
      /** @type {Record<string, import('../lib/contender.mjs').PhaseResult>} */
      const out = {}
      for (const phase of phases) {
        const spec = { w: w.id, phase, mode, chunk: CHUNK, inst, warm, dumps, warmPasses: warmPasses[phase] }
        const j = await runJson(process.execPath, [CHILD, 'run', JSON.stringify(spec)])
        out[phase] = { seconds: j.seconds, count: j.count, maxRssKiB: j.maxrss_kib, rssGrowthKiB: j.rss_growth_kib, first: j.first }
      }
      return { phases: out }
    },
  }
}

/**
 * W1 and W2 (add) reference rows, not contenders: what any Node client pays per round trip on this machine
 * before it encodes or decodes anything (the library's native helper, a prebuilt request),
 * and the same plus the one `await` a promise API costs. They put the 1.3x target in context.
 * @param {'floor'|'floor-await'} mode @returns {Contender}
 */
function floor(mode) {
  return {
    ...make('seq', mode),
    id: mode === 'floor' ? 'node-floor' : 'node-floor-await',
    label: mode === 'floor' ? 'Node floor: native round trip only (reference)' : 'Node floor: native round trip + one await (reference)',
    note: mode === 'floor'
      ? "W1 and W2's add only: the library's native helper sends a prebuilt RTM_GETLINK (W2: an RTM_NEWADDR written into one buffer, as C does) and reads the answer in one call, in a plain loop: no encoding, decoding or request bookkeeping"
      : 'the same, plus one `await` of an already resolved promise per request (what any promise-returning API costs)',
    phasesFor: w => (w.id === 'W1' ? ['getlink'] : w.id === 'W2' ? ['add'] : null),
  }
}

export const nodeFloor = floor('floor')
export const nodeFloorAwait = floor('floor-await')
export const rtnetlinkSeq = make('seq')
export const rtnetlinkPipe = make('pipe')
