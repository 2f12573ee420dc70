// docs/neigh.md (forwarding database), runnable: npx tsx docs/examples/fdb-basics.ts (root). Uses a throw-away namespace.
import { NetNs } from '../../src/index.js'

using ns = NetNs.unshare()
await using rtnl = ns.open()
await rtnl.link.add({ name: 'br0', kind: 'bridge' })
await rtnl.link.add({ name: 'veth0', kind: 'veth', peer: { name: 'veth1' }, master: 'br0' })
await rtnl.link.add({ name: 'vx0', kind: 'vxlan', vxlan: { id: 42, port: 4789, local: '10.0.0.1' } })

await rtnl.fdb.add({ link: 'veth0', mac: '02:00:00:00:00:01', master: true, state: 'static' })  // in br0's table
await rtnl.fdb.append({ link: 'vx0', mac: '00:00:00:00:00:00', dst: '10.0.0.2' })              // flood to two VTEPs
await rtnl.fdb.append({ link: 'vx0', mac: '00:00:00:00:00:00', dst: '10.0.0.3' })

for await (const e of rtnl.fdb.list())
  if (!e.mac.startsWith('33:33')) console.log(e.mac, 'dev', e.index, e.state, e.flags.join(','), e.dst ?? '')
await rtnl.fdb.del({ link: 'veth0', mac: '02:00:00:00:00:01', master: true })
