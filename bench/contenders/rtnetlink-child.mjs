// Child process of the rtnetlink library contenders (one per workload phase, so that its
// peak RSS is the library's own). Imports the compiled library from dist/ and uses only
// its public API:
//
//   import { open, NetNs } from '../../dist/index.js'
//   const rtnl = await open({ netns: await NetNs.open(name) })
//   rtnl.link.get(1) · rtnl.addr.add({ link, address }) · rtnl.route.add({ dst, type: 'blackhole' })
//   for await (const r of rtnl.route.list({ family: 4 })) ... (pipelined: list().batches()) · rtnl.close()
//
//   node bench/contenders/rtnetlink-child.mjs probe '{"ns":"NAME"}'
//   node bench/contenders/rtnetlink-child.mjs run '{"w":"W1","phase":"getlink","mode":"seq",
//        "chunk":256,"inst":{...},"warm":{...}}'
// Prints one JSON line. Never touches the namespace it runs in: every socket is opened
// inside a namespace named by the harness.
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { median } from '../lib/report.mjs'
import { ipv4, warmPasses } from '../lib/workloads.mjs'

const ROOT = dirname(dirname(dirname(fileURLToPath(import.meta.url))))
/** The compiled library; RTNL_BENCH_LIB=/path/to/index.js benchmarks another build. */
const DIST_INDEX = process.env.RTNL_BENCH_LIB || join(ROOT, 'dist', 'index.js')

/** @typedef {import('../lib/workloads.mjs').Instance} Instance */

/** @type {any} */ let lib

async function load() {
  if (!existsSync(DIST_INDEX)) throw new Error(`${DIST_INDEX} not found (npm run build)`)
  lib = await import(pathToFileURL(DIST_INDEX).href)
  if (typeof lib.open !== 'function') throw new Error(`${DIST_INDEX} does not export open()`)
}

/** A NetNs handle when the library exports NetNs.open, else the name (open() takes names too). @param {string} name */
async function nsHandle(name) {
  if (typeof lib.NetNs?.open === 'function') return lib.NetNs.open(name)
  return name
}

/** @param {any} h */
function closeHandle(h) {
  if (h && typeof h === 'object' && typeof h.close === 'function') h.close()
}

/** A client with its socket inside namespace `name`. @param {string} name */
async function client(name) {
  const ns = await nsHandle(name)
  const rtnl = await lib.open({ netns: ns })
  return { rtnl, ns, close() { rtnl.close(); closeHandle(ns) } }
}

/**
 * Runs `f(i)` for i in [0, n): awaited one by one, or pipelined in chunks of `chunk`
 * promises (Promise.all).
 * @param {number} n @param {'seq'|'pipe'} mode @param {number} chunk @param {(i: number) => Promise<unknown>} f
 */
async function each(n, mode, chunk, f) {
  if (mode === 'seq') {
    for (let i = 0; i < n; i++) await f(i)
    return
  }
  for (let i = 0; i < n; i += chunk) {
    const end = Math.min(n, i + chunk)
    /** @type {Promise<unknown>[]} */ const ps = []
    for (let j = i; j < end; j++) ps.push(f(j))
    await Promise.all(ps)
  }
}

/**
 * What a floor loop needs of the build under test: its native helper, the client's socket fd
 * and one internal module with the request builder `fn`.
 * @param {any} r @param {string[]} path @param {string} fn
 */
async function floorTools(r, path, fn) {
  const lib = dirname(DIST_INDEX)
  const { native } = await import(pathToFileURL(join(lib, 'native', 'binding.js')).href)
  const mod = await import(pathToFileURL(join(lib, ...path)).href)
  const b = native()
  const fd = r.sock?.fd
  if (typeof fd !== 'number' || typeof b.sendRecv !== 'function' || typeof mod[fn] !== 'function') throw new Error(`this build exposes no socket fd, sendRecv or ${fn}`)
  return { b, fd, mod }
}

/**
 * W1's floor for any Node client on this machine: the library's native helper sends a
 * prebuilt RTM_GETLINK (the bytes link.get sends) and reads the answer in one call, n times,
 * with no encoding, no decoding and no request bookkeeping; with `awaitEach`, plus one
 * `await` of an already resolved promise per request. Every answer is checked to be the
 * RTM_NEWLINK of the link asked for.
 * @param {any} r @param {number} index @param {number} n @param {boolean} awaitEach
 * @param {(t: 'start'|'stop') => void} clock
 */
async function floorLoop(r, index, n, awaitEach, clock) {
  const { b, fd, mod } = await floorTools(r, ['rtnl', 'link', 'resolve.js'], 'getLinkRequest')
  const getLinkRequest = mod.getLinkRequest
  // The library's own request builder, with link.get()'s IFLA_EXT_MASK (VF | SKIP_STATS);
  // NLM_F_REQUEST and the sequence number are what the socket would stamp.
  const req = getLinkRequest(index, 1 | 8)
  req.writeUInt16LE(1, 6)
  const buf = Buffer.allocUnsafe(65536)
  const sender = new Uint32Array(2)
  const check = (/** @type {number} */ got) => {
    if (got < 36 || buf.readUInt16LE(4) !== 16 || buf.readInt32LE(20) !== index) throw new Error(`floor: no RTM_NEWLINK of index ${index} (read ${got})`)
  }
  let seq = 1
  clock('start')
  if (awaitEach) {
    for (let i = 0; i < n; i++) {
      req.writeUInt32LE(seq++, 8)
      const got = await Promise.resolve(b.sendRecv(fd, req, buf, sender))
      if (i === 0 || i === n - 1) check(got)
    }
  } else {
    for (let i = 0; i < n; i++) {
      req.writeUInt32LE(seq++, 8)
      const got = b.sendRecv(fd, req, buf, sender)
      if (i === 0 || i === n - 1) check(got)
    }
  }
  clock('stop')
}

/**
 * W2's floor: the same native round trip for RTM_NEWADDR, each message written into one
 * prebuilt request as the C reference writes it (the library's bytes for the first address,
 * then the address and sequence number patched in), its ACK checked; with `awaitEach`, one
 * `await` per request. What an awaited promise API costs per address before it encodes.
 * @param {any} r @param {number} index @param {Instance} inst @param {boolean} awaitEach
 * @param {(t: 'start'|'stop') => void} clock
 */
async function floorAddLoop(r, index, inst, awaitEach, clock) {
  const { b, fd, mod } = await floorTools(r, ['rtnl', 'addr', 'api.js'], 'plainAddMessage')
  const plainAddMessage = mod.plainAddMessage
  // NLM_F_REQUEST | NLM_F_ACK | NLM_F_EXCL | NLM_F_CREATE, as addr.add sends it
  const req = plainAddMessage(`${ipv4(inst.base, 0)}/${inst.plen}`, index, 0x605)
  const p = inst.base.split('.').map(Number)
  const base = ((p[0] << 24) | (p[1] << 16) | (p[2] << 8) | p[3]) >>> 0
  const buf = Buffer.allocUnsafe(65536)
  const sender = new Uint32Array(2)
  let seq = 1
  const one = (/** @type {number} */ i) => {
    const a = (base + i) >>> 0
    req.writeUInt32BE(a, 28) // IFA_ADDRESS
    req.writeUInt32BE(a, 36) // IFA_LOCAL
    req.writeUInt32LE(seq++, 8)
    return b.sendRecv(fd, req, buf, sender)
  }
  const check = (/** @type {number} */ got, /** @type {number} */ i) => {
    if (got < 20 || buf.readUInt16LE(4) !== 2 || buf.readInt32LE(16) !== 0) throw new Error(`floor: address ${i} not acknowledged (read ${got}, error ${buf.readInt32LE(16)})`)
  }
  clock('start')
  if (awaitEach) for (let i = 0; i < inst.n; i++) check(await Promise.resolve(one(i)), i)
  else for (let i = 0; i < inst.n; i++) check(one(i), i)
  clock('stop')
}

/** Features per workload: null when usable, else why not. */
async function probe(/** @type {{ ns: string }} */ spec) {
  await load()
  const c = await client(spec.ns)
  try {
    const r = c.rtnl
    /** @param {string[]} paths */
    const need = (...paths) => {
      const missing = paths.filter(p => typeof p.split('.').reduce((o, k) => o?.[k], /** @type {any} */ ({ rtnl: r, lib })) !== 'function')
      return missing.length ? `missing ${missing.join(', ')}` : null
    }
    const link = await r.link.get(1)
    if (!link || typeof link !== 'object') throw new Error('rtnl.link.get(1) returned no object')
    return {
      netns: typeof lib.NetNs?.open === 'function' ? 'NetNs.open(name)' : 'namespace name (NetNs.open not exported)',
      W1: need('rtnl.link.get'),
      W2: need('rtnl.link.get', 'rtnl.addr.add', 'rtnl.addr.list'),
      W3: need('rtnl.route.add', 'rtnl.route.list'),
      W4: need('rtnl.link.add', 'rtnl.link.set', 'rtnl.link.del'),
      W5: need('lib.NetNs.create', 'rtnl.link.add', 'rtnl.link.set', 'rtnl.addr.add'),
    }
  } finally {
    c.close()
  }
}

/**
 * One workload phase on one instance; returns the number of objects decoded (dumps).
 * @param {string} w @param {string} phase @param {Instance} inst @param {'seq'|'pipe'} mode @param {number} chunk
 * @param {(t: 'start'|'stop') => void} clock
 */
async function phaseRun(w, phase, inst, mode, chunk, clock) {
  const opened = []
  try {
    if (w === 'W5') {
      const hub = await client(inst.ns[0])
      opened.push(hub)
      /** @type {any[]} */ const handles = []
      clock('start')
      await each(inst.n, 'seq', chunk, async i => { handles[i] = await lib.NetNs.create(inst.names[i]) })
      await each(inst.n, mode, chunk, i =>
        hub.rtnl.link.add({ name: `h${i}`, kind: 'veth', peer: { name: `p${i}`, netns: handles[i] } }))
      await each(inst.n, mode, chunk, i => hub.rtnl.link.set(`h${i}`, { master: 'br0', up: true }))
      await each(inst.n, mode, chunk, async i => {
        const c = await lib.open({ netns: handles[i] })
        try {
          await c.addr.add({ link: `p${i}`, address: `${ipv4(inst.base, i)}/${inst.plen}` })
          await c.link.set(`p${i}`, { up: true })
        } finally {
          c.close()
        }
      })
      clock('stop')
      for (const h of handles) closeHandle(h)
      return 0
    }
    const a = await client(inst.ns[0])
    opened.push(a)
    const r = a.rtnl
    let count = 0
    switch (`${w}/${phase}`) {
      case 'W1/getlink': {
        const index = inst.index
        if (mode === 'floor' || mode === 'floor-await') {
          await floorLoop(r, index, inst.n, mode === 'floor-await', clock)
          break
        }
        clock('start')
        await each(inst.n, mode, chunk, () => r.link.get(index))
        clock('stop')
        break
      }
      case 'W2/add': {
        const link = (await r.link.get(inst.dev)).index ?? inst.dev
        if (mode === 'floor' || mode === 'floor-await') {
          await floorAddLoop(r, link, inst, mode === 'floor-await', clock)
          break
        }
        clock('start')
        await each(inst.n, mode, chunk, i => r.addr.add({ link, address: `${ipv4(inst.base, i)}/${inst.plen}` }))
        clock('stop')
        break
      }
      case 'W2/dump':
        clock('start')
        if (mode === 'pipe') for await (const b of r.addr.list({ family: 4 }).batches()) for (const x of b) { if (x) count++ }
        else for await (const x of r.addr.list({ family: 4 })) if (x) count++
        clock('stop')
        break
      case 'W3/add':
        clock('start')
        await each(inst.n, mode, chunk, i => r.route.add({ dst: `${ipv4(inst.base, i)}/${inst.plen}`, type: 'blackhole' }))
        clock('stop')
        break
      case 'W3/dump':
        clock('start')
        if (mode === 'pipe') for await (const b of r.route.list({ family: 4, table: 'all' }).batches()) for (const x of b) { if (x) count++ }
        else for await (const x of r.route.list({ family: 4, table: 'all' })) if (x) count++
        clock('stop')
        break
      case 'W4/churn': {
        const b = await client(inst.ns[1])
        opened.push(b)
        const target = await nsHandle(inst.ns[1])
        opened.push({ close: () => closeHandle(target) })
        clock('start')
        await each(inst.n, mode, chunk, i => r.link.add({ name: `va${i}`, kind: 'veth', peer: { name: `vb${i}` } }))
        await each(inst.n, mode, chunk, i => r.link.set(`vb${i}`, { netns: target }))
        await each(inst.n, mode, chunk, i => r.link.set(`va${i}`, { up: true }))
        await each(inst.n, mode, chunk, i => b.rtnl.link.set(`vb${i}`, { up: true }))
        await each(inst.n, mode, chunk, i => r.link.del(`va${i}`))
        clock('stop')
        break
      }
      default:
        throw new Error(`no such phase ${w}/${phase}`)
    }
    return count
  } finally {
    for (const c of opened.reverse()) c.close()
  }
}


/** Current RSS (KiB): VmRSS. */
function rssKiB() {
  try {
    const m = /^VmRSS:\s*(\d+)/m.exec(readFileSync('/proc/self/status', 'utf8'))
    if (m) return Number(m[1])
  } catch { /* not Linux procfs */ }
  return Math.round(process.memoryUsage().rss / 1024)
}

/** Peak RSS (KiB) of this process's own memory map: VmHWM. (getrusage's maxRSS also counts the pre-exec image of whoever forked us.) */
function peakRssKiB() {
  try {
    const m = /^VmHWM:\s*(\d+)/m.exec(readFileSync('/proc/self/status', 'utf8'))
    if (m) return Number(m[1])
  } catch { /* not Linux procfs */ }
  return process.resourceUsage().maxRSS
}

async function main() {
  const [cmd, json] = process.argv.slice(2)
  const spec = JSON.parse(json ?? '{}')
  if (cmd === 'probe') {
    try {
      console.log(JSON.stringify({ ok: true, features: await probe(spec) }))
    } catch (e) {
      console.log(JSON.stringify({ ok: false, reason: String(/** @type {Error} */ (e)?.message ?? e).split('\n')[0] }))
    }
    return
  }
  if (cmd !== 'run') throw new Error('usage: rtnetlink-child.mjs probe|run JSON')
  await load()
  const { w, phase, mode, chunk = 256, inst, warm, dumps = 1 } = spec
  // The harness's rule for every contender (bench/lib/workloads.mjs warmPasses()).
  const passes = spec.warmPasses ?? warmPasses(phase, inst.n, warm?.n ?? 0, false)
  if (warm && warm.n > 0) for (let i = 0; i < passes; i++) await phaseRun(w, phase, warm, mode, chunk, () => {})
  /** @type {bigint} */ let t0 = 0n
  /** @type {bigint} */ let t1 = 0n
  let rssAtStart = 0
  /** @type {number[]} */ const runs = []
  let count = 0
  // A dump is timed `dumps` times in a row and reports their median; other phases once.
  for (let k = 0; k < (phase === 'dump' ? Math.max(1, dumps) : 1); k++) {
    count = await phaseRun(w, phase, inst, mode, chunk, t => {
      if (t === 'start') {
        if (k === 0) rssAtStart = rssKiB()
        t0 = process.hrtime.bigint()
      } else t1 = process.hrtime.bigint()
    })
    runs.push(Number(t1 - t0) / 1e9)
  }
  const peak = peakRssKiB()
  const seconds = median(runs)
  // Growth: how far the peak rose above the RSS the process had when the timed work began
  // (Node's own baseline, ~45 MiB, is not the library's).
  console.log(JSON.stringify({ seconds, count, maxrss_kib: peak, rss_growth_kib: Math.max(0, peak - rssAtStart), first: runs.length > 1 ? runs[0] : undefined, runs }))
}

main().then(() => process.exit(0), e => {
  console.error(e?.stack ?? String(e))
  process.exit(1)
})
