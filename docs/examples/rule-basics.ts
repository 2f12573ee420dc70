// docs/rule.md, runnable: npx tsx docs/examples/rule-basics.ts (root). Uses a throw-away namespace.
import { NetNs } from '../../src/index.js'

using ns = NetNs.unshare()
await using rtnl = ns.open()
await rtnl.link.add({ name: 'br0', kind: 'bridge', up: true })

// Source-based routing: traffic from 10.1.0.0/16 or marked 0x10 uses table 100.
await rtnl.rule.add({ src: '10.1.0.0/16', table: 100, priority: 1000 })
await rtnl.rule.add({ fwmark: 0x10, fwmask: 0xff, table: 100, priority: 1001 })
await rtnl.rule.add({ family: 6, dst: 'fd00:dead::/32', action: 'prohibit', priority: 1002 })

for await (const r of rtnl.rule.list())
  if (r.family === 'inet' || r.family === 'inet6')
    console.log(r.family, r.priority, r.src ?? 'all', r.action === 'table' ? `lookup ${r.table}` : r.action)

await rtnl.rule.del({ priority: 1001 })
