// ENOBUFS (the receive buffer overflowed) while a dump runs: the kernel's dump goes on (it
// is not aborted by an overrun), so the socket must keep reading and dropping its parts
// until its DONE before the next dump starts, and none may reach the notification listeners.
import t from 'tap'
import { NlWriter } from '../../src/attr/writer.js'
import { NetlinkSocket } from '../../src/netlink/socket.js'
import { errorMsg, FakeKernel, nlmsg } from '../helpers/fake-kernel.js'

const T_GET = 0x7f0
const T_NEW = 0x7f1
const u32buf = (n: number) => { const b = Buffer.alloc(4); b.writeUInt32LE(n); return b }
function msg(type = T_GET): Buffer {
  const w = new NlWriter()
  const s = w.beginMessage(type, 0)
  w.zeros(4)
  w.endMessage(s)
  return w.finish()
}

/** A fake kernel answering each dump with 4 parts of 5 items (dump d: d*100 + i) and DONE. */
function dumpingKernel(failRead: number) {
  let dumps = 0
  const log: string[] = []
  const k = new FakeKernel(m => {
    if (m.type !== T_GET) return k.reply(errorMsg(m, 0))
    const d = ++dumps
    log.push(`dump ${d} sent`)
    for (let p = 0; p < 4; p++) k.reply(...Array.from({ length: 5 }, (_, i) => nlmsg(T_NEW, 0x2, m.seq, m.pid, u32buf(d * 100 + p * 5 + i))))
    k.reply(nlmsg(3, 0x2, m.seq, m.pid, u32buf(0)))
  })
  // Read number `failRead` reports the overrun instead (once).
  let reads = 0
  const recv = k.recvmsg.bind(k)
  k.recvmsg = (fd, buf, sender) => {
    if (++reads === failRead) throw Object.assign(new Error('ENOBUFS'), { code: 'ENOBUFS' })
    const n = recv(fd, buf, sender)
    if (n > 0 && buf.readUInt16LE(4) === 3) log.push(`DONE ${buf.readUInt32LE(8)} read`)
    return n
  }
  const s = NetlinkSocket.open({ binding: k })
  const notes: number[] = []
  s.onMessage(m => notes.push(m.buf.readUInt32LE(m.off)))
  return { k, s, log, notes }
}

t.test('an overrun fails the running dump; its remaining parts are dropped, then the next dump starts', async t => {
  const { k, s, log, notes } = dumpingKernel(2)
  const first = s.dump(msg(), m => m.buf.readUInt32LE(m.off))
  const second = s.dump(msg(), m => m.buf.readUInt32LE(m.off))
  const err = await first.toArray().catch(e => e)
  t.equal(err.code, 'ENOBUFS', 'the interrupted dump fails with ENOBUFS')
  const all = await second.toArray()
  t.same(all, Array.from({ length: 20 }, (_, i) => 200 + i), 'the next dump lists its own items, all of them')
  t.same(notes, [], 'no part of the failed dump reached the listeners')
  t.same(log.slice(0, 3), ['dump 1 sent', `DONE ${k.sent[0]!.seq} read`, 'dump 2 sent'], 'the next dump was sent after the failed one\'s DONE')
  s.close()
})

t.test('an overrun before any part of a dump: it fails, whatever of it comes later is dropped', async t => {
  const { k, s, notes } = dumpingKernel(1)
  const first = s.dump(msg(), m => m.buf.readUInt32LE(m.off))
  const second = s.dump(msg(), m => m.buf.readUInt32LE(m.off))
  t.equal((await first.toArray().catch(e => e)).code, 'ENOBUFS')
  t.same(await second.toArray(), Array.from({ length: 20 }, (_, i) => 200 + i), 'the next dump gets only its own items')
  t.same(notes, [], 'the first dump\'s parts did not reach the listeners')
  t.not(k.sent[1]!.seq, k.sent[0]!.seq, 'and its sequence number was not reused')
  t.same(await s.request(msg(T_NEW)), [], 'requests still work')
  s.close()
})

t.test('an overrun after a dump timed out: its DONE still lets the next dump start', async t => {
  // The first dump's answer is held back until after its timeout; then an overrun is reported.
  let release: (() => void) | undefined
  let dumps = 0
  const k = new FakeKernel(m => {
    const d = ++dumps
    const send = () => {
      k.reply(...Array.from({ length: 5 }, (_, i) => nlmsg(T_NEW, 0x2, m.seq, m.pid, u32buf(d * 100 + i))))
      k.reply(nlmsg(3, 0x2, m.seq, m.pid, u32buf(0)))
    }
    if (d === 1) {
      k.reply(nlmsg(T_NEW, 0x2, m.seq, m.pid, u32buf(99))) // the kernel started it
      release = send
    } else send()
  })
  const s = NetlinkSocket.open({ binding: k })
  const notes: number[] = []
  s.onMessage(m => notes.push(m.buf.readUInt32LE(m.off)))
  const first = s.dump(msg(), m => m.buf.readUInt32LE(m.off), { timeout: 20 })
  const second = s.dump(msg(), m => m.buf.readUInt32LE(m.off))
  t.equal((await first.toArray().catch(e => e)).name, 'TimeoutError')
  k.recvError = Object.assign(new Error('ENOBUFS'), { code: 'ENOBUFS' })
  release!()
  const all = await Promise.race([second.toArray(), new Promise(r => setTimeout(() => r('hung'), 2000))])
  t.same(all, [200, 201, 202, 203, 204], 'the second dump ran after the first one\'s DONE')
  t.same(notes, [], 'nothing reached the listeners')
  s.close()
})

t.test('an overrun fails the requests in flight; answers of theirs read afterwards do not reach the listeners', async t => {
  const held: Parameters<typeof errorMsg>[0][] = []
  const k = new FakeKernel(m => { held.push(m) })
  const s = NetlinkSocket.open({ binding: k })
  const notes: number[] = []
  s.onMessage(m => notes.push(m.type))
  s.subscribe(1) // a socket that also listens, so it reads on after the overrun
  const reqs = [s.request(msg(T_NEW)), s.request(msg(T_NEW)), s.request(msg(T_GET), { ack: false, decode: m => m.type })]
  await new Promise(r => setImmediate(r))
  t.equal(held.length, 3, 'three requests in flight')
  // The overrun is reported first; the first ACK and the GET's answer are still queued (the
  // second ACK was the one lost).
  k.recvError = Object.assign(new Error('ENOBUFS'), { code: 'ENOBUFS' })
  k.reply(errorMsg(held[0]!, 0))
  k.reply(nlmsg(T_NEW, 0, held[2]!.seq, held[2]!.pid, u32buf(1)))
  const results = await Promise.allSettled(reqs)
  t.same(results.map(r => r.status === 'rejected' && (r.reason as { code?: string }).code), ['ENOBUFS', 'ENOBUFS', 'ENOBUFS'])
  await new Promise(r => setTimeout(r, 10))
  t.same(notes, [], 'the ACK and the answer read after the overrun were dropped, not handed to the listeners')
  k.multicast(1, nlmsg(T_NEW, 0, 0, 0, u32buf(7)))
  await new Promise(r => setTimeout(r, 10))
  t.same(notes, [T_NEW], 'a notification still reaches them')
  k.handler = (m, kk) => kk.reply(errorMsg(m, 0))
  t.same(await s.request(msg(T_NEW)), [], 'and requests work')
  t.same(notes, [T_NEW], 'still nothing else for the listeners')
  const used = new Set(held.map(m => m.seq))
  t.notOk(used.has(k.sent.at(-1)!.seq), 'with a sequence number none of the abandoned ones had')
  s.close()
})
