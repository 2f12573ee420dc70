// FDB requests against what `bridge fdb` sends for the same command (captured with strace
// from iproute2 6.1; va is index 4, vx0 index 5): header byte for byte, attributes as a set.
import t from 'tap'
import { FakeKernel, errorMsg, nlmsg } from '../helpers/fake-kernel.js'
import { checkAgainstIp } from '../helpers/tlv.js'
import { openSync } from '../../src/client.js'
import { decodeFdb } from '../../src/rtnl/neigh/fdb.js'

type R = ReturnType<typeof openSync>
const BRIDGE: [string, (r: R) => Promise<unknown>, number, number, string][] = [
  ['fdb add 02:00:00:00:00:01 dev va master', r => r.fdb.add({ link: 4, mac: '02:00:00:00:00:01', master: true }), 28, 0x605,
    '0700000004000000c00004000a0002000200000000010000'],
  ['fdb add 02:00:00:00:00:02 dev va master static vlan 1', r => r.fdb.add({ link: 4, mac: '02:00:00:00:00:02', master: true, state: 'static', vlan: 1 }), 28, 0x605,
    '0700000004000000420004000a00020002000000000200000600050001000000'],
  ['fdb add 02:00:00:00:00:04 dev va master dynamic', r => r.fdb.add({ link: 4, mac: '02:00:00:00:00:04', master: true, state: 'dynamic' }), 28, 0x605,
    '0700000004000000020004000a0002000200000000040000'],
  ['fdb add 02:00:00:00:00:05 dev va', r => r.fdb.add({ link: 4, mac: '02:00:00:00:00:05' }), 28, 0x605,
    '0700000004000000c00002000a0002000200000000050000'],
  ['fdb append 00:00:00:00:00:00 dev vx0 dst 10.0.0.2', r => r.fdb.append({ link: 5, mac: '00:00:00:00:00:00', dst: '10.0.0.2' }), 28, 0xc05,
    '0700000005000000c00002000a0002000000000000000000080001000a000002'],
  ['fdb add 02:00:00:00:00:06 dev vx0 dst 10.0.0.3 port 4790 vni 43 self permanent',
    r => r.fdb.add({ link: 5, mac: '02:00:00:00:00:06', dst: '10.0.0.3', port: 4790, vni: 43, self: true, state: 'permanent' }), 28, 0x605,
    '0700000005000000c00002000a0002000200000000060000080001000a0000030600060012b60000080007002b000000'],
  // (bridge sends NOARP|PERMANENT for this without "static", which the kernel refuses: EINVAL.)
  ['fdb replace 02:00:00:00:00:01 dev va master sticky static', r => r.fdb.replace({ link: 4, mac: '02:00:00:00:00:01', master: true, sticky: true, state: 'static' }), 28, 0x505,
    '0700000004000000420044000a0002000200000000010000'],
  ['fdb del 02:00:00:00:00:01 dev va master', r => r.fdb.del({ link: 4, mac: '02:00:00:00:00:01', master: true }), 29, 0x005,
    '0700000004000000c00004000a0002000200000000010000'],
  ['fdb del 02:00:00:00:00:02 dev va master vlan 1', r => r.fdb.del({ link: 4, mac: '02:00:00:00:00:02', master: true, vlan: 1 }), 29, 0x005,
    '0700000004000000c00004000a00020002000000000200000600050001000000'],
  ['fdb show', r => r.fdb.list().toArray(), 30, 0x301, '070000000000000000000000'],
  ['fdb show br br0', r => r.fdb.list({ master: 2 }).toArray(), 30, 0x301, '0700000000000000000000000800090002000000'],
  ['fdb show brport va', r => r.fdb.list({ link: 4 }).toArray(), 30, 0x301, '070000000400000000000000'],
]

for (const [cmd, call, type, flags, hex] of BRIDGE)
  t.test(`bridge ${cmd}`, t => checkAgainstIp(t, call, { type, flags, hex, headerLen: 12 }))

t.test('decoding an entry: state by how bridge prints it, vxlan fields', async t => {
  const payload = Buffer.from('0700000005000000800002000a0002000200000000060000080001000a0000030600060012b60000080007002b00000008000800030000000800090002000000', 'hex')
  const raw = nlmsg(28, 0, 0, 0, payload)
  t.same(decodeFdb({ type: 28, flags: 0, seq: 0, pid: 0, buf: raw, off: 16, end: raw.readUInt32LE(0) }), {
    index: 5, mac: '02:00:00:00:00:06', state: 'permanent', flags: ['self'], master: 2, dst: '10.0.0.3', port: 4790, vni: 43, via: 3,
  })
})

t.test('bad options are refused before anything is sent', async t => {
  const k = new FakeKernel(m => k.reply(errorMsg(m, 0)))
  const r = openSync({ binding: k })
  for (const [opts, field] of [
    [{ link: 4, mac: '02:00:00:00:01' }, 'mac'], [{ link: 4, mac: 'zz:00:00:00:00:01' }, 'mac'], [{ link: 4, mac: '02:00:00:00:00:01', vlan: 4095 }, 'vlan'],
    [{ link: 4, mac: '02:00:00:00:00:01', state: 'learned' }, 'state'], [{ link: 4, mac: '02:00:00:00:00:01', dst: '10.0.0' }, 'dst'],
    [{ link: 4, mac: '02:00:00:00:00:01', vni: 1 << 24 }, 'vni'], [{ link: 4, mac: '02:00:00:00:00:01', sticky: true }, 'sticky'], [{ mac: '02:00:00:00:00:01' }, 'link'], [{ link: 4, mac: '02:00:00:00:00:01', vid: 1 }, 'vid'],
  ] as const) {
    const err = await r.fdb.add(opts as never).catch(e => e)
    t.equal(err?.name, 'ValidationError', JSON.stringify(opts))
    t.equal(err?.field, field)
  }
  t.equal(k.sent.length, 0)
  r.close()
})
