// docs/addr.md, runnable: npx tsx docs/examples/addr-basics.ts (root). Uses a throw-away namespace.
import { NetNs } from '../../src/index.js'

using ns = NetNs.unshare()
await using rtnl = ns.open()
await rtnl.link.add({ name: 'br0', kind: 'bridge', up: true })

await rtnl.addr.add({ link: 'br0', address: '10.0.0.1/24', broadcast: '+', label: 'br0:lan' })
await rtnl.addr.add({ link: 'br0', address: '2001:db8::1/64', flags: ['nodad'], validLifetime: 3600, preferredLifetime: 1800 })
await rtnl.addr.replace({ link: 'br0', address: '10.0.0.1/24', broadcast: '+', metric: 100 })

for await (const a of rtnl.addr.list({ link: 'br0' }))
  console.log(a.family, a.cidr, a.scope, a.flags.join(','), a.broadcast ?? '', a.validLifetime)
await rtnl.addr.del({ link: 'br0', address: '10.0.0.1/24' })
console.log('removed', await rtnl.addr.flush('br0'), 'more')
