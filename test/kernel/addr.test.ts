// Addresses against the real kernel, cross-checked with `ip -json address`.
import t from 'tap'
import { NetlinkError, ValidationError } from '../../src/errors.js'
import { freshNetNs } from '../helpers/ns.js'
import { addrOptions, ipv6Scope, type Addr } from '../../src/rtnl/addr/api.js'
import { SCOPES } from '../../src/rtnl/addr/schema.js'
import { parseCidr, parseIp } from '../../src/util/ip.js'

async function all<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = []
  for await (const x of it) out.push(x)
  return out
}

t.test('IPv4: add with broadcast +, label, peer; list; replace; del', async t => {
  const ns = freshNetNs(t)
  const { rtnl } = ns
  await rtnl.link.add({ name: 'br0', kind: 'bridge', up: true })
  await rtnl.addr.add({ link: 'br0', address: '10.1.2.3/24', broadcast: '+', label: 'br0:web' })
  await rtnl.addr.add({ link: 'br0', address: '10.1.2.4/24' })
  await rtnl.addr.add({ link: 'br0', address: '192.168.50.1/32', peer: '192.168.50.2' })
  const addrs = await all(rtnl.addr.list({ link: 'br0', family: 'inet' }))
  t.same(await rtnl.addr.list({ link: 'br0', family: 'inet' }).toArray(), addrs, 'toArray() with a link by name')
  const by = (a: string) => addrs.find(x => x.address === a)!
  t.match(by('10.1.2.3'), { family: 'inet', prefixLength: 24, broadcast: '10.1.2.255', label: 'br0:web', scope: 'universe', cidr: '10.1.2.3/24' })
  t.ok(by('10.1.2.3').flags.includes('permanent'))
  t.ok(by('10.1.2.4').flags.includes('secondary'), 'second address in the subnet is secondary')
  t.match(by('192.168.50.1'), { peer: '192.168.50.2', prefixLength: 32 })
  const [ipBr] = await ns.ip('address', 'show', 'dev', 'br0')
  const ipInet = ipBr.addr_info.filter((a: any) => a.family === 'inet')
  t.same(ipInet.map((a: any) => `${a.local}/${a.prefixlen}`).sort(), addrs.map(a => a.cidr).sort(), 'ip agrees')
  t.match(ipInet.find((a: any) => a.local === '10.1.2.3'), { broadcast: '10.1.2.255', label: 'br0:web' })
  t.match(ipInet.find((a: any) => a.local === '192.168.50.1'), { address: '192.168.50.2' })
  await t.rejects(rtnl.addr.add({ link: 'br0', address: '10.1.2.3/24' }), { code: 'EEXIST' })
  await rtnl.addr.replace({ link: 'br0', address: '10.1.2.3/24', broadcast: '+', metric: 50 })
  t.match((await all(rtnl.addr.list({ link: 'br0' }))).find(a => a.address === '10.1.2.3'), { metric: 50 })
  await rtnl.addr.del({ link: 'br0', address: '10.1.2.4/24' })
  await rtnl.addr.del({ link: 'br0', address: '192.168.50.1' })
  t.same((await all(rtnl.addr.list({ link: 'br0', family: 4 }))).map(a => a.cidr), ['10.1.2.3/24'])
  await t.rejects(rtnl.addr.del({ link: 'br0', address: '10.9.9.9/24' }), { code: 'EADDRNOTAVAIL' })
})

t.test("broadcast '+' and '-' compute what ip's brd + and brd - do, from the peer when given", async t => {
  const ns = freshNetNs(t)
  const { rtnl } = ns
  await rtnl.link.add({ name: 'ours', kind: 'bridge' })
  await rtnl.link.add({ name: 'ips', kind: 'bridge' })
  const cases: { address: string; peer?: string; broadcast: '+' | '-' }[] = []
  let n = 0
  for (const broadcast of ['+', '-'] as const) {
    for (const len of [8, 17, 24, 30, 31, 32]) {
      n++
      cases.push({ address: `10.${n}.130.77/${len}`, broadcast })
      // ip takes the prefix from the peer: `ADDR peer PEER/LEN`; here it is written on the address.
      cases.push({ address: `10.${n + 100}.130.77/${len}`, peer: `10.${n + 200}.129.9`, broadcast })
    }
  }
  for (const c of cases) {
    await rtnl.addr.add({ link: 'ours', ...c })
    const [local, len] = c.address.split('/')
    const args = c.peer ? [local!, 'peer', `${c.peer}/${len}`] : [c.address]
    await ns.exec('ip', ['address', 'add', ...args, 'brd', c.broadcast, 'dev', 'ips'])
  }
  const ipInfo = (await ns.ip('-4', 'address', 'show', 'dev', 'ips'))[0].addr_info as any[]
  const ours = await rtnl.addr.list({ link: 'ours', family: 4 }).toArray()
  t.equal(ours.length, cases.length)
  for (const c of cases) {
    const local = c.address.split('/')[0]!
    const a = ours.find(x => x.address === local)!
    const i = ipInfo.find(x => x.local === local)
    t.equal(a.broadcast, i.broadcast, `${c.address}${c.peer ? ' peer ' + c.peer : ''} brd ${c.broadcast}: ${i.broadcast ?? 'none'}`)
  }
  t.ok(ours.some(a => a.broadcast === '10.9.130.0') && ours.some(a => a.broadcast === '10.202.255.255'), "'-', and '+' from the peer, met")
  await t.rejects(rtnl.addr.add({ link: 'ours', address: '10.99.0.1/24', broadcast: '*' }), ValidationError)
})

t.test('IPv6 with lifetimes, nodad, noprefixroute', async t => {
  const ns = freshNetNs(t)
  const { rtnl } = ns
  await rtnl.link.add({ name: 'v6a', kind: 'veth', peer: { name: 'v6b' } })
  await rtnl.link.set('v6a', { up: true })
  await rtnl.addr.add({ link: 'v6a', address: '2001:db8::1/64', flags: ['nodad'], validLifetime: 3600, preferredLifetime: 1800 })
  await rtnl.addr.add({ link: 'v6a', address: '2001:db8:1::1/64', flags: ['nodad', 'noprefixroute'] })
  const v6 = await all(rtnl.addr.list({ link: 'v6a', family: 'inet6' }))
  const a = v6.find(x => x.address === '2001:db8::1')!
  t.match(a, { family: 'inet6', prefixLength: 64, scope: 'universe' })
  t.ok(a.flags.includes('nodad'))
  t.ok(a.validLifetime! <= 3600 && a.validLifetime! > 3500, `valid lifetime ${a.validLifetime}`)
  t.ok(a.preferredLifetime! <= 1800 && a.preferredLifetime! > 1700)
  const b = v6.find(x => x.address === '2001:db8:1::1')!
  t.ok(b.flags.includes('noprefixroute'))
  t.equal(b.validLifetime, Infinity, 'forever')
  const [ipA] = await ns.ip('-6', 'address', 'show', 'dev', 'v6a')
  const ipa = ipA.addr_info.find((x: any) => x.local === '2001:db8::1')
  t.ok(Math.abs(ipa.valid_life_time - a.validLifetime!) <= 2, 'ip agrees on the lifetime')
  t.ok(ipA.addr_info.find((x: any) => x.local === '2001:db8:1::1').noprefixroute)
  const routes = await ns.ip('-6', 'route', 'show', 'dev', 'v6a')
  t.ok(routes.some((r: any) => r.dst === '2001:db8::/64'), 'prefix route for the first')
  t.notOk(routes.some((r: any) => r.dst === '2001:db8:1::/64'), 'none with noprefixroute')
  const n = await rtnl.addr.flush('v6a', { family: 'inet6' })
  t.ok(n >= 2)
  t.equal((await all(rtnl.addr.list({ link: 'v6a', family: 6 }))).filter(x => x.scope === 'universe').length, 0)
})

t.test('10,000 addresses added pipelined to a port-less bridge, listed and matched', async t => {
  const ns = freshNetNs(t)
  const { rtnl } = ns
  await rtnl.link.add({ name: 'bulk0', kind: 'bridge' })
  const want = Array.from({ length: 10_000 }, (_, i) => `10.${100 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}/32`)
  const before = rtnl.sock.pendingCount
  await Promise.all(want.map(address => rtnl.addr.add({ link: 'bulk0', address })))
  t.equal(rtnl.sock.pendingCount, before)
  const got = (await all(rtnl.addr.list({ link: 'bulk0', family: 'inet' }))).map(a => a.cidr)
  t.equal(got.length, 10_000)
  t.same(new Set(got), new Set(want))
  const [ipBulk] = await ns.ip('-4', 'address', 'show', 'dev', 'bulk0')
  t.equal(ipBulk.addr_info.length, 10_000, 'ip counts the same')
})

t.test('adds by link index (the written-straight message) land as ip sees them', async t => {
  const ns = freshNetNs(t)
  const { rtnl } = ns
  await rtnl.link.add({ name: 'ix0', kind: 'bridge' })
  const ix = await rtnl.link.index('ix0')
  await rtnl.addr.add({ link: ix, address: '10.7.0.1/24' })
  await rtnl.addr.add({ link: ix, address: '10.7.1.1' })
  await rtnl.addr.add({ link: 1, address: '127.0.0.2/8' })
  await t.rejects(rtnl.addr.add({ link: ix, address: '10.7.0.1/24' }), { code: 'EEXIST' }, 'EXCL by default')
  await rtnl.addr.add({ link: ix, address: '10.7.0.1/24', replace: true })
  await t.rejects(rtnl.addr.add({ link: ix, address: '10.7.0.01/24' }), ValidationError, 'a leading zero takes the general path and its error')
  const [ipIx] = await ns.ip('-4', 'address', 'show', 'dev', 'ix0')
  t.same(ipIx.addr_info.map((a: any) => `${a.local}/${a.prefixlen} ${a.scope}`).sort(), ['10.7.0.1/24 global', '10.7.1.1/32 global'])
  const [ipLo] = await ns.ip('-4', 'address', 'show', 'dev', 'lo')
  t.ok(ipLo.addr_info.some((a: any) => a.local === '127.0.0.2' && a.prefixlen === 8 && a.scope === 'host'), 'loopback range: scope host')
})

t.test('errors before anything is sent, and from the kernel', async t => {
  const { rtnl } = freshNetNs(t)
  await rtnl.link.add({ name: 'e0', kind: 'ifb' })
  for (const address of ['10.0.0.1/33', '10.0.0/24', 'fe80::1/129', 'nonsense', ''])
    await t.rejects(rtnl.addr.add({ link: 'e0', address }), ValidationError, address)
  await t.rejects(rtnl.addr.add({ link: 'e0', address: '10.0.0.1/24', peer: 'fe80::1' }), ValidationError, 'family mix')
  await t.rejects(rtnl.addr.add({ link: 'e0', address: 'fe80::1/64', broadcast: '+' }), ValidationError)
  await t.rejects(rtnl.addr.add({ link: 'e0', address: '10.0.0.1/24', flags: ['bogus' as any] }), ValidationError)
  await t.rejects(rtnl.addr.add({ link: 'e0', address: '10.0.0.1/24', validLifetime: 10, preferredLifetime: 20 }), ValidationError)
  await t.rejects(rtnl.addr.add(null as any), ValidationError, 'no options')
  await t.rejects(rtnl.addr.add({ link: 'missing0', address: 'nonsense' }), ValidationError, 'bad address before the link lookup')
  await t.rejects(rtnl.addr.add({ link: -1, address: '10.0.0.1/24' }), ValidationError, 'bad index')
  t.equal(await rtnl.addr.add({ link: 'e0', address: '10.0.9.1/32' }), undefined, 'resolves with nothing')
  await rtnl.addr.del({ link: 'e0', address: '10.0.9.1/32' })
  const err = await rtnl.addr.add({ link: 'missing0', address: '10.0.0.1/24' }).catch(e => e)
  t.type(err, NetlinkError)
  t.equal(err.code, 'ENODEV')
  const err2 = await rtnl.addr.add({ link: 4242, address: '10.0.0.1/24' }).catch(e => e)
  t.equal(err2.code, 'ENODEV')
  t.match(err2.extack?.message ?? '', /device/i, 'with the kernel\'s reason')
  t.same(await all(rtnl.addr.list({ link: 'e0' })), [] as Addr[], 'nothing half-applied')
})

t.test('addr.del(listed address): removes that address, peer and all', async t => {
  const ns = freshNetNs(t)
  const { rtnl } = ns
  await rtnl.link.add({ name: 'br0', kind: 'bridge', up: true })
  await rtnl.addr.add({ link: 'br0', address: '10.0.0.1/24' })
  await rtnl.addr.add({ link: 'br0', address: '10.5.0.1/32', peer: '10.5.0.2' })
  await rtnl.addr.add({ link: 'br0', address: '2001:db8::1/64', flags: ['nodad'] })
  const listed = await rtnl.addr.list({ link: 'br0' }).toArray()
  for (const a of listed) if (a.address !== '10.0.0.1' && a.scope === 'universe') await rtnl.addr.del(a)
  const left = (await rtnl.addr.list({ link: 'br0' }).toArray()).filter(a => a.scope === 'universe').map(a => a.cidr)
  t.same(left, ['10.0.0.1/24'], 'the peer and the IPv6 address went, the other stays')
  t.same((await ns.ip('-4', 'addr', 'show', 'dev', 'br0'))[0].addr_info.map((a: { local: string }) => a.local), ['10.0.0.1'], 'ip agrees')
  await t.rejects(rtnl.addr.del(listed.find(a => a.address === '10.5.0.1')!), { code: 'EADDRNOTAVAIL' }, 'gone: EADDRNOTAVAIL')
})

t.test('listed addresses given to add on another link (addrOptions): moved as they were', async t => {
  const ns = freshNetNs(t)
  const { rtnl } = ns
  await rtnl.link.add({ name: 'v0', kind: 'veth', peer: { name: 'v1' } })
  await rtnl.link.add({ name: 'br0', kind: 'bridge' })
  await rtnl.addr.add({ link: 'v0', address: '10.0.0.1/24', broadcast: '+' })
  await rtnl.addr.add({ link: 'v0', address: '10.0.0.2/24' }) // secondary
  await rtnl.addr.add({ link: 'v0', address: '10.0.1.1/24', label: 'v0:alias' })
  await rtnl.addr.add({ link: 'v0', address: '10.5.0.1/32', peer: '10.5.0.2', metric: 50 })
  await rtnl.addr.add({ link: 'v0', address: '2001:db8::1/64', flags: ['nodad', 'noprefixroute'], validLifetime: 1000, preferredLifetime: 500 })
  const moving = (await rtnl.addr.list({ link: 'v0' }).toArray()).filter(a => a.scope === 'universe')
  t.equal(moving.length, 5)
  t.equal(addrOptions({ ...moving.find(a => a.label === 'v0:alias')!, link: 'br0' }).label, 'v0:alias', 'an alias label is kept')
  t.equal(addrOptions(moving.find(a => a.address === '10.0.0.1')!).label, undefined, 'the default label, the link name, is not')
  for (const a of moving) await rtnl.addr.add(a.label === 'v0:alias' ? { ...a, link: 'br0', label: 'br0:alias' } : { ...a, link: 'br0' })
  await rtnl.addr.flush('v0', { family: 4 })
  t.same(await rtnl.addr.list({ link: 'v0', family: 4 }).toArray(), [], 'v0 has no IPv4 address left')
  const moved = (await rtnl.addr.list({ link: 'br0' }).toArray()).filter(a => a.scope === 'universe')
  const by = (x: string) => moved.find(a => a.address === x)
  t.match(by('10.0.0.1'), { cidr: '10.0.0.1/24', broadcast: '10.0.0.255', label: 'br0', flags: ['permanent'] })
  t.match(by('10.0.0.2'), { cidr: '10.0.0.2/24', flags: ['secondary', 'permanent'] })
  t.match(by('10.0.1.1'), { label: 'br0:alias' })
  t.match(by('10.5.0.1'), { peer: '10.5.0.2', prefixLength: 32, metric: 50 })
  const v6 = by('2001:db8::1')!
  t.match(v6, { prefixLength: 64, flags: ['nodad', 'noprefixroute'] })
  t.ok(v6.validLifetime! <= 1000 && v6.validLifetime! > 900 && v6.preferredLifetime! <= 500 && v6.preferredLifetime! > 400, 'lifetimes carried over')
  const [ip] = await ns.ip('-4', 'addr', 'show', 'dev', 'br0')
  t.same(ip.addr_info.map((a: { local: string }) => a.local).sort(), ['10.0.0.1', '10.0.0.2', '10.0.1.1', '10.5.0.1'], 'ip agrees')
  // the call's own options survive: replace (no EEXIST), and a timeout
  await rtnl.addr.add({ ...v6, replace: true, validLifetime: 50, preferredLifetime: 40 })
  t.ok((await rtnl.addr.list({ link: 'br0', family: 6 }).toArray()).find(a => a.address === '2001:db8::1')!.validLifetime! <= 50, 'replaced')
  await t.rejects(rtnl.addr.add({ ...v6, timeout: -1 }), { name: 'ValidationError' }, 'the timeout is checked, so it was kept')
})

t.test('addr.flush removes point-to-point addresses too', async t => {
  const { rtnl } = freshNetNs(t)
  await rtnl.link.add({ name: 'br0', kind: 'bridge' })
  await rtnl.addr.add({ link: 'br0', address: '10.5.0.1/32', peer: '10.5.0.2' })
  await rtnl.addr.add({ link: 'br0', address: '10.6.0.1/24' })
  t.equal(await rtnl.addr.flush('br0', { family: 4 }), 2, 'both counted')
  t.same(await rtnl.addr.list({ link: 'br0', family: 4 }).toArray(), [], 'both gone')
})

t.test('IPv6: the kernel sets the scope from the prefix; another one given is refused, not ignored', async t => {
  const ns = freshNetNs(t)
  const { rtnl } = ns
  await rtnl.link.add({ name: 'br0', kind: 'bridge', up: true })
  await rtnl.link.set('lo', { up: true })
  const cases: [string, string, string[]][] = [
    ['fe80::5/64', 'link', []], ['fec0::1/64', 'site', []], ['fd00::1/64', 'universe', []], ['2001:db8::1/64', 'universe', []],
    ['ff02::1:5/128', 'link', ['mcautojoin']], ['ff05::1:5/128', 'site', ['mcautojoin']],
    ['ff0e::1:5/128', 'universe', ['mcautojoin']], ['ff15::1:5/128', 'site', ['mcautojoin']], ['ff32::1:5/128', 'link', ['mcautojoin']],
  ]
  for (const [address, scope, flags] of cases) {
    t.equal(ipv6Scope(parseCidr(address).bytes), SCOPES[scope as keyof typeof SCOPES], `${address}: ${scope}`)
    const wrong = scope === 'link' ? 'universe' : 'link'
    const err = await rtnl.addr.add({ link: 'br0', address, flags: flags as never, scope: wrong as never }).catch(e => e)
    t.type(err, ValidationError, `${address} with scope ${wrong}: refused`)
    t.equal(err.field, 'scope')
    await rtnl.addr.add({ link: 'br0', address, flags: flags as never, scope: scope as never })
  }
  // What the kernel reports is what ipv6Scope() says, and ip agrees.
  const listed = await rtnl.addr.list({ link: 'br0', family: 'inet6' }).toArray()
  const ipScopes = new Map<string, string>()
  for (const a of (await ns.ip('-6', 'addr', 'show', 'dev', 'br0'))[0].addr_info) ipScopes.set(a.local, a.scope)
  const ipName: Record<string, string> = { universe: 'global', site: 'site', link: 'link', host: 'host' }
  for (const [address, scope] of cases) {
    const a = listed.find(x => x.cidr === address)
    t.equal(a?.scope, scope, `${address} reads back with scope ${scope}`)
    t.equal(ipScopes.get(address.split('/')[0]!), ipName[scope], 'ip agrees')
  }
  // ::1 on lo is host; a listed IPv6 address given back keeps its scope, which is the kernel's.
  const lo = await rtnl.addr.list({ link: 'lo', family: 'inet6' }).toArray()
  t.equal(lo.find(a => a.address === '::1')?.scope, 'host')
  t.equal(ipv6Scope(parseIp('::1').bytes), SCOPES.host)
  // Interface-local multicast is of the loopback's kind: on lo only, scope host.
  await t.rejects(rtnl.addr.add({ link: 'lo', address: 'ff01::1:5/128', flags: ['mcautojoin'], scope: 'link' }), { name: 'ValidationError', field: 'scope' })
  await rtnl.addr.add({ link: 'lo', address: 'ff01::1:5/128', flags: ['mcautojoin'] })
  t.equal((await rtnl.addr.list({ link: 'lo', family: 'inet6' }).toArray()).find(a => a.address === 'ff01::1:5')?.scope, 'host')
  t.equal(ipv6Scope(parseIp('ff01::1:5').bytes), SCOPES.host)
  const site = listed.find(x => x.cidr === 'fec0::1/64')!
  await rtnl.addr.del(site)
  await rtnl.addr.add({ ...site })
  t.equal((await rtnl.addr.list({ link: 'br0', family: 'inet6' }).toArray()).find(x => x.cidr === 'fec0::1/64')?.scope, 'site')
})

t.test('flags: only what ip address add sets, and the IPv6 ones only on IPv6 (the kernel drops the rest)', async t => {
  const ns = freshNetNs(t)
  const { rtnl } = ns
  await rtnl.link.add({ name: 'br0', kind: 'bridge', up: true })
  // Before, each was sent and the address made without it.
  for (const f of ['nodad', 'optimistic', 'homeaddress', 'managetempaddr'] as const)
    await t.rejects(rtnl.addr.add({ link: 'br0', address: '10.0.0.1/24', flags: [f] }), { name: 'ValidationError', field: 'flags', message: /IPv6 only/ }, `${f} on IPv4`)
  for (const f of ['permanent', 'tentative', 'secondary', 'deprecated', 'dadfailed'] as const)
    await t.rejects(rtnl.addr.add({ link: 'br0', address: 'fd00::1/64', flags: [f] }), { name: 'ValidationError', field: 'flags', message: /state, not a setting/ }, f)
  t.same(await rtnl.addr.list({ link: 'br0', family: 'inet' }).toArray(), [], 'nothing made')
  await rtnl.addr.add({ link: 'br0', address: '10.0.0.1/24', flags: ['noprefixroute'] })
  await rtnl.addr.add({ link: 'br0', address: 'fd00::1/64', flags: ['nodad', 'homeaddress', 'managetempaddr', 'noprefixroute'] })
  const got = await rtnl.addr.list({ link: 'br0' }).toArray()
  t.match(got.find(a => a.cidr === '10.0.0.1/24')?.flags, ['permanent', 'noprefixroute'])
  for (const f of ['nodad', 'homeaddress', 'managetempaddr', 'noprefixroute']) t.ok(got.find(a => a.cidr === 'fd00::1/64')?.flags.includes(f as never), f)
})

t.test('addresses stored as JSON and given back: forever (Infinity) became null, and still means forever', async t => {
  const ns = freshNetNs(t)
  const { rtnl } = ns
  await rtnl.link.add({ name: 'br0', kind: 'bridge', up: true })
  await rtnl.addr.add({ link: 'br0', address: '10.0.0.1/24' })
  await rtnl.addr.add({ link: 'br0', address: '10.0.1.1/24', validLifetime: 500, preferredLifetime: 400 })
  await rtnl.addr.add({ link: 'br0', address: 'fd00::1/64', flags: ['nodad'] })
  const stored = JSON.stringify((await rtnl.addr.list({ link: 'br0' }).toArray()).filter(a => !a.address.startsWith('fe80')))
  await rtnl.addr.flush('br0')
  // Before, null was a ValidationError (validLifetime: expected seconds or 'forever').
  for (const a of JSON.parse(stored) as Addr[]) await rtnl.addr.add(a)
  const back = await rtnl.addr.list({ link: 'br0' }).toArray()
  t.equal(back.find(a => a.cidr === '10.0.0.1/24')?.validLifetime, Infinity)
  t.equal(back.find(a => a.cidr === 'fd00::1/64')?.validLifetime, Infinity)
  const timed = back.find(a => a.cidr === '10.0.1.1/24')!
  const left = timed.validLifetime ?? 0
  t.ok(left <= 500 && left > 400, `what was left of a finite lifetime (${left})`)
})

t.test('IPv6 with an IPv4 tail (sit-style ::a.b.c.d, mapped ::ffff:a.b.c.d) is written as ip writes it', async t => {
  const ns = freshNetNs(t)
  const { rtnl } = ns
  await rtnl.link.add({ name: 'br0', kind: 'bridge', up: true })
  // given in several spellings; the kernel stores bytes, and both sides format them
  for (const a of ['::10.0.0.1/96', '0:0:0:0:0:0:a00:2/128', '::ffff:0/128', '::ffff:10.0.0.3/128', '::1:0:0/128', '::2/128'])
    await rtnl.addr.add({ link: 'br0', address: a, flags: ['nodad'] })
  const mine = (await rtnl.addr.list({ link: 'br0', family: 6 }).toArray()).map(a => a.cidr).sort()
  const [ipBr] = await ns.ip('-6', 'address', 'show', 'dev', 'br0')
  const theirs = ipBr.addr_info.map((a: any) => `${a.local}/${a.prefixlen}`).sort()
  t.same(mine, theirs, 'ip agrees on every address')
  t.ok(mine.includes('::10.0.0.1/96') && mine.includes('::10.0.0.2/128') && mine.includes('::255.255.0.0/128') &&
    mine.includes('::ffff:10.0.0.3/128') && mine.includes('::1:0:0/128') && mine.includes('::2/128'), mine.join(' '))
  const routes = (await rtnl.route.list({ family: 6, table: 'all' }).toArray()).map(r => r.dst).sort()
  const ipRoutes = (await ns.ip('-6', 'route', 'show', 'table', 'all')).map((r: any) => r.dst === 'default' ? '::/0' : r.dst.includes('/') ? r.dst : `${r.dst}/128`).sort()
  t.same(routes, ipRoutes, 'and on the routes (::/96 and the local ::a.b.c.d)')
  t.ok(routes.includes('::10.0.0.1/128'))
  // and the text given back is accepted: delete by what was listed
  await rtnl.addr.del({ link: 'br0', address: '::10.0.0.1/96' })
  t.notOk((await rtnl.addr.list({ link: 'br0', family: 6 }).toArray()).some(a => a.address === '::10.0.0.1'))
})

t.test('addr.del of a listed address with its link given ({ ...addr, link }) is taken, extra fields and all', async t => {
  const ns = freshNetNs(t)
  const { rtnl } = ns
  await rtnl.link.add({ name: 'br0', kind: 'bridge' })
  await rtnl.addr.add({ link: 'br0', address: '10.0.0.1/24' })
  const [a] = await rtnl.addr.list({ link: 'br0', family: 4 }).toArray()
  await rtnl.addr.del({ ...a!, link: 'br0' } as any)
  t.same(await rtnl.addr.list({ link: 'br0', family: 4 }).toArray(), [])
  await t.rejects(rtnl.addr.del({ link: 'br0', address: '10.0.0.1/24', adress: 'x' } as any), { name: 'ValidationError', field: 'adress' }, 'plain options are still checked')
})
