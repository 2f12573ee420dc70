// Routes against the real kernel, cross-checked with `ip -json route`.
import t from 'tap'
import { NetlinkError, ValidationError } from '../../src/errors.js'
import { freshNetNs, ipIn, type FreshNs } from '../helpers/ns.js'
import { routeOptions } from '../../src/rtnl/route/api.js'
import type { Route } from '../../src/rtnl/route/codec.js'

async function all<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = []
  for await (const x of it) out.push(x)
  return out
}

/** A namespace with veth r0 (up, 10.0.0.1/24, 2001:db8::1/64) whose peer r1 is up too. */
async function wired(t: Parameters<typeof freshNetNs>[0]): Promise<FreshNs> {
  const ns = freshNetNs(t)
  const { rtnl } = ns
  await rtnl.link.add({ name: 'r0', kind: 'veth', peer: { name: 'r1' } })
  await rtnl.link.set('r1', { up: true })
  await rtnl.link.set('r0', { up: true })
  await rtnl.addr.add({ link: 'r0', address: '10.0.0.1/24' })
  await rtnl.addr.add({ link: 'r0', address: '2001:db8::1/64', flags: ['nodad'] })
  await rtnl.addr.add({ link: 'r1', address: '10.0.1.1/24' })
  return ns
}

t.test('IPv4 routes: gateway, dev, metric, protocol, table > 255, special types', async t => {
  const ns = await wired(t)
  const { rtnl } = ns
  const r0 = await rtnl.link.index('r0')
  await rtnl.route.add({ dst: '10.2.0.0/16', gateway: '10.0.0.254', metric: 20, protocol: 'static' })
  await rtnl.route.add({ dst: '10.3.0.0/16', dev: 'r0', prefsrc: '10.0.0.1' })
  await rtnl.route.add({ dst: '10.4.0.0/16', gateway: '10.0.0.253', table: 1000 })
  await rtnl.route.add({ dst: '10.5.0.0/16', type: 'blackhole' })
  await rtnl.route.add({ dst: '10.6.0.0/16', type: 'unreachable' })
  await rtnl.route.add({ dst: '10.7.0.0/16', type: 'prohibit' })
  await rtnl.route.add({ dst: 'default', gateway: '10.0.0.254' })
  await rtnl.route.add({ dst: '10.8.0.0/16', gateway: '10.0.0.250', metrics: { mtu: 1400, advmss: 1360, hoplimit: 9 } })
  await rtnl.route.add({ dst: '10.9.0.0/16', gateway: '10.77.0.1', dev: 'r0', onlink: true })
  await rtnl.route.add({ dst: '10.10.0.0/16', dev: r0, metric: 7, scope: 'host' })
  await rtnl.route.add({ dst: '10.11.0.0/16', dev: r0, gateway: '10.0.0.252' })
  const main = await all(rtnl.route.list({ family: 'inet' }))
  const by = (dst: string) => main.find(r => r.dst === dst)!
  t.match(by('10.2.0.0/16'), { gateway: '10.0.0.254', priority: 20, protocol: 'static', oif: r0, table: 254, type: 'unicast', scope: 'universe' })
  t.match(by('10.3.0.0/16'), { oif: r0, scope: 'link', prefsrc: '10.0.0.1', protocol: 'boot' })
  t.match(by('10.5.0.0/16'), { type: 'blackhole' })
  t.match(by('10.6.0.0/16'), { type: 'unreachable' })
  t.match(by('10.7.0.0/16'), { type: 'prohibit' })
  t.match(by('default'), { gateway: '10.0.0.254', dstLength: 0 })
  t.match(by('10.8.0.0/16'), { metrics: { mtu: 1400, advmss: 1360, hoplimit: 9 } })
  t.match(by('10.9.0.0/16'), { gateway: '10.77.0.1', flags: ['onlink'] })
  t.match(by('10.10.0.0/16'), { oif: r0, priority: 7, scope: 'host', protocol: 'boot', type: 'unicast' }, 'dev by index')
  t.match(by('10.11.0.0/16'), { oif: r0, gateway: '10.0.0.252', scope: 'universe' })
  t.notOk(by('10.4.0.0/16'), 'table 1000 is not in main')
  const t1000 = await all(rtnl.route.list({ table: 1000 }))
  t.match(t1000, [{ dst: '10.4.0.0/16', table: 1000, gateway: '10.0.0.253' }])
  const ipMain = await ns.ip('-4', 'route', 'show', 'table', 'main')
  t.same(ipMain.map((r: any) => r.dst).sort(), main.map(r => r.dst).sort(), 'same destinations as ip')
  t.match(ipMain.find((r: any) => r.dst === '10.8.0.0/16').metrics, [{ mtu: 1400, advmss: 1360, hoplimit: 9 }])
  t.match(ipMain.find((r: any) => r.dst === '10.10.0.0/16'), { dev: 'r0', metric: 7, scope: 'host' }, 'ip agrees')
  const statics = await all(rtnl.route.list({ protocol: 'static' }))
  t.same(statics.map(r => r.dst), ['10.2.0.0/16'], 'protocol filter')
  const viaDev = await all(rtnl.route.list({ dev: 'r1', family: 4 }))
  t.same(viaDev.map(r => r.dst), ['10.0.1.0/24'], 'dev filter')
  const allTables = await all(rtnl.route.list({ table: 'all', family: 4 }))
  t.ok(allTables.some(r => r.table === 255 && r.type === 'local'), 'local table included with all')
  t.ok(allTables.some(r => r.table === 1000))
})

t.test('replace, append, del', async t => {
  const ns = await wired(t)
  const { rtnl } = ns
  await rtnl.route.add({ dst: '10.20.0.0/16', gateway: '10.0.0.2' })
  await t.rejects(rtnl.route.add({ dst: '10.20.0.0/16', gateway: '10.0.0.3' }), { code: 'EEXIST' })
  await rtnl.route.replace({ dst: '10.20.0.0/16', gateway: '10.0.0.3' })
  t.match((await all(rtnl.route.list())).find(r => r.dst === '10.20.0.0/16'), { gateway: '10.0.0.3' })
  await rtnl.route.append({ dst: '10.20.0.0/16', gateway: '10.0.0.4', metric: 5 })
  t.equal((await all(rtnl.route.list())).filter(r => r.dst === '10.20.0.0/16').length, 2)
  await rtnl.route.del({ dst: '10.20.0.0/16', metric: 5 })
  await rtnl.route.del({ dst: '10.20.0.0/16' })
  t.notOk((await all(rtnl.route.list())).some(r => r.dst === '10.20.0.0/16'))
  await t.rejects(rtnl.route.del({ dst: '10.20.0.0/16' }), { code: 'ESRCH' })
})

t.test('multipath with weights', async t => {
  const ns = await wired(t)
  const { rtnl } = ns
  await rtnl.route.add({ dst: '10.30.0.0/16', multipath: [{ gateway: '10.0.0.2', dev: 'r0', weight: 3 }, { gateway: '10.0.1.2', dev: 'r1', weight: 1 }] })
  const r = (await all(rtnl.route.list())).find(x => x.dst === '10.30.0.0/16')!
  t.match(r.multipath, [{ gateway: '10.0.0.2', weight: 3, oif: await rtnl.link.index('r0') }, { gateway: '10.0.1.2', weight: 1, oif: await rtnl.link.index('r1') }])
  const [ipR] = await ns.ip('route', 'show', '10.30.0.0/16')
  t.match(ipR.nexthops, [{ gateway: '10.0.0.2', dev: 'r0', weight: 3 }, { gateway: '10.0.1.2', dev: 'r1', weight: 1 }])
})

t.test('IPv6 routes, expires, pref; IPv4 via an IPv6 next hop', async t => {
  const ns = await wired(t)
  const { rtnl } = ns
  await rtnl.route.add({ dst: '2001:db8:1::/48', gateway: '2001:db8::2', metric: 100 })
  await rtnl.route.add({ dst: '2001:db8:2::/48', dev: 'r0', expires: 600, pref: 'high' })
  const v6 = await all(rtnl.route.list({ family: 'inet6' }))
  t.match(v6.find(r => r.dst === '2001:db8:1::/48'), { family: 'inet6', gateway: '2001:db8::2', priority: 100 })
  const e = v6.find(r => r.dst === '2001:db8:2::/48')!
  t.ok(e.expires! > 500 && e.expires! <= 600, `expires ${e.expires}`)
  t.equal(e.pref, 'high')
  const [ipE] = await ns.ip('-6', 'route', 'show', '2001:db8:2::/48')
  t.equal(ipE.pref, 'high')
  const viaErr = await rtnl.route.add({ dst: '10.40.0.0/16', via: '2001:db8::2', dev: 'r0' }).then(() => undefined, e => e)
  if (viaErr) {
    t.pass('IPv4 via IPv6', { skip: `kernel refused: ${viaErr.message}` })
  } else {
    const r = (await all(rtnl.route.list())).find(x => x.dst === '10.40.0.0/16')!
    t.same(r.via, { family: 'inet6', address: '2001:db8::2' })
    const [ipV] = await ns.ip('route', 'show', '10.40.0.0/16')
    t.match(ipV.via, { family: 'inet6', host: '2001:db8::2' })
  }
})

t.test('route get matches ip route get', async t => {
  const ns = await wired(t)
  const { rtnl } = ns
  await rtnl.route.add({ dst: '10.50.0.0/16', gateway: '10.0.0.9' })
  const r = await rtnl.route.get({ dst: '10.50.1.2' })
  t.match(r, { dst: '10.50.1.2/32', gateway: '10.0.0.9', oif: await rtnl.link.index('r0'), prefsrc: '10.0.0.1', table: 254 })
  const [ipR] = await ns.ip('route', 'get', '10.50.1.2')
  t.match(ipR, { dst: '10.50.1.2', gateway: '10.0.0.9', dev: 'r0', prefsrc: '10.0.0.1' })
  const fib = await rtnl.route.get({ dst: '10.50.1.2', fibMatch: true })
  t.equal(fib.dst, '10.50.0.0/16', 'fibmatch returns the FIB entry')
  await t.rejects(rtnl.route.get({ dst: '192.0.2.1' }), { code: 'ENETUNREACH' })
})

t.test('IPv6 route get matches ip -6 route get (the kernel refuses IPv4\'s RTM_F_LOOKUP_TABLE there)', async t => {
  const ns = await wired(t)
  const { rtnl } = ns
  await rtnl.route.add({ dst: '2001:db8:50::/48', gateway: '2001:db8::9' })
  const r0 = await rtnl.link.index('r0')
  const r = await rtnl.route.get({ dst: '2001:db8:50::7' })
  t.match(r, { family: 'inet6', dst: '2001:db8:50::7/128', gateway: '2001:db8::9', oif: r0, prefsrc: '2001:db8::1', table: 254 })
  const [ipR] = await ns.ip('-6', 'route', 'get', '2001:db8:50::7')
  t.match(ipR, { dst: '2001:db8:50::7', gateway: '2001:db8::9', dev: 'r0', prefsrc: '2001:db8::1' })
  t.equal((await rtnl.route.get({ dst: '2001:db8:50::7', fibMatch: true })).dst, '2001:db8:50::/48', 'fibmatch returns the FIB entry')
  const flow = await rtnl.route.get({ dst: '2001:db8::5', oif: 'r0', ipProto: 'tcp', dport: 443, uid: 3 })
  t.match(flow, { dst: '2001:db8::5/128', oif: r0 })
  const [ipFlow] = await ns.ip('-6', 'route', 'get', '2001:db8::5', 'oif', 'r0', 'ipproto', 'tcp', 'dport', '443', 'uid', '3')
  t.equal(flow.uid, ipFlow.uid, `the uid echoed back as ip shows it (IPv6: ${ipFlow.uid ?? 'not'})`)
  t.match(await rtnl.route.get({ dst: '2001:db8::1' }), { type: 'local' })
  t.match(await rtnl.route.get({ dst: '2001:db8::5', src: '2001:db8::1' }), { dst: '2001:db8::5/128', oif: r0 })
  // No route: the kernel answers with the unreachable entry rather than an error for IPv6.
  const none = await rtnl.route.get({ dst: '2001:db9::1' }).then(x => x.type, e => e.code)
  const [ipNone] = await ns.exec('ip', ['-6', '-j', 'route', 'get', '2001:db9::1']).then(o => JSON.parse(o.stdout), () => [{ type: 'ENETUNREACH' }])
  t.equal(none, ipNone.type ?? 'ENETUNREACH', `no route: ${none}, as ip says`)
})

t.test('route get with the flow a rule can match: tos, ipProto, sport, dport, uid', async t => {
  const ns = await wired(t)
  const { rtnl } = ns
  // Policy rules (made by ip, as test setup) send these flows to tables of their own.
  await rtnl.route.add({ dst: '10.60.0.0/16', gateway: '10.0.0.2' })
  for (const [table, gw] of [[101, '10.0.0.11'], [102, '10.0.0.12'], [103, '10.0.0.13']] as const)
    await rtnl.route.add({ dst: '10.60.0.0/16', gateway: gw, table })
  await ipIn(ns, 'rule', 'add', 'uidrange', '1234-1234', 'table', '101')
  await ipIn(ns, 'rule', 'add', 'ipproto', 'tcp', 'dport', '443', 'table', '102')
  await ipIn(ns, 'rule', 'add', 'tos', '0x10', 'table', '103')
  const via = async (o: Record<string, unknown>) => (await rtnl.route.get({ dst: '10.60.1.1', ...o })).gateway
  t.equal(await via({}), '10.0.0.2', 'no flow: main')
  t.equal(await via({ uid: 1234 }), '10.0.0.11', 'uid')
  t.equal(await via({ ipProto: 'tcp', dport: 443 }), '10.0.0.12', 'ipproto tcp dport 443')
  t.equal(await via({ ipProto: 'tcp', dport: 80 }), '10.0.0.2', 'another port: main')
  t.equal(await via({ ipProto: 6, sport: 1000, dport: 443 }), '10.0.0.12', 'ipproto as a number, with sport')
  t.equal(await via({ tos: 0x10 }), '10.0.0.13', 'tos')
  t.match(await rtnl.route.get({ dst: '10.60.1.1', ipProto: 'udp', sport: 53, dport: 5353, uid: 7 }), { uid: 7 }, 'the uid echoed back')
  const [ip] = await ns.ip('route', 'get', '10.60.1.1', 'ipproto', 'tcp', 'dport', '443')
  t.equal(ip.gateway, '10.0.0.12', 'ip agrees')
  await t.rejects(rtnl.route.get({ dst: '10.60.1.1', ipProto: 'gre' as never }), { name: 'ValidationError', field: 'ipProto' })
  await t.rejects(rtnl.route.get({ dst: '10.60.1.1', dport: 70000 }), { name: 'ValidationError', field: 'dport' })
  await t.rejects(rtnl.route.get({ dst: '10.60.1.1', tos: -1 }), { name: 'ValidationError', field: 'tos' })
  await t.rejects(rtnl.route.get({ dst: '10.60.1.1', ipProto: 47, dport: 1 }), { name: 'NetlinkError' }, 'a protocol the kernel does not take: its error')
})

t.test('10,000 routes dumped and matched one for one; 100,000 streamed', async t => {
  const ns = await wired(t)
  const { rtnl } = ns
  const want = Array.from({ length: 10_000 }, (_, i) => `172.${16 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}/32`)
  await Promise.all(want.map((dst, i) => rtnl.route.add({ dst, gateway: '10.0.0.2', metric: i % 7 })))
  const ours = (await all(rtnl.route.list({ table: 'all', family: 4 }))).filter(r => r.dst.startsWith('172.'))
  t.equal(ours.length, 10_000)
  const ip = (await ns.ip('-4', 'route', 'show', 'table', 'all')).filter((r: any) => r.dst?.startsWith('172.'))
  const key = (dst: string, gw: string | undefined, m: number | undefined) => `${dst.replace(/\/32$/, '')} ${gw} ${m ?? 0}`
  t.same(new Set(ours.map(r => key(r.dst, r.gateway, r.priority))), new Set(ip.map((r: any) => key(r.dst, r.gateway, r.metric))), 'dst, gateway and metric agree one for one')
  // 100,000 blackhole routes in table 2000, pipelined, then streamed back.
  const N = 100_000
  for (let i = 0; i < N; i += 10_000)
    await Promise.all(Array.from({ length: 10_000 }, (_, j) => rtnl.route.add({ dst: `${100 + ((i + j) >> 16)}.${((i + j) >> 8) & 255}.${(i + j) & 255}.0/24`, type: 'blackhole', table: 2000 })))
  let n = 0
  for await (const r of rtnl.route.list({ table: 2000 })) if (r.type === 'blackhole') n++
  t.equal(n, N, 'every route streamed')
  let batches = 0
  let m = 0
  for await (const b of rtnl.route.list({ table: 2000 }).batches()) {
    batches++
    for (const r of b) if (r.type === 'blackhole') m++
  }
  t.equal(m, N, 'batches(): the same routes')
  t.ok(batches > 1 && batches < N / 50, `streamed in ${batches} batches`)
  // The dev filter resolves the name first (deferred dump), then filters what the kernel cannot.
  const viaDev = await rtnl.route.list({ family: 4, table: 'all', dev: 'r0' }).toArray()
  t.ok(viaDev.length >= 10_000 && viaDev.every(r => r.oif === viaDev[0]!.oif), `toArray() with dev: ${viaDev.length} routes on r0`)
  let viaDevBatches = 0
  for await (const b of rtnl.route.list({ family: 4, table: 'all', dev: 'r0' }).batches()) viaDevBatches += b.length
  t.equal(viaDevBatches, viaDev.length, 'batches() with dev')
})

t.test('validation and kernel errors', async t => {
  const ns = await wired(t)
  const { rtnl } = ns
  for (const bad of [{ dst: '10.0.0.0/33' }, { dst: '10.0.0.1/24' }, { dst: 'nonsense' }, { dst: '10.0.0.0/8', gateway: 'fe80::1' },
    { dst: '10.0.0.0/8', table: -1 }, { dst: '10.0.0.0/8', protocol: 'nope' }, { dst: '10.0.0.0/8', type: 'weird' },
    { dst: '10.0.0.0/8', multipath: [] }, { dst: '10.0.0.0/8', multipath: [{ gateway: '10.0.0.2', weight: 0 }] }, { dst: '10.0.0.0/8', expires: 5 }] as any[])
    await t.rejects(rtnl.route.add(bad), ValidationError, JSON.stringify(bad))
  // Misspelt keys of metrics and of a multipath entry: named, with the nearest known key.
  await t.rejects(rtnl.route.add({ dst: '10.62.0.0/16', dev: 'r0', metrics: { mut: 1400 } as any }), { name: 'ValidationError', field: 'metrics.mut', message: /did you mean mtu\?/ })
  await t.rejects(rtnl.route.add({ dst: '10.63.0.0/16', multipath: [{ gateway: '10.0.0.2', dev: 'r0' }, { gatway: '10.0.1.2', dev: 'r1' }] as any }),
    { name: 'ValidationError', field: 'multipath[1].gatway', message: /did you mean gateway\?/ })
  await t.rejects(rtnl.route.add({ dst: '10.60.0.0/16', dev: 'nodev0' }), { code: 'ENODEV' })
  const err = await rtnl.route.add({ dst: '10.61.0.0/16', gateway: '192.0.2.1' }).catch(e => e)
  t.type(err, NetlinkError)
  t.equal(err.code, 'ENETUNREACH')
  t.match(err.extack?.message ?? '', /gateway|nexthop/i, 'the kernel says why')
  const routes: Route[] = await all(rtnl.route.list())
  t.notOk(routes.some(r => r.dst.startsWith('10.6')), 'nothing half-applied')
})

t.test('route.flush: deletes what its filter lists, by each route\'s own key; wants a filter', async t => {
  const ns = freshNetNs(t)
  const { rtnl } = ns
  await rtnl.link.add({ name: 'br0', kind: 'bridge', up: true })
  await rtnl.link.add({ name: 'br1', kind: 'bridge', up: true })
  await rtnl.addr.add({ link: 'br0', address: '10.0.0.1/24' })
  await rtnl.addr.add({ link: 'br1', address: '10.1.0.1/24' })
  await rtnl.addr.add({ link: 'br0', address: 'fd00::1/64', flags: ['nodad'] })
  await Promise.all(Array.from({ length: 300 }, (_, i) => rtnl.route.add({ dst: `10.${100 + (i >> 8)}.${i & 255}.0/24`, dev: 'br0', table: 1000 })))
  await rtnl.route.add({ dst: '10.50.0.0/16', gateway: '10.0.0.9', protocol: 'static' })
  await rtnl.route.add({ dst: '10.50.0.0/16', gateway: '10.0.0.8', protocol: 'static', metric: 10 })
  await rtnl.route.add({ dst: '10.51.0.0/16', dev: 'br1' })
  await rtnl.route.add({ dst: 'fd01::/64', gateway: 'fd00::9', protocol: 'static' })
  await rtnl.route.add({ dst: '10.52.0.0/16', type: 'blackhole' })
  await t.rejects(rtnl.route.flush({}), { name: 'ValidationError', field: 'filter' }, 'no filter: nothing flushed')
  t.equal(await rtnl.route.flush({ table: 1000 }), 300, 'a whole table, more than one batch of requests')
  t.same(await rtnl.route.list({ table: 1000 }).toArray(), [])
  t.equal(await rtnl.route.flush({ protocol: 'static', family: 4 }), 2, 'both static IPv4 routes to 10.50/16, told apart by metric')
  const main = async () => (await rtnl.route.list({ table: 'main', family: 4 }).toArray()).map(r => r.dst).sort()
  t.same(await main(), ['10.0.0.0/24', '10.1.0.0/24', '10.51.0.0/16', '10.52.0.0/16'])
  t.match(await rtnl.route.list({ family: 6, protocol: 'static' }).toArray(), [{ dst: 'fd01::/64' }], 'the IPv6 static route stays')
  t.equal(await rtnl.route.flush({ dev: 'br1', family: 4 }), 2, 'by device: its connected route too, as ip does')
  t.same(await main(), ['10.0.0.0/24', '10.52.0.0/16'])
  t.equal(await rtnl.route.flush({ type: 'blackhole' }), 1)
  const ip = await ns.ip('route', 'show', 'table', 'all')
  t.notOk(ip.some((r: { dst: string }) => /^10\.(5[0-2]|1\d\d)\./.test(r.dst)), 'ip agrees: none of them left')
})

t.test('route.del(listed route): deletes exactly that route, by its own key', async t => {
  const ns = await wired(t)
  const { rtnl } = ns
  await rtnl.link.set('r1', { up: true })
  await rtnl.addr.add({ link: 'r1', address: '2001:db8:1::1/64', flags: ['nodad'] })
  // Two routes to one prefix, told apart by metric and device; and one in another table.
  await rtnl.route.add({ dst: '2001:db8:9::/64', dev: 'r0', metric: 100 })
  await rtnl.route.add({ dst: '2001:db8:9::/64', dev: 'r1', metric: 200 })
  await rtnl.route.add({ dst: '10.9.0.0/16', gateway: '10.0.0.2', table: 1000 })
  await rtnl.route.add({ dst: '10.9.0.0/16', gateway: '10.0.0.3' })
  const v6 = (await rtnl.route.list({ family: 6 }).toArray()).filter(r => r.dst === '2001:db8:9::/64')
  t.equal(v6.length, 2)
  await rtnl.route.del(v6.find(r => r.priority === 200)!)
  const left = (await rtnl.route.list({ family: 6 }).toArray()).filter(r => r.dst === '2001:db8:9::/64')
  t.match(left, [{ priority: 100, oif: await rtnl.link.index('r0') }], 'the metric-100 route stays')
  const [inTable] = await rtnl.route.list({ table: 1000 }).toArray()
  await rtnl.route.del(inTable!)
  t.same(await rtnl.route.list({ table: 1000 }).toArray(), [], 'table 1000 route gone')
  t.ok((await rtnl.route.list().toArray()).some(r => r.dst === '10.9.0.0/16'), 'the main table one stays')
  t.same((await ns.ip('-6', 'route', 'show', '2001:db8:9::/64')).map((r: { metric: number }) => r.metric), [100], 'ip agrees')
  await t.rejects(rtnl.route.del(left[0]!).then(() => rtnl.route.del(left[0]!)), { code: 'ESRCH' }, 'twice: ESRCH')
  const [main] = (await rtnl.route.list().toArray()).filter(r => r.dst === '10.9.0.0/16')
  await t.rejects(rtnl.route.del({ ...main!, dstLength: 33 }), { name: 'ValidationError', field: 'dstLength' })
  await t.rejects(rtnl.route.del({ ...main!, dst: '10.9.0.0/24' }), { name: 'ValidationError', field: 'dst' })
  t.ok((await rtnl.route.list().toArray()).some(r => r.dst === '10.9.0.0/16'), 'nothing sent for a bad one')
})

t.test('a listed route given to add/replace (routeOptions): copied to another table as it was', async t => {
  const ns = await wired(t)
  const { rtnl } = ns
  await ipIn(ns, 'nexthop', 'add', 'id', '5', 'via', '10.0.0.5', 'dev', 'r0')
  await rtnl.route.add({ dst: '10.2.0.0/16', gateway: '10.0.0.254', metric: 20, protocol: 'static', metrics: { mtu: 1400 } })
  await rtnl.route.add({ dst: '10.3.0.0/16', multipath: [{ gateway: '10.0.0.2', weight: 3, flow: 4 }, { gateway: '10.0.0.3', dev: 'r0' }] })
  await rtnl.route.add({ dst: '10.4.0.0/16', type: 'blackhole' })
  await rtnl.route.add({ dst: '10.5.0.0/16', dev: 'r0', encap: { type: 'seg6', mode: 'encap', segments: ['2001:db8::9'] }, flow: 7 })
  await rtnl.route.add({ dst: '10.6.0.0/16', nhid: 5 })
  await rtnl.route.add({ dst: '10.7.0.0/16', via: 'fe80::1', dev: 'r0' })
  await rtnl.route.add({ dst: '10.8.0.0/16', gateway: '10.9.9.9', dev: 'r0', onlink: true })
  await rtnl.route.add({ dst: '2001:db8:5::/64', gateway: '2001:db8::2', metric: 300, pref: 'high' })
  const pick = (r: Route) => { const { table: _t, cacheInfo: _c, expires: _e, ...rest } = r; return rest }
  const src = [...await rtnl.route.list({ family: 4 }).toArray(), ...await rtnl.route.list({ family: 6 }).toArray()]
    .filter(r => r.protocol !== 'kernel' && r.type !== 'local' && !r.dst.startsWith('fe80') && r.dst !== 'ff00::/8')
  t.equal(src.length, 8)
  for (const r of src) await rtnl.route.add({ ...r, table: 100 })
  const copies = [...await rtnl.route.list({ table: 100, family: 4 }).toArray(), ...await rtnl.route.list({ table: 100, family: 6 }).toArray()]
  t.same(copies.map(pick).sort((a, b) => a.dst.localeCompare(b.dst)), src.map(pick).sort((a, b) => a.dst.localeCompare(b.dst)), 'the copies are the routes, table aside')
  t.same((await ns.ip('route', 'show', 'table', '100')).length, 7, 'ip sees 7 IPv4 copies')
  // replace with a listed route whose metric changed: one route, the new metric
  const [r2] = copies.filter(r => r.dst === '10.5.0.0/16')
  await rtnl.route.replace({ ...r2!, encap: { type: 'seg6', mode: 'encap', segments: ['2001:db8::a'] } })
  t.match((await rtnl.route.list({ table: 100 }).toArray()).filter(r => r.dst === '10.5.0.0/16'), [{ encap: { segments: ['2001:db8::a'] }, flow: 7 }])
  t.throws(() => routeOptions({ ...r2!, type: 99 }), { name: 'ValidationError', field: 'type' })
  await t.rejects(rtnl.route.replace({ ...r2!, timeout: -1 }), { name: 'ValidationError' }, "the call's timeout is kept (and checked)")
})

t.test('routes on a nexthop object: deleted as listed, and flushed', async t => {
  const ns = await wired(t)
  const { rtnl } = ns
  await ipIn(ns, 'nexthop', 'add', 'id', '5', 'via', '10.0.0.5', 'dev', 'r0')
  await rtnl.route.add({ dst: '10.6.0.0/16', nhid: 5 })
  await rtnl.route.add({ dst: '10.7.0.0/16', nhid: 5, table: 100 })
  await rtnl.route.add({ dst: '10.8.0.0/16', gateway: '10.0.0.5', table: 100 })
  // The kernel reports the nexthop's gateway and device with the route; a delete naming them
  // matches nothing (ESRCH), and flush took that for "already gone".
  const [r] = (await rtnl.route.list().toArray()).filter(x => x.dst === '10.6.0.0/16')
  t.match(r, { nhid: 5, gateway: '10.0.0.5' })
  await rtnl.route.del(r!)
  t.notOk((await rtnl.route.list().toArray()).some(x => x.dst === '10.6.0.0/16'), 'deleted')
  t.equal(await rtnl.route.flush({ table: 100 }), 2, 'flush counts both')
  t.same(await rtnl.route.list({ table: 100 }).toArray(), [], 'table 100 empty')
  t.same(await ns.ip('route', 'show', 'table', '100'), [], 'ip agrees')
})

t.test('route.flush empties a table of every kind of route (encap, via, multipath, tos, realm, IPv6 from)', async t => {
  const ns = await wired(t)
  const { rtnl } = ns
  await rtnl.link.add({ name: 'br1', kind: 'bridge', up: true })
  await rtnl.addr.add({ link: 'br1', address: '2001:db9::1/64', flags: ['nodad'] })
  const T = 100
  await rtnl.route.add({ dst: '10.1.0.0/16', dev: 'r0', table: T, encap: { type: 'seg6', mode: 'encap', segments: ['2001:db8::5'] } })
  await rtnl.route.add({ dst: '10.2.0.0/16', via: 'fe80::1', dev: 'r0', table: T })
  await rtnl.route.add({ dst: '10.3.0.0/16', multipath: [{ gateway: '10.0.0.2' }, { gateway: '10.0.0.3' }], table: T })
  await rtnl.route.add({ dst: '10.4.0.0/16', gateway: '10.0.0.2', tos: 0x10, table: T })
  await rtnl.route.add({ dst: '10.5.0.0/16', dev: 'r0', table: T, flow: 3 })
  await rtnl.route.add({ dst: '2001:db8:5::/64', multipath: [{ gateway: '2001:db8::2', dev: 'r0' }, { gateway: '2001:db9::3', dev: 'br1' }], table: T })
  await rtnl.route.add({ dst: '2001:db8:6::/64', dev: 'r0', table: T, encap: { type: 'seg6local', action: 'End' } })
  await rtnl.route.add({ dst: '2001:db8:7::/64', src: '2001:db8::/64', dev: 'r0', table: T })
  const listed = async () => [...await rtnl.route.list({ table: T, family: 4 }).toArray(), ...await rtnl.route.list({ table: T, family: 6 }).toArray()]
  t.equal((await listed()).length, 8)
  t.equal(await rtnl.route.flush({ table: T, family: 4 }) + await rtnl.route.flush({ table: T, family: 6 }), 8, 'all counted')
  t.same((await listed()).map(r => r.dst), [], 'all gone (a source-specific IPv6 route was left before: its delete named no source)')
})

t.test('options the kernel ignores for a route of that family are refused, and nothing is sent', async t => {
  const ns = freshNetNs(t)
  const { rtnl } = ns
  await rtnl.link.add({ name: 'br0', kind: 'bridge', up: true })
  await rtnl.addr.add({ link: 'br0', address: '10.0.0.1/24' })
  await rtnl.addr.add({ link: 'br0', address: 'fd00::1/64', flags: ['nodad'] })
  // Before, each of these was sent, resolved, and the route was made without it.
  const cases: [Record<string, unknown>, string][] = [
    [{ dst: '10.1.0.0/16', dev: 'br0', mark: 5 }, 'mark'],
    [{ dst: 'fd01::/64', dev: 'br0', mark: 5 }, 'mark'],
    [{ dst: 'fd02::/64', dev: 'br0', flow: 7 }, 'flow'],
    [{ dst: 'fd03::/64', multipath: [{ gateway: 'fd00::2', flow: 7 }, { gateway: 'fd00::3' }] }, 'multipath[0].flow'],
    [{ dst: 'fd04::/64', dev: 'br0', scope: 'link' }, 'scope'],
    [{ dst: 'fd05::/64', dev: 'br0', scope: 'host' }, 'scope'],
    [{ dst: '10.2.0.0/16', dev: 'br0', pref: 'high' }, 'pref'],
  ]
  for (const [o, field] of cases) {
    for (const verb of ['add', 'replace', 'append', 'del'] as const) {
      const err = await rtnl.route[verb](o as never).catch(e => e)
      t.type(err, ValidationError, `${verb} ${JSON.stringify(o)}`)
      t.equal(err.field, field)
    }
  }
  const listed = [...await rtnl.route.list({ family: 'inet' }).toArray(), ...await rtnl.route.list({ family: 'inet6' }).toArray()]
  t.same(listed.map(r => r.dst).filter(d => /^(10\.[12]\.|fd0[1-5])/.test(d)), [], 'no such route was made')
  // What these families do take still works: realms on IPv4, pref and the universe scope on IPv6.
  await rtnl.route.add({ dst: '10.3.0.0/16', dev: 'br0', flow: 7 })
  await rtnl.route.add({ dst: 'fd06::/64', dev: 'br0', pref: 'high', scope: 'universe' })
  t.match(await rtnl.route.get({ dst: '10.3.0.1' }), { dst: '10.3.0.1/32', oif: (await rtnl.link.get('br0')).index })
  t.equal((await rtnl.route.list({ family: 'inet' }).toArray()).find(r => r.dst === '10.3.0.0/16')?.flow, 7)
  t.equal((await rtnl.route.list({ family: 'inet6' }).toArray()).find(r => r.dst === 'fd06::/64')?.pref, 'high')
  // A route.get result (its mark is the lookup's) given back makes the route without it.
  await rtnl.route.add({ dst: '10.4.0.0/16', dev: 'br0' })
  const got = await rtnl.route.get({ dst: '10.4.0.9', mark: 3 })
  t.equal(got.mark, 3, 'the kernel echoes the lookup mark')
  t.notOk('mark' in routeOptions(got), 'routeOptions leaves the mark out')
})

t.test('metrics are the kernel\'s values: rtt in 1/8 ms, rttvar in 1/4 ms, lock a mask of RTAX_* (as documented)', async t => {
  const ns = freshNetNs(t)
  const { rtnl } = ns
  await rtnl.link.add({ name: 'm0', kind: 'bridge', up: true })
  await rtnl.addr.add({ link: 'm0', address: '10.0.0.1/24' })
  await rtnl.route.add({ dst: '10.20.0.0/16', gateway: '10.0.0.2', metrics: { mtu: 1400, lock: 1 << 2, rtt: 240, rttvar: 40, features: 1 } })
  const text = (await ns.exec('ip', ['route', 'show', '10.20.0.0/16'])).stdout.trim()
  t.match(text, /mtu lock 1400/, text)
  t.match(text, /rtt 30ms/)
  t.match(text, /rttvar 10ms/)
  t.match(text, /features ecn/)
  // and ip's text comes back as the same numbers
  await ns.exec('ip', ['route', 'add', '10.21.0.0/16', 'via', '10.0.0.2', 'mtu', 'lock', '1400', 'rtt', '30ms', 'rttvar', '10ms', 'features', 'ecn'])
  const r = (await rtnl.route.list().toArray()).find(x => x.dst === '10.21.0.0/16')!
  t.match(r.metrics, { mtu: 1400, lock: 4, rtt: 240, rttvar: 40, features: 1 })
})

t.test('dumps nested in a dump\'s loop (for each route, list links) run, on one socket', async t => {
  const ns = freshNetNs(t)
  const { rtnl } = ns
  const adds: Promise<void>[] = []
  for (let j = 0; j < 5000; j++) adds.push(rtnl.route.add({ dst: `10.${(j >> 8) & 255}.${j & 255}.0/24`, type: 'blackhole' }))
  await Promise.all(adds)
  let n = 0
  let inner = 0
  // More routes than a dump holds back (2,048): the outer dump is mid-way when the inner ones start.
  for await (const r of rtnl.route.list({ timeout: 20000 })) {
    n++
    if (n % 1000 === 1) {
      inner += (await rtnl.link.list({ timeout: 10000 }).toArray()).length
      t.equal(r.type, 'blackhole')
    }
  }
  t.equal(n, 5000, 'the outer dump listed every route')
  t.equal(inner, 5, 'each inner dump ran (lo, five times)')
})
