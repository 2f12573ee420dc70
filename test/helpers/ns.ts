/**
 * Throw-away network namespaces for kernel tests: anonymous (kept alive by an fd,
 * nothing mounted, gone when the test's teardown closes it), plus `ip -json` run
 * inside it as an oracle.
 */
import { execFile } from 'node:child_process'
import { closeSync } from 'node:fs'
import { promisify } from 'node:util'
import { native } from '../../src/native/binding.js'
import { openSync, type Rtnl } from '../../src/client.js'

const run = promisify(execFile)

export interface FreshNs {
  /** fd of the namespace (anonymous). */
  fd: number
  /** A client whose socket lives in the namespace. */
  rtnl: Rtnl
  /** `ip -json ARGS` inside the namespace, parsed. */
  ip(...args: string[]): Promise<any>
  /** Any command inside the namespace (test oracle/setup only). */
  exec(cmd: string, args: string[]): Promise<{ stdout: string; stderr: string }>
  /** /proc/PID/fd/N path of the namespace, usable by nsenter or as a netns path. */
  path: string
}

interface Teardown {
  teardown(fn: () => unknown): void
}

/** A new anonymous namespace with a client in it, closed in t.teardown. */
export function freshNetNs(t: Teardown): FreshNs {
  const fd = native().unshareNetns()
  let rtnl: Rtnl
  try {
    rtnl = openSync({ netns: fd })
  } catch (err) {
    closeSync(fd)
    throw err
  }
  const path = `/proc/${process.pid}/fd/${fd}`
  const exec = (cmd: string, args: string[]) =>
    run('nsenter', [`--net=${path}`, '--', cmd, ...args], { maxBuffer: 256 << 20 })
  t.teardown(() => {
    rtnl.close()
    closeSync(fd)
  })
  return {
    fd,
    rtnl,
    path,
    exec,
    async ip(...args: string[]) {
      const { stdout } = await exec('ip', ['-json', ...args])
      return stdout.trim() ? JSON.parse(stdout) : []
    },
  }
}

/** Runs `ip ARGS` in the namespace without -json (for setup in tests of other families). */
export async function ipIn(ns: FreshNs, ...args: string[]): Promise<string> {
  return (await ns.exec('ip', args)).stdout
}
