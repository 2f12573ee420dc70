// The benchmark report's target checks (bench/lib/targets.mjs) on synthetic results:
// each target is judged from the rows the run produced, and says "not run" when a
// contender or workload is missing instead of passing.
import t from 'tap'
// @ts-expect-error: plain JavaScript module of the bench harness, typed by its JSDoc
import { checkTargets } from '../../bench/lib/targets.mjs'

type Row = { contender: string; median: number; ratio: number | null }
const phase = (name: string, rows: Row[]) => ({ phase: name, unit: 'ms', per: 'op', rows })
const w = (id: string, ...phases: ReturnType<typeof phase>[]) => ({ id, title: id, n: 1, reps: 1, note: '', phases })

function reports(w1: number, dumpObj: number) {
  return [
    w('W1', phase('getlink', [
      { contender: 'c-seq', median: 1, ratio: 1 }, { contender: 'rtnetlink-seq', median: w1, ratio: w1 },
      { contender: 'ip-batch', median: 2, ratio: 2 },
    ])),
    w('W3', phase('add', [
      { contender: 'c-pipe', median: 1, ratio: 1 }, { contender: 'rtnetlink-pipe', median: 1.05, ratio: 1.05 },
      { contender: 'ip-batch', median: 4, ratio: 4 }, { contender: 'ip-cmd', median: 500, ratio: 500 },
    ]), phase('dump', [
      { contender: 'c-seq', median: 1, ratio: 1 }, { contender: 'rtnetlink-seq', median: dumpObj, ratio: dumpObj },
      { contender: 'rtnetlink-pipe', median: 1.6, ratio: 1.6 },
    ])),
  ]
}
const memory = { sizes: [100000, 1000000], rows: [
  { routes: 100000, how: 'batches', ms: 30, growthMiB: 2 }, { routes: 100000, how: 'objects', ms: 35, growthMiB: 1 },
  { routes: 1000000, how: 'batches', ms: 300, growthMiB: 8.4 }, { routes: 1000000, how: 'objects', ms: 350, growthMiB: 17 },
] }

t.test('each target is judged from the rows of the run', async t => {
  type Check = { target: string; measured: string; status: string }
  const find = (cs: Check[], s: string) => cs.find(c => c.target.startsWith(s))!
  const a: Check[] = checkTargets(reports(1.25, 1.9), memory)
  t.equal(find(a, 'W1 sequential').status, 'met')
  t.equal(find(a, 'W1 sequential').measured, 'awaited 1.25x')
  t.equal(find(a, 'W1 faster').status, 'met')
  t.equal(find(a, 'W3 100k').status, 'met')
  t.match(find(a, 'W3 add pipelined over 100x').measured, /takes 476x as long/)
  t.equal(find(a, 'W3 add pipelined over 100x').status, 'met')
  t.equal(find(a, 'W3 dump').status, 'met', 'both ways under 2x')
  t.equal(find(a, 'Streamed dump').status, 'missed', '17 MiB at 1M object by object')
  t.match(find(a, 'Streamed dump').measured, /\+1\.0 → \+17\.0 MiB/)
  t.equal(find(a, 'W2 address add').status, 'not run', 'no W2 in this run')
  t.equal(find(a, 'W4').status, 'not run')

  const b: Check[] = checkTargets(reports(2.5, 2.1), undefined)
  t.equal(find(b, 'W1 sequential').status, 'missed')
  t.equal(find(b, 'W1 faster').status, 'missed', 'ip -batch at 2x beats 2.5x')
  t.equal(find(b, 'W3 dump').status, 'missed', 'object by object over 2x')
  t.equal(find(b, 'W3 dump').measured, 'object by object 2.10x, by batch 1.60x')
  t.equal(find(b, 'Streamed dump').status, 'not run')

  const q: Check[] = checkTargets(reports(1.25, 1.9), memory, true)
  t.ok(q.every(c => c.status === 'quick run' || c.status === 'not run'), 'a quick run judges nothing')
})
