// A differential oracle: the same changes made by the library in one namespace and by `ip`
// in another, then both namespaces' states compared as `ip -json -d` shows them (links,
// addresses, routes of every table and both families). Each case passes only if the two
// states are the same, field by field: an option encoded differently from ip's, a default
// ip applies that the library does not (or the reverse), or a change that reaches the wrong
// object shows up as a difference.
import t from 'tap'
import type { Rtnl } from '../../src/client.js'
import { freshNetNs, type FreshNs } from '../helpers/ns.js'

type Case = [name: string, lib: (c: Rtnl) => Promise<unknown>, ip: string[][]]

// What differs between two namespaces by nature (indexes, random MACs, timers and counters,
// lifetimes counting down), not by what was asked.
const DROP = new Set(['ifindex', 'address', 'broadcast', 'perm_address', 'link_index', 'stats64', 'stats', 'parentbus',
  'parentdev', 'preferred_life_time', 'valid_life_time', 'expires', 'id', 'bridge_id', 'root_id', 'designated_root',
  'root_port', 'hello_timer', 'tcn_timer', 'topology_change_timer', 'gc_timer', 'operstate', 'linkmode'])

// Carrier state, which the kernel settles asynchronously (linkwatch) after a link comes up.
const CARRIER = new Set(['NO-CARRIER', 'LOWER_UP', 'M-DOWN'])

function norm(x: unknown): unknown {
  if (Array.isArray(x)) return x.filter(v => !CARRIER.has(v as string)).map(norm)
  if (x && typeof x === 'object') {
    const o: Record<string, unknown> = {}
    for (const k of Object.keys(x).sort()) if (!DROP.has(k)) o[k] = norm((x as Record<string, unknown>)[k])
    return o
  }
  return x
}

const linkLocal = (s: unknown) => typeof s === 'string' && (s.startsWith('fe80') || s === 'ff00::/8')

async function state(ns: FreshNs): Promise<unknown> {
  const links = (await ns.ip('-d', 'link', 'show')).map((l: Record<string, unknown>) => ({ ...l, addr_info: undefined }))
  const addrs = (await ns.ip('address', 'show')).map((l: { ifname: string; addr_info?: { local?: string }[] }) =>
    ({ ifname: l.ifname, addr: (l.addr_info ?? []).filter(a => !linkLocal(a.local)) }))
  const routes = [...await ns.ip('-d', 'route', 'show', 'table', 'all'), ...await ns.ip('-6', '-d', 'route', 'show', 'table', 'all')]
    .filter((r: { dst?: string }) => !linkLocal(r.dst))
  return norm({ links, addrs, routes })
}

function differences(a: unknown, b: unknown, path = ''): string[] {
  if (a && b && typeof a === 'object' && typeof b === 'object' && Array.isArray(a) === Array.isArray(b)) {
    const out: string[] = []
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)]))
      out.push(...differences((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`))
    return out
  }
  return a === b ? [] : [`${path}: library ${JSON.stringify(a)}, ip ${JSON.stringify(b)}`]
}

function run(title: string, setup: string[][], cases: Case[]): void {
  t.test(title, async t => {
    for (const [name, lib, ipCmds] of cases) {
      await t.test(name, async t => {
        const ours = freshNetNs(t)
        const theirs = freshNetNs(t)
        for (const cmd of setup) {
          await ours.exec('ip', cmd)
          await theirs.exec('ip', cmd)
        }
        await lib(ours.rtnl)
        for (const cmd of ipCmds) await theirs.exec('ip', cmd)
        const [a, b] = [await state(ours), await state(theirs)]
        t.same(differences(a, b), [], 'the same state')
        t.ok(JSON.stringify(a).length > 100, 'and not an empty one')
      })
    }
  })
}

const L = (o: Parameters<Rtnl['link']['add']>[0]) => (c: Rtnl) => c.link.add(o)
run('links', [['link', 'add', 'u0', 'type', 'bridge']], [
  ['bridge defaults', L({ name: 'b0', kind: 'bridge' }), [['link', 'add', 'b0', 'type', 'bridge']]],
  ['bridge options', L({ name: 'b0', kind: 'bridge', bridge: { stpState: 1, forwardDelay: 400, helloTime: 300, maxAge: 1000, ageingTime: 12000, priority: 100, multicastSnooping: false, groupFwdMask: 8, vlanDefaultPvid: 5 } }),
    [['link', 'add', 'b0', 'type', 'bridge', 'stp_state', '1', 'forward_delay', '400', 'hello_time', '300', 'max_age', '1000', 'ageing_time', '12000', 'priority', '100', 'mcast_snooping', '0', 'group_fwd_mask', '8', 'vlan_default_pvid', '5']]],
  ['bridge multicast', L({ name: 'b0', kind: 'bridge', bridge: { multicastQuerier: true, multicastRouter: 2, multicastHashMax: 1024, multicastLastMemberCount: 3, multicastStartupQueryCount: 4, multicastLastMemberInterval: 200, multicastMembershipInterval: 30000, multicastQuerierInterval: 25000, multicastQueryInterval: 12000, multicastQueryResponseInterval: 900, multicastStartupQueryInterval: 3000, multicastIgmpVersion: 3, multicastMldVersion: 2, multicastStatsEnabled: true } }),
    [['link', 'add', 'b0', 'type', 'bridge', 'mcast_querier', '1', 'mcast_router', '2', 'mcast_hash_max', '1024', 'mcast_last_member_count', '3', 'mcast_startup_query_count', '4', 'mcast_last_member_interval', '200', 'mcast_membership_interval', '30000', 'mcast_querier_interval', '25000', 'mcast_query_interval', '12000', 'mcast_query_response_interval', '900', 'mcast_startup_query_interval', '3000', 'mcast_igmp_version', '3', 'mcast_mld_version', '2', 'mcast_stats_enabled', '1']]],
  ['veth with peer settings', L({ name: 'v0', kind: 'veth', peer: { name: 'v1', mtu: 1400, txQueueLen: 10 }, mtu: 1300, txQueueLen: 20 }),
    [['link', 'add', 'v0', 'mtu', '1300', 'txqueuelen', '20', 'type', 'veth', 'peer', 'name', 'v1', 'mtu', '1400', 'txqueuelen', '10']]],
  ['veth up on a bridge', L({ name: 'v0', kind: 'veth', peer: { name: 'v1' }, master: 'u0', up: true }), [['link', 'add', 'v0', 'master', 'u0', 'up', 'type', 'veth', 'peer', 'name', 'v1']]],
  ['bridge port settings', L({ name: 'v0', kind: 'veth', peer: { name: 'v1' }, master: 'u0', bridgePort: { cost: 50, priority: 3, learning: false, flood: false, hairpin: true, isolated: true, guard: true, rootBlock: true, fastLeave: true, broadcastFlood: false, multicastFlood: false, proxyArp: true, neighSuppress: true } }),
    [['link', 'add', 'v0', 'master', 'u0', 'type', 'veth', 'peer', 'name', 'v1'], ['link', 'set', 'v0', 'type', 'bridge_slave', 'cost', '50', 'priority', '3', 'learning', 'off', 'flood', 'off', 'hairpin', 'on', 'isolated', 'on', 'guard', 'on', 'root_block', 'on', 'fastleave', 'on', 'bcast_flood', 'off', 'mcast_flood', 'off', 'proxy_arp', 'on', 'neigh_suppress', 'on']]],
  ['macvlan modes', async c => { for (const [i, mode] of (['private', 'vepa', 'bridge', 'source'] as const).entries()) await c.link.add({ name: `mv${i}`, kind: 'macvlan', parent: 'u0', macvlan: { mode } }) },
    ['private', 'vepa', 'bridge', 'source'].map((m, i) => ['link', 'add', `mv${i}`, 'link', 'u0', 'type', 'macvlan', 'mode', m])],
  ['macvtap', L({ name: 'mt0', kind: 'macvtap', parent: 'u0', macvlan: { mode: 'bridge' } }), [['link', 'add', 'mt0', 'link', 'u0', 'type', 'macvtap', 'mode', 'bridge']]],
  ['ifb with mtu, queue length, group, alias', L({ name: 'i0', kind: 'ifb', mtu: 9000, txQueueLen: 5, group: 7, alias: 'hello' }), [['link', 'add', 'i0', 'mtu', '9000', 'txqueuelen', '5', 'group', '7', 'type', 'ifb'], ['link', 'set', 'i0', 'alias', 'hello']]],
  ['flags', async c => { await c.link.add({ name: 'i0', kind: 'ifb' }); await c.link.set('i0', { promisc: true, allmulticast: true, multicast: false, arp: false, up: true }) },
    [['link', 'add', 'i0', 'type', 'ifb'], ['link', 'set', 'i0', 'promisc', 'on', 'allmulticast', 'on', 'multicast', 'off', 'arp', 'off', 'up']]],
  ['gso and gro limits', L({ name: 'i0', kind: 'ifb', gsoMaxSize: 32000, gsoMaxSegs: 100, groMaxSize: 32000 }), [['link', 'add', 'i0', 'gso_max_size', '32000', 'gso_max_segs', '100', 'gro_max_size', '32000', 'type', 'ifb']]],
  ['addrgenmode none, then up', L({ name: 'i0', kind: 'ifb', addrGenMode: 'none', up: true }), [['link', 'add', 'i0', 'type', 'ifb'], ['link', 'set', 'i0', 'addrgenmode', 'none'], ['link', 'set', 'i0', 'up']]],
  ['vxlan (IPv4)', L({ name: 'vx0', kind: 'vxlan', vxlan: { id: 42, port: 4789, local: '10.0.0.1', group: '239.1.1.1', dev: 'u0', ttl: 10, tos: 0x10, learning: false, ageing: 100, udpCsum: false, l2miss: true, l3miss: true, proxy: true, portRange: { low: 1000, high: 2000 } } }),
    [['link', 'add', 'vx0', 'type', 'vxlan', 'id', '42', 'dstport', '4789', 'local', '10.0.0.1', 'group', '239.1.1.1', 'dev', 'u0', 'ttl', '10', 'tos', '0x10', 'nolearning', 'ageing', '100', 'noudpcsum', 'l2miss', 'l3miss', 'proxy', 'srcport', '1000', '2000']]],
  ['vxlan (IPv6)', L({ name: 'vx0', kind: 'vxlan', vxlan: { id: 7, port: 4790, local6: 'fd00::1', group6: 'ff05::100', dev: 'u0', ttl: 64, label: 0x12345, udpZeroCsum6Tx: true, udpZeroCsum6Rx: true } }),
    [['link', 'add', 'vx0', 'type', 'vxlan', 'id', '7', 'dstport', '4790', 'local', 'fd00::1', 'group', 'ff05::100', 'dev', 'u0', 'ttl', '64', 'flowlabel', '0x12345', 'udp6zerocsumtx', 'udp6zerocsumrx']]],
  ['vxlan external (learning off, as ip does), df inherit', L({ name: 'vx0', kind: 'vxlan', vxlan: { external: true, port: 4789, gbp: true, ttlInherit: true, df: 'inherit' } }),
    [['link', 'add', 'vx0', 'type', 'vxlan', 'external', 'dstport', '4789', 'gbp', 'ttl', 'inherit', 'df', 'inherit']]],
  ['vxlan external with learning', L({ name: 'vx0', kind: 'vxlan', vxlan: { external: true, learning: true, port: 4789 } }),
    [['link', 'add', 'vx0', 'type', 'vxlan', 'external', 'learning', 'dstport', '4789']]],
])

const A = (...os: Omit<Parameters<Rtnl['addr']['add']>[0], 'link'>[]) => async (c: Rtnl) => { for (const o of os) await c.addr.add({ link: 'b0', ...o }) }
const ipA = (...a: string[]) => ['address', 'add', ...a, 'dev', 'b0']
run('addresses', [['link', 'add', 'b0', 'type', 'bridge'], ['link', 'set', 'b0', 'up']], [
  ['IPv4', A({ address: '10.0.0.1/24' }), [ipA('10.0.0.1/24')]],
  ["IPv4 with broadcast '+', label, scope", A({ address: '10.0.0.1/24', broadcast: '+', label: 'b0:x', scope: 'link' }), [ipA('10.0.0.1/24', 'brd', '+', 'label', 'b0:x', 'scope', 'link')]],
  ['IPv4 peer', A({ address: '10.0.0.1/32', peer: '10.0.0.2' }), [ipA('10.0.0.1', 'peer', '10.0.0.2/32')]],
  ['IPv4 metric, noprefixroute', A({ address: '10.0.0.1/24', metric: 55, flags: ['noprefixroute'] }), [ipA('10.0.0.1/24', 'metric', '55', 'noprefixroute')]],
  ['IPv4 lifetimes', A({ address: '10.0.0.1/24', validLifetime: 1000, preferredLifetime: 500 }), [ipA('10.0.0.1/24', 'valid_lft', '1000', 'preferred_lft', '500')]],
  ['IPv4 secondary', A({ address: '10.0.0.1/24' }, { address: '10.0.0.2/24' }), [ipA('10.0.0.1/24'), ipA('10.0.0.2/24')]],
  ['IPv6 nodad', A({ address: 'fd00::1/64', flags: ['nodad'] }), [ipA('fd00::1/64', 'nodad')]],
  ['IPv6 flags', A({ address: 'fd00::1/64', flags: ['nodad', 'noprefixroute', 'homeaddress', 'managetempaddr'] }), [ipA('fd00::1/64', 'nodad', 'noprefixroute', 'home', 'mngtmpaddr')]],
  ['IPv6 deprecated (preferred 0)', A({ address: 'fd00::1/64', flags: ['nodad'], validLifetime: 1000, preferredLifetime: 0 }), [ipA('fd00::1/64', 'nodad', 'valid_lft', '1000', 'preferred_lft', '0')]],
  ['IPv6 peer', A({ address: 'fd00::1/128', peer: 'fd00::2', flags: ['nodad'] }), [ipA('fd00::1', 'peer', 'fd00::2/128', 'nodad')]],
  ['IPv6 metric', A({ address: 'fd00::1/64', metric: 77, flags: ['nodad'] }), [ipA('fd00::1/64', 'metric', '77', 'nodad')]],
  ['IPv6 optimistic', A({ address: 'fd00::1/64', flags: ['optimistic'] }), [ipA('fd00::1/64', 'optimistic')]],
  ['multicast autojoin', A({ address: '239.1.1.1/32', flags: ['mcautojoin'] }), [ipA('239.1.1.1/32', 'autojoin')]],
  ['replace', async c => { await c.addr.add({ link: 'b0', address: '10.0.0.1/24' }); await c.addr.replace({ link: 'b0', address: '10.0.0.1/24', metric: 9, validLifetime: 800, preferredLifetime: 400 }) },
    [ipA('10.0.0.1/24'), ['address', 'replace', '10.0.0.1/24', 'dev', 'b0', 'metric', '9', 'valid_lft', '800', 'preferred_lft', '400']]],
  ['delete the primary: the secondary is promoted', async c => { await A({ address: '10.0.0.1/24' }, { address: '10.0.0.2/24' })(c); await c.addr.del({ link: 'b0', address: '10.0.0.1/24' }) },
    [ipA('10.0.0.1/24'), ipA('10.0.0.2/24'), ['address', 'del', '10.0.0.1/24', 'dev', 'b0']]],
  ['flush IPv6', async c => { await A({ address: 'fd00::1/64', flags: ['nodad'] }, { address: '10.0.0.1/24' })(c); await c.addr.flush('b0', { family: 6 }) },
    [ipA('fd00::1/64', 'nodad'), ipA('10.0.0.1/24'), ['-6', 'address', 'flush', 'dev', 'b0']]],
])

const R = (...os: Parameters<Rtnl['route']['add']>[0][]) => async (c: Rtnl) => { for (const o of os) await c.route.add(o) }
const ipR = (...a: string[]) => ['route', 'add', ...a]
const ipR6 = (...a: string[]) => ['-6', 'route', 'add', ...a]
run('routes', [
  ['link', 'add', 'b0', 'type', 'bridge'], ['link', 'set', 'b0', 'up'], ['link', 'add', 'b1', 'type', 'bridge'], ['link', 'set', 'b1', 'up'],
  ['address', 'add', '10.0.0.1/24', 'dev', 'b0'], ['address', 'add', '10.1.0.1/24', 'dev', 'b1'],
  ['address', 'add', 'fd00::1/64', 'dev', 'b0', 'nodad'], ['address', 'add', 'fd01::1/64', 'dev', 'b1', 'nodad'],
], [
  ['gateway', R({ dst: '10.9.0.0/16', gateway: '10.0.0.9' }), [ipR('10.9.0.0/16', 'via', '10.0.0.9')]],
  ['device', R({ dst: '10.9.0.0/16', dev: 'b0' }), [ipR('10.9.0.0/16', 'dev', 'b0')]],
  ['default', R({ dst: 'default', gateway: '10.0.0.254' }), [ipR('default', 'via', '10.0.0.254')]],
  ['metric, protocol, table > 255', R({ dst: '10.9.0.0/16', gateway: '10.0.0.9', metric: 33, protocol: 'static', table: 1234 }), [ipR('10.9.0.0/16', 'via', '10.0.0.9', 'metric', '33', 'proto', 'static', 'table', '1234')]],
  ['types', R({ dst: '10.20.0.0/16', type: 'blackhole' }, { dst: '10.21.0.0/16', type: 'unreachable' }, { dst: '10.22.0.0/16', type: 'prohibit' }, { dst: '10.23.0.0/16', type: 'throw' }),
    [ipR('blackhole', '10.20.0.0/16'), ipR('unreachable', '10.21.0.0/16'), ipR('prohibit', '10.22.0.0/16'), ipR('throw', '10.23.0.0/16')]],
  ['local and broadcast in the local table', R({ dst: '10.0.0.77/32', type: 'local', dev: 'b0', table: 'local' }, { dst: '10.0.0.200/32', type: 'broadcast', dev: 'b0', table: 'local' }),
    [ipR('local', '10.0.0.77/32', 'dev', 'b0', 'table', 'local'), ipR('broadcast', '10.0.0.200/32', 'dev', 'b0', 'table', 'local')]],
  ['prefsrc, scope', R({ dst: '10.9.0.0/16', dev: 'b0', prefsrc: '10.0.0.1', scope: 'link' }), [ipR('10.9.0.0/16', 'dev', 'b0', 'src', '10.0.0.1', 'scope', 'link')]],
  ['onlink', R({ dst: '10.9.0.0/16', gateway: '192.0.2.1', dev: 'b0', onlink: true }), [ipR('10.9.0.0/16', 'via', '192.0.2.1', 'dev', 'b0', 'onlink')]],
  ['metrics (rtt in 1/8 ms, rttvar in 1/4 ms, lock a mask)', R({ dst: '10.9.0.0/16', gateway: '10.0.0.9', metrics: { mtu: 1400, advmss: 1300, window: 5000, rtt: 80, rttvar: 40, hoplimit: 33, initcwnd: 10, initrwnd: 20, congctl: 'reno', quickack: 1, lock: 1 << 2 } }),
    [ipR('10.9.0.0/16', 'via', '10.0.0.9', 'mtu', 'lock', '1400', 'advmss', '1300', 'window', '5000', 'rtt', '10ms', 'rttvar', '10ms', 'hoplimit', '33', 'initcwnd', '10', 'initrwnd', '20', 'congctl', 'reno', 'quickack', '1')]],
  ['multipath', R({ dst: '10.9.0.0/16', multipath: [{ gateway: '10.0.0.9', weight: 2 }, { gateway: '10.1.0.9', dev: 'b1', weight: 5 }] }),
    [ipR('10.9.0.0/16', 'nexthop', 'via', '10.0.0.9', 'weight', '2', 'nexthop', 'via', '10.1.0.9', 'dev', 'b1', 'weight', '5')]],
  ['tos, realm', R({ dst: '10.9.0.0/16', gateway: '10.0.0.9', tos: 0x10, flow: 7 }), [ipR('10.9.0.0/16', 'tos', '0x10', 'via', '10.0.0.9', 'realm', '7')]],
  ['IPv4 via an IPv6 next hop', R({ dst: '10.9.0.0/16', via: 'fd00::9', dev: 'b0' }), [ipR('10.9.0.0/16', 'via', 'inet6', 'fd00::9', 'dev', 'b0')]],
  ['IPv6 gateway', R({ dst: 'fd09::/64', gateway: 'fd00::9' }), [ipR6('fd09::/64', 'via', 'fd00::9')]],
  ['IPv6 pref, metric', R({ dst: 'fd09::/64', gateway: 'fd00::9', pref: 'low', metric: 7 }), [ipR6('fd09::/64', 'via', 'fd00::9', 'pref', 'low', 'metric', '7')]],
  ['IPv6 default', R({ dst: 'default', gateway: 'fd00::fe', family: 6 }), [ipR6('default', 'via', 'fd00::fe')]],
  ['IPv6 multipath', R({ dst: 'fd09::/64', multipath: [{ gateway: 'fd00::9' }, { gateway: 'fd01::9', dev: 'b1' }] }), [ipR6('fd09::/64', 'nexthop', 'via', 'fd00::9', 'nexthop', 'via', 'fd01::9', 'dev', 'b1')]],
  ['IPv6 source prefix', R({ dst: 'fd09::/64', src: 'fd77::/64', gateway: 'fd00::9' }), [ipR6('fd09::/64', 'from', 'fd77::/64', 'via', 'fd00::9')]],
  ['IPv6 types', R({ dst: 'fd20::/64', type: 'blackhole' }, { dst: 'fd21::/64', type: 'unreachable' }, { dst: 'fd22::/64', type: 'prohibit' }),
    [ipR6('blackhole', 'fd20::/64'), ipR6('unreachable', 'fd21::/64'), ipR6('prohibit', 'fd22::/64')]],
  ['IPv6 metrics', R({ dst: 'fd09::/64', gateway: 'fd00::9', metrics: { mtu: 1400, hoplimit: 9 } }), [ipR6('fd09::/64', 'via', 'fd00::9', 'mtu', '1400', 'hoplimit', '9')]],
  ['replace', async c => { await c.route.add({ dst: '10.9.0.0/16', gateway: '10.0.0.9' }); await c.route.replace({ dst: '10.9.0.0/16', gateway: '10.1.0.9' }) },
    [ipR('10.9.0.0/16', 'via', '10.0.0.9'), ['route', 'replace', '10.9.0.0/16', 'via', '10.1.0.9']]],
  ['IPv6 append', async c => { await c.route.add({ dst: 'fd09::/64', gateway: 'fd00::9' }); await c.route.append({ dst: 'fd09::/64', gateway: 'fd01::9', dev: 'b1' }) },
    [ipR6('fd09::/64', 'via', 'fd00::9'), ['-6', 'route', 'append', 'fd09::/64', 'via', 'fd01::9', 'dev', 'b1']]],
  ['delete by gateway', async c => { await R({ dst: '10.9.0.0/16', gateway: '10.0.0.9' }, { dst: '10.9.0.0/16', gateway: '10.1.0.9', metric: 5 })(c); await c.route.del({ dst: '10.9.0.0/16', gateway: '10.1.0.9' }) },
    [ipR('10.9.0.0/16', 'via', '10.0.0.9'), ipR('10.9.0.0/16', 'via', '10.1.0.9', 'metric', '5'), ['route', 'del', '10.9.0.0/16', 'via', '10.1.0.9']]],
  ['flush by device (IPv4, as ip route flush)', async c => { await R({ dst: '10.9.0.0/16', gateway: '10.0.0.9' }, { dst: '10.8.0.0/16', gateway: '10.1.0.9' })(c); await c.route.flush({ dev: 'b0', family: 4 }) },
    [ipR('10.9.0.0/16', 'via', '10.0.0.9'), ipR('10.8.0.0/16', 'via', '10.1.0.9'), ['route', 'flush', 'dev', 'b0']]],
  ['flush by protocol', async c => { await R({ dst: '10.9.0.0/16', gateway: '10.0.0.9', protocol: 'static' }, { dst: '10.8.0.0/16', gateway: '10.1.0.9' })(c); await c.route.flush({ protocol: 'static' }) },
    [ipR('10.9.0.0/16', 'via', '10.0.0.9', 'proto', 'static'), ipR('10.8.0.0/16', 'via', '10.1.0.9'), ['route', 'flush', 'proto', 'static']]],
  ['encap ip', R({ dst: '10.9.0.0/16', dev: 'b0', encap: { type: 'ip', id: 5, dst: '10.0.0.7', ttl: 9, tos: 4 } }), [ipR('10.9.0.0/16', 'encap', 'ip', 'id', '5', 'dst', '10.0.0.7', 'ttl', '9', 'tos', '4', 'dev', 'b0')]],
  ['encap ip6', R({ dst: '10.9.0.0/16', dev: 'b0', encap: { type: 'ip6', id: 6, dst: 'fd00::7', hoplimit: 9, tc: 1 } }), [ipR('10.9.0.0/16', 'encap', 'ip6', 'id', '6', 'dst', 'fd00::7', 'hoplimit', '9', 'tc', '1', 'dev', 'b0')]],
  ['encap seg6', R({ dst: 'fd09::/64', dev: 'b0', encap: { type: 'seg6', mode: 'encap', segments: ['fd00::a', 'fd00::b'] } }), [ipR6('fd09::/64', 'encap', 'seg6', 'mode', 'encap', 'segs', 'fd00::a,fd00::b', 'dev', 'b0')]],
  ['encap seg6local End.X', R({ dst: 'fd09::/64', dev: 'b0', encap: { type: 'seg6local', action: 'End.X', nh6: 'fd00::9' } }), [ipR6('fd09::/64', 'encap', 'seg6local', 'action', 'End.X', 'nh6', 'fd00::9', 'dev', 'b0')]],
  ['multipath with an encap', R({ dst: '10.9.0.0/16', multipath: [{ dev: 'b0', gateway: '10.0.0.9', encap: { type: 'ip', id: 7, dst: '10.0.0.8' } }, { dev: 'b0', gateway: '10.0.0.10' }] }),
    [ipR('10.9.0.0/16', 'nexthop', 'encap', 'ip', 'id', '7', 'dst', '10.0.0.8', 'via', '10.0.0.9', 'dev', 'b0', 'nexthop', 'via', '10.0.0.10', 'dev', 'b0')]],
  ['flush an IPv6 table', async c => { await R({ dst: 'fd09::/64', gateway: 'fd00::9', table: 50 }, { dst: '10.8.0.0/16', gateway: '10.1.0.9', table: 50 })(c); await c.route.flush({ table: 50, family: 6 }) },
    [ipR6('fd09::/64', 'via', 'fd00::9', 'table', '50'), ipR('10.8.0.0/16', 'via', '10.1.0.9', 'table', '50'), ['-6', 'route', 'flush', 'table', '50']]],
])
