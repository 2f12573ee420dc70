// Nexthop requests against what `ip nexthop` sends for the same command (captured with strace
// from iproute2 6.1; va is index 3): header byte for byte, attributes as a set.
import t from 'tap'
import { FakeKernel, errorMsg, nlmsg } from '../helpers/fake-kernel.js'
import { checkAgainstIp } from '../helpers/tlv.js'
import { openSync } from '../../src/client.js'
import { decodeNexthop } from '../../src/rtnl/nexthop/api.js'

type R = ReturnType<typeof openSync>
const IP: [string, (r: R) => Promise<unknown>, number, number, string][] = [
  ['nexthop add id 1 via 10.0.0.2 dev va', r => r.nexthop.add({ id: 1, gateway: '10.0.0.2', dev: 3 }), 104, 0x605,
    '02000000000000000800010001000000080006000a0000020800050003000000'],
  ['nexthop add id 2 blackhole', r => r.nexthop.add({ id: 2, blackhole: true }), 104, 0x605, '0200000000000000080001000200000004000400'],
  ['nexthop add id 3 via 10.0.0.3 dev va onlink', r => r.nexthop.add({ id: 3, gateway: '10.0.0.3', dev: 3, onlink: true }), 104, 0x605,
    '02000000040000000800010003000000080006000a0000030800050003000000'],
  ['nexthop add id 4 via fd00::2 dev va', r => r.nexthop.add({ id: 4, gateway: 'fd00::2', dev: 3 }), 104, 0x605,
    '0a00000000000000080001000400000014000600fd0000000000000000000000000000020800050003000000'],
  ['nexthop add id 5 dev va', r => r.nexthop.add({ id: 5, dev: 3 }), 104, 0x605, '020000000000000008000100050000000800050003000000'],
  ['nexthop add id 10 group 1/3,4', r => r.nexthop.add({ id: 10, group: [1, { id: 3, weight: 4 }] }), 104, 0x605,
    '0000000000000000080001000a0000001400020001000000000000000300000003000000'],
  ['nexthop add id 11 group 1/3 type resilient buckets 8 idle_timer 60 unbalanced_timer 30',
    r => r.nexthop.add({ id: 11, group: [1, 3], groupType: 'resilient', resilient: { buckets: 8, idleTimer: 60, unbalancedTimer: 30 } }), 104, 0x605,
    '0000000000000000080001000b00000014000200010000000000000003000000000000001c000c800600010008000000080002007017000008000300b80b00000600030001000000'],
  ['nexthop replace id 1 via 10.0.0.4 dev va', r => r.nexthop.replace({ id: 1, gateway: '10.0.0.4', dev: 3 }), 104, 0x505,
    '02000000000000000800010001000000080006000a0000040800050003000000'],
  ['nexthop del id 3', r => r.nexthop.del(3), 105, 0x005, '00000000000000000800010003000000'],
  ['nexthop show', r => r.nexthop.list().toArray(), 106, 0x301, '0000000000000000'],
  ['nexthop show id 1', r => r.nexthop.get(1), 106, 0x001, '00000000000000000800010001000000'],
  ['nexthop show dev va', r => r.nexthop.list({ dev: 3 }).toArray(), 106, 0x301, '00000000000000000800050003000000'],
  ['nexthop show groups', r => r.nexthop.list({ groups: true }).toArray(), 106, 0x301, '000000000000000004000900'],
  ['-6 nexthop show', r => r.nexthop.list({ family: 6 }).toArray(), 106, 0x301, '0a00000000000000'],
  ['nexthop add id 20 via 10.0.0.9 fdb', r => r.nexthop.add({ id: 20, gateway: '10.0.0.9', fdb: true }), 104, 0x605,
    '02000000000000000800010014000000080006000a00000904000b00'],
  ['nexthop add id 21 group 20 fdb', r => r.nexthop.add({ id: 21, group: [20], fdb: true }), 104, 0x605,
    '000000000000000008000100150000000c000200140000000000000004000b00'],
  ['nexthop add id 30 via 10.0.0.2 dev va protocol static', r => r.nexthop.add({ id: 30, gateway: '10.0.0.2', dev: 3, protocol: 'static' }), 104, 0x605,
    '0200040000000000080001001e000000080006000a0000020800050003000000'],
]

for (const [cmd, call, type, flags, hex] of IP)
  t.test(`ip ${cmd}`, t => checkAgainstIp(t, call, { type, flags, hex, headerLen: 8, getType: 106 }))

t.test('decoding: a resilient group as the kernel reports it', async t => {
  // ip's request for group 1/3 type resilient, plus the kernel's scope/protocol: decodes to the same options.
  const p = Buffer.from('0000000000000000080001000b00000014000200010000000000000003000000000000001c000c800600010008000000080002007017000008000300b80b00000600030001000000', 'hex')
  const raw = nlmsg(104, 0, 0, 0, p)
  t.same(decodeNexthop({ type: 104, flags: 0, seq: 0, pid: 0, buf: raw, off: 16, end: raw.readUInt32LE(0) }), {
    id: 11, flags: [], scope: 'universe', protocol: 'unspec', group: [{ id: 1, weight: 1 }, { id: 3, weight: 1 }], groupType: 'resilient',
    resilient: { buckets: 8, idleTimer: 60, unbalancedTimer: 30 },
  })
})

t.test('bad options are refused before anything is sent', async t => {
  const k = new FakeKernel(m => k.reply(errorMsg(m, 0)))
  const r = openSync({ binding: k })
  for (const [opts, field] of [
    [{ id: 0, dev: 3 }, 'id'], [{ id: 1 }, 'dev'], [{ id: 1, blackhole: true, dev: 3 }, 'blackhole'], [{ id: 1, group: [] }, 'group'],
    [{ id: 1, group: [{ id: 2, weight: 257 }] }, 'group[0].weight'], [{ id: 1, group: [2], dev: 3 }, 'dev'], [{ id: 1, dev: 3, groupType: 'resilient' }, 'groupType'],
    [{ id: 1, group: [2], groupType: 'hash' }, 'groupType'], [{ id: 1, gateway: '10.0.0.300', dev: 3 }, 'gateway'], [{ id: 1, family: 6, gateway: '10.0.0.1', dev: 3 }, 'gateway'],
    [{ id: 1, group: [2], groupType: 'resilient', resilient: { buckets: 0 } }, 'resilient.buckets'], [{ id: 1, dev: 3, via: '10.0.0.1' }, 'via'],
    [{ id: 1, gateway: '10.0.0.1', fdb: true, dev: 3 }, 'dev'],
  ] as const) {
    const err = await r.nexthop.add(opts as never).catch(e => e)
    t.equal(err?.name, 'ValidationError', JSON.stringify(opts))
    t.equal(err?.field, field)
  }
  t.equal(k.sent.length, 0)
  r.close()
})
