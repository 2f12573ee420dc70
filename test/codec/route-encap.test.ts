// Route encapsulations (RTA_ENCAP + RTA_ENCAP_TYPE): the bytes of each typed form against
// the bytes iproute2 6.1 sends for the same `ip route add ... encap ...` (captured with
// strace, padding zeroed: ip leaves stack garbage there), both ways. mpls and xfrm, which
// this kernel lacks, are checked here only; <linux/mpls_iptunnel.h> and <linux/lwtunnel.h>
// agree (struct mpls_label: label << 12 | bos << 8; LWT_XFRM_IF_ID = 1).
import t from 'tap'
import { NlWriter } from '../../src/attr/writer.js'
import { checkEncap, decodeEncap, encodeEncap, type RouteEncap } from '../../src/rtnl/route/encap.js'
import { decodeRouteAt, routeMessage } from '../../src/rtnl/route/codec.js'
import { RTM_NEWROUTE } from '../../src/rtnl/route/schema.js'
import { DecodeError, ValidationError } from '../../src/errors.js'

const cases: [string, string, RouteEncap][] = [
  ['encap ip id 5 dst 10.0.0.9 src 10.0.0.1 ttl 10 tos 4 key csum seq',
    '380016800c0001000000000000000005080002000a000009080003000a000001050004000a000000050005000400000006000600000d00000600150002000000',
    { type: 'ip', id: 5, dst: '10.0.0.9', src: '10.0.0.1', ttl: 10, tos: 4, flags: ['csum', 'key', 'seq'] }],
  ['encap ip6 id 7 dst 2001:db8::9 src 2001:db8::1 hoplimit 3 tc 2',
    '480016800c00010000000000000000071400020020010db80000000000000000000000091400030020010db8000000000000000000000001050004000300000005000500020000000600150004000000',
    { type: 'ip6', id: 7, dst: '2001:db8::9', src: '2001:db8::1', hoplimit: 3, tc: 2 }],
  ['encap mpls 100/200 ttl 5',
    '180016800c00010000064000000c810005000200050000000600150001000000',
    { type: 'mpls', labels: [100, 200], ttl: 5 }],
  ['encap seg6 mode encap segs 2001:db8::2,2001:db8::3',
    '340016803000010001000000000404010100000020010db800000000000000000000000320010db80000000000000000000000020600150005000000',
    { type: 'seg6', mode: 'encap', segments: ['2001:db8::2', '2001:db8::3'] }],
  ['encap seg6 mode inline segs 2001:db8::2 (a zero slot for the destination)',
    '34001680300001000000000000040401010000000000000000000000000000000000000020010db80000000000000000000000020600150005000000',
    { type: 'seg6', mode: 'inline', segments: ['2001:db8::2'] }],
  ['encap seg6 mode l2encap segs 2001:db8::2 hmac 7',
    '4c0016804800010002000000000704000008000020010db8000000000000000000000002052600000000000700000000000000000000000000000000000000000000000000000000000000000600150005000000',
    { type: 'seg6', mode: 'l2encap', segments: ['2001:db8::2'], hmac: 7 }],
  ['encap seg6local action End.X nh6 2001:db8::2',
    '2000168008000100020000001400050020010db80000000000000000000000020600150007000000',
    { type: 'seg6local', action: 'End.X', nh6: '2001:db8::2' }],
  ['encap seg6local action End.B6 srh segs 2001:db8::5,2001:db8::6 (inserted: a zero slot)',
    '4800168008000100090000003c00020000060402020000000000000000000000000000000000000020010db800000000000000000000000620010db80000000000000000000000050600150007000000',
    { type: 'seg6local', action: 'End.B6', srh: { segments: ['2001:db8::5', '2001:db8::6'] } }],
  ['encap seg6local action End.B6.Encaps srh segs 2001:db8::5',
    '28001680080001000a0000001c000200000204000000000020010db80000000000000000000000050600150007000000',
    { type: 'seg6local', action: 'End.B6.Encaps', srh: { segments: ['2001:db8::5'] } }],
  ['encap seg6local action End.DX4 nh4 10.0.0.2 oif (index 2)',
    '1c0016800800010006000000080004000a00000208000700020000000600150007000000',
    { type: 'seg6local', action: 'End.DX4', nh4: '10.0.0.2', oif: 2 }],
  ['encap seg6local action End.DT6 table 100',
    '14001680080001000700000008000300640000000600150007000000',
    { type: 'seg6local', action: 'End.DT6', table: 100 }],
  ['encap xfrm if_id 5',
    '0c0016800800010005000000060015000a000000',
    { type: 'xfrm', ifId: 5 }],
]

function encode(v: RouteEncap): string {
  const w = new NlWriter()
  encodeEncap(w, v)
  return w.buf.subarray(0, w.off).toString('hex')
}

/** Decodes RTA_ENCAP + RTA_ENCAP_TYPE bytes (in that order, as the kernel and ip send them). */
function decode(hex: string): RouteEncap {
  const b = Buffer.from(hex, 'hex')
  const len = b.readUInt16LE(0)
  const typeAt = (len + 3) & ~3
  return decodeEncap(b, 4, len - 4, b.readUInt16LE(typeAt + 4), 'RTA_ENCAP')
}

for (const [what, hex, v] of cases) {
  t.test(what, async t => {
    t.doesNotThrow(() => checkEncap(v, 'encap'), 'passes the checks')
    t.equal(encode(v), hex, "the bytes ip sends")
    t.same(decode(hex), v, 'decoded back')
  })
}

t.test('seg6local count: the request carries three zero counters (as ip sends); read back as counters', async t => {
  const hex = '34001680080001000100000028000a800c00020000000000000000000c00030000000000000000000c00040000000000000000000600150007000000'
  t.equal(encode({ type: 'seg6local', action: 'End', counters: true }), hex)
  const reported = Buffer.from(hex, 'hex')
  reported.writeUInt32LE(17, 16 + 4) // packets 17
  t.same(decode(reported.toString('hex')), { type: 'seg6local', action: 'End', counters: { packets: 17, bytes: 0, errors: 0 } })
})

t.test('tunnel ids above 2^53 are bigints both ways', async t => {
  const v: RouteEncap = { type: 'ip', id: 0xfedcba9876543210n, dst: '10.0.0.1' }
  const hex = encode(v)
  t.match(hex, /^.{8}0c000100fedcba9876543210/, 'a __be64')
  t.same(decode(hex), v)
  t.same(decode(encode({ type: 'ip', id: 2 ** 53 - 1 })), { type: 'ip', id: 2 ** 53 - 1 }, 'a number up to 2^53 - 1')
})

t.test('types without a typed form: attributes kept raw and sent back as they are', async t => {
  const hexIla = '0c00168008000100aabbccdd0600150003000000'
  const d = decode(hexIla)
  t.same(d, { type: 'ila', unknown: [{ type: 1, data: new Uint8Array([0xaa, 0xbb, 0xcc, 0xdd]) }] })
  t.equal(encode(d), hexIla, 'round trip')
  t.same(decode('04001680' + '060015006300' + '0000'), { type: 99 }, 'an unknown type number, no attributes')
})

t.test('a PAD attribute before a 64-bit id is dropped, unknown attributes are kept', async t => {
  // LWTUNNEL_IP_PAD (7), then LWTUNNEL_IP_ID, then LWTUNNEL_IP_OPTS (8) with one byte.
  const hex = '1c001680' + '04000700' + '0c0001000000000000000009' + '0500080001000000' + '0600150002000000'
  t.same(decode(hex), { type: 'ip', id: 9, unknown: [{ type: 8, data: new Uint8Array([1]) }] })
})

t.test('on a route and on multipath paths: encoded with the route, decoded by the route decoder', async t => {
  const encap: RouteEncap = { type: 'seg6', mode: 'encap', segments: ['2001:db8::2'] }
  const pathEncap: RouteEncap = { type: 'ip', id: 9, dst: '10.0.0.77' }
  const m = routeMessage(RTM_NEWROUTE, 0, { family: 2, dstLen: 24, table: 254, protocol: 3, scope: 0, type: 1 }, {
    dst: '10.6.0.0', flow: 5, encap,
    multipath: [{ oif: 2, weight: 1, flags: [], gateway: '10.0.0.2', encap: pathEncap, flow: 7 }, { oif: 2, weight: 2, flags: [], gateway: '10.0.0.3' }],
  })
  const r = decodeRouteAt(m, 16, m.length)
  t.same(r.encap, encap)
  t.equal(r.encapType, 'seg6')
  t.equal(r.flow, 5)
  t.same(r.multipath, [
    { oif: 2, weight: 1, flags: [], gateway: '10.0.0.2', encapType: 'ip', encap: pathEncap, flow: 7 },
    { oif: 2, weight: 2, flags: [], gateway: '10.0.0.3' },
  ])
  t.equal(r.unknown, undefined, 'nothing left raw')
})

t.test('malformed encapsulations are DecodeErrors', async t => {
  t.throws(() => decode('0c0016800800010001000000' + '0600150005000000'), DecodeError, 'seg6: an SRH shorter than its header')
  // hdrlen says 2 (24 bytes) but first_segment says 3 segments
  t.throws(() => decode('24001680' + '20000100' + '00000000' + '0002040303000000' + '00'.repeat(16) + '0600150005000000'), DecodeError, 'seg6: more segments than the header holds')
  t.throws(() => decode('0c0016800700010000000100' + '0600150001000000'), DecodeError, 'mpls: a label stack of 3 bytes')
  t.throws(() => decode('0c001680' + '0700020001020300' + '0600150002000000'), DecodeError, 'ip: a dst of 3 bytes')
  t.throws(() => decode('08001680' + '0500010001000000' + '0600150002000000'), DecodeError, 'an attribute running past its nest')
})

t.test('bad encap options are ValidationErrors naming the field', async t => {
  const bad: [unknown, string][] = [
    [null, 'encap'],
    [{ type: 'gre' }, 'encap.type'],
    [{ type: 'none' }, 'encap.type'],
    [{ type: 'ip', dst: '2001:db8::1' }, 'encap.dst'],
    [{ type: 'ip', id: -1 }, 'encap.id'],
    [{ type: 'ip', id: 2 ** 64 }, 'encap.id'],
    [{ type: 'ip', ttl: 256 }, 'encap.ttl'],
    [{ type: 'ip', flags: ['kye'] }, 'encap.flags'],
    [{ type: 'ip', dts: '10.0.0.1' }, 'encap.dts'],
    [{ type: 'ip6', dst: '10.0.0.1' }, 'encap.dst'],
    [{ type: 'mpls' }, 'encap.labels'],
    [{ type: 'mpls', labels: [1 << 20] }, 'encap.labels'],
    [{ type: 'mpls', labels: [] }, 'encap.labels'],
    [{ type: 'seg6', segments: ['2001:db8::1'] }, 'encap.mode'],
    [{ type: 'seg6', mode: 'tunnel', segments: ['2001:db8::1'] }, 'encap.mode'],
    [{ type: 'seg6', mode: 'encap', segments: [] }, 'encap.segments'],
    [{ type: 'seg6', mode: 'encap', segments: ['10.0.0.1'] }, 'encap.segments[0]'],
    [{ type: 'seg6', mode: 'encap', segments: ['2001:db8::1'], hmac: -1 }, 'encap.hmac'],
    [{ type: 'seg6', mode: 'encap', segs: ['2001:db8::1'] }, 'encap.segs'],
    [{ type: 'seg6local' }, 'encap.action'],
    [{ type: 'seg6local', action: 'End.Y' }, 'encap.action'],
    [{ type: 'seg6local', action: 'End.X', nh6: '10.0.0.1' }, 'encap.nh6'],
    [{ type: 'seg6local', action: 'End.B6', srh: { segments: ['x'] } }, 'encap.srh.segments[0]'],
    [{ type: 'seg6local', action: 'End', counters: 'yes' }, 'encap.counters'],
    [{ type: 'seg6local', action: 'End', oif: -1 }, 'encap.oif'],
    [{ type: 'xfrm' }, 'encap.ifId'],
    [{ type: 'bpf', unknown: 'x' }, 'encap.unknown'],
    [{ type: 'bpf', headroom: 5 }, 'encap.headroom'],
  ]
  for (const [v, field] of bad) {
    const err = (() => { try { checkEncap(v, 'encap') } catch (e) { return e } })()
    t.type(err, ValidationError, JSON.stringify(v))
    t.equal((err as ValidationError).field, field, `${JSON.stringify(v)} names ${field}`)
  }
})
