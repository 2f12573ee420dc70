// The TLV writer and table codec: alignment, nesting, unknown attributes,
// malformed input, and the hand-written nlmsghdr reader against its
// buffer-layout declaration.
import t from 'tap'
import { NlWriter } from '../../src/attr/writer.js'
import { attrTable, decodeAttrs, encodeAttrs, enumOf, flag, nested, str, u16, u32, u64, u8, attrPathAt } from '../../src/attr/table.js'
import { ip, mac } from '../../src/attr/types.js'
import { DecodeError } from '../../src/errors.js'
import { nlmsghdr, readHeader } from '../../src/netlink/header.js'

const hex = (s: TemplateStringsArray) => Buffer.from(s.join('').replace(/#.*$/gm, '').replace(/[^0-9a-f]/gi, ''), 'hex')

const INNER = attrTable('IN', { IN_A: [1, 'a', u8], IN_B: [2, 'b', str] })
const T = attrTable('T', {
  T_NAME: [1, 'name', str],
  T_MTU: [2, 'mtu', u32],
  T_ADDR: [3, 'addr', ip],
  T_MAC: [4, 'mac', mac],
  T_NEST: [5, 'nest', nested(INNER)],
  T_ON: [6, 'on', flag],
  T_BIG: [7, 'big', u64],
  T_MODE: [8, 'mode', enumOf(u16, { fast: 1, slow: 2 })],
})

t.test('encode: alignment, nesting with NLA_F_NESTED, and field order from the table', async t => {
  const w = new NlWriter(8) // grows
  encodeAttrs(T, w, { name: 'eth0', mtu: 1500, addr: '10.0.0.1', mac: 'aa:bb:cc:dd:ee:ff', nest: { a: 7, b: 'x' }, on: true, big: 2 ** 40, mode: 'slow' })
  t.same(w.finish(), hex`
    09 00 01 00 65 74 68 30 00 00 00 00   # T_NAME "eth0\\0" + 3 pad
    08 00 02 00 dc 05 00 00               # T_MTU 1500
    08 00 03 00 0a 00 00 01               # T_ADDR 10.0.0.1
    0a 00 04 00 aa bb cc dd ee ff 00 00   # T_MAC + 2 pad
    14 00 05 80                           # T_NEST | NLA_F_NESTED, 20 bytes
      05 00 01 00 07 00 00 00             #   IN_A 7
      06 00 02 00 78 00 00 00             #   IN_B "x"
    04 00 06 00                           # T_ON (flag)
    0c 00 07 00 00 00 00 00 00 01 00 00   # T_BIG 2^40
    06 00 08 00 02 00 00 00               # T_MODE slow
  `)
})

t.test('decode is the inverse, and unknown attributes survive a round trip', async t => {
  const w = new NlWriter()
  encodeAttrs(T, w, { name: 'eth0', nest: { a: 1 }, mode: 'fast' })
  w.attrU32(99, 5) // unknown to the table
  w.attrU16(8, 77) // enum value without a name
  const bytes = w.finish()
  const d = decodeAttrs(T, bytes, 0, bytes.length, '')
  t.same(d, { name: 'eth0', nest: { a: 1 }, mode: 77, unknown: [{ type: 99, data: Buffer.from([5, 0, 0, 0]) }] })
  const w2 = new NlWriter()
  encodeAttrs(T, w2, d)
  const d2 = decodeAttrs(T, w2.finish(), 0, w2.off, '')
  t.same(d2, d)
})

t.test('malformed attributes give DecodeError with the path', async t => {
  const bad = hex`08 00 01 00 61 62 63 00  10 00 05 80 05 00 01 00 07 00 00 00 ff 00 02 00`
  const err = (() => { try { decodeAttrs(T, bad, 0, bad.length, 'MSG') } catch (e) { return e } })() as DecodeError
  t.type(err, DecodeError)
  t.equal(err.path, 'MSG > T_NEST')
  t.equal(err.offset, 20)
  t.match(err.excerpt, /\[ff\]/)
  const short = hex`05 00 02 00 01 00 00 00`
  t.throws(() => decodeAttrs(T, short, 0, short.length, ''), DecodeError, 'u32 with 1 byte')
  const bigLen = hex`04 00 01 00 10 00 02 00`
  t.throws(() => decodeAttrs(T, bigLen, 0, bigLen.length, ''), DecodeError, 'length past the end')
})

t.test('attrPathAt names the attribute at an offset, through nests', async t => {
  const w = new NlWriter()
  encodeAttrs(T, w, { name: 'eth0', nest: { a: 1, b: 'zz' } })
  const b = w.finish()
  const innerB = 12 + 4 + 8
  t.same(attrPathAt(T, b, 0, b.length, innerB).path, ['T_NEST', 'IN_B'])
  t.same(attrPathAt(T, b, 0, b.length, 0).path, ['T_NAME'])
  t.same(attrPathAt(T, b, 0, b.length, 500).path, [])
})

t.test('nlmsghdr reader matches its buffer-layout declaration', async t => {
  const w = new NlWriter()
  const s = w.beginMessage(0x1234, 0x0305)
  w.attrU32(1, 1)
  w.endMessage(s)
  const b = w.finish()
  b.writeUInt32LE(0xdeadbeef, 8)
  b.writeUInt32LE(77, 12)
  t.same(readHeader(b, 0), nlmsghdr.decode(b, 0))
  t.same(readHeader(b, 0), { len: 24, type: 0x1234, flags: 0x0305, seq: 0xdeadbeef, pid: 77 })
})
