// util/shapes.ts: one object literal per set of present fields.
import t from 'tap'
import { ArgShapes, Shapes } from '../../src/util/shapes.js'

const FIELDS = ['a', 'b', 'c', 'd', 'e'] as const

t.test('objects carry the always-present fields and exactly the optional ones in the mask', async t => {
  const s = new Shapes<Record<string, unknown>>(FIELDS, 2)
  const v = [1, 2, 3, 4, 5]
  t.same(s.of(0)(v), { a: 1, b: 2 })
  t.same(Object.keys(s.of(0b101)(v)), ['a', 'b', 'c', 'e'], 'fields in declaration order')
  t.same(s.of(0b010)(v), { a: 1, b: 2, d: 4 })
  t.equal(s.of(0b010), s.of(0b010), 'one factory per set')
  t.not(s.of(0b010), s.of(0b011), 'another set, another factory')
  const x = s.of(0b111)(v)
  const y = s.of(0b111)(['x', 'y', 'z', 'w', 'q'])
  t.same(y, { a: 'x', b: 'y', c: 'z', d: 'w', e: 'q' }, 'values come from the array each call')
  t.not(x, y, 'a new object each call')
})

t.test('the high mask word selects fields 32 and up', async t => {
  const many = Array.from({ length: 40 }, (_, i) => `f${i}`)
  const s = new Shapes<Record<string, unknown>>(many, 1)
  const v = many.map((_, i) => i)
  t.same(s.of(1 << 31, 0b101)(v), { f0: 0, f32: 32, f33: 33, f35: 35 })
})

t.test('past 512 sets, objects are built field by field (the same result)', async t => {
  const many = Array.from({ length: 12 }, (_, i) => `g${i}`)
  const s = new Shapes<Record<string, unknown>>(many, 0)
  const v = many.map((_, i) => i * 10)
  for (let m = 0; m < 600; m++) {
    const o = s.of(m)(v)
    const want: Record<string, number> = {}
    for (let i = 0; i < 12; i++) if ((m >>> i) & 1) want[`g${i}`] = i * 10
    if (JSON.stringify(o) !== JSON.stringify(want)) t.fail(`mask ${m}: ${JSON.stringify(o)}`)
  }
  t.pass('600 sets checked, in order')
})

t.test('ArgShapes: the values as arguments, in field order; absent ones ignored', async t => {
  const s = new ArgShapes<Record<string, unknown>>(FIELDS, 2)
  t.same(s.of(0)(1, 2, 3, 4, 5), { a: 1, b: 2 })
  t.same(Object.keys(s.of(0b101)(1, 2, 3, 4, 5)), ['a', 'b', 'c', 'e'])
  t.same(s.of(0b010)('x', 'y', 'z'), { a: 'x', b: 'y', d: undefined }, 'a present field given no argument is undefined')
  t.equal(s.of(0b010), s.of(0b010), 'one factory per set')
  const many = Array.from({ length: 12 }, (_, i) => `g${i}`)
  const m = new ArgShapes<Record<string, unknown>>(many, 0)
  const v = many.map((_, i) => i * 10)
  for (let k = 0; k < 600; k++) {
    const o = m.of(k)(...v)
    const want: Record<string, number> = {}
    for (let i = 0; i < 12; i++) if ((k >>> i) & 1) want[`g${i}`] = i * 10
    if (JSON.stringify(o) !== JSON.stringify(want)) t.fail(`mask ${k}: ${JSON.stringify(o)}`)
  }
  t.pass('600 sets (past 512: built field by field), in order')
  t.throws(() => new ArgShapes(['a', 'b) {}; evil(); function f('], 1), /bad field name/)
})

t.test('field names must be identifiers (they go into generated code)', async t => {
  t.throws(() => new Shapes(['ok', 'not ok'], 1), /bad field name/)
  t.throws(() => new Shapes(['a', 'b}; evil(); ({'], 1), /bad field name/)
})

t.test('with code generation disallowed, objects are built field by field (same results)', async t => {
  const { execFileSync } = await import('node:child_process')
  const { fileURLToPath } = await import('node:url')
  const { decodeAddrAt } = await import('../../src/rtnl/addr/api.js')
  // IPv4 10.0.0.1/24 on ifindex 5 with IFA_ADDRESS, IFA_LOCAL and IFA_LABEL "eth0"
  const msg = Buffer.from('0218800005000000' + '080001000a000001' + '080002000a000001' + '0900030065746830' + '00000000', 'hex')
  const script = fileURLToPath(new URL('../helpers/shapes-nocodegen.ts', import.meta.url))
  const out = execFileSync(process.execPath, ['--disallow-code-generation-from-strings', '--import', 'tsx', script, msg.toString('hex')], { encoding: 'utf8', timeout: 60_000 })
  const got = JSON.parse(out)
  t.same(got.shapes, [{ a: 1 }, { a: 1, b: 2, d: 4 }, { a: 'w', b: 'x', c: 'y', d: 'z' }])
  t.same(got.args, got.shapes, 'ArgShapes too')
  t.same(Object.keys(got.addr), Object.keys(decodeAddrAt(msg, 0, msg.length)), 'the same keys, in the same order')
  t.same(got.addr, JSON.parse(JSON.stringify(decodeAddrAt(msg, 0, msg.length))), 'the same address')
  t.equal(got.addr.label, 'eth0')
})
