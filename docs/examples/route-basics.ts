// docs/route.md, runnable: npx tsx docs/examples/route-basics.ts (root). Uses a throw-away namespace.
import { NetNs } from '../../src/index.js'

using ns = NetNs.unshare()
await using rtnl = ns.open()
await rtnl.link.add({ name: 'eth0', kind: 'veth', peer: { name: 'eth1' } })
await rtnl.link.set('eth1', { up: true })
await rtnl.link.set('eth0', { up: true })
await rtnl.addr.add({ link: 'eth0', address: '10.0.0.1/24' })

await rtnl.route.add({ dst: 'default', gateway: '10.0.0.254' })
await rtnl.route.add({ dst: '10.9.0.0/16', gateway: '10.0.0.2', metric: 10, metrics: { mtu: 1400 } })
await rtnl.route.add({ dst: '10.10.0.0/16', multipath: [{ gateway: '10.0.0.2', weight: 2 }, { gateway: '10.0.0.3' }] })
await rtnl.route.add({ dst: '192.0.2.0/24', type: 'blackhole', table: 1000 })
// Lightweight tunnel encapsulations: SRv6 (segments in visiting order), tunnel metadata
await rtnl.addr.add({ link: 'eth0', address: '2001:db8::1/64', flags: ['nodad'] })
await rtnl.route.add({ dst: '10.20.0.0/16', dev: 'eth0', encap: { type: 'seg6', mode: 'encap', segments: ['2001:db8::2', '2001:db8::3'] } })
await rtnl.route.add({ dst: '10.21.0.0/16', dev: 'eth0', encap: { type: 'ip', id: 42, dst: '10.0.0.7', ttl: 64 } })

for await (const r of rtnl.route.list({ table: 'all', family: 4 }))
  console.log(r.table, r.type, r.dst, r.gateway ?? r.multipath?.map(n => n.gateway).join('+') ?? '-', r.priority ?? '')
console.log(await rtnl.route.get({ dst: '10.9.1.1' }))
console.log((await rtnl.route.get({ dst: '10.20.1.1' })).encap) // { type: 'seg6', mode: 'encap', segments: [...] }
await rtnl.route.del({ dst: '10.9.0.0/16' })
