// Shared tools of the contenders: the C helper binary (also used to time other programs
// precisely: fork/exec/wait around them, with the children's peak RSS), batch files.
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { run, runJson } from './proc.mjs'

export const BENCH = dirname(dirname(fileURLToPath(import.meta.url)))
export const ROOT = dirname(BENCH)
export const OUT = join(BENCH, 'out')

/**
 * @typedef {object} Tools
 * @property {string|null} ref      path of the compiled rtnl_ref, or null
 * @property {string} refWhy        why it is missing
 * @property {string} tmp           scratch directory of this run (batch files)
 * @property {number} seq           counter for scratch file names
 */

/**
 * Compiles bench/c/rtnl_ref.c with `cc -O2` into bench/out/ when the binary is missing
 * or older than the source.
 * @returns {Promise<Tools>}
 */
export async function prepareTools() {
  mkdirSync(OUT, { recursive: true })
  const src = join(BENCH, 'c', 'rtnl_ref.c')
  const bin = join(OUT, 'rtnl_ref')
  /** @type {Tools} */
  const tools = { ref: null, refWhy: '', tmp: mkdtempSync(join(OUT, `tmp-${process.pid}-`)), seq: 0 }
  try {
    if (!existsSync(bin) || statSync(bin).mtimeMs < statSync(src).mtimeMs)
      await run(process.env.CC ?? 'cc', ['-O2', '-Wall', '-o', bin, src], { timeoutMs: 120_000 })
    tools.ref = bin
  } catch (e) {
    tools.refWhy = `cannot compile bench/c/rtnl_ref.c: ${/** @type {Error} */ (e).message.split('\n')[0]}`
  }
  return tools
}

/** @param {Tools} tools */
export function removeScratch(tools) {
  try { rmSync(tools.tmp, { recursive: true, force: true }) } catch { /* best effort */ }
}

/**
 * Writes lines to a scratch file and returns its path.
 * @param {Tools} tools @param {string[]} lines @param {string} tag
 */
export function scratchFile(tools, lines, tag) {
  const f = join(tools.tmp, `${++tools.seq}-${tag}`)
  writeFileSync(f, lines.length ? `${lines.join('\n')}\n` : '')
  return f
}

/**
 * Times one process (its own wall time and peak RSS, measured by rtnl_ref exec when
 * available, else from here).
 * @param {Tools} tools @param {string[]} argv @param {{ stdoutNull?: boolean }} [o]
 * @returns {Promise<{ seconds: number, maxRssKiB: number|null }>}
 */
export async function timeProcess(tools, argv, o = {}) {
  if (tools.ref) {
    const j = await runJson(tools.ref, ['exec', ...(o.stdoutNull ? ['--stdout-null'] : []), '--', ...argv])
    return { seconds: j.seconds, maxRssKiB: j.maxrss_kib }
  }
  const r = await run(argv[0], argv.slice(1), { stdout: o.stdoutNull ? 'ignore' : 'pipe' })
  return { seconds: r.seconds, maxRssKiB: null }
}

/**
 * Times one process per line: `prefix... words-of-line...`, in order.
 * @param {Tools} tools @param {string[]} prefix @param {string[]} lines @param {{ stdoutNull?: boolean }} [o]
 * @returns {Promise<{ seconds: number, ops: number, maxRssKiB: number|null }>}
 */
export async function timeEach(tools, prefix, lines, o = {}) {
  if (tools.ref) {
    const f = scratchFile(tools, lines, 'each')
    const j = await runJson(tools.ref, ['spawn-each', '--file', f, ...(o.stdoutNull ? ['--stdout-null'] : []), '--', ...prefix])
    return { seconds: j.seconds, ops: j.ops, maxRssKiB: j.maxrss_kib }
  }
  let seconds = 0
  for (const l of lines) {
    const words = l.split(/\s+/).filter(Boolean)
    const r = await run(prefix[0], [...prefix.slice(1), ...words], { stdout: o.stdoutNull ? 'ignore' : 'pipe' })
    seconds += r.seconds
  }
  return { seconds, ops: lines.length, maxRssKiB: null }
}
