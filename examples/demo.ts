/**
 * The demo (`npm run demo`): builds the bridge recipe (example 2) with Topology, starts a
 * web server inside the web namespace (example 3), checks traffic both ways, prints the
 * topology it built as a table, the checks and how long each step took, then cleans up.
 * Everything lives in namespaces it creates; nothing touches the host's network.
 */
import { Topology, type Step } from '../src/index.js'
import { bridgeSpec } from './bridge.js'
import { httpGet, isMain, runTag, serveHttp, since } from './lib/util.js'

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map(r => r[i]!.length)))
  return rows.map((r, j) => {
    const line = r.map((c, i) => c.padEnd(widths[i]!)).join('  ')
    return j === 0 ? `${line}\n${widths.map(w => '-'.repeat(w)).join('  ')}` : line
  }).join('\n')
}

export async function main(log: (line: string) => void = console.log): Promise<{ checks: number }> {
  const tag = runTag('demo')
  const t0 = performance.now()
  const topo = new Topology(bridgeSpec(tag))
  const timings: [string, string][] = []
  try {
    log('== plan')
    const tPlan = performance.now()
    log(String(await topo.plan()))
    timings.push(['plan', since(tPlan)])
    const tApply = performance.now()
    const slow: [Step, number][] = []
    const steps = await topo.apply({ onStep: (s, ms) => slow.push([s, ms]) })
    timings.push([`apply (${steps.length} steps)`, since(tApply)])
    for (const [s, ms] of slow.sort((a, b) => b[1] - a[1]).slice(0, 5))
      timings.push([`  ${s.action} ${s.target} in ${s.netns.slice(tag.length + 1)}`, `${ms.toFixed(1)} ms`])

    log('\n== topology')
    const rows = [['namespace', 'link', 'kind', 'state', 'master', 'addresses']]
    for (const ns of Object.keys(topo.spec.namespaces)) {
      const rtnl = topo.client(ns)
      const names = new Map<number, string>()
      const links = []
      for await (const l of rtnl.link.list()) { names.set(l.index, l.name); links.push(l) }
      const addrs = new Map<number, string[]>()
      for await (const a of rtnl.addr.list({ family: 4 })) addrs.set(a.index, [...(addrs.get(a.index) ?? []), a.cidr])
      for (const l of links) rows.push([ns.slice(tag.length + 1), l.name, l.kind ?? l.linkType, String(l.operState ?? ''), l.master ? names.get(l.master) ?? '' : '', (addrs.get(l.index) ?? []).join(' ')])
      for await (const r of rtnl.route.list({ family: 4 })) if (r.gateway) rows.push([ns.slice(tag.length + 1), '', 'route', '', '', `${r.dst} via ${r.gateway}`])
    }
    log(table(rows))

    log('\n== checks')
    const tChecks = performance.now()
    const web = topo.netns(`${tag}-web`)
    const db = topo.netns(`${tag}-db`)
    const router = topo.netns(`${tag}-router`)
    const servers = [await serveHttp(web, '10.250.0.10', 80, 'web'), await serveHttp(db, '10.250.0.20', 80, 'db')]
    let checks = 0
    try {
      for (const [from, fromName, url] of [[db, 'db', 'http://10.250.0.10/'], [web, 'web', 'http://10.250.0.20/'], [router, 'router', 'http://10.250.0.10/']] as const) {
        const t = performance.now()
        const body = (await httpGet(from, url)).trim()
        log(`ok  ${fromName.padEnd(6)} -> ${url.padEnd(22)} ${body}  (${since(t)})`)
        checks++
      }
    } finally {
      for (const s of servers) await s.terminate()
    }
    timings.push([`checks (${checks})`, since(tChecks)])
    log('\n== timings')
    log(table([['step', 'time'], ...timings]))
    return { checks }
  } finally {
    const tDestroy = performance.now()
    await topo.destroy()
    log(`\ncleaned up in ${since(tDestroy)}; total ${since(t0)}`)
  }
}

if (isMain(import.meta.url)) await main()
