// State made by other tools, in forms the library does not build itself, must still be read:
// one attribute of an unexpected size used to fail a whole dump (RTA_ENCAP_TYPE, a u16 read
// as a u32). iproute2 builds the state here (as a test fixture); every link, address and
// route is then listed and nothing may throw or be left undecoded.
import t from 'tap'
import { freshNetNs, ipIn } from '../helpers/ns.js'

t.test('links, addresses and routes made by ip in unusual forms decode in full', async t => {
  const ns = freshNetNs(t)
  const { rtnl } = ns
  const ip = (...args: string[]) => ipIn(ns, ...args)
  await ip('link', 'add', 'br0', 'type', 'bridge')
  await ip('link', 'set', 'br0', 'up')
  await ip('addr', 'add', '10.0.0.2/24', 'dev', 'br0')
  await ip('addr', 'add', 'fd00::2/64', 'dev', 'br0', 'nodad')
  await ip('addr', 'add', '10.0.0.9/24', 'dev', 'br0', 'valid_lft', '100', 'preferred_lft', '50')
  await ip('addr', 'add', '10.5.0.1', 'peer', '10.5.0.2/32', 'dev', 'br0')
  await ip('addr', 'add', 'fd01::5/64', 'dev', 'br0', 'nodad', 'noprefixroute')
  await ip('route', 'add', '10.6.0.0/16', 'dev', 'br0', 'realm', '5')
  await ip('nexthop', 'add', 'id', '1', 'dev', 'br0')
  await ip('nexthop', 'add', 'id', '2', 'via', '10.0.0.1', 'dev', 'br0')
  await ip('nexthop', 'add', 'id', '3', 'group', '1/2')
  await ip('route', 'add', '10.7.0.0/16', 'nhid', '1')
  await ip('route', 'add', '10.8.0.0/16', 'nhid', '3')
  await ip('route', 'add', '10.9.0.0/16', 'via', 'inet6', 'fd00::1', 'dev', 'br0')
  await ip('route', 'add', '10.1.0.0/16', 'encap', 'ip', 'id', '5', 'dst', '10.0.0.1', 'dev', 'br0')
  await ip('route', 'add', '10.2.0.0/16', 'encap', 'seg6', 'mode', 'encap', 'segs', 'fd00::1', 'dev', 'br0')
  await ip('route', 'add', 'fd02::/64', 'via', 'fd00::1', 'dev', 'br0', 'expires', '60', 'pref', 'high')
  await ip('route', 'add', 'fd03::/64', 'dev', 'br0', 'metric', '5', 'mtu', '1400', 'advmss', '1300', 'congctl', 'reno',
    'rto_min', '200ms', 'features', 'ecn', 'quickack', '1', 'fastopen_no_cookie', '1')
  await ip('-6', 'route', 'add', 'anycast', 'fd00::1234', 'dev', 'br0', 'table', 'local')
  await ip('route', 'add', '10.10.0.0/16', 'dev', 'br0', 'table', '1000', 'proto', 'static')
  await ip('link', 'add', 'vx0', 'type', 'vxlan', 'id', '5', 'dstport', '4789', 'local', '10.0.0.2', 'dev', 'br0')
  await ip('link', 'set', 'br0', 'addrgenmode', 'none')
  await ip('link', 'add', 'ifb0', 'type', 'ifb')
  await ip('link', 'set', 'ifb0', 'alias', 'hello')
  await ip('link', 'property', 'add', 'dev', 'ifb0', 'altname', 'ifbalt')
  await ip('link', 'add', 'mvt0', 'link', 'br0', 'type', 'macvtap', 'mode', 'bridge')
  await ip('link', 'add', 'mv0', 'link', 'br0', 'type', 'macvlan', 'mode', 'source')
  await ip('link', 'set', 'mv0', 'type', 'macvlan', 'macaddr', 'add', '02:00:00:00:00:01')

  const left: string[] = []
  const scan = (what: string, o: Record<string, unknown>) => {
    for (const u of (o['unknown'] as { type: number }[] | undefined) ?? [])
      left.push(`${what} ${String(o['name'] ?? o['dst'] ?? o['address'])}: type ${u.type & 0x3fff}`)
    for (const [k, v] of Object.entries(o))
      if (v && typeof v === 'object' && !Array.isArray(v) && k !== 'stats' && k !== 'cacheInfo') scan(`${what}.${k}`, v as Record<string, unknown>)
  }
  const links = await rtnl.link.list({ stats: true }).toArray()
  const addrs = await rtnl.addr.list().toArray()
  const routes = [...await rtnl.route.list({ table: 'all', family: 4 }).toArray(), ...await rtnl.route.list({ table: 'all', family: 6 }).toArray()]
  for (const l of links) scan('link', l as unknown as Record<string, unknown>)
  for (const a of addrs) scan('addr', a as unknown as Record<string, unknown>)
  for (const r of routes) {
    scan('route', r as unknown as Record<string, unknown>)
    for (const nh of r.multipath ?? []) scan('route path', nh as unknown as Record<string, unknown>)
  }
  t.same(left, [], `${links.length} links, ${addrs.length} addresses, ${routes.length} routes: no attribute left raw`)

  const route = (dst: string) => routes.find(r => r.dst === dst)
  t.equal(route('10.6.0.0/16')!.flow, 5, 'realm')
  t.match(route('10.7.0.0/16'), { nhid: 1 })
  t.match(route('10.8.0.0/16'), { nhid: 3, multipath: [{}, { gateway: '10.0.0.1' }] }, 'a nexthop group as its paths')
  t.match(route('10.9.0.0/16'), { via: { family: 'inet6', address: 'fd00::1' } })
  t.match(route('10.1.0.0/16'), { encapType: 'ip', encap: { type: 'ip', id: 5, dst: '10.0.0.1' } })
  t.match(route('10.2.0.0/16'), { encap: { type: 'seg6', mode: 'encap', segments: ['fd00::1'] } })
  t.match(route('fd02::/64'), { pref: 'high', gateway: 'fd00::1' })
  t.ok(route('fd02::/64')!.expires! > 0 && route('fd02::/64')!.expires! <= 60, 'expires counts down from 60')
  t.match(route('fd03::/64'), { priority: 5, metrics: { mtu: 1400, advmss: 1300, congctl: 'reno', rtoMin: 200, quickack: 1, fastopenNoCookie: 1 } })
  t.match(route('fd00::1234/128'), { type: 'anycast', table: 255 })
  t.match(route('10.10.0.0/16'), { table: 1000, protocol: 'static' })
  t.match(addrs.find(a => a.address === '10.5.0.1'), { peer: '10.5.0.2', prefixLength: 32 })
  // Lifetimes count down from when ip set them (a loaded machine takes seconds to get here).
  const timed = addrs.find(a => a.address === '10.0.0.9')!
  t.match(timed, { flags: ['secondary'] })
  t.ok(timed.validLifetime! <= 100 && timed.validLifetime! > 60 && timed.preferredLifetime! <= 50 && timed.preferredLifetime! > 10,
    `lifetimes counting down from 100 / 50: ${timed.validLifetime} / ${timed.preferredLifetime}`)
  t.match(addrs.find(a => a.address === 'fd01::5'), { flags: ['nodad', 'permanent', 'noprefixroute'] })
  const link = (name: string) => links.find(l => l.name === name)
  t.match(link('ifb0'), { alias: 'hello', altNames: ['ifbalt'] })
  t.match(link('mv0'), { macvlan: { mode: 'source', macaddrs: ['02:00:00:00:00:01'] } })
  t.match(link('mvt0'), { kind: 'macvtap', macvlan: { mode: 'bridge' } })
  t.match(link('vx0'), { vxlan: { id: 5, local: '10.0.0.2' } })
})
