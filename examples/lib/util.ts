/** Helpers shared by the examples: HTTP servers in workers, clients in child processes. */
import { once } from 'node:events'
import type { Worker } from 'node:worker_threads'
import type { NetNs } from '../../src/index.js'

const server = new URL('./http-server.mjs', import.meta.url)
const client = new URL('./http-get.mjs', import.meta.url)

/** Starts an HTTP server in a worker thread living in `ns`, listening on host:port. */
export async function serveHttp(ns: NetNs, host: string, port: number, name: string): Promise<Worker> {
  const w = ns.worker(server, { workerData: { host, port, name } })
  const [msg] = await Promise.race([once(w, 'message'), once(w, 'error').then(([e]) => { throw e })])
  if (!msg?.listening) throw new Error(`server in ${name} did not start`)
  return w
}

/** GETs a URL from a child process started inside `ns`; returns the body. */
export async function httpGet(ns: NetNs, url: string): Promise<string> {
  const { stdout } = await ns.exec(process.execPath, [client.pathname, url], { timeout: 10_000 })
  return stdout
}

/** A unique, valid namespace name prefix for one run. */
export function runTag(base: string): string {
  return `${base}-${process.pid.toString(36)}`
}

/** Milliseconds since t0, formatted. */
export function since(t0: number): string {
  return `${(performance.now() - t0).toFixed(1)} ms`
}

/** Whether this module is the entry point (run directly with `npx tsx examples/X.ts`). */
export function isMain(url: string): boolean {
  return process.argv[1] !== undefined && new URL(url).pathname === process.argv[1]
}
