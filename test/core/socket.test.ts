// Socket-core behaviour against a fake kernel: seq matching, pipelining,
// multipart dumps, NLM_F_DUMP_INTR policies, errors and extack, truncation,
// malformed replies, timeouts, aborts and close while pending.
import t from 'tap'
import { NlWriter } from '../../src/attr/writer.js'
import { attrTable, nested, u32, str } from '../../src/attr/table.js'
import { DecodeError, DumpInterruptedError, NetlinkError, SocketClosedError, TimeoutError } from '../../src/errors.js'
import { registerMessageType } from '../../src/netlink/registry.js'
import { NetlinkSocket } from '../../src/netlink/socket.js'
import { errorMsg, FakeKernel, nlmsg, tlv } from '../helpers/fake-kernel.js'

const T_GET = 0x7f0
const T_NEW = 0x7f1
const INNER = attrTable('TEST_INNER', { TEST_INNER_ID: [1, 'id', u32] })
const ROOT = attrTable('TEST', { TEST_NAME: [1, 'name', str], TEST_NEST: [2, 'nest', nested(INNER)] })
registerMessageType(T_NEW, { name: 'TEST_NEW', kind: 'new', headerSize: 4, attrs: ROOT })
registerMessageType(T_GET, { name: 'TEST_GET', kind: 'get', headerSize: 4 })

function msg(type = T_NEW, body?: (w: NlWriter) => void): Buffer {
  const w = new NlWriter()
  const s = w.beginMessage(type, 0)
  w.zeros(4)
  body?.(w)
  w.endMessage(s)
  return w.finish()
}

const u32buf = (n: number) => { const b = Buffer.alloc(4); b.writeUInt32LE(n); return b }

t.test('ACK resolves; seq, pid and REQUEST|ACK are stamped', async t => {
  const k = new FakeKernel()
  const s = NetlinkSocket.open({ binding: k })
  t.same(await s.request(msg()), [])
  t.equal(k.sent.length, 1)
  t.equal(k.sent[0]!.flags & 0x5, 0x5)
  t.equal(k.sent[0]!.pid, k.portId)
  t.ok(k.sent[0]!.seq > 0)
  t.equal(await s.requestVoid(msg()), undefined, 'requestVoid resolves with nothing')
  t.equal(k.sent[1]!.flags & 0x5, 0x5, 'and asks for the ACK')
  s.close()
})

t.test('1000 concurrent requests are pipelined and matched by seq (answers out of order)', async t => {
  const held: { seq: number; pid: number }[] = []
  const k = new FakeKernel(m => { held.push({ seq: m.seq, pid: m.pid }) })
  const s = NetlinkSocket.open({ binding: k })
  const ps = Array.from({ length: 1000 }, (_, i) =>
    s.request(msg(T_GET, w => w.attrU32(1, i)), { decode: m => m.buf.readUInt32LE(m.off), ack: false }))
  await new Promise(r => setImmediate(r))
  t.equal(held.length, 1000, 'all sent')
  t.ok(k.sendCalls <= 2, `batched into ${k.sendCalls} sendmsg call(s)`)
  // Answer in reverse order; each reply carries the value the request asked for.
  const bySeq = new Map(k.sent.map(m => [m.seq, m.payload.readUInt32LE(8)]))
  for (const h of held.reverse()) k.reply(nlmsg(T_NEW, 0, h.seq, h.pid, u32buf(bySeq.get(h.seq)! * 10)))
  const res = await Promise.all(ps)
  t.same(res.map(r => r[0]), Array.from({ length: 1000 }, (_, i) => i * 10))
  t.equal(s.pendingCount, 0)
  s.close()
})

t.test('maxInFlight bounds unanswered requests', async t => {
  let inKernel = 0
  let maxSeen = 0
  const k = new FakeKernel((m, k) => {
    inKernel++
    maxSeen = Math.max(maxSeen, inKernel)
    setImmediate(() => { inKernel--; k.reply(errorMsg(m, 0)) })
  })
  const s = NetlinkSocket.open({ binding: k, maxInFlight: 16 })
  await Promise.all(Array.from({ length: 200 }, () => s.request(msg())))
  t.ok(maxSeen <= 16, `at most 16 in flight (saw ${maxSeen})`)
  s.close()
})

t.test('NLMSG_ERROR becomes NetlinkError with extack text and attribute path', async t => {
  const k = new FakeKernel(m => {
    // Blame the TEST_INNER_ID attribute inside TEST_NEST: offset of it in the request.
    const off = m.raw.indexOf(Buffer.from([8, 0, 1, 0, 0x2a, 0, 0, 0]), 16 + 4 + 8)
    k.reply(errorMsg(m, -22, Buffer.concat([tlv(1, Buffer.from('bad id\0')), tlv(2, u32buf(off))])))
  })
  const s = NetlinkSocket.open({ binding: k })
  const req = msg(T_NEW, w => {
    w.attrStr(1, 'abc')
    const n = w.beginNest(2)
    w.attrU32(1, 42)
    w.endNest(n)
  })
  const err = await s.request(req, { what: 'thing' }).catch(e => e)
  t.type(err, NetlinkError)
  t.equal(err.code, 'EINVAL')
  t.equal(err.errno, 22)
  t.equal(err.request.type, 'TEST_NEW')
  t.equal(err.request.what, 'thing')
  t.equal(err.extack.message, 'bad id')
  t.equal(err.extack.attribute, 'TEST_NEST > TEST_INNER_ID')
  t.match(err.message, /TEST_NEW thing failed: EINVAL \(kernel: bad id\)/)
  await t.rejects(s.requestVoid(req, { what: 'thing' }), { name: 'NetlinkError', code: 'EINVAL', extack: { attribute: 'TEST_NEST > TEST_INNER_ID' } }, 'requestVoid rejects the same way')
  s.close()
})

t.test('missing-attribute extack is named, inside its nest', async t => {
  const k = new FakeKernel(m => {
    const nestOff = 16 + 4
    k.reply(errorMsg(m, -22, Buffer.concat([tlv(5, u32buf(1)), tlv(6, u32buf(nestOff))])))
  })
  const s = NetlinkSocket.open({ binding: k })
  const err = await s.request(msg(T_NEW, w => { const n = w.beginNest(2); w.endNest(n) })).catch(e => e)
  t.equal(err.extack.missingAttribute, 'TEST_NEST > TEST_INNER_ID')
  s.close()
})

function dumpKernel(parts: number, perPart: number, opts: { intrOnPart?: number; intrTimes?: number } = {}) {
  let dumps = 0
  const k = new FakeKernel(m => {
    dumps++
    const intr = opts.intrOnPart !== undefined && dumps <= (opts.intrTimes ?? 1)
    let n = 0
    for (let p = 0; p < parts; p++) {
      const msgs: Buffer[] = []
      for (let i = 0; i < perPart; i++) msgs.push(nlmsg(T_NEW, 0x2 | (intr && p >= opts.intrOnPart! ? 0x10 : 0), m.seq, m.pid, u32buf(n++)))
      k.reply(...msgs)
    }
    k.reply(nlmsg(3, 0x2, m.seq, m.pid, u32buf(0)))
  })
  return { k, dumps: () => dumps }
}

t.test('multipart dump streams every item in order', async t => {
  const { k } = dumpKernel(10, 100)
  const s = NetlinkSocket.open({ binding: k })
  const got: number[] = []
  for await (const v of s.dump(msg(T_GET), m => m.buf.readUInt32LE(m.off))) got.push(v)
  t.equal(got.length, 1000)
  t.same(got.slice(0, 3), [0, 1, 2])
  t.equal(got[999], 999)
  t.equal(k.sent[0]!.flags & 0x300, 0x300, 'NLM_F_DUMP set')
  s.close()
})

t.test('item iterator: results asked for ahead, or kept unread, each keep their own value', async t => {
  const { k } = dumpKernel(2, 5)
  const s = NetlinkSocket.open({ binding: k })
  const it = s.dump(msg(T_GET), m => m.buf.readUInt32LE(m.off))[Symbol.asyncIterator]()
  const first = await it.next()
  t.same([first.done, first.value], [false, 0], 'awaited and read')
  const ahead = [it.next(), it.next(), it.next()]
  t.same((await Promise.all(ahead)).map(r => r.value), [1, 2, 3], 'three asked for before any was awaited')
  const kept: IteratorResult<number>[] = []
  for (let i = 0; i < 3; i++) kept.push(await it.next())
  t.same(kept.map(r => r.value), [4, 5, 6], 'kept unread, read later')
  const rest: number[] = []
  for (let r = await it.next(); !r.done; r = await it.next()) rest.push(r.value)
  t.same(rest, [7, 8, 9], 'read one by one to the end')
  t.same(await it.next(), { value: undefined, done: true }, 'then done')
  s.close()
})

t.test('replies to a request are decoded through the reused message object; requestOne keeps the first', async t => {
  const k = new FakeKernel(m => {
    k.reply(nlmsg(T_NEW, 0, m.seq, m.pid, u32buf(7)), nlmsg(T_NEW, 0, m.seq, m.pid, u32buf(8)), errorMsg(m, 0))
  })
  const s = NetlinkSocket.open({ binding: k })
  const objs = new Set<object>()
  const got = await s.request(msg(T_GET), { decode: m => { objs.add(m); return `${m.type}/${m.seq === k.sent[0]!.seq}/${m.buf.readUInt32LE(m.off)}` } })
  t.same(got, [`${T_NEW}/true/7`, `${T_NEW}/true/8`], 'both replies, in order, each with its own header and payload')
  t.equal(objs.size, 1, 'one message object')
  const k2 = new FakeKernel(m => k2.reply(nlmsg(T_NEW, 0, m.seq, m.pid, u32buf(5)), nlmsg(T_NEW, 0, m.seq, m.pid, u32buf(6))))
  const s2 = NetlinkSocket.open({ binding: k2 })
  t.equal(await s2.requestOne(msg(T_GET), m => m.buf.readUInt32LE(m.off), 'x'), 5, 'requestOne: the first reply')
  t.equal(await s2.requestOne(msg(T_GET), () => undefined, 'x'), undefined, 'requestOne: undefined when decode skips it')
  s.close()
  s2.close()
})

t.test("a dump's decoder sees each item's header through one reused message object", async t => {
  const { k } = dumpKernel(3, 4)
  const s = NetlinkSocket.open({ binding: k })
  const objs = new Set<object>()
  const seen: string[] = []
  const got = await s.dump(msg(T_GET), m => {
    objs.add(m)
    seen.push(`${m.type}/${m.flags}/${m.seq === k.sent[0]!.seq}/${m.pid}/${m.end - m.off}`)
    return m.buf.readUInt32LE(m.off)
  }).toArray()
  t.same(got, Array.from({ length: 12 }, (_, i) => i), 'every payload read at its offset')
  t.same(new Set(seen), new Set([`${T_NEW}/2/true/${k.sent[0]!.pid}/4`]), 'type, flags, seq, pid and length of every item')
  t.equal(objs.size, 1, 'one message object for all items')
  s.close()
})

t.test('batches() streams the same items in arrays; toArray() collects them', async t => {
  {
    const { k } = dumpKernel(10, 100)
    const s = NetlinkSocket.open({ binding: k })
    const sizes: number[] = []
    const got: number[] = []
    for await (const b of s.dump(msg(T_GET), m => m.buf.readUInt32LE(m.off)).batches()) {
      sizes.push(b.length)
      for (const v of b) got.push(v)
    }
    t.same(got, Array.from({ length: 1000 }, (_, i) => i), 'every item, in order')
    t.ok(sizes.length < 1000 && sizes.every(n => n > 0), `fewer awaits than items (${sizes.length} batches)`)
    t.same(await s.dump(msg(T_GET), m => m.buf.readUInt32LE(m.off)).toArray(), got, 'toArray')
    s.close()
  }
  {
    // retry policy: an interrupted dump restarts before anything is released to batches
    const { k, dumps } = dumpKernel(3, 10, { intrOnPart: 1 })
    const s = NetlinkSocket.open({ binding: k })
    const all = await s.dump(msg(T_GET), m => m.buf.readUInt32LE(m.off)).toArray()
    t.equal(dumps(), 2, 'retried once')
    t.equal(all.length, 30, 'no duplicates')
    s.close()
  }
  {
    // one consumer per dump; breaking out of batches drains the rest
    const { k } = dumpKernel(5, 10)
    const s = NetlinkSocket.open({ binding: k })
    const d = s.dump(msg(T_GET), m => m.buf.readUInt32LE(m.off))
    for await (const b of d.batches()) { t.ok(b.length > 0); break }
    await t.rejects(async () => { for await (const _ of d) { /* refused */ } }, TypeError, 'items after batches refused')
    t.equal((await s.dump(msg(T_GET), m => m.type).toArray()).length, 50, 'next dump runs')
    s.close()
  }
  {
    // a decode error rejects the batch iterator, no hang
    const { k } = dumpKernel(3, 10)
    const s = NetlinkSocket.open({ binding: k })
    let n = 0
    const d = s.dump(msg(T_GET), () => { if (++n === 15) throw new DecodeError('bad', 'TEST', 0, ''); return n })
    await t.rejects(d.toArray(), DecodeError)
    s.close()
  }
})

t.test('NLM_F_DUMP_INTR: retry restarts, partial flags, throw throws', async t => {
  {
    const { k, dumps } = dumpKernel(3, 10, { intrOnPart: 1 })
    const s = NetlinkSocket.open({ binding: k })
    const got: number[] = []
    for await (const v of s.dump(msg(T_GET), m => m.buf.readUInt32LE(m.off))) got.push(v)
    t.equal(dumps(), 2, 'retried once')
    t.equal(got.length, 30, 'no duplicates')
    s.close()
  }
  {
    const { k } = dumpKernel(3, 10, { intrOnPart: 1, intrTimes: 99 })
    const s = NetlinkSocket.open({ binding: k })
    await t.rejects(async () => { for await (const _ of s.dump(msg(T_GET), m => m.type, { maxAttempts: 2 })) { /* drain */ } }, DumpInterruptedError)
    s.close()
  }
  {
    // retry holds items back until holdLimit: an interrupt before that restarts unseen,
    // one after it (items were handed out) throws.
    for (const [holdLimit, intrOnPart] of [[100, 3], [15, 3], [15, 1]] as const) {
      const { k, dumps } = dumpKernel(5, 10, { intrOnPart })
      const s = NetlinkSocket.open({ binding: k })
      const got: number[] = []
      const err = await (async () => { for await (const v of s.dump(msg(T_GET), m => m.buf.readUInt32LE(m.off), { holdLimit })) got.push(v) })().catch(e => e)
      if (holdLimit > 50 || intrOnPart === 1) {
        t.equal(err, undefined, `holdLimit ${holdLimit}, interrupt in part ${intrOnPart}: restarted`)
        t.equal(dumps(), 2)
        t.same(got, Array.from({ length: 50 }, (_, i) => i), 'every item once, in order')
      } else {
        t.type(err, DumpInterruptedError, `holdLimit ${holdLimit}, interrupt in part ${intrOnPart}: thrown`)
        t.ok(got.length >= 15 && got.length < 50, `${got.length} items handed out first, from the start`)
        t.same(got, Array.from({ length: got.length }, (_, i) => i))
      }
      s.close()
    }
  }
  {
    const { k } = dumpKernel(3, 10, { intrOnPart: 1 })
    const s = NetlinkSocket.open({ binding: k })
    const it = s.dump(msg(T_GET), m => m.type, { onInterrupt: 'partial' })
    let n = 0
    for await (const _ of it) n++
    t.equal(n, 30)
    t.equal(it.interrupted, true)
    s.close()
  }
  {
    const { k } = dumpKernel(3, 10, { intrOnPart: 2 })
    const s = NetlinkSocket.open({ binding: k })
    let n = 0
    const err = await (async () => { for await (const _ of s.dump(msg(T_GET), m => m.type, { onInterrupt: 'throw' })) n++ })().catch(e => e)
    t.type(err, DumpInterruptedError)
    t.ok(n <= 20)
    s.close()
  }
})

t.test('dumps are serialized; breaking out early drains the rest', async t => {
  const { k, dumps } = dumpKernel(5, 10)
  const s = NetlinkSocket.open({ binding: k })
  const a = s.dump(msg(T_GET), m => m.buf.readUInt32LE(m.off))
  const b = s.dump(msg(T_GET), m => m.buf.readUInt32LE(m.off))
  let n = 0
  for await (const _ of a) if (++n === 3) break
  const all: number[] = []
  for await (const v of b) all.push(v)
  t.equal(all.length, 50)
  t.equal(dumps(), 2)
  s.close()
})

/**
 * A kernel that builds the next part of a dump (100 messages each, u32 payloads counting up)
 * only when the previous part is read, like netlink_dump. `produced()`: parts built so far.
 */
function dumpingKernel(parts: number): { k: FakeKernel; produced: () => number } {
  let produced = 0
  let seqOf = 0
  let pidOf = 0
  const k = new FakeKernel(m => { seqOf = m.seq; pidOf = m.pid; next() })
  const next = () => {
    if (produced >= parts) { k.queue.push({ data: nlmsg(3, 2, seqOf, pidOf, u32buf(0)), groups: 0 }); return }
    const msgs = []
    for (let i = 0; i < 100; i++) msgs.push(nlmsg(T_NEW, 2, seqOf, pidOf, u32buf(produced * 100 + i)))
    produced++
    k.queue.push({ data: Buffer.concat(msgs), groups: 0 })
  }
  const recv = k.recvmsg.bind(k)
  k.recvmsg = (fd, buf, sender) => { const r = recv(fd, buf, sender); if (r > 0 && buf.readUInt16LE(4) !== 3) next(); return r }
  return { k, produced: () => produced }
}

t.test('dump back-pressure: the kernel is not read ahead of the consumer', async t => {
  const { k, produced } = dumpingKernel(100)
  const s = NetlinkSocket.open({ binding: k })
  let n = 0
  for await (const _ of s.dump(msg(T_GET), m => m.type, { onInterrupt: 'partial' })) {
    if (++n === 10) {
      await new Promise(r => setImmediate(r))
      // Part 1 was read (the kernel then built part 2); part 2 waits until part 1 is taken.
      t.equal(produced(), 2, 'one part read at a time: nothing read ahead of the consumer')
    }
    if (n === 99) t.equal(produced(), 2, 'the next part is not read before the last item of this one is taken')
    if (n === 100) t.equal(produced(), 3, 'taking the last item reads the next part')
  }
  t.equal(n, 10000)
  s.close()
})

t.test('an aborted or timed-out dump stops at the next step, not after the items it had queued', async t => {
  for (const how of ['abort', 'timeout', 'abort by batch'] as const) {
    const { k } = dumpingKernel(5)
    const s = NetlinkSocket.open({ binding: k })
    const ac = new AbortController()
    const opts = how === 'timeout' ? { timeout: 20, onInterrupt: 'partial' as const } : { signal: ac.signal, onInterrupt: 'partial' as const }
    const d = s.dump(msg(T_GET), m => m.type, opts)
    let n = 0
    const err = await (async () => {
      if (how === 'abort by batch') {
        for await (const b of d.batches()) { n += b.length; ac.abort(new Error('stop')) }
      } else {
        for await (const _ of d) {
          n++
          if (n === 10 && how === 'abort') ac.abort(new Error('stop'))
          if (n === 10 && how === 'timeout') await new Promise(r => setTimeout(r, 40))
        }
      }
    })().then(() => undefined, e => e)
    t.match(err, how === 'timeout' ? { name: 'TimeoutError' } : { message: 'stop' }, `${how}: rejects`)
    t.equal(n, how === 'abort by batch' ? 100 : 10, `${how}: nothing handed out after it (100 were queued)`)
    s.close()
  }
})

t.test('a dump started inside another dump\'s loop runs: the outer one is read to its end first (one dump per socket at a time)', async t => {
  const { k, produced } = dumpingKernel(30)
  const s = NetlinkSocket.open({ binding: k })
  t.teardown(() => s.close())
  let n = 0
  let inner: unknown[] | undefined
  const seen: number[] = []
  for await (const v of s.dump(msg(T_GET), m => m.buf.readUInt32LE(m.off), { onInterrupt: 'partial' })) {
    seen.push(v)
    if (++n === 5) {
      t.equal(produced(), 2, 'back-pressure until then')
      // The fake kernel answers this one after the outer dump's DONE, with a short dump.
      k.handler = (m, k2) => { k2.reply(nlmsg(T_NEW, 2, m.seq, m.pid, u32buf(7)), nlmsg(3, 2, m.seq, m.pid, u32buf(0))) }
      inner = await s.dump(msg(T_GET), m => m.buf.readUInt32LE(m.off)).toArray()
      t.equal(produced(), 30, 'the outer dump was read to its end')
    }
  }
  t.same(inner, [7], 'the inner dump ran')
  t.equal(seen.length, 3000, 'the outer dump lost nothing')
  t.same(seen.slice(0, 3), [0, 1, 2])
  t.equal(seen[2999], 2999, 'in order')
})

t.test('dump back-pressure by batches: one kernel datagram per batch, the next read as it is handed out', async t => {
  const { k, produced } = dumpingKernel(20)
  const s = NetlinkSocket.open({ binding: k })
  const sizes: number[] = []
  let first = -1
  for await (const b of s.dump(msg(T_GET), m => m.buf.readUInt32LE(m.off), { onInterrupt: 'partial' }).batches()) {
    if (sizes.length === 0) {
      first = b[0] as number
      await new Promise(r => setImmediate(r))
      // Taking batch 1 read part 2 (so the kernel built part 3); nothing further.
      t.equal(produced(), 3, 'one datagram read ahead of the batch being consumed, no more')
    }
    sizes.push(b.length)
  }
  t.equal(first, 0)
  t.same(sizes, new Array(20).fill(100), 'every batch is one datagram of 100 objects')
  s.close()
})

t.test('timeout rejects with TimeoutError; a late answer is dropped', async t => {
  const held: any[] = []
  const k = new FakeKernel(m => held.push(m))
  const s = NetlinkSocket.open({ binding: k })
  const err = await s.request(msg(), { timeout: 20, what: 'slow' }).catch(e => e)
  t.type(err, TimeoutError)
  t.equal(err.code, 'ETIMEDOUT')
  k.reply(errorMsg(held[0], 0))
  await new Promise(r => setTimeout(r, 10))
  t.equal(s.pendingCount, 0, 'late ACK consumed')
  s.close()
})

t.test('abort rejects with the signal reason, before and after sending', async t => {
  const k = new FakeKernel(() => {})
  const s = NetlinkSocket.open({ binding: k })
  const ac = new AbortController()
  const p = s.request(msg(), { signal: ac.signal })
  await new Promise(r => setImmediate(r))
  ac.abort(new Error('stop'))
  await t.rejects(p, { message: 'stop' })
  await t.rejects(s.request(msg(), { signal: AbortSignal.abort('early') }), 'early')
  s.close()
})

t.test('close rejects everything pending, and later requests', async t => {
  const k = new FakeKernel(() => {})
  const s = NetlinkSocket.open({ binding: k })
  const ps = [s.request(msg()), s.request(msg())]
  const d = s.dump(msg(T_GET), m => m.type)[Symbol.asyncIterator]().next()
  await new Promise(r => setImmediate(r))
  s.close()
  for (const p of ps) await t.rejects(p, SocketClosedError)
  await t.rejects(d, SocketClosedError)
  await t.rejects(s.request(msg()), SocketClosedError)
  t.ok(k.closed.has(100), 'fd closed')
  s.close()
})

t.test('truncated datagram rejects a request other than a GET with DecodeError and grows the buffer', async t => {
  const k = new FakeKernel(m => k.reply(nlmsg(T_NEW, 0, m.seq, m.pid, Buffer.alloc(70000))))
  const s = NetlinkSocket.open({ binding: k })
  const err = await s.request(msg(T_NEW), { ack: false, decode: m => m.end - m.off }).catch(e => e)
  t.type(err, DecodeError)
  t.match(err.message, /truncated/)
  const ok = await s.request(msg(T_NEW), { ack: false, decode: m => m.end - m.off })
  t.same(ok, [70000], 'next reply fits')
  t.equal(s.stats.retries, 0, 'not sent again')
  s.close()
})

t.test('a GET whose reply was cut off is sent again, once; the rest of the first answer is dropped', async t => {
  for (const [ack, inSend] of [[false, false], [true, false], [false, true], [true, true]]) {
    let n = 0
    const k = new FakeKernel(m => {
      const body = Buffer.alloc(70000, ++n)
      k.reply(nlmsg(T_NEW, 0, m.seq, m.pid, body))
      if (ack) k.reply(errorMsg(m, 0))
    })
    if (inSend) k.answerInSend() // sent and cut off inside the call: it returns a pending promise
    const s = NetlinkSocket.open({ binding: k })
    const notes: number[] = []
    s.onMessage(m => notes.push(m.type))
    s.subscribe(1) // read one datagram at a time, and anything unmatched would reach `notes`
    const got = await s.request(msg(T_GET), { ack, decode: m => [m.end - m.off, m.buf[m.off + 69999]] })
    t.same(got, [[70000, 2]], `ack ${ack}, inSend ${inSend}: the second answer, whole`)
    t.equal(k.sent.length, 2, 'sent twice')
    t.not(k.sent[1]!.seq, k.sent[0]!.seq, 'under a new sequence number')
    t.equal(s.stats.retries, 1)
    await new Promise(r => setTimeout(r, 10))
    t.same(notes, [], `ack ${ack}: the first answer's ACK went to no listener`)
    t.equal(s.pendingCount, 0)
    s.close()
  }
  // Cut off again (the answer grew past the grown buffer): DecodeError, not a third try.
  let size = 70000
  const k = new FakeKernel(m => { k.reply(nlmsg(T_NEW, 0, m.seq, m.pid, Buffer.alloc(size))); size *= 4 })
  const s = NetlinkSocket.open({ binding: k })
  await t.rejects(s.request(msg(T_GET), { ack: false }), { name: 'DecodeError', message: /truncated/ })
  t.equal(k.sent.length, 2, 'tried twice')
  s.close()
})

t.test('a datagram longer than the receive buffer is read on into the native spill area', async t => {
  const body = Buffer.alloc(70000)
  for (let i = 0; i < body.length; i++) body[i] = (i * 7) & 0xff
  for (const inSend of [false, true]) {
    const k = new FakeKernel(m => k.reply(nlmsg(T_NEW, 0, m.seq, m.pid, body))).withSpill(1 << 20)
    if (inSend) k.answerInSend()
    const s = NetlinkSocket.open({ binding: k })
    const got = await s.request(msg(T_NEW), { ack: false, decode: m => Buffer.from(m.buf.subarray(m.off, m.end)) })
    t.ok(got[0]!.equals(body), `${inSend ? 'sendRecv' : 'recvmsg'}: the reply, whole, at the first try`)
    t.equal(k.takeSpillCalls, 1)
    t.equal(k.sent.length, 1)
    // The buffer grew: the next one is read without the spill.
    t.ok((await s.request(msg(T_NEW), { ack: false, decode: m => Buffer.from(m.buf.subarray(m.off, m.end)) }))[0]!.equals(body))
    t.equal(k.takeSpillCalls, 1, 'the buffer grew to hold it')
    s.close()
  }
  // Past the spill area too: cut off as without one.
  const k = new FakeKernel(m => k.reply(nlmsg(T_NEW, 0, m.seq, m.pid, body))).withSpill(1000)
  const s = NetlinkSocket.open({ binding: k })
  await t.rejects(s.request(msg(T_NEW), { ack: false }), { name: 'DecodeError', message: /70016 bytes truncated to 65536/ })
  t.equal(k.takeSpillCalls, 0)
  s.close()
})

t.test('the ACK after a malformed reply is dropped, not handed to the listeners', async t => {
  for (const bad of ['truncated', 'bad length'] as const) {
    const k = new FakeKernel(m => {
      // The reply (too large for the receive buffer, or with a length past its datagram),
      // then the ACK in its own datagram.
      if (bad === 'truncated') k.reply(nlmsg(T_NEW, 0, m.seq, m.pid, Buffer.alloc(70000)))
      else { const r = nlmsg(T_NEW, 0, m.seq, m.pid, u32buf(1)); r.writeUInt32LE(400, 0); k.reply(r) }
      k.reply(errorMsg(m, 0))
    })
    const s = NetlinkSocket.open({ binding: k })
    const notes: number[] = []
    s.onMessage(m => notes.push(m.type))
    s.subscribe(1)
    // Not a GET: that would be sent again (above).
    const err = await s.request(msg(T_NEW), { decode: m => m.end - m.off }).catch(e => e)
    t.type(err, DecodeError, `${bad}: DecodeError`)
    await new Promise(r => setTimeout(r, 10))
    t.same(notes, [], `${bad}: its ACK read afterwards went to no listener`)
    t.equal(s.pendingCount, 0, 'nothing left pending')
    s.close()
  }
})

t.test('bytes after the last message, too few for a header: DecodeError to their request, else onError', async t => {
  let mode: 'tail' | 'alone' = 'tail'
  const k = new FakeKernel(m => {
    if (mode === 'tail') k.reply(Buffer.concat([errorMsg(m, 0), Buffer.from([1, 2, 3, 4, 5])]))
    else k.reply(nlmsg(T_NEW, 0, m.seq, m.pid).subarray(0, 14)) // seq present, header cut
  })
  const s = NetlinkSocket.open({ binding: k })
  const seen: Error[] = []
  s.onError(e => seen.push(e))
  await t.resolves(s.request(msg()), 'the ACK before the stray bytes counts')
  await new Promise(r => setImmediate(r))
  t.match(seen, [{ name: 'DecodeError', message: /5 stray bytes at the end of a datagram/ }], 'the stray bytes are reported, to no request')
  mode = 'alone'
  await t.rejects(s.request(msg(T_GET), { ack: false }), { name: 'DecodeError', message: /14 stray bytes at the end of a datagram/ }, 'a cut header with its seq rejects that request')
  s.close()
})

t.test('malformed replies give DecodeError, never a hang', async t => {
  const k = new FakeKernel(m => {
    const bad = nlmsg(T_NEW, 0, m.seq, m.pid, Buffer.alloc(8))
    bad.writeUInt32LE(500, 0) // nlmsg_len past the datagram
    k.reply(bad)
  })
  const s = NetlinkSocket.open({ binding: k })
  await t.rejects(s.request(msg(T_GET), { ack: false, decode: m => m.type }), DecodeError)
  // A decoder that throws rejects its own request only.
  k.handler = (m, k) => k.reply(nlmsg(T_NEW, 0, m.seq, m.pid, Buffer.alloc(4)), errorMsg(m, 0))
  await t.rejects(s.request(msg(T_GET), { decode: () => { throw new DecodeError('nope', 'X', 0, '') } }), DecodeError)
  t.same(await s.request(msg()), [])
  s.close()
})

t.test('ENOBUFS rejects in-flight requests with a NetlinkError', async t => {
  const k = new FakeKernel(() => {
    k.recvError = Object.assign(new Error('ENOBUFS'), { code: 'ENOBUFS' })
    k.reply(Buffer.alloc(0))
  })
  const s = NetlinkSocket.open({ binding: k })
  await t.rejects(s.request(msg()), { code: 'ENOBUFS' })
  s.close()
})

t.test('multicast messages go to listeners', async t => {
  const k = new FakeKernel()
  const s = NetlinkSocket.open({ binding: k })
  const got: number[] = []
  s.onMessage((m, groups) => got.push(m.buf.readUInt32LE(m.off), groups))
  s.subscribe(1)
  k.multicast(1, nlmsg(T_NEW, 0, 0, 0, u32buf(7)))
  await new Promise(r => setTimeout(r, 5))
  t.same(got, [7, 1])
  s.close()
})

t.test('NLM_F_ECHO: the copy of the change is the reply; without it, a multicast copy stays a notification', async t => {
  // The kernel sends the change it made for a request as a multicast message with the
  // request's seq and port; asked for NLM_F_ECHO, it sends that copy to the requester alone.
  const k = new FakeKernel((m, k) => {
    k.multicast(1, nlmsg(T_NEW, 0, m.seq, m.pid, u32buf(m.raw.readUInt16LE(6) & 0x08 ? 42 : 43)))
    k.reply(errorMsg(m, 0))
  })
  const s = NetlinkSocket.open({ binding: k })
  t.teardown(() => s.close())
  const heard: number[] = []
  s.onMessage(m => heard.push(m.buf.readUInt32LE(m.off)))
  const decode = (m: { buf: Buffer; off: number }) => m.buf.readUInt32LE(m.off)
  t.same(await s.request(nlmsg(T_NEW, 0x08, 0, 0, u32buf(0)), { decode }), [42], 'echo asked: decoded as the reply')
  t.same(heard, [], 'and not a notification')
  t.same(await s.request(nlmsg(T_NEW, 0, 0, 0, u32buf(0)), { decode }), [], 'no echo asked: not a reply')
  t.same(heard, [43], 'but a notification')
})

t.test('request() refuses a buffer that is not one complete message', async t => {
  const s = NetlinkSocket.open({ binding: new FakeKernel() })
  await t.rejects(s.request(Buffer.alloc(8)), TypeError)
  s.close()
})

t.test('kernels without EXT_ACK / CAP_ACK / STRICT_CHK: the socket falls back', async t => {
  const k = new FakeKernel()
  k.setsockopt = (_fd: number, level: number, name: number) => {
    if (level === 270 && name >= 10) throw Object.assign(new Error('ENOPROTOOPT'), { code: 'ENOPROTOOPT' })
  }
  const s = NetlinkSocket.open({ binding: k })
  t.same(s.features, { extAck: false, capAck: false, strict: false })
  t.same(await s.request(msg()), [], 'still works')
  s.close()
  const off = NetlinkSocket.open({ binding: new FakeKernel(), strict: false })
  t.equal(off.features.strict, false, 'opt-out honoured')
  off.close()
})

t.test('an uncapped error echoing the whole request still yields its extack', async t => {
  const k = new FakeKernel(m => {
    const p = Buffer.alloc(4 + m.raw.length)
    p.writeInt32LE(-17, 0)
    m.raw.copy(p, 4)
    k.reply(nlmsg(2, 0x200, m.seq, m.pid, Buffer.concat([p, tlv(1, Buffer.from('exists\0'))])))
  })
  const s = NetlinkSocket.open({ binding: k })
  const err = await s.request(msg(T_NEW, w => w.attrStr(1, 'hello world'))).catch(e => e)
  t.equal(err.code, 'EEXIST')
  t.equal(err.extack.message, 'exists')
  s.close()
})

/** An NLMSG_ERROR (errno `error`, 0: an ACK) with seq and port id, as a process could forge it. */
const forgedError = (seq: number, pid: number, error: number) => {
  const p = Buffer.alloc(20)
  p.writeInt32LE(error, 0)
  return nlmsg(2, 0x100, seq, pid, p)
}

t.test('datagrams a process sent (sender port id not 0) are dropped, on every read path', async t => {
  const FORGER = 31337
  for (const path of ['recvmsg', 'sendRecv', 'recvBatch'] as const) {
    const k = new FakeKernel()
    if (path === 'sendRecv') k.answerInSend()
    const s = NetlinkSocket.open({ binding: k })
    const seen: number[] = []
    s.onMessage(m => seen.push(m.seq))
    const n = path === 'recvBatch' ? 8 : 1
    // Forged answers for the next sequence numbers, an oversized one (which would be reported
    // as truncated) and one for no request (which would reach the listeners), queued first.
    for (let i = 1; i <= n; i++) k.forge(FORGER, forgedError(i, k.portId, -1))
    k.forge(FORGER, nlmsg(T_NEW, 0, n + 1, k.portId, Buffer.alloc(70000)))
    k.forge(FORGER, nlmsg(T_NEW, 0, 999, k.portId, u32buf(1)))
    if (path === 'recvBatch') {
      await Promise.all(Array.from({ length: n }, () => s.request(msg())))
      t.ok(k.recvBatchCalls > 0, 'read by recvmmsg')
    } else t.same(await s.request(msg()), [], `${path}: the request gets the kernel's ACK`)
    t.equal(s.stats.foreign, n + 2, `${path}: every forged datagram counted`)
    t.same(seen, [], `${path}: none reached the listeners`)
    s.close()
  }
  // kernelOnly: false takes them (a protocol with user-space peers).
  const k = new FakeKernel()
  const s = NetlinkSocket.open({ binding: k, kernelOnly: false })
  k.forge(FORGER, forgedError(1, k.portId, -1))
  t.equal((await s.request(msg()).catch(e => e)).code, 'EPERM', 'kernelOnly: false: the forged error settles the request')
  t.equal(s.stats.foreign, 0)
  s.close()
  t.throws(() => NetlinkSocket.open({ binding: new FakeKernel(), kernelOnly: 1 as never }), { name: 'ValidationError' })
  t.same(new FakeKernel().connects, [])
  for (const kernelOnly of [undefined, true, false]) {
    const kk = new FakeKernel()
    NetlinkSocket.open(kernelOnly === undefined ? { binding: kk } : { binding: kk, kernelOnly }).close()
    t.same(kk.connects, kernelOnly === false ? [] : [[0, 0]], `kernelOnly ${kernelOnly}: ${kernelOnly === false ? 'not connected' : 'connected to the kernel'}`)
  }
  // A binding whose connect() fails: the socket opens anyway and still drops what it reads.
  const kf = new FakeKernel().answerInSend()
  kf.connect = () => { throw Object.assign(new Error('EOPNOTSUPP'), { code: 'EOPNOTSUPP' }) }
  const sf = NetlinkSocket.open({ binding: kf })
  kf.forge(FORGER, forgedError(1, kf.portId, -1))
  t.same(await sf.request(msg()), [], 'connect failed: the forged error is still dropped')
  t.equal(sf.stats.foreign, 1)
  sf.close()
})

t.test('pipelined ACKs are read many per syscall; an oversized answer in a batch is a DecodeError, and the slots grow', async t => {
  const k = new FakeKernel()
  const s = NetlinkSocket.open({ binding: k })
  await Promise.all(Array.from({ length: 500 }, () => s.request(msg())))
  t.ok(k.recvBatchCalls > 0 && k.recvBatchCalls < 100, `500 ACKs in ${k.recvBatchCalls} batched reads`)
  k.handler = (m, kk) => kk.reply(nlmsg(T_NEW, 0, m.seq, m.pid, Buffer.alloc(9000)))
  const r = await Promise.allSettled(Array.from({ length: 3 }, () => s.request(msg(T_NEW), { ack: false, decode: m => m.end - m.off })))
  t.ok(r.some(x => x.status === 'rejected' && x.reason instanceof DecodeError), 'truncated in a batch slot: DecodeError, no hang')
  t.equal(s.pendingCount, 0)
  const before = k.recvBatchCalls
  t.same(await Promise.all(Array.from({ length: 10 }, () => s.request(msg(T_NEW), { ack: false, decode: m => m.end - m.off }))),
    Array.from({ length: 10 }, () => [9000]), 'then they fit: the slots grew')
  t.ok(k.recvBatchCalls > before, 'still read in batches')
  s.close()
})

t.test('GETs whose replies do not fit a batch slot are sent again, once, and the slots grow; past 64 KiB batch reads stop', async t => {
  for (const size of [9000, 70000]) {
    const k = new FakeKernel((m, kk) => kk.reply(nlmsg(T_NEW, 0, m.seq, m.pid, Buffer.alloc(size, m.payload[8]!))))
    const s = NetlinkSocket.open({ binding: k })
    const get = (i: number) => s.request(msg(T_GET, w => w.attrU32(1, i)), { ack: false, decode: m => [m.end - m.off, m.buf[m.off + size - 1]] })
    const round = () => Promise.all(Array.from({ length: 6 }, (_, i) => get(i + 1)))
    const want = Array.from({ length: 6 }, (_, i) => [[size, i + 1]])
    t.same(await round(), want, `${size}: every GET answered, each with its own reply`)
    const retries = s.stats.retries
    t.ok(retries > 0 && retries <= 6, `${size}: ${retries} sent again`)
    const batches = k.recvBatchCalls
    t.same(await round(), want, `${size}: again`)
    t.equal(s.stats.retries, retries, `${size}: none sent again the second time`)
    if (size < 65536) t.ok(k.recvBatchCalls > batches, 'read in batches of larger slots')
    else t.equal(k.recvBatchCalls, batches, 'read one at a time')
    t.equal(s.pendingCount, 0)
    s.close()
  }
  // The retry cut off again (its answer grew): DecodeError.
  let size = 9000
  const k = new FakeKernel((m, kk) => { kk.reply(nlmsg(T_NEW, 0, m.seq, m.pid, Buffer.alloc(size))); size += 9000 })
  const s = NetlinkSocket.open({ binding: k })
  const r = await Promise.allSettled(Array.from({ length: 4 }, () => s.request(msg(T_GET), { ack: false })))
  t.ok(r.some(x => x.status === 'rejected' && x.reason instanceof DecodeError), 'a second cut: DecodeError, no hang')
  t.equal(s.pendingCount, 0)
  s.close()
})

t.test('an idle socket sends a lone request at once; the rest of the tick leaves together', async t => {
  const k = new FakeKernel((m, k) => k.reply(nlmsg(T_NEW, 0, m.seq, m.pid, u32buf(m.payload.readUInt32LE(8))))).answerInSend()
  const s = NetlinkSocket.open({ binding: k })
  const get = (i: number) => s.request(msg(T_GET, w => w.attrU32(1, i)), { decode: m => m.buf.readUInt32LE(m.off), ack: false })
  const first = get(1)
  t.equal(k.sendRecvCalls, 1, 'sent inside request()')
  t.equal(s.pendingCount, 0, 'and answered there')
  const rest = Array.from({ length: 9 }, (_, i) => get(i + 2))
  t.equal(k.sent.length, 1, 'the others wait for the end of the tick')
  t.same(await first, [1])
  t.same(await Promise.all(rest), Array.from({ length: 9 }, (_, i) => [i + 2]))
  t.equal(k.sendCalls, 2, '9 requests in one sendmsg after the first')
  // Awaited one by one: every request finds the socket idle again.
  for (let i = 0; i < 5; i++) t.same(await get(100 + i), [100 + i])
  t.equal(k.sendCalls, 7)
  t.equal(k.sendRecvCalls, 7)
  s.close()
})

t.test('a request sent at once whose answer is not there yet completes from the poll', async t => {
  const k = new FakeKernel((m, k) => setImmediate(() => k.reply(errorMsg(m, 0)))).answerInSend()
  const s = NetlinkSocket.open({ binding: k })
  const p = s.request(msg())
  t.equal(k.sendRecvCalls, 1)
  t.equal(s.pendingCount, 1, 'still pending after the send')
  t.same(await p, [])
  t.equal(s.pendingCount, 0)
  s.close()
})

t.test('errors of a request sent at once: kernel refusal, send failure, EAGAIN retry', async t => {
  const k = new FakeKernel((m, k) => k.reply(errorMsg(m, m.type === T_GET ? -19 : 0))).answerInSend()
  const s = NetlinkSocket.open({ binding: k })
  const e = await s.request(msg(T_GET), { what: 'eth9' }).catch((x: unknown) => x)
  t.ok(e instanceof NetlinkError && e.code === 'ENODEV' && e.request.what === 'eth9', 'NetlinkError with what')
  const n = await s.requestOne(msg(T_GET), () => 1, 42).catch((x: unknown) => x)
  t.ok(n instanceof NetlinkError && n.request.what === '42', 'a numeric what is formatted for the error')
  k.sendError = Object.assign(new Error('sendmsg EPERM'), { code: 'EPERM', syscall: 'sendmsg' })
  await t.rejects(s.request(msg()), { code: 'EPERM' }, 'a send error rejects')
  t.equal(s.pendingCount, 0)
  k.sendError = Object.assign(new Error('sendmsg EAGAIN'), { code: 'EAGAIN', syscall: 'sendmsg' })
  t.same(await s.request(msg()), [], 'EAGAIN: queued and sent again')
  t.equal(s.pendingCount, 0)
  s.close()
})

t.test('a listener or decoder starting a request inside a read does not send re-entrantly', async t => {
  const k = new FakeKernel((m, k) => k.reply(nlmsg(T_NEW, 0, m.seq, m.pid, u32buf(5)))).answerInSend()
  const s = NetlinkSocket.open({ binding: k })
  const inner: Promise<number[]>[] = []
  const before = () => k.sendRecvCalls + k.sendCalls
  let sendsDuringRead = -1
  s.onMessage(() => {
    const n = before()
    inner.push(s.request(msg(T_GET), { decode: m => m.buf.readUInt32LE(m.off), ack: false }))
    sendsDuringRead = before() - n
  })
  s.subscribe(1)
  k.multicast(1, nlmsg(T_NEW, 0, 0, 0, u32buf(7)))
  await new Promise(r => setTimeout(r, 5))
  t.equal(sendsDuringRead, 0, 'nothing sent from inside the listener')
  t.same(await inner[0], [5], 'it was queued and answered')
  const nested: Promise<number[]>[] = []
  const outer = await s.request(msg(T_GET), {
    ack: false,
    decode: m => {
      nested.push(s.request(msg(T_GET), { decode: x => x.buf.readUInt32LE(x.off) + 1, ack: false }))
      return m.buf.readUInt32LE(m.off)
    },
  })
  t.same(outer, [5])
  t.same(await nested[0], [6], 'a request from a decoder is queued, then answered')
  s.close()
})

t.test('a signal and a timeout on a request answered at once leave nothing armed', async t => {
  const k = new FakeKernel().answerInSend()
  const s = NetlinkSocket.open({ binding: k })
  const ac = new AbortController()
  const timers = () => process.getActiveResourcesInfo().filter(r => r === 'Timeout').length
  const before = timers()
  t.same(await s.request(msg(), { signal: ac.signal, timeout: 60_000 }), [])
  t.equal(timers(), before, 'no timer left')
  ac.abort()
  t.equal(s.pendingCount, 0)
  await t.rejects(s.request(msg(), { signal: ac.signal }), { name: 'AbortError' }, 'an aborted signal still refuses')
  s.close()
})

t.test('timeout and signal are checked before sending; a timeout past 2^31 ms is none', async t => {
  const k = new FakeKernel()
  const s = NetlinkSocket.open({ binding: k })
  for (const timeout of [-1, NaN, '5', {}] as any[])
    await t.rejects(s.request(msg(), { timeout }), { name: 'ValidationError', field: 'timeout' }, `timeout ${String(timeout)}`)
  for (const signal of [{}, 5, 'x'] as any[])
    await t.rejects(s.request(msg(), { signal }), { name: 'ValidationError', field: 'signal' }, `signal ${String(signal)}`)
  t.equal(k.sent.length, 0, 'nothing was sent')
  await t.rejects(s.dump(msg(T_GET), m => m.type, { timeout: -1 }).toArray(), { name: 'ValidationError', field: 'timeout' }, 'dumps too')
  t.throws(() => NetlinkSocket.open({ binding: new FakeKernel(), timeout: -1 }), { name: 'ValidationError', field: 'timeout' }, 'the socket default too')
  // No answer for 30 ms: a timeout of 2^31 ms must not fire (Node would run it after 1 ms).
  k.handler = () => {}
  const late = s.request(msg(), { timeout: 2 ** 31 }).then(() => 'answered', e => e.name)
  const early = await Promise.race([late, new Promise(r => setTimeout(() => r('still pending'), 30))])
  t.equal(early, 'still pending')
  s.close()
  t.equal(await late, 'SocketClosedError')
  const s2 = NetlinkSocket.open({ binding: new FakeKernel() })
  t.same(await s2.request(msg(), { timeout: Infinity, signal: null as any }), [], 'Infinity and a null signal mean none')
  s2.close()
})

t.test('socket and dump options of the wrong type or range are refused before anything is made or sent', async t => {
  // maxInFlight 'x' (or 0) let no request leave: every request waited forever.
  for (const [opts, field] of [
    [{ maxInFlight: 'x' }, 'maxInFlight'], [{ maxInFlight: 0 }, 'maxInFlight'], [{ maxInFlight: 1.5 }, 'maxInFlight'],
    [{ receiveBufferSize: 'x' }, 'receiveBufferSize'], [{ sendBufferSize: -5 }, 'sendBufferSize'], [{ receiveBufferSize: 2 ** 40 }, 'receiveBufferSize'],
    [{ extAck: 'no' }, 'extAck'], [{ capAck: 0 }, 'capAck'], [{ strict: 1 }, 'strict'],
    [{ groups: 'x' }, 'groups'], [{ groups: [1, 1.5] }, 'groups[1]'], [{ groups: [0] }, 'groups[0]'],
    [{ protocol: 99 }, 'protocol'], [{ netnsFd: 'x' }, 'netnsFd'],
  ] as [any, string][]) {
    const k = new FakeKernel()
    let made = 0
    k.socket = () => { made++; return 100 }
    t.throws(() => NetlinkSocket.open({ ...opts, binding: k }), { name: 'ValidationError', field }, JSON.stringify(opts))
    t.equal(made, 0, 'no socket made')
  }
  const k = new FakeKernel()
  const s = NetlinkSocket.open({ binding: k, maxInFlight: 1 })
  t.same(await Promise.all([s.request(msg()), s.request(msg())]), [[], []], 'maxInFlight 1 still answers every request')
  for (const [opts, field] of [
    [{ onInterrupt: 'ignore' }, 'onInterrupt'], [{ maxAttempts: 0 }, 'maxAttempts'], [{ maxAttempts: 'x' }, 'maxAttempts'], [{ holdLimit: -1 }, 'holdLimit'],
  ] as [any, string][])
    await t.rejects(s.dump(msg(T_GET), m => m.type, opts).toArray(), { name: 'ValidationError', field }, JSON.stringify(opts))
  const sent = k.sent.length
  t.throws(() => s.subscribe('x' as any), { name: 'ValidationError', field: 'group' })
  t.throws(() => s.unsubscribe(-1), { name: 'ValidationError', field: 'group' })
  t.equal(k.sent.length, sent, 'no dump sent')
  s.close()
})
