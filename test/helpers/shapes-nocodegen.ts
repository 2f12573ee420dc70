// Run by test/core/shapes.test.ts under --disallow-code-generation-from-strings: decodes
// with util/shapes.ts's field-by-field fallback and prints the results as JSON.
import { ArgShapes, Shapes } from '../../src/util/shapes.js'
import { decodeAddrAt } from '../../src/rtnl/addr/api.js'

const s = new Shapes<Record<string, unknown>>(['a', 'b', 'c', 'd'], 1)
const p = new ArgShapes<Record<string, unknown>>(['a', 'b', 'c', 'd'], 1)
const hex = process.argv[2] ?? ''
const msg = Buffer.from(hex, 'hex')
console.log(JSON.stringify({
  shapes: [s.of(0)([1, 2, 3, 4]), s.of(0b101)([1, 2, 3, 4]), s.of(0b111)(['w', 'x', 'y', 'z'])],
  args: [p.of(0)(1, 2, 3, 4), p.of(0b101)(1, 2, 3, 4), p.of(0b111)('w', 'x', 'y', 'z')],
  addr: decodeAddrAt(msg, 0, msg.length),
}))
