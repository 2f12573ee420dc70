// docs/nexthop.md, runnable: npx tsx docs/examples/nexthop-basics.ts (root). Uses a throw-away namespace.
import { NetNs } from '../../src/index.js'

using ns = NetNs.unshare()
await using rtnl = ns.open()
await rtnl.link.set('lo', { up: true })                       // blackhole nexthops use lo
await rtnl.link.add({ name: 'veth0', kind: 'veth', peer: { name: 'veth1' }, up: true })
await rtnl.link.set('veth1', { up: true })
await rtnl.addr.add({ link: 'veth0', address: '10.0.0.1/24' })
// A nexthop's device must be up with a carrier; a veth's comes a moment after both ends are up.
for (let i = 0; i < 100 && !(await rtnl.link.get('veth0')).lowerUp; i++) await new Promise(r => setTimeout(r, 10))

await rtnl.nexthop.add({ id: 1, gateway: '10.0.0.2', dev: 'veth0' })
await rtnl.nexthop.add({ id: 2, gateway: '10.0.0.3', dev: 'veth0' })
await rtnl.nexthop.add({ id: 3, blackhole: true })
await rtnl.nexthop.add({ id: 10, group: [1, { id: 2, weight: 3 }] })   // ECMP, 1:3
await rtnl.route.add({ dst: '192.168.0.0/16', nhid: 10 })

for await (const nh of rtnl.nexthop.list())
  console.log(nh.id, nh.group ? `group ${nh.group.map(m => `${m.id}x${m.weight}`).join(',')}` : nh.blackhole ? 'blackhole' : `via ${nh.gateway}`)
console.log('192.168.1.1 via', (await rtnl.route.get({ dst: '192.168.1.1' })).gateway)
await rtnl.nexthop.replace({ id: 10, group: [1] })                      // every route on 10 moves at once
console.log('192.168.1.1 via', (await rtnl.route.get({ dst: '192.168.1.1' })).gateway)
