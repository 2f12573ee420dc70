// docs/neigh.md, runnable: npx tsx docs/examples/neigh-basics.ts (root). Uses a throw-away namespace.
import { NetNs } from '../../src/index.js'

using ns = NetNs.unshare()
await using rtnl = ns.open()
await rtnl.link.add({ name: 'br0', kind: 'bridge', up: true })

await rtnl.neigh.add({ link: 'br0', address: '10.0.0.2', lladdr: '02:00:00:00:00:02' })   // nud permanent
await rtnl.neigh.add({ link: 'br0', address: 'fd00::1', lladdr: '02:00:00:00:00:01', state: 'stale', router: true })
await rtnl.neigh.replace({ link: 'br0', address: '10.0.0.2', lladdr: '02:00:00:00:00:22', state: 'reachable' })
await rtnl.neigh.add({ link: 'br0', address: '10.0.0.9', proxy: true })

for await (const n of rtnl.neigh.list({ link: 'br0' }))
  if (n.state !== 'noarp') console.log(n.family, n.address, n.lladdr ?? '-', n.state, n.flags.join(','))
for await (const p of rtnl.neigh.list({ proxy: true })) console.log('proxy', p.address)

const n = await rtnl.neigh.get({ link: 'br0', address: '10.0.0.2' })
console.log('get', n.address, n.lladdr, n.state)
await rtnl.neigh.del(n)
