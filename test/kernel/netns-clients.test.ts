// NetNs with the rtnetlink client: sockets made inside namespaces (openNetlinkFd /
// socketInNetns underneath open({ netns })). Kept apart from netns.test.ts, which
// needs nothing but the NetNs module.
import t from 'tap'
import { NetNs } from '../../src/netns/netns.js'
import { getLinkRequest } from '../../src/rtnl/link/resolve.js'
import { run, threadNs, uniqueName } from '../helpers/netns-fixture.js'

t.test('a client in a namespace made by ip netns add', async t => {
  const nm = uniqueName(t)
  await run('ip', ['netns', 'add', nm])
  using ns = await NetNs.open(nm)
  const home = threadNs()
  using rtnl = ns.open()
  t.equal(threadNs(), home, 'opening left the thread home')
  const [idx] = await rtnl.sock.request(getLinkRequest('lo'), { ack: false, decode: m => m.buf.readInt32LE(m.off + 4) })
  t.equal(idx, 1, 'lo is index 1 there')
})

t.test('concurrent clients in different namespaces stay isolated', async t => {
  const spaces = Array.from({ length: 8 }, () => NetNs.unshare())
  t.teardown(() => { for (const s of spaces) s.close() })
  const clients = spaces.map(s => s.open())
  t.teardown(() => { for (const c of clients) c.close() })
  await Promise.all(clients.map((c, i) => Promise.all(Array.from({ length: 20 }, (_, j) => c.link.add({ name: `n${i}x${j}`, kind: 'ifb' })))))
  const seen = await Promise.all(clients.map(async c => {
    const names: string[] = []
    for await (const l of c.link.list({ kind: 'ifb' })) names.push(l.name)
    return names
  }))
  seen.forEach((names, i) => t.same(names.sort(), Array.from({ length: 20 }, (_, j) => `n${i}x${j}`).sort(), `namespace ${i} holds only its own links`))
  // The same through one client's pool: rtnl.in(ns)
  const hub = clients[0]!
  const counts = await Promise.all(spaces.map(async s => { let n = 0; for await (const _ of hub.in(s).link.list({ kind: 'ifb' })) n++; return n }))
  t.same(counts, spaces.map(() => 20))
})
