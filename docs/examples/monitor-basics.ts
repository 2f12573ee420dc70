// docs/monitor.md, runnable: npx tsx docs/examples/monitor-basics.ts (root). Uses a throw-away namespace.
import { NetNs } from '../../src/index.js'

using ns = NetNs.unshare()
await using rtnl = ns.open()

// Watch first, then change: every change made after monitor() returns is seen.
using mon = rtnl.monitor({ objects: ['link', 'addr'] })
await rtnl.link.add({ name: 'br0', kind: 'bridge', up: true })
await rtnl.addr.add({ link: 'br0', address: '10.0.0.1/24' })
await rtnl.link.del('br0')

for await (const ev of mon) {
  if (ev.type === 'link') console.log('link', ev.action, ev.link.name, ev.link.up ? 'up' : 'down')
  else if (ev.type === 'addr') console.log('addr', ev.action, ev.addr.cidr)
  else if (ev.type === 'overrun') console.log('notifications were lost: list again')
  if (ev.type === 'link' && ev.action === 'del') break   // break closes the monitor
}
