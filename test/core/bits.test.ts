// util/bits.ts: bit sets to names, cached per value, the caller's own array each time.
import t from 'tap'
import { bitNamer } from '../../src/util/bits.js'

t.test('names in table order, one fresh array per call, cache bounded', async t => {
  const names = bitNamer([['up', 1], ['broadcast', 2], ['loopback', 8]] as const, 2)
  t.same(names(0), [])
  t.same(names(1 | 8), ['up', 'loopback'])
  t.same(names(2 | 16), ['broadcast'], 'bits without a name are left out')
  const a = names(3)
  a.push('loopback')
  t.same(names(3), ['up', 'broadcast'], 'a caller changing its array does not change the next one')
  t.not(names(0), names(0), 'even the empty one is the caller\'s')
  for (let b = 0; b < 16; b++) t.same(names(b), ['up', 'broadcast', 'loopback'].filter((_, i) => b & [1, 2, 8][i]!), `bits ${b} (past the cache size)`)
})
