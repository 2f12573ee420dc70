// Child processes of the benchmark harness: every one is tracked by pid, so that an
// interrupted run ends exactly the processes it started (and nothing else), and every
// one has a time limit.
import { spawn } from 'node:child_process'

/** @type {Set<import('node:child_process').ChildProcess>} */
const live = new Set()

/**
 * @typedef {object} RunOptions
 * @property {number} [timeoutMs]   killed (SIGKILL) after this long; default 10 minutes
 * @property {boolean} [check]      reject on a non-zero exit (default true)
 * @property {'pipe'|'ignore'} [stdout]  'ignore' sends the output to /dev/null
 * @property {string} [cwd]
 * @property {NodeJS.ProcessEnv} [env]
 */

/**
 * @typedef {object} RunResult
 * @property {number|null} code
 * @property {NodeJS.Signals|null} signal
 * @property {string} stdout
 * @property {string} stderr
 * @property {number} seconds  wall time seen from here, spawn overhead included
 */

/** Error of a child that failed; carries what it printed. */
export class ChildError extends Error {
  /** @param {string} message @param {RunResult} result */
  constructor(message, result) {
    super(message)
    this.name = 'ChildError'
    this.result = result
  }
}

/**
 * Runs a program to completion (no shell).
 * @param {string} cmd
 * @param {string[]} args
 * @param {RunOptions} [opts]
 * @returns {Promise<RunResult>}
 */
export function run(cmd, args, opts = {}) {
  const { timeoutMs = 600_000, check = true, stdout = 'pipe', cwd, env } = opts
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint()
    const child = spawn(cmd, args, { stdio: ['ignore', stdout, 'pipe'], cwd, env })
    live.add(child)
    /** @type {Buffer[]} */ const out = []
    /** @type {Buffer[]} */ const err = []
    let errLen = 0
    child.stdout?.on('data', b => out.push(b))
    child.stderr?.on('data', b => {
      if (errLen < 65536) { err.push(b); errLen += b.length }
    })
    let timedOut = false
    const timer = setTimeout(() => { timedOut = true; child.kill('SIGKILL') }, timeoutMs)
    child.on('error', e => {
      clearTimeout(timer)
      live.delete(child)
      reject(e)
    })
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      live.delete(child)
      const result = {
        code, signal,
        stdout: Buffer.concat(out).toString(),
        stderr: Buffer.concat(err).toString(),
        seconds: Number(process.hrtime.bigint() - t0) / 1e9,
      }
      const line = [cmd, ...args].join(' ')
      if (timedOut) reject(new ChildError(`timed out after ${timeoutMs / 1000} s: ${short(line)}`, result))
      else if (check && code !== 0)
        reject(new ChildError(`exit ${code ?? signal}: ${short(line)}\n${result.stderr.trim().slice(-2000)}`, result))
      else resolve(result)
    })
  })
}

/**
 * Runs a program that prints one JSON object as its last stdout line, and returns it.
 * @param {string} cmd @param {string[]} args @param {RunOptions} [opts]
 * @returns {Promise<Record<string, any>>}
 */
export async function runJson(cmd, args, opts) {
  const r = await run(cmd, args, opts)
  const lines = r.stdout.trim().split('\n')
  const last = lines[lines.length - 1] ?? ''
  try {
    return JSON.parse(last)
  } catch {
    throw new ChildError(`no JSON result from ${short([cmd, ...args].join(' '))}: ${short(r.stdout)}\n${r.stderr.slice(-1000)}`, r)
  }
}

/** Ends the children this process started and that are still running (by pid, nothing else). */
export function killChildren() {
  for (const child of live) {
    try { child.kill('SIGKILL') } catch { /* already gone */ }
  }
  live.clear()
}

/** @param {string} s */
function short(s) {
  return s.length > 300 ? `${s.slice(0, 300)}…` : s
}
