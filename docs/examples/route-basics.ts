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

for await (const r of rtnl.route.list({ table: 'all', family: 4 }))
  console.log(r.table, r.type, r.dst, r.gateway ?? r.multipath?.map(n => n.gateway).join('+') ?? '-', r.priority ?? '')
console.log(await rtnl.route.get({ dst: '10.9.1.1' }))
await rtnl.route.del({ dst: '10.9.0.0/16' })
