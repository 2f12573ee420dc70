/**
 * Helpers for the NetNs kernel tests, and (run as a program with tsx) the parts that
 * must happen in another process:
 *
 *   node --import tsx test/helpers/netns-fixture.ts userns
 *     run inside `unshare --user --map-root-user`: enters an anonymous namespace it owns
 *     but cannot come back from; prints JSON of what runSync/openNetlinkFd did.
 *   node --import tsx test/helpers/netns-fixture.ts fresh-run-dir N
 *     run inside `unshare --mount` with a private tmpfs on /run: N creates racing N
 *     `ip netns add`, on a /run/netns that is not yet a mount point; prints JSON.
 */
import { execFile } from 'node:child_process'
import { readFileSync, readlinkSync } from 'node:fs'
import { pathToFileURL } from 'node:url'
import { promisify } from 'node:util'
import { NetNs } from '../../src/netns/netns.js'

export const run = promisify(execFile)

let counter = 0

/** A unique namespace name (`rtnl-test-<pid>-<n>`), deleted at teardown whoever created it. */
export function uniqueName(t: { teardown(fn: () => unknown): void }): string {
  const name = `rtnl-test-${process.pid}-${++counter}`
  t.teardown(() => {
    try {
      NetNs.deleteSync(name)
    } catch { /* never created, or deleted by the test */ }
  })
  return name
}

/** Names printed by `ip -json netns list`. */
export async function ipNetnsList(): Promise<string[]> {
  const { stdout } = await run('ip', ['-json', 'netns', 'list'])
  return stdout.trim() ? (JSON.parse(stdout) as { name: string }[]).map(e => e.name) : []
}

/** How many mounts sit exactly on path in this process's mount namespace. */
export function mountsOn(path: string): number {
  return readFileSync('/proc/self/mountinfo', 'utf8').split('\n').filter(l => l.split(' ')[4] === path).length
}

/** `net:[4026532...]`: what the calling thread's namespace link reads. */
export const threadNs = (): string => readlinkSync('/proc/thread-self/ns/net')

async function userns(): Promise<unknown> {
  const home = threadNs()
  const ns = NetNs.unshare()
  const out: Record<string, unknown> = { home }
  try {
    ns.runSync(() => 1)
    out.runSync = 'ran'
  } catch (err) {
    out.runSync = (err as NodeJS.ErrnoException).code
  }
  out.afterRunSync = threadNs()
  try {
    ns.openNetlinkFd()
    out.socket = 'made'
  } catch (err) {
    out.socket = (err as NodeJS.ErrnoException).code
  }
  out.afterSocket = threadNs()
  ns.close()
  return out
}

async function freshRunDir(n: number): Promise<unknown> {
  const before = mountsOn('/run/netns')
  const ipAdds = Array.from({ length: n }, (_, i) => run('ip', ['netns', 'add', `ip-${i}`]))
  const ours = await Promise.all(Array.from({ length: n }, (_, i) => NetNs.create(`ours-${i}`)))
  await Promise.all(ipAdds)
  const listed = await ipNetnsList()
  const { stdout } = await run('ip', ['-n', 'ours-0', '-json', 'link', 'show'])
  const ipSees = (JSON.parse(stdout) as { ifname: string }[]).map(l => l.ifname)
  const mine = NetNs.openSync('ip-0')
  const distinct = new Set([...ours.map(h => `${h.id.ino}`), `${mine.id.ino}`]).size
  mine.close()
  for (const h of ours) h[Symbol.dispose]()
  for (let i = 0; i < n; i++) NetNs.deleteSync(`ip-${i}`)
  return { before, after: mountsOn('/run/netns'), listed: listed.sort(), ipSees, distinct, left: NetNs.listSync() }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [mode, arg] = process.argv.slice(2)
  const result = mode === 'userns' ? await userns() : mode === 'fresh-run-dir' ? await freshRunDir(Number(arg)) : { error: `unknown mode ${mode}` }
  process.stdout.write(JSON.stringify(result) + '\n')
}
