// Route codec: bytes per <linux/rtnetlink.h>; the straight-line decoder checked
// against the table-driven one; encode ↔ decode round trips.
import t from 'tap'
import { decodeRouteAt, routeMessage, type RtMsgHeader } from '../../src/rtnl/route/codec.js'
import { plainRouteMessage, RouteApi, type RouteOptions } from '../../src/rtnl/route/api.js'
import { RTA, rtmsg, RTM_NEWROUTE, type RouteAttrs } from '../../src/rtnl/route/schema.js'
import { decodeAttrs } from '../../src/attr/table.js'
import { DecodeError } from '../../src/errors.js'

const hex = (s: TemplateStringsArray) => Buffer.from(s.join('').replace(/#.*$/gm, '').replace(/[^0-9a-f]/gi, ''), 'hex')

// As the kernel reports `ip route add 10.2.0.0/16 via 10.0.0.254 dev r0 metric 20 proto static` (ifindex 3)
const v4 = hex`
  02 10 00 00 fe 04 00 01 00 00 00 00   # rtmsg: AF_INET /16, tos 0, table main, proto static, scope universe, unicast, flags 0
  08 00 0f 00 fe 00 00 00               # RTA_TABLE 254
  08 00 01 00 0a 02 00 00               # RTA_DST 10.2.0.0
  08 00 06 00 14 00 00 00               # RTA_PRIORITY 20
  08 00 05 00 0a 00 00 fe               # RTA_GATEWAY 10.0.0.254
  08 00 04 00 03 00 00 00               # RTA_OIF 3
`

t.test('IPv4 route via a gateway', async t => {
  const r = decodeRouteAt(v4, 0, v4.length)
  t.same(r, { family: 'inet', dst: '10.2.0.0/16', dstLength: 16, tos: 0, table: 254, protocol: 'static', scope: 'universe', type: 'unicast', flags: [], gateway: '10.0.0.254', priority: 20, oif: 3 })
  t.same(rtmsg.decode(v4, 0), { family: 2, dstLen: 16, srcLen: 0, tos: 0, table: 254, protocol: 4, scope: 0, type: 1, flags: 0 }, 'header agrees with the rtmsg declaration')
  const table = decodeAttrs(RTA, v4, 12, v4.length, '')
  t.same({ table: r.table, dst: r.dst.split('/')[0], priority: r.priority, gateway: r.gateway, oif: r.oif }, table, 'straight-line decode agrees with the table-driven one')
  const m = routeMessage(RTM_NEWROUTE, 0, { family: 2, dstLen: 16, table: 254, protocol: 4, scope: 0, type: 1 }, { dst: '10.2.0.0', gateway: '10.0.0.254', oif: 3, priority: 20, table: 254 })
  t.same(decodeRouteAt(m, 16, m.length), r, 'encode → decode round trip')
})

t.test('multipath with weights, metrics, table > 255, via another family', async t => {
  const golden = hex`
    02 18 00 00 00 03 00 01 00 00 00 00   # rtmsg: AF_INET /24, table unspec (see RTA_TABLE), proto boot, unicast
    08 00 01 00 0a 1e 00 00               # RTA_DST 10.30.0.0
    14 00 08 00                           # RTA_METRICS (sent without NLA_F_NESTED, as iproute2 does)
      08 00 02 00 78 05 00 00             #   RTAX_MTU 1400
      08 00 08 00 50 05 00 00             #   RTAX_ADVMSS 1360
    24 00 09 00                           # RTA_MULTIPATH
      10 00 00 02 03 00 00 00             #   rtnexthop: len 16, flags 0, hops 2 (weight 3), ifindex 3
        08 00 05 00 0a 00 00 02           #     RTA_GATEWAY 10.0.0.2
      10 00 04 00 04 00 00 00             #   rtnexthop: flags ONLINK, hops 0 (weight 1), ifindex 4
        08 00 05 00 0a 00 01 02           #     RTA_GATEWAY 10.0.1.2
    08 00 0f 00 e8 03 00 00               # RTA_TABLE 1000
  `
  const attrs = {
    table: 1000, dst: '10.30.0.0', metrics: { mtu: 1400, advmss: 1360 },
    multipath: [{ oif: 3, weight: 3, flags: [] as [], gateway: '10.0.0.2' }, { oif: 4, weight: 1, flags: ['onlink'] as ['onlink'], gateway: '10.0.1.2' }],
  }
  const m = routeMessage(RTM_NEWROUTE, 0, { family: 2, dstLen: 24, table: 0, protocol: 3, type: 1 }, attrs)
  t.same(m.subarray(16), golden)
  t.match(decodeRouteAt(golden, 0, golden.length), { table: 1000, dst: '10.30.0.0/24', metrics: { mtu: 1400, advmss: 1360 }, multipath: attrs.multipath })
  const v = routeMessage(RTM_NEWROUTE, 0, { family: 2, dstLen: 24, type: 1 }, {
    dst: '10.31.0.0', multipath: [{ oif: 5, weight: 256, flags: [], via: { family: 'inet6', address: '2001:db8::2' } }], via: { family: 'inet6', address: 'fe80::1' },
  })
  t.match(decodeRouteAt(v, 16, v.length), { via: { family: 'inet6', address: 'fe80::1' }, multipath: [{ oif: 5, weight: 256, via: { family: 'inet6', address: '2001:db8::2' } }] })
  t.ok(v.includes(hex`16 00 12 00 0a 00 20 01 0d b8`), 'RTA_VIA: struct rtvia { AF_INET6, 16 address bytes }')
})

t.test('IPv6 blackhole and default routes', async t => {
  const m = routeMessage(RTM_NEWROUTE, 0, { family: 10, dstLen: 48, table: 254, protocol: 3, type: 6 }, { dst: '2001:db8::', pref: 1 })
  t.match(decodeRouteAt(m, 16, m.length), { family: 'inet6', dst: '2001:db8::/48', type: 'blackhole', pref: 'high' })
  const d = routeMessage(RTM_NEWROUTE, 0, { family: 10, table: 254, type: 1 }, { gateway: 'fe80::1', oif: 2 })
  t.match(decodeRouteAt(d, 16, d.length), { dst: 'default', gateway: 'fe80::1' })
})

t.test('malformed route messages give DecodeError', async t => {
  t.throws(() => decodeRouteAt(Buffer.alloc(8), 0, 8), DecodeError)
  const shortOif = hex`02 10 00 00 fe 04 00 01 00 00 00 00  06 00 04 00 03 00 00 00`
  t.throws(() => decodeRouteAt(shortOif, 0, shortOif.length), { name: 'DecodeError', path: 'RTM_NEWROUTE > RTA_OIF' })
  const badMp = hex`02 10 00 00 fe 04 00 01 00 00 00 00  0c 00 09 00 20 00 00 00 03 00 00 00`
  t.throws(() => decodeRouteAt(badMp, 0, badMp.length), { name: 'DecodeError', path: 'RTM_NEWROUTE > RTA_MULTIPATH' })
})

t.test('the message of a plain route add is byte for byte the general path\'s', async t => {
  const api = new RouteApi(undefined as never) as unknown as { build(o: RouteOptions, del: boolean, names: undefined): { h: RtMsgHeader; attrs: RouteAttrs } }
  const general = (o: RouteOptions, nl: number) => { const { h, attrs } = api.build(o, false, undefined); return routeMessage(RTM_NEWROUTE, nl, h, attrs) }
  const cases: RouteOptions[] = []
  for (const dst of ['10.0.0.0/8', '10.1.2.3/32', '10.1.2.3', '0.0.0.0/0', '192.168.0.0/16'])
    for (const extra of [{}, { type: 'blackhole' as const }, { dev: 3 }, { gateway: '10.9.9.9' }, { dev: 3, gateway: '10.9.9.9', metric: 100 },
      { type: 'local' as const, dev: 1 }, { type: 'broadcast' as const, dev: 2 }, { type: 'unreachable' as const, table: 1000 },
      { table: 'local' as const, protocol: 'static' as const }, { table: 100, protocol: 42, scope: 'host' as const }, { metric: 0, scope: 200 },
      { type: 'prohibit' as const, metric: 0xffffffff }])
      cases.push({ dst, ...extra })
  for (const o of cases)
    for (const nl of [0x600, 0x500, 0x2400]) // CREATE|EXCL, CREATE|REPLACE, CREATE|APPEND
      t.same(plainRouteMessage(o, nl), general(o, nl), `${JSON.stringify(o)} flags 0x${nl.toString(16)}`)
  const others: RouteOptions[] = [
    { dst: 'default', gateway: '10.0.0.1' }, { dst: '10.0.0.1/8' }, { dst: 'fe80::/64' }, { dst: '10.0.0.0/8', dev: 'eth0' },
    { dst: '10.0.0.0/8', gateway: 'fe80::1' }, { dst: '10.0.0.0/8', via: 'fe80::1' }, { dst: '10.0.0.0/8', table: 'nope' as never },
    { dst: '10.0.0.0/8', type: 'nope' as never }, { dst: '10.0.0.0/8', metric: -1 }, { dst: '10.0.0.0/8', dev: 0 },
    { dst: '10.0.0.0/8', onlink: true, gateway: '10.0.0.1' }, { dst: '10.0.0.0/8', family: 'inet' }, { dst: '10.0.0.0/8', scope: 'nope' as never },
  ]
  for (const o of others) t.equal(plainRouteMessage(o, 0x600), undefined, `${JSON.stringify(o)}: general path`)
})
