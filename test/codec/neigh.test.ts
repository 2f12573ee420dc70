// Neighbour requests byte for byte against what `ip neigh` sends for the same command
// (captured with strace from iproute2 6.1 in a namespace where br0 is index 2), and the
// decoder on kernel-shaped replies.
import t from 'tap'
import { FakeKernel, errorMsg, nlmsg, tlv } from '../helpers/fake-kernel.js'
import { openSync } from '../../src/client.js'
import { decodeNeigh } from '../../src/rtnl/neigh/api.js'

// ndmsg + attributes of ip's request (the nlmsghdr's seq/pid left out), with its nlmsg_flags.
const IP: [string, (r: ReturnType<typeof openSync>) => Promise<unknown>, number, number, string][] = [
  ['neigh add 10.0.0.2 lladdr 02:00:00:00:00:02 dev br0', r => r.neigh.add({ link: 2, address: '10.0.0.2', lladdr: '02:00:00:00:00:02' }),
    28, 0x605, '020000000200000080000000080001000a0000020a0002000200000000020000'],
  ['neigh replace fd00::2 lladdr 02:00:00:00:00:03 dev br0 nud stale router', r => r.neigh.replace({ link: 2, address: 'fd00::2', lladdr: '02:00:00:00:00:03', state: 'stale', router: true }),
    28, 0x505, '0a000000020000000400800014000100fd0000000000000000000000000000020a0002000200000000030000'],
  ['neigh add proxy 10.0.0.9 dev br0', r => r.neigh.add({ link: 2, address: '10.0.0.9', proxy: true }),
    28, 0x605, '020000000200000080000800080001000a000009'],
  ['neigh del 10.0.0.2 dev br0', r => r.neigh.del({ link: 2, address: '10.0.0.2' }),
    29, 0x005, '020000000200000080000000080001000a000002'],
  ['neigh del proxy 10.0.0.9 dev br0', r => r.neigh.del({ link: 2, address: '10.0.0.9', proxy: true }),
    29, 0x005, '020000000200000080000800080001000a000009'],
  ['neigh get fd00::2 dev br0', r => r.neigh.get({ link: 2, address: 'fd00::2' }),
    30, 0x001, '0a000000020000000000000014000100fd000000000000000000000000000002'],
  ['neigh show proxy', r => r.neigh.list({ proxy: true }).toArray(),
    30, 0x301, '000000000000000000000800'],
  ['-4 neigh show dev br0', r => r.neigh.list({ link: 2, family: 4 }).toArray(),
    30, 0x301, '0200000000000000000000000800080002000000'],
]

/** A kernel that ACKs changes, answers a GET with one entry and a dump with none. */
function kernel(): FakeKernel {
  const k = new FakeKernel(m => {
    if (m.type === 30 && (m.flags & 0x300) === 0x300) k.reply(nlmsg(3, 2, m.seq, m.pid, Buffer.alloc(4)))
    else if (m.type === 30) k.reply(nlmsg(28, 0, m.seq, m.pid, m.payload))
    else k.reply(errorMsg(m, 0))
  })
  return k
}

for (const [cmd, call, type, flags, hex] of IP) {
  t.test(`the bytes of: ip ${cmd}`, async t => {
    const k = kernel()
    const r = openSync({ binding: k })
    await call(r)
    const m = k.sent.at(-1)!
    t.equal(m.type, type, 'type')
    t.equal(m.flags, flags, 'flags')
    t.equal(m.payload.toString('hex'), hex, 'ndmsg and attributes')
    r.close()
  })
}

t.test('decoding: header fields, attributes, flags of both words, unknown kept', async t => {
  const nd = Buffer.from('0a000000030000000200' + '8000', 'hex') // inet6, ifindex 3, REACHABLE, flags NTF_ROUTER
  const attrs = Buffer.concat([
    tlv(1, Buffer.from('fe800000000000000000000000000001', 'hex')),
    tlv(2, Buffer.from('020000000001', 'hex')),
    tlv(3, Buffer.from('0a000000140000001e00000001000000', 'hex')),
    tlv(4, Buffer.from('02000000', 'hex')),
    tlv(15, Buffer.from('02000000', 'hex')),   // NTF_EXT_LOCKED
    tlv(99, Buffer.from('abcd', 'hex')),
  ])
  const raw = nlmsg(28, 0, 0, 0, Buffer.concat([nd, attrs]))
  const n = decodeNeigh({ type: 28, flags: 0, seq: 0, pid: 0, buf: raw, off: 16, end: raw.readUInt32LE(0) })
  t.same(n, {
    family: 'inet6', index: 3, state: 'reachable', flags: ['router', 'locked'], address: 'fe80::1', lladdr: '02:00:00:00:00:01',
    cacheInfo: { confirmed: 10, used: 20, updated: 30, refcnt: 1 }, probes: 2, unknown: [{ type: 99, data: new Uint8Array([0xab, 0xcd]) }],
  })
  const short = nlmsg(28, 0, 0, 0, Buffer.alloc(8))
  t.throws(() => decodeNeigh({ type: 28, flags: 0, seq: 0, pid: 0, buf: short, off: 16, end: 24 }), { name: 'DecodeError' })
})
