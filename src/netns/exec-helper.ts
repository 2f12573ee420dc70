/**
 * The `ip netns exec` helper: a short-lived process that {@link NetNs.spawn} starts inside a
 * network namespace when `ipNetnsExec: true` is given. It does in its own (single-purpose)
 * process what iproute2's netns_switch() does after setns(), then replaces itself with the
 * program, which keeps its PID, stdio and namespace:
 *
 * 1. unshare(CLONE_NEWNS): a private mount namespace (the caller's mounts never change);
 * 2. mount --make-rslave /: nothing mounted here propagates back;
 * 3. /sys unmounted (lazily) and a sysfs mounted that describes this network namespace
 *    (read-only if /sys was);
 * 4. every entry of /etc/netns/NAME bind-mounted over /etc/ENTRY (named namespaces);
 * 5. execvpe(file, argv, env), signal dispositions reset.
 *
 * Failures before exec are reported on stderr with exit code 255 (as `ip netns exec`), an
 * exec failure with 127 (not found) or 126 (other), as shells do.
 *
 *   node exec-helper.js '{"file":"ls","argv":["ls","/sys/class/net"],"env":["PATH=..."],"name":"blue"}'
 */
import { readdirSync, readFileSync } from 'node:fs'
import { native } from '../native/binding.js'

/** What the parent passes on argv[2], as JSON. */
export interface ExecHelperSpec {
  file: string
  argv: string[]
  env: string[]
  /** The namespace's name, for /etc/netns/NAME; null for an unnamed namespace. */
  name: string | null
}

const CLONE_NEWNS = 0x00020000
const MS_RDONLY = 0x1
const MS_BIND = 0x1000
const MS_REC = 0x4000
const MS_SLAVE = 0x80000
const MNT_DETACH = 0x2

function fail(code: number, message: string): never {
  process.stderr.write(`rtnetlink ip-netns-exec: ${message}\n`)
  process.exit(code)
}

/** Whether the mount on /sys (the last one listed) is read-only, from /proc/self/mountinfo. */
function sysReadOnly(): boolean {
  let ro = false
  try {
    for (const line of readFileSync('/proc/self/mountinfo', 'utf8').split('\n')) {
      const f = line.split(' ')
      if (f[4] === '/sys') ro = (f[5] ?? '').split(',').includes('ro')
    }
  } catch { /* no procfs: assume read-write */ }
  return ro
}

function main(): void {
  let spec: ExecHelperSpec
  try {
    spec = JSON.parse(process.argv[2] ?? '') as ExecHelperSpec
    if (typeof spec.file !== 'string' || !Array.isArray(spec.argv) || !Array.isArray(spec.env)) throw new Error('bad spec')
  } catch {
    fail(255, 'usage: exec-helper.js SPEC-JSON (started by NetNs.spawn)')
  }
  const b = native()
  const step = (what: string, f: () => void): void => {
    try {
      f()
    } catch (e) {
      fail(255, `${what} failed: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`)
    }
  }
  step('unshare', () => b.unshare(CLONE_NEWNS))
  step('mount --make-rslave /', () => b.mount('', '/', 'none', MS_SLAVE | MS_REC, null))
  const ro = sysReadOnly()
  try {
    b.umount2('/sys', MNT_DETACH)
  } catch { /* nothing mounted there: fine */ }
  step('mount of /sys', () => b.mount(spec.name ?? 'sysfs', '/sys', 'sysfs', ro ? MS_RDONLY : 0, null))
  if (spec.name) {
    const dir = `/etc/netns/${spec.name}`
    let entries: string[] = []
    try {
      entries = readdirSync(dir)
    } catch { /* no per-namespace configuration */ }
    for (const e of entries) {
      try {
        b.mount(`${dir}/${e}`, `/etc/${e}`, 'none', MS_BIND, null)
      } catch (err) {
        // iproute2 warns and goes on
        process.stderr.write(`rtnetlink ip-netns-exec: bind ${dir}/${e} -> /etc/${e} failed: ${(err as NodeJS.ErrnoException).code}\n`)
      }
    }
  }
  try {
    b.execvpe(spec.file, spec.argv, spec.env)
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code
    fail(code === 'ENOENT' ? 127 : 126, `exec ${spec.file}: ${code}`)
  }
}

main()
