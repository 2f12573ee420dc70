// rtnl.neigh against the kernel, each test in its own throw-away namespace, read back
// through the library and compared with `ip -json neigh`.
import t from 'tap'
import { freshNetNs } from '../helpers/ns.js'
import { NetlinkError, ValidationError } from '../../src/errors.js'
import type { Neigh } from '../../src/rtnl/neigh/api.js'

/** What ip -json prints of an entry, in the library's terms. */
function fromIp(e: any, names: Map<string, number>) {
  return {
    address: e.dst as string, index: names.get(e.dev)!, lladdr: e.lladdr as string | undefined,
    state: (e.state?.[0] ?? 'NONE').toLowerCase(), router: 'router' in e,
  }
}
function mine(n: Neigh) {
  return { address: n.address!, index: n.index, lladdr: n.lladdr, state: n.state, router: n.flags.includes('router') }
}
const byAddr = (a: { address: string }, b: { address: string }) => a.address.localeCompare(b.address)
/** The kernel adds NOARP entries of its own for multicast groups (IGMP/MLD reports) as links come up: left out. */
const unicast = (n: { address?: string }) => !/^(22[4-9]|23\d)\.|^ff/.test(n.address ?? '')
const addrs = (ns: Neigh[]) => ns.filter(unicast).map(n => n.address)

t.test('add, list, get, replace and del, as ip neigh shows them', async t => {
  const ns = freshNetNs(t)
  const { rtnl } = ns
  await rtnl.link.add({ name: 'br0', kind: 'bridge', up: true })
  await rtnl.link.add({ name: 'br1', kind: 'bridge', up: true })
  const names = new Map<string, number>()
  for await (const l of rtnl.link.list()) names.set(l.name, l.index)

  await rtnl.neigh.add({ link: 'br0', address: '10.0.0.2', lladdr: '02:00:00:00:00:02' })
  await rtnl.neigh.add({ link: 'br0', address: 'fd00::2', lladdr: '02:00:00:00:00:03', state: 'stale', router: true })
  await rtnl.neigh.add({ link: names.get('br1')!, address: '10.1.0.2', lladdr: '02:00:00:00:01:02', state: 'noarp' })
  await rtnl.neigh.add({ link: 'br0', address: '10.0.0.9', proxy: true })

  const listed = (await rtnl.neigh.list().toArray()).filter(unicast).map(mine).sort(byAddr)
  // ip leaves NOARP entries out unless asked for every state.
  const oracle = (await ns.ip('neigh', 'show', 'nud', 'all')).map((e: any) => fromIp(e, names)).filter(unicast).sort(byAddr)
  t.same(listed, oracle, 'list == ip -json neigh show nud all')
  t.same(listed.map(n => `${n.address} ${n.state}`), ['10.0.0.2 permanent', '10.1.0.2 noarp', 'fd00::2 stale'])

  t.same(addrs(await rtnl.neigh.list({ link: 'br1' }).toArray()), ['10.1.0.2'], 'by link (kernel filter)')
  t.same(addrs(await rtnl.neigh.list({ family: 6 }).toArray()), ['fd00::2'], 'by family')
  const proxies = await rtnl.neigh.list({ proxy: true }).toArray()
  t.same(proxies.map(n => [n.address, n.flags]), [['10.0.0.9', ['proxy']]], 'proxy entries')
  t.same((await ns.ip('neigh', 'show', 'proxy')).map((e: any) => e.dst), ['10.0.0.9'], 'ip agrees')

  const got = await rtnl.neigh.get({ link: 'br0', address: 'fd00::2' })
  t.same(mine(got), listed.find(n => n.address === 'fd00::2'), 'get == the listed entry')
  await t.rejects(rtnl.neigh.get({ link: 'br0', address: '10.0.0.77' }), { name: 'NetlinkError', code: 'ENOENT' }, 'get of none: ENOENT')

  await t.rejects(rtnl.neigh.add({ link: 'br0', address: '10.0.0.2', lladdr: '02:00:00:00:00:09' }), { code: 'EEXIST' }, 'add of an existing one: EEXIST')
  await rtnl.neigh.replace({ link: 'br0', address: '10.0.0.2', lladdr: '02:00:00:00:00:09', state: 'reachable' })
  const after = (await ns.ip('neigh', 'show', '10.0.0.2', 'dev', 'br0'))[0]
  t.same([after.lladdr, after.state], ['02:00:00:00:00:09', ['REACHABLE']], 'replace changed lladdr and state')

  await rtnl.neigh.del({ link: 'br0', address: '10.0.0.2' })
  await rtnl.neigh.del(got)
  await rtnl.neigh.del(proxies[0]!)
  t.same((await ns.ip('neigh', 'show', 'dev', 'br0', 'nud', 'all')).filter((e: any) => unicast({ address: e.dst })), [], 'deleted: by options and as listed')
  t.same((await ns.ip('neigh', 'show', 'proxy')), [], 'the proxy entry too')
  await t.rejects(rtnl.neigh.del({ link: 'br0', address: '10.0.0.2' }), { code: 'ENOENT' })
})

t.test('master: entries on the ports of a bridge', async t => {
  const ns = freshNetNs(t)
  const { rtnl } = ns
  await rtnl.link.add({ name: 'br0', kind: 'bridge', up: true })
  await rtnl.link.add({ name: 'va', kind: 'veth', peer: { name: 'vb' } })
  await rtnl.link.set('va', { master: 'br0', up: true })
  await rtnl.neigh.add({ link: 'va', address: '10.0.0.5', lladdr: '02:00:00:00:00:05' })
  await rtnl.neigh.add({ link: 'vb', address: '10.0.0.6', lladdr: '02:00:00:00:00:06' })
  t.same(addrs(await rtnl.neigh.list({ master: 'br0', family: 4 }).toArray()), ['10.0.0.5'])
  t.same((await ns.ip('-4', 'neigh', 'show', 'master', 'br0')).map((e: any) => e.dst).filter((a: string) => unicast({ address: a })), ['10.0.0.5'], 'ip agrees')
})

t.test('bad input: typed errors before anything is sent', async t => {
  const ns = freshNetNs(t)
  const { rtnl } = ns
  await rtnl.link.add({ name: 'br0', kind: 'bridge' })
  const sent = () => rtnl.sock.stats.requests
  const before = sent()
  for (const [opts, field] of [
    [{ link: 'br0', address: '10.0.0.2/24', lladdr: '02:00:00:00:00:02' }, 'address'],
    [{ link: 'br0', address: '10.0.0.300', lladdr: '02:00:00:00:00:02' }, 'address'],
    [{ link: 'br0', address: '10.0.0.2', lladdr: '02:00:00:00:00:zz' }, 'lladdr'],
    [{ link: 'br0', address: '10.0.0.2', lladdr: '02:00:00:00:00:02', state: 'gone' }, 'state'],
    [{ link: 'br0', address: '10.0.0.2', lladdr: '02:00:00:00:00:02', router: true }, 'router'],
    [{ link: 'br0', address: '10.0.0.2' }, 'lladdr'],
    [{ link: 'br0', address: '10.0.0.2', lladdr: '02:00:00:00:00:02', ladder: 1 }, 'ladder'],
    [{ address: '10.0.0.2', lladdr: '02:00:00:00:00:02' }, 'link'],
    [{ link: 'x'.repeat(128), address: '10.0.0.2', lladdr: '02:00:00:00:00:02' }, 'link'],
  ] as const) {
    const err = await rtnl.neigh.add(opts as never).catch(e => e)
    t.ok(err instanceof ValidationError, `${JSON.stringify(opts)}: ValidationError`)
    t.equal(err.field, field)
  }
  t.equal(sent(), before, 'nothing sent')
  await t.rejects(rtnl.neigh.add({ link: 'nosuch', address: '10.0.0.2', lladdr: '02:00:00:00:00:02' }), NetlinkError, 'unknown link: the lookup fails')
  t.throws(() => rtnl.neigh.list({ link: 'br0', what: 1 } as never), ValidationError)
  t.same(await ns.ip('neigh', 'show'), [], 'nothing was added')
})

t.test('monitor: neighbour events, filtered by family', async t => {
  const ns = freshNetNs(t)
  const { rtnl } = ns
  await rtnl.link.add({ name: 'br0', kind: 'bridge', up: true })
  const all = rtnl.monitor({ objects: ['neigh'] })
  const v6 = rtnl.monitor({ objects: ['neigh'], family: 6 })
  t.teardown(() => { all.close(); v6.close() })
  await rtnl.neigh.add({ link: 'br0', address: '10.0.0.2', lladdr: '02:00:00:00:00:02' })
  await rtnl.neigh.add({ link: 'br0', address: 'fd00::2', lladdr: '02:00:00:00:00:03' })
  await rtnl.neigh.del({ link: 'br0', address: '10.0.0.2' })
  const got: string[] = []
  for await (const e of all) {
    if (e.type !== 'neigh' || !unicast(e.neigh)) continue
    got.push(`${e.action} ${e.neigh.address} ${e.neigh.lladdr ?? '-'} ${e.neigh.state}`)
    if (e.action === 'del' || got.length > 10) break
  }
  // A deleted entry is first reported changed (no lladdr, state failed), then deleted.
  t.same(got, ['new 10.0.0.2 02:00:00:00:00:02 permanent', 'new fd00::2 02:00:00:00:00:03 permanent', 'new 10.0.0.2 - failed', 'del 10.0.0.2 - failed'])
  const v6got: string[] = []
  for await (const e of v6) {
    if (e.type === 'neigh') v6got.push(`${e.neigh.family} ${e.neigh.address}`)
    if (e.type === 'neigh' && e.neigh.address === 'fd00::2') break
  }
  t.ok(v6got.every(s => s.startsWith('inet6 ')), `family 6: only IPv6 entries (${v6got.join(', ')})`)
  t.ok(v6.stats.ignored >= 1, 'the IPv4 ones were left out')
})

t.test('flush: learned states by default, as ip neigh flush; others when asked', async t => {
  const ns = freshNetNs(t)
  const { rtnl } = ns
  await rtnl.link.add({ name: 'br0', kind: 'bridge', up: true })
  await rtnl.link.add({ name: 'br1', kind: 'bridge', up: true })
  await rtnl.neigh.add({ link: 'br0', address: '10.0.0.2', lladdr: '02:00:00:00:00:02' })                    // permanent
  await rtnl.neigh.add({ link: 'br0', address: '10.0.0.3', lladdr: '02:00:00:00:00:03', state: 'stale' })
  await rtnl.neigh.add({ link: 'br0', address: 'fd00::3', lladdr: '02:00:00:00:00:04', state: 'reachable' })
  await rtnl.neigh.add({ link: 'br1', address: '10.1.0.3', lladdr: '02:00:00:00:01:03', state: 'stale' })
  const left = async (link: string) => addrs(await rtnl.neigh.list({ link }).toArray()).sort()
  t.equal(await rtnl.neigh.flush('br0', { family: 6 }), 1, 'family 6: one')
  t.same(await left('br0'), ['10.0.0.2', '10.0.0.3'])
  t.equal(await rtnl.neigh.flush('br0'), 1, 'the stale one; the permanent one stays')
  t.same(await left('br0'), ['10.0.0.2'])
  t.same(await left('br1'), ['10.1.0.3'], 'another link untouched')
  t.equal(await rtnl.neigh.flush('br0', { states: ['permanent'] }), 1)
  t.same(await left('br0'), [])
  await t.rejects(rtnl.neigh.flush('br0', { states: ['gone'] as never }), ValidationError)
})
