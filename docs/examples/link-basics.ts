// docs/link.md, runnable: npx tsx docs/examples/link-basics.ts (root). Uses a throw-away namespace.
import { linkOptions, NetNs } from '../../src/index.js'

using ns = NetNs.unshare()          // anonymous: gone when closed
await using rtnl = ns.open()

await rtnl.link.add({ name: 'br0', kind: 'bridge', bridge: { stpState: 0 }, up: true })
await rtnl.link.add({ name: 'veth0', kind: 'veth', peer: { name: 'veth1' }, mtu: 9000 })
await rtnl.link.set('veth0', { master: 'br0', up: true, alias: 'uplink' })
await rtnl.link.set('veth0', { bridgePort: { cost: 10, learning: false } })
await rtnl.link.addAltName('veth0', 'uplink-to-the-bridge')

for await (const l of rtnl.link.list({ master: 'br0' })) console.log(l.name, l.kind, l.mtu, l.bridgePort?.['cost'])
const v = await rtnl.link.get('veth0')
console.log(v.index, v.flags, v.alias, v.altNames, v.operState)
await rtnl.link.set('veth0', { master: null, name: 'uplink0' })
await rtnl.link.del('uplink0')

// A port with its settings in one call; a link made like a listed one (another VNI: two vxlans may not share one).
await rtnl.link.add({ name: 'veth2', kind: 'veth', peer: { name: 'veth3' }, master: 'br0', bridgePort: { cost: 20 } })
await rtnl.link.add({ name: 'vx0', kind: 'vxlan', vxlan: { id: 42, port: 4789, ttl: 8, learning: false } })
const vx = await rtnl.link.get('vx0')
await rtnl.link.add({ ...vx, name: 'vx1', vxlan: { ...vx.vxlan, id: 43 } })
const copy = await rtnl.link.get('vx1')
console.log(copy.vxlan?.id, copy.vxlan?.ttl, copy.vxlan?.learning, (await rtnl.link.get('veth2')).bridgePort?.cost)
console.log(linkOptions(vx))
