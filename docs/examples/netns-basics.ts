// docs/netns.md, runnable: npx tsx docs/examples/netns-basics.ts (root).
import { NetNs } from '../../src/index.js'

const name = `docs-${process.pid}`
await using blue = await NetNs.create(name)      // like `ip netns add`; deleted at the end of scope
console.log(await NetNs.list())                   // includes it, as `ip netns list` does
await using rtnl = blue.open()                    // a socket living in blue
await rtnl.link.set('lo', { up: true })

const inside = blue.runSync(() => 'this ran with the thread switched into blue, and back')
console.log(inside, NetNs.switched)               // false again
const { stdout } = await blue.exec('cat', ['/proc/net/dev'])
console.log(stdout.split('\n').filter(l => l.includes(':')).map(l => l.split(':')[0]!.trim()))
console.log(await blue.pids(), await NetNs.identify(process.pid))
