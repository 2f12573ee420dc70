// rtnl.nexthop against the kernel in a throw-away namespace, compared with `ip -json nexthop show`;
// routes using a nexthop object through route.add({ nhid }).
import t from 'tap'
import { freshNetNs } from '../helpers/ns.js'
import type { NexthopEntry } from '../../src/rtnl/nexthop/api.js'

function fromIp(e: any, idx: Map<string, number>): Record<string, unknown> {
  const o: Record<string, unknown> = { id: e.id }
  if (e.gateway !== undefined) o.gateway = e.gateway
  if (e.dev !== undefined) o.oif = idx.get(e.dev)
  if ('blackhole' in e) o.blackhole = true
  if ('fdb' in e) o.fdb = true
  if (e.group !== undefined) {
    o.group = e.group.map((g: any) => ({ id: g.id, weight: g.weight ?? 1 }))
    o.groupType = e.type ?? 'mpath'
  }
  if (e.resilient_args !== undefined) o.resilient = { buckets: e.resilient_args.buckets, idleTimer: e.resilient_args.idle_timer, unbalancedTimer: e.resilient_args.unbalanced_timer }
  if (e.scope !== undefined) o.scope = e.scope
  if (e.protocol !== undefined) o.protocol = e.protocol
  o.flags = e.flags
  return o
}
function mine(n: NexthopEntry): Record<string, unknown> {
  const o: Record<string, unknown> = { id: n.id }
  for (const k of ['gateway', 'oif', 'blackhole', 'fdb', 'group', 'groupType'] as const) if (n[k] !== undefined) o[k] = n[k]
  if (n.resilient) o.resilient = { buckets: n.resilient.buckets, idleTimer: n.resilient.idleTimer, unbalancedTimer: n.resilient.unbalancedTimer }
  // ip prints the scope of single nexthops (not of groups, nor global) and a protocol other than unspec.
  if (n.group === undefined && n.scope !== 'universe') o.scope = n.scope
  if (n.protocol !== 'unspec') o.protocol = n.protocol
  o.flags = n.flags
  return o
}

t.test('single nexthops, groups, resilient groups and fdb nexthops, as ip nexthop shows them; routes on them', async t => {
  const ns = freshNetNs(t)
  const { rtnl } = ns
  await rtnl.link.set('lo', { up: true }) // a blackhole nexthop uses the loopback device, which must be up
  await rtnl.link.add({ name: 'va', kind: 'veth', peer: { name: 'vb' }, up: true })
  await rtnl.link.set('vb', { up: true })
  await rtnl.addr.add({ link: 'va', address: '10.0.0.1/24' })
  await rtnl.addr.add({ link: 'va', address: 'fd00::1/64', flags: ['nodad'] })
  // A nexthop needs its device up with a carrier: the veth's comes a moment after both ends are up.
  for (let i = 0; i < 100 && !(await rtnl.link.get('va')).lowerUp; i++) await new Promise(r => setTimeout(r, 10))
  const idx = new Map<string, number>()
  for await (const l of rtnl.link.list()) idx.set(l.name, l.index)

  await rtnl.nexthop.add({ id: 1, gateway: '10.0.0.2', dev: 'va' })
  await rtnl.nexthop.add({ id: 2, blackhole: true })
  await rtnl.nexthop.add({ id: 3, gateway: '10.0.0.3', dev: 'va', onlink: true, protocol: 'static' })
  await rtnl.nexthop.add({ id: 4, gateway: 'fd00::2', dev: 'va' })
  await rtnl.nexthop.add({ id: 5, dev: 'va' })
  await rtnl.nexthop.add({ id: 10, group: [1, { id: 3, weight: 4 }] })
  await rtnl.nexthop.add({ id: 11, group: [1, 3], groupType: 'resilient', resilient: { buckets: 8, idleTimer: 60, unbalancedTimer: 30 } })
  await rtnl.nexthop.add({ id: 20, gateway: '10.0.0.9', fdb: true })
  await rtnl.nexthop.add({ id: 21, group: [20], fdb: true })
  await t.rejects(rtnl.nexthop.add({ id: 1, gateway: '10.0.0.5', dev: 'va' }), { code: 'EEXIST' })

  const listed = (await rtnl.nexthop.list().toArray()).map(mine)
  const oracle = (await ns.ip('nexthop', 'show')).map((e: any) => fromIp(e, idx))
  t.same(listed, oracle, 'list == ip -json nexthop show')
  t.same((await rtnl.nexthop.list({ groups: true }).toArray()).map(n => n.id), [10, 11, 21], 'groups only')
  t.same((await rtnl.nexthop.list({ family: 6 }).toArray()).map(n => n.id), [4], 'IPv6 only')
  t.same((await rtnl.nexthop.list({ dev: 'va' }).toArray()).map(n => n.id), [1, 3, 4, 5], 'on va')
  // The kernel ignores NHA_FDB in a dump request (ip nexthop show fdb lists all 9): filtered here.
  t.same((await rtnl.nexthop.list({ fdb: true }).toArray()).map(n => n.id), [20, 21], 'fdb nexthops only')
  t.same(mine(await rtnl.nexthop.get(10)), listed.find(n => n.id === 10), 'get == listed')
  await t.rejects(rtnl.nexthop.get(99), { code: 'ENOENT' })

  await rtnl.route.add({ dst: '10.9.0.0/16', nhid: 10 })
  t.equal((await ns.ip('route', 'show', '10.9.0.0/16'))[0]?.nhid, 10, 'a route on group 10')
  await rtnl.nexthop.replace({ id: 1, gateway: '10.0.0.4', dev: 'va' })
  t.equal((await ns.ip('nexthop', 'show', 'id', '1'))[0]?.gateway, '10.0.0.4', 'replaced in place')

  await rtnl.nexthop.del(3)
  t.same((await rtnl.nexthop.get(10)).group, [{ id: 1, weight: 1 }], 'a deleted member leaves its groups')
  const one = await rtnl.nexthop.get(10)
  await rtnl.nexthop.del(one)
  t.same(await ns.ip('route', 'show', '10.9.0.0/16'), [], 'deleting a nexthop removes the routes on it')
  await t.rejects(rtnl.nexthop.del(10), { code: 'ENOENT' })
})

t.test('monitor: nexthop events', async t => {
  const ns = freshNetNs(t)
  const { rtnl } = ns
  await rtnl.link.set('lo', { up: true })
  const m = rtnl.monitor({ objects: ['nexthop'] })
  t.teardown(() => m.close())
  await rtnl.nexthop.add({ id: 7, blackhole: true })
  await rtnl.nexthop.del(7)
  const got: string[] = []
  for await (const e of m) {
    if (e.type === 'nexthop') got.push(`${e.action} ${e.nexthop.id} ${e.nexthop.blackhole}`)
    if (got.length === 2) break
  }
  t.same(got, ['new 7 true', 'del 7 true'])
})
