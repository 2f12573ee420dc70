// SeqTable against a Map: random inserts, deletes and lookups, wrap-around of sequence
// numbers, growth, and keys sharing a slot (one in place, the others in the overflow).
import t from 'tap'
import { SeqTable } from '../../src/netlink/seq-table.js'
import { xorshift32 } from '../helpers/rng.js'

const rng = xorshift32

t.test('agrees with a Map under random operations', async t => {
  for (const seed of [1, 7, 42, 1234567]) {
    const r = rng(seed)
    const tab = new SeqTable<number>(8)
    const ref = new Map<number, number>()
    let seq = 0xfffffff0 // wraps past 2^32 - 1 on the way
    const live: number[] = []
    let mismatches = 0
    for (let step = 0; step < 20000; step++) {
      const op = r() % 10
      if (op < 5 || live.length === 0) {
        do seq = (seq + 1) >>> 0
        while (seq === 0)
        tab.set(seq, step)
        ref.set(seq, step)
        live.push(seq)
      } else if (op < 8) {
        const k = live.splice(r() % live.length, 1)[0]!
        if (tab.delete(k) !== ref.delete(k)) mismatches++
      } else {
        // Colliding keys far apart: same home slot, different numbers.
        const k = live.length ? live[r() % live.length]! : 1
        if (tab.get(k) !== ref.get(k)) mismatches++
        if (tab.get((k + 1024) >>> 0) !== ref.get((k + 1024) >>> 0)) mismatches++
      }
      if (tab.size !== ref.size) mismatches++
    }
    for (const [k, v] of ref) if (tab.get(k) !== v) mismatches++
    t.equal(mismatches, 0, `seed ${seed}: same answers as a Map (${ref.size} left)`)
    t.same(tab.values().sort((a, b) => a - b), [...ref.values()].sort((a, b) => a - b), 'values()')
  }
})

t.test('keys sharing a slot: in place or in the overflow, found and removed either way', async t => {
  const tab = new SeqTable<string>(16)
  const keys = [3, 19, 35, 51, 4, 67, 20] // 16-slot table → several share slots 3 and 4
  for (const k of keys) tab.set(k, `v${k}`)
  tab.delete(19)
  tab.delete(4)
  for (const k of keys) t.equal(tab.get(k), k === 19 || k === 4 ? undefined : `v${k}`, `key ${k}`)
  t.equal(tab.size, 5)
  t.notOk(tab.has(0), 'sequence 0 is never a key')
  t.throws(() => tab.set(0, 'x'), RangeError)
  tab.clear()
  t.equal(tab.size, 0)
  t.equal(tab.get(3), undefined)
})
