// npm `netlink` contender of the rtnetlink benchmarks (W1 and W3 only).
//
//   ip netns exec NS node bench/peers/netlink_bench.mjs '{"w":"W1","phase":"getlink","inst":{...},"warm":{...}}'
//
// The package opens its socket in the namespace the process runs in, so the harness
// starts this under `ip netns exec` in the timed namespace. The warm-up runs there too:
// W1 the same requests; W3 add a warm set of routes in 10.250.0.0/16, deleted again
// before the timed part; W3 dump a link dump only (a second full route dump would
// distort the peak RSS). Prints one JSON line: seconds, count, maxrss_kib.
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { median } from '../lib/report.mjs'

const require = createRequire(import.meta.url)
const { createRtNetlink, FlagsNew } = require('netlink')

/** @param {string} base @param {number} i */
function ipBytes(base, i) {
  const p = base.split('.').map(Number)
  const v = (((p[0] << 24) | (p[1] << 16) | (p[2] << 8) | p[3]) >>> 0) + i
  return Buffer.from([(v >>> 24) & 255, (v >>> 16) & 255, (v >>> 8) & 255, v & 255])
}

const ROUTE = /** @type {const} */ ({ family: 2, dstLen: 32, table: 254, protocol: 'BOOT', scope: 'UNIVERSE', type: 'BLACKHOLE' })

/** Peak RSS (KiB) of this process's own memory map: VmHWM. (getrusage's maxRSS also counts the pre-exec image of whoever forked us.) */
function peakRssKiB() {
  try {
    const m = /^VmHWM:\s*(\d+)/m.exec(readFileSync('/proc/self/status', 'utf8'))
    if (m) return Number(m[1])
  } catch { /* not Linux procfs */ }
  return process.resourceUsage().maxRSS
}

async function main() {
  const spec = JSON.parse(process.argv[2])
  const { w, phase, inst, warm } = spec
  const sock = createRtNetlink()
  const n = inst.n
  let count = 0
  let t0 = 0n
  let t1 = 0n
  /** @type {number[]} */ const runs = []
  if (w === 'W1' && phase === 'getlink') {
    const passes = spec.warmPasses ?? 1 // the harness's rule (bench/lib/workloads.mjs warmPasses())
    for (let i = 0; i < passes * (warm?.n ?? 0); i++) await sock.getLink({ index: inst.index })
    t0 = process.hrtime.bigint()
    for (let i = 0; i < n; i++) await sock.getLink({ index: inst.index })
    t1 = process.hrtime.bigint()
  } else if (w === 'W3' && phase === 'add') {
    const flags = FlagsNew.CREATE | FlagsNew.EXCL
    const wn = Math.min(warm?.n ?? 0, 65000)
    for (let i = 0; i < wn; i++) await sock.newRoute({ ...ROUTE, dstLen: inst.plen }, { dst: ipBytes('10.250.0.0', i) }, { flags })
    for (let i = 0; i < wn; i++) await sock.delRoute({ ...ROUTE, dstLen: inst.plen }, { dst: ipBytes('10.250.0.0', i) })
    t0 = process.hrtime.bigint()
    for (let i = 0; i < n; i++) await sock.newRoute({ ...ROUTE, dstLen: inst.plen }, { dst: ipBytes(inst.base, i) }, { flags })
    t1 = process.hrtime.bigint()
  } else if (w === 'W3' && phase === 'dump') {
    await sock.getLinks()
    // Timed `dumps` times in a row; their median is reported.
    for (let k = 0; k < Math.max(1, spec.dumps ?? 1); k++) {
      count = 0
      t0 = process.hrtime.bigint()
      const routes = await sock.getRoutes({ family: 2 })
      for (const r of routes) if (r) count++
      t1 = process.hrtime.bigint()
      runs.push(Number(t1 - t0) / 1e9)
    }
  } else {
    throw new Error(`netlink_bench: unsupported phase ${w}/${phase}`)
  }
  const seconds = runs.length > 1 ? median(runs) : Number(t1 - t0) / 1e9
  console.log(JSON.stringify({ seconds, count, maxrss_kib: peakRssKiB(), first: runs.length > 1 ? runs[0] : undefined, runs: runs.length > 1 ? runs : undefined }))
}

main().then(() => process.exit(0), e => {
  console.error(e?.stack ?? String(e))
  process.exit(1)
})
