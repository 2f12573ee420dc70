// The benchmark workloads: sizes, the namespaces each needs (created fresh for every
// contender and repetition), the equivalent `ip` commands, and a check of the kernel
// state afterwards so that a contender which skipped work cannot look fast.
import { run } from './proc.mjs'

/**
 * @typedef {{ n: number, warm: number, sample: number }} Sizes
 *   n: items timed; warm: items of the untimed warm-up (done in a separate, identical
 *   namespace); sample: items run by the one-`ip`-per-command contender, extrapolated to n
 *
 * @typedef {object} Instance  one prepared copy of a workload
 * @property {string} id       workload id
 * @property {number} n
 * @property {string[]} ns     namespaces (created): [main] or [main, second] (W4) or [hub] (W5)
 * @property {string[]} names  W5: namespaces to be created by the contender (reserved only)
 * @property {string} dev      W2: the bridge
 * @property {number} index    W1: ifindex asked for
 * @property {string} base     first IPv4 address
 * @property {number} plen
 *
 * @typedef {{ ns: string|null, lines: string[] }} Group  `ip` commands run in one namespace
 *   (null: the harness's own, used only for `netns add`)
 *
 * @typedef {object} Workload
 * @property {string} id
 * @property {string} title
 * @property {string[]} phases
 * @property {Record<string, {unit: 'us'|'ms'|'s', per: string}>} units  per-op unit per phase
 * @property {{ full: Sizes, quick: Sizes }} sizes
 * @property {number} namespaces   how many to create for an instance
 * @property {boolean} [reserve]   W5: also reserve n names
 * @property {(inst: Instance) => Promise<void>} setup
 * @property {(inst: Instance, phase: string, from: number, to: number) => Group[]} ipGroups
 * @property {(inst: Instance, phase: string) => string[]} [ipDump]   argv after `ip` for a dump phase
 * @property {(phase: string, n: number) => number} ops
 * @property {(inst: Instance, done: number) => Promise<string|null>} verify  null when the state is right
 * @property {string} note
 */

/** @param {string} base @param {number} i */
export function ipv4(base, i) {
  const p = base.split('.').map(Number)
  const v = ((p[0] << 24) | (p[1] << 16) | (p[2] << 8) | p[3]) + i
  return `${(v >>> 24) & 255}.${(v >>> 16) & 255}.${(v >>> 8) & 255}.${v & 255}`
}

/** @param {number} from @param {number} to @param {(i: number) => string} f */
function lines(from, to, f) {
  /** @type {string[]} */ const out = []
  for (let i = from; i < to; i++) out.push(f(i))
  return out
}

/** @param {string} ns @param {string[]} args */
async function ipIn(ns, ...args) {
  return run('ip', ['-n', ns, ...args], { timeoutMs: 120_000 })
}

/** Lines of `ip -n NS ARGS` output. @param {string} ns @param {string[]} args */
async function countLines(ns, ...args) {
  const r = await ipIn(ns, ...args)
  return r.stdout.split('\n').filter(l => l.trim()).length
}

/** @param {string} what @param {number} want @param {number} got */
function expect(what, want, got) {
  return want === got ? null : `${what}: expected ${want}, found ${got}`
}

/**
 * Warm-up floors of the phases that can be repeated without changing the kernel state (a GET,
 * a dump): their warm-up repeats the smaller copy until it has done at least max(n, floor)
 * operations (objects, for a dump), at most WARM_MAX_PASSES times. A JIT compiles a loop after
 * an absolute amount of work, not one relative to n: after the warm-up of "as many objects as
 * the timed dump" alone, a 10,000-address dump was timed while V8 was still compiling
 * (4–10x the steady-state time), and W1's first 5,000 timed requests took ~1.7x the last.
 */
export const WARM_FLOOR = { getlink: 50_000, dump: 100_000 }
export const WARM_MAX_PASSES = 200

/**
 * Passes of a phase's warm-up, the same for every contender: 1 for phases that change state
 * (an add cannot be repeated), otherwise enough to reach WARM_FLOOR (quick runs: n).
 * @param {string} phase @param {number} n @param {number} warmN @param {boolean} quick
 */
export function warmPasses(phase, n, warmN, quick) {
  const floor = /** @type {Record<string, number>} */ (WARM_FLOOR)[phase]
  if (floor === undefined || warmN <= 0) return 1
  return Math.min(WARM_MAX_PASSES, Math.max(1, Math.ceil(Math.max(n, quick ? 0 : floor) / warmN)))
}

/** @type {Workload[]} */
export const WORKLOADS = [
  {
    id: 'W1',
    title: 'sequential round trips: RTM_GETLINK of lo (index 1)',
    phases: ['getlink'],
    units: { getlink: { unit: 'us', per: 'request' } },
    // The warm copy is as large as the timed one (3 passes): with 2,000 (25 passes) V8's young
    // generation could still grow from 4 to 8 MiB semi-spaces in the timed phase (~2,000 page
    // faults, +25 ms on 50 ms), depending on how much the build under test kept alive.
    sizes: { full: { n: 20_000, warm: 20_000, sample: 200 }, quick: { n: 400, warm: 50, sample: 20 } },
    namespaces: 1,
    async setup() {},
    ipGroups: (inst, _phase, from, to) => [{ ns: inst.ns[0], lines: lines(from, to, () => 'link show dev lo') }],
    ops: (_phase, n) => n,
    async verify() { return null },
    note: '`ip` runs `link show dev lo` and prints it (to /dev/null): a GETLINK by name plus formatting, not identical to a bare GETLINK by index.',
  },
  {
    id: 'W2',
    title: 'bulk addresses: add IPv4 /32 addresses to a port-less bridge, then dump them',
    phases: ['add', 'dump'],
    units: { add: { unit: 'us', per: 'address' }, dump: { unit: 's', per: 'dump' } },
    // The warm-up copy is larger than a streamed dump's hold-back and high-water marks (2,048 and
    // 1,024 items in rtnetlink), so that its dump runs the same code paths as the timed one: with
    // 1,000 addresses the first 10,000-address dumps after the warm-up took 3–4x the later ones.
    sizes: { full: { n: 10_000, warm: 3_000, sample: 200 }, quick: { n: 300, warm: 30, sample: 20 } },
    namespaces: 1,
    async setup(inst) {
      await ipIn(inst.ns[0], 'link', 'add', inst.dev, 'type', 'bridge')
    },
    ipGroups: (inst, _phase, from, to) =>
      [{ ns: inst.ns[0], lines: lines(from, to, i => `address add ${ipv4(inst.base, i)}/${inst.plen} dev ${inst.dev}`) }],
    ipDump: inst => ['-n', inst.ns[0], '-4', 'address', 'show'],
    ops: (phase, n) => (phase === 'dump' ? 1 : n),
    async verify(inst, done) {
      return expect('IPv4 addresses on the bridge', done, await countLines(inst.ns[0], '-4', '-o', 'address', 'show', 'dev', inst.dev))
    },
    note: '`ip -4 address show` dumps links and addresses and prints them.',
  },
  {
    id: 'W3',
    title: 'bulk routes: add IPv4 /32 blackhole routes, then dump all IPv4 routes',
    phases: ['add', 'dump'],
    units: { add: { unit: 'us', per: 'route' }, dump: { unit: 's', per: 'dump' } },
    sizes: { full: { n: 100_000, warm: 5_000, sample: 200 }, quick: { n: 2_000, warm: 100, sample: 20 } },
    namespaces: 1,
    async setup() {},
    ipGroups: (inst, _phase, from, to) =>
      [{ ns: inst.ns[0], lines: lines(from, to, i => `route add blackhole ${ipv4(inst.base, i)}/${inst.plen}`) }],
    ipDump: inst => ['-n', inst.ns[0], '-4', 'route', 'show', 'table', 'all'],
    ops: (phase, n) => (phase === 'dump' ? 1 : n),
    async verify(inst, done) {
      return expect('routes in table main', done, await countLines(inst.ns[0], '-4', 'route', 'show', 'table', 'main'))
    },
    note: 'The dump asks for every IPv4 table (AF_INET, NLM_F_DUMP): the n routes plus a few local ones.',
  },
  {
    id: 'W4',
    title: 'link churn: veth pairs created, one end moved to a second namespace, both ends set up, deleted',
    phases: ['churn'],
    units: { churn: { unit: 'ms', per: 'pair' } },
    sizes: { full: { n: 200, warm: 10, sample: 40 }, quick: { n: 6, warm: 2, sample: 3 } },
    namespaces: 2,
    async setup() {},
    ipGroups: (inst, _phase, from, to) => {
      const [a, b] = inst.ns
      return [
        { ns: a, lines: lines(from, to, i => `link add va${i} type veth peer name vb${i}`) },
        { ns: a, lines: lines(from, to, i => `link set vb${i} netns ${b}`) },
        { ns: a, lines: lines(from, to, i => `link set va${i} up`) },
        { ns: b, lines: lines(from, to, i => `link set vb${i} up`) },
        { ns: a, lines: lines(from, to, i => `link del va${i}`) },
      ]
    },
    ops: (_phase, n) => n,
    async verify(inst) {
      return expect('links left in both namespaces (lo only)', 2,
        (await countLines(inst.ns[0], '-o', 'link', 'show')) + (await countLines(inst.ns[1], '-o', 'link', 'show')))
    },
    note: '5 requests per pair (create, move, up, up, delete); moving and deleting a link each wait for an RCU grace period in the kernel, which dominates.',
  },
  {
    id: 'W5',
    title: 'topology scale: namespaces each joined to one bridge by a veth with an address',
    phases: ['build'],
    units: { build: { unit: 'ms', per: 'namespace' } },
    sizes: { full: { n: 200, warm: 5, sample: 40 }, quick: { n: 4, warm: 1, sample: 2 } },
    namespaces: 1,
    reserve: true,
    async setup(inst) {
      await ipIn(inst.ns[0], 'link', 'add', 'br0', 'type', 'bridge')
      await ipIn(inst.ns[0], 'link', 'set', 'br0', 'up')
    },
    ipGroups: (inst, _phase, from, to) => {
      const hub = inst.ns[0]
      /** @type {Group[]} */ const g = [
        { ns: null, lines: lines(from, to, i => `netns add ${inst.names[i]}`) },
        { ns: hub, lines: lines(from, to, i => `link add h${i} type veth peer name p${i} netns ${inst.names[i]}`) },
        { ns: hub, lines: lines(from, to, i => `link set h${i} master br0 up`) },
      ]
      for (let i = from; i < to; i++)
        g.push({ ns: inst.names[i], lines: [`address add ${ipv4(inst.base, i)}/${inst.plen} dev p${i}`, `link set p${i} up`] })
      return g
    },
    ops: (_phase, n) => n,
    async verify(inst, done) {
      const ports = await countLines(inst.ns[0], '-o', 'link', 'show', 'master', 'br0')
      const bad = expect('veths enslaved to the hub bridge', done, ports)
      if (bad || done === 0) return bad
      const last = done - 1
      const r = await ipIn(inst.names[last], '-4', '-o', 'address', 'show', 'dev', `p${last}`, 'up')
      return r.stdout.includes(`${ipv4(inst.base, last)}/${inst.plen}`) ? null : `p${last} in ${inst.names[last]} is not up with its address`
    },
    note: 'Per namespace: create it, a veth from the hub with its peer created inside, enslave + up, address + up inside. `ip -batch` needs one process per namespace for the in-namespace part (batch lines cannot switch namespace), plus one for all `netns add` and one for the hub.',
  },
]

/** @param {string} id */
export function workload(id) {
  const w = WORKLOADS.find(x => x.id === id)
  if (!w) throw new Error(`unknown workload ${id}`)
  return w
}

/** Default addresses per workload: W2 10.16.0.1+, W3 10.128.0.1+, W5 10.64.0.2+/16. @param {string} id */
export function addressing(id) {
  switch (id) {
    case 'W2': return { base: '10.16.0.1', plen: 32 }
    case 'W3': return { base: '10.128.0.1', plen: 32 }
    case 'W5': return { base: '10.64.0.2', plen: 16 }
    default: return { base: '10.0.0.1', plen: 32 }
  }
}

/**
 * Creates one instance of a workload in fresh namespaces from `pool` and prepares it.
 * @param {Workload} w @param {import('./netns.mjs').NsPool} pool @param {number} n
 * @returns {Promise<Instance>}
 */
export async function makeInstance(w, pool, n) {
  /** @type {Instance} */
  const inst = { id: w.id, n, ns: [], names: [], dev: 'br0', index: 1, ...addressing(w.id) }
  for (let i = 0; i < w.namespaces; i++) inst.ns.push(await pool.create())
  if (w.reserve) for (let i = 0; i < n; i++) inst.names.push(pool.reserve())
  await w.setup(inst)
  return inst
}

/** Every namespace name of an instance (created or only reserved). @param {Instance} inst */
export function instanceNames(inst) {
  return [...inst.ns, ...inst.names]
}
