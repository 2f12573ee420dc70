/**
 * Example 4: inspecting a process's network namespace (read-only): open
 * /proc/PID/ns/net and list its links, addresses and routes — like
 * `nsenter -t PID -n ip addr; ip route`. Defaults to this process.
 *
 * Run: npx tsx examples/inspect.ts [PID]
 */
import { NetNs } from '../src/index.js'
import { isMain } from './lib/util.js'

export async function main(pid = process.pid, log: (line: string) => void = console.log): Promise<{ links: number; addrs: number; routes: number }> {
  using ns = NetNs.fromPid(pid)
  using rtnl = ns.open()
  const names = new Map<number, string>()
  log(`namespace of pid ${pid} (${(await NetNs.identify(ns)).join(', ') || 'unnamed'})`)
  for await (const l of rtnl.link.list()) {
    names.set(l.index, l.name)
    log(`  link ${l.index}: ${l.name} ${l.kind ?? l.linkType} ${l.operState ?? ''} mtu ${l.mtu}`)
  }
  let addrs = 0
  for await (const a of rtnl.addr.list()) {
    addrs++
    log(`  addr ${a.cidr} dev ${names.get(a.index)} scope ${a.scope}`)
  }
  let routes = 0
  for await (const r of rtnl.route.list({ table: 'all' })) {
    routes++
    log(`  route ${r.dst}${r.gateway ? ` via ${r.gateway}` : ''}${r.oif ? ` dev ${names.get(r.oif)}` : ''} table ${r.table} ${r.type}`)
  }
  return { links: names.size, addrs, routes }
}

if (isMain(import.meta.url)) await main(process.argv[2] ? Number(process.argv[2]) : process.pid)
