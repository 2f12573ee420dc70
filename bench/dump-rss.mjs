#!/usr/bin/env node
// Peak RSS growth of a streamed route dump as the table grows (the W3 memory target:
// "under 16 MiB and flat from 100k to 1M routes"), with the library in dist/.
//
//   node bench/dump-rss.mjs [--sizes 100000,1000000] [--json] [--names A,W] [-- NODE_FLAGS...]
//
// For each size: a fresh child process warms up on a 5,000-route copy (20 dumps, like the
// benchmark), then dumps the whole table once by batches and once object by object (two
// children), and reports VmHWM minus the VmRSS it had when the timed dump began. Node flags
// after `--` go to the children (e.g. `-- --max-semi-space-size=4`). Everything happens in
// two namespaces made for the run (rtnl-rss-<pid>-a/-w) and deleted at the end. --json: one
// JSON line per measurement (bench/run.mjs reads them for docs/benchmarks.md).
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const LIB = process.env.RTNL_BENCH_LIB || join(dirname(dirname(fileURLToPath(import.meta.url))), 'dist', 'index.js')
const { NetNs, openSync } = await import(LIB)
const kib = (/** @type {string} */ k) => Number(new RegExp(`^${k}:\\s*(\\d+)`, 'm').exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? NaN)

/** @param {string} ns @param {number} from @param {number} to */
async function fill(ns, from, to) {
  const r = openSync({ netns: ns })
  try {
    await r.link.set('lo', { up: true })
    for (let c = from; c < to; c += 256) {
      const ps = []
      for (let i = c; i < Math.min(to, c + 256); i++) ps.push(r.route.add({ dst: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}/32`, type: 'blackhole' }))
      await Promise.all(ps)
    }
  } finally {
    r.close()
  }
}

/** The child: warm up on `warm`, then one timed dump of `ns`; prints one JSON line. */
async function child(/** @type {string} */ ns, /** @type {string} */ warm, /** @type {string} */ how) {
  const w = openSync({ netns: warm })
  for (let i = 0; i < 20; i++) for await (const b of w.route.list({ family: 4, table: 'all' }).batches()) if (!b.length) break
  w.close()
  const r = openSync({ netns: ns })
  const start = kib('VmRSS')
  let n = 0
  const t0 = process.hrtime.bigint()
  if (how === 'objects') { for await (const x of r.route.list({ family: 4, table: 'all' })) if (x) n++ }
  else for await (const b of r.route.list({ family: 4, table: 'all' }).batches()) n += b.length
  const ms = Number(process.hrtime.bigint() - t0) / 1e6
  console.log(JSON.stringify({ n, ms, growthMiB: (kib('VmHWM') - start) / 1024 }))
  r.close()
}

async function main() {
  const argv = process.argv.slice(2)
  if (argv[0] === 'child') return child(argv[1], argv[2], argv[3])
  const dash = argv.indexOf('--')
  const flags = dash >= 0 ? argv.slice(dash + 1) : []
  const own = dash >= 0 ? argv.slice(0, dash) : argv
  const json = own.includes('--json')
  const si = own.indexOf('--sizes')
  const sizes = (si >= 0 ? own[si + 1] : '100000,1000000').split(',').map(Number)
  if (sizes.some(n => !Number.isInteger(n) || n < 1 || n > 2_000_000)) throw new Error('--sizes: integers 1..2000000')
  // --names A,W: namespace names reserved by bench/run.mjs (deleted by it too if this process is killed)
  const ni = own.indexOf('--names')
  const [ns, warm] = ni >= 0 ? own[ni + 1].split(',') : [`rtnl-rss-${process.pid}-a`, `rtnl-rss-${process.pid}-w`]
  if (!ns || !warm) throw new Error('--names A,W: two namespace names')
  NetNs.createSync(ns)
  NetNs.createSync(warm)
  try {
    await fill(warm, 0, 5000)
    let have = 0
    if (!json) console.log(`node flags: ${flags.join(' ') || '(none)'}`)
    for (const n of [...sizes].sort((a, b) => a - b)) {
      await fill(ns, have, n)
      have = n
      for (const how of ['batches', 'objects']) {
        const out = execFileSync(process.execPath, [...flags, fileURLToPath(import.meta.url), 'child', ns, warm, how], { encoding: 'utf8', timeout: 600_000 })
        const j = JSON.parse(out.trim().split('\n').pop() ?? '{}')
        if (json) console.log(JSON.stringify({ routes: n, how, ms: j.ms, growthMiB: j.growthMiB, flags }))
        else console.log(`${String(n).padStart(8)} routes, ${how.padEnd(7)}: ${j.ms.toFixed(0).padStart(5)} ms, peak RSS growth ${j.growthMiB.toFixed(1)} MiB`)
      }
    }
  } finally {
    NetNs.deleteSync(ns)
    NetNs.deleteSync(warm)
  }
}

main().catch(e => {
  console.error(e?.stack ?? String(e))
  process.exitCode = 1
})
