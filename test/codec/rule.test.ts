// Rule requests against what `ip rule` sends for the same command (captured with strace from
// iproute2 6.1). ip writes attributes in the order of its command line, the library in its
// table's order: the header must be equal byte for byte and the attributes as a set.
import t from 'tap'
import { FakeKernel, errorMsg, nlmsg } from '../helpers/fake-kernel.js'
import { attrSet } from '../helpers/tlv.js'
import { openSync } from '../../src/client.js'
import type { RuleOptions } from '../../src/rtnl/rule/api.js'
import { decodeRule, ruleOptions, ruleRequest, ruleMessage } from '../../src/rtnl/rule/api.js'

const IP: [string, RuleOptions, 'add' | 'del', string][] = [
  ['rule add from 10.0.0.0/8 table 100 pref 1000', { src: '10.0.0.0/8', table: 100, priority: 1000 }, 'add',
    '020008006400000100000000080002000a00000008000600e8030000'],
  ['rule add to 192.168.0.0/16 iif br0 lookup main priority 1001', { dst: '192.168.0.0/16', iif: 'br0', table: 'main', priority: 1001 }, 'add',
    '02100000fe0000010000000008000100c0a80000080003006272300008000600e9030000'],
  ['rule add fwmark 0x10/0xff table 200 pref 1002', { fwmark: 0x10, fwmask: 0xff, table: 200, priority: 1002 }, 'add',
    '02000000c80000010000000008000a001000000008001000ff00000008000600ea030000'],
  ['rule add not from 10.1.0.0/16 table 70000 pref 1003', { not: true, src: '10.1.0.0/16', table: 70000, priority: 1003 }, 'add',
    '020010000000000102000000080002000a01000008000f007011010008000600eb030000'],
  // ip also sends an empty FRA_SRC for "from all"; left out here.
  ['rule add pref 1004 blackhole', { priority: 1004, action: 'blackhole' }, 'add', '020000000000000600000000' + '08000600ec030000'],
  ['rule add pref 1005 goto 1010', { priority: 1005, goto: 1010 }, 'add', '02000000000000020000000008000600ed03000008000400f2030000'],
  ['rule add pref 1006 table main suppress_prefixlength 0', { priority: 1006, table: 'main', suppressPrefixLength: 0 }, 'add',
    '02000000fe0000010000000008000600ee03000008000e0000000000'],
  ['-6 rule add from fd00::/8 oif br0 table 100 pref 1007', { src: 'fd00::/8', oif: 'br0', table: 100, priority: 1007 }, 'add',
    '0a000800640000010000000014000200fd000000000000000000000000000000080011006272300008000600ef030000'],
  ['rule add pref 1008 uidrange 1000-2000 ipproto tcp dport 80-90 sport 1000 table 5',
    { priority: 1008, uidRange: { start: 1000, end: 2000 }, ipProto: 'tcp', dport: { start: 80, end: 90 }, sport: 1000, table: 5 }, 'add',
    '02000000050000010000000008000600f00300000c001400e8030000d007000005001600060000000800180050005a0008001700e803e803'],
  ['rule add pref 1009 tos 0x10 protocol static unreachable', { priority: 1009, tos: 0x10, protocol: 'static', action: 'unreachable' }, 'add',
    '02000010000000070000000008000600f10300000500150004000000'],
  ['rule add from 10.0.0.0/8', { src: '10.0.0.0/8' }, 'add', '02000800fe00000100000000080002000a000000'],
  ['rule add pref 1011 l3mdev', { priority: 1011, l3mdev: true }, 'add', '02000000000000010000000008000600f30300000500130001000000'],
  ['rule add pref 1012 realms 5/6 table 7', { priority: 1012, flow: (5 << 16) | 6, table: 7 }, 'add', '02000000070000010000000008000600f403000008000b0006000500'],
  ['rule add pref 1013 nop', { priority: 1013, action: 'nop' }, 'add', '02000000000000030000000008000600f5030000'],
  ['rule add pref 1014 prohibit', { priority: 1014, action: 'prohibit' }, 'add', '02000000000000080000000008000600f6030000'],
  ['rule del pref 1000', { priority: 1000 }, 'del', '02000000000000000000000008000600e8030000'],
  ['rule del from 10.0.0.0/8 table 100 pref 1000', { src: '10.0.0.0/8', table: 100, priority: 1000 }, 'del',
    '020008006400000000000000080002000a00000008000600e8030000'],
]

/** The TLVs of a payload after the 12-byte header, as hex strings, sorted. */

for (const [cmd, opts, verb, hex] of IP) {
  t.test(`ip ${cmd}`, async t => {
    const k = new FakeKernel(m => k.reply(errorMsg(m, 0)))
    const r = openSync({ binding: k })
    await r.rule[verb](opts)
    const m = k.sent[0]!
    t.equal(m.type, verb === 'add' ? 32 : 33)
    t.equal(m.flags & 0xf00, verb === 'add' ? 0x600 : 0, 'CREATE|EXCL on add')
    const got = m.payload.toString('hex')
    t.equal(got.slice(0, 24), hex.slice(0, 24), 'fib_rule_hdr')
    t.same(attrSet(got, 12), attrSet(hex, 12), 'the same attributes')
    // Decoding what was sent gives the options back (what a dump would show of it).
    const sent = nlmsg(32, 0, 0, 0, m.payload)
    const rule = decodeRule({ type: 32, flags: 0, seq: 0, pid: 0, buf: sent, off: 16, end: sent.readUInt32LE(0) })
    if (verb === 'add') {
      const again = ruleRequest(ruleOptions(rule), true)
      t.equal(ruleMessage(32, 0, again.h, again.attrs).subarray(16).toString('hex').slice(0, 24), hex.slice(0, 24), 'a decoded rule gives the same header back')
    }
    r.close()
  })
}

t.test('bad options are refused', async t => {
  const k = new FakeKernel(m => k.reply(errorMsg(m, 0)))
  const r = openSync({ binding: k })
  for (const [opts, field] of [
    [{ src: '10.0.0.0/33' }, 'src'], [{ src: '10.0.0.0/8', dst: 'fd00::/8' }, 'dst'], [{ family: 6, src: '10.0.0.0/8' }, 'src'],
    [{ table: 0 }, 'table'], [{ table: 'mian' }, 'table'], [{ action: 'drop' }, 'action'], [{ goto: 5, action: 'nop' }, 'goto'],
    [{ action: 'goto' }, 'goto'], [{ table: 5, action: 'blackhole' }, 'table'], [{ iif: 'x'.repeat(16) }, 'iif'],
    [{ sport: { start: 90, end: 80 } }, 'sport'], [{ dport: 70000 }, 'dport'], [{ ipProto: 'tcpp' }, 'ipProto'],
    [{ uidRange: { start: 5 } }, 'uidRange'], [{ priority: -1 }, 'priority'], [{ tos: 256 }, 'tos'], [{ pref: 5 }, 'pref'],
    [{ tunId: -1 }, 'tunId'], [{ not: 'yes' }, 'not'],
  ] as const) {
    const err = await r.rule.add(opts as never).catch(e => e)
    t.equal(err?.name, 'ValidationError', JSON.stringify(opts))
    t.equal(err?.field, field)
  }
  t.equal(k.sent.length, 0, 'nothing sent')
  r.close()
})
