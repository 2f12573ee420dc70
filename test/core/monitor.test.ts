// The Monitor against a fake kernel: decoding, back-pressure (reading stops at maxQueued and
// resumes as the consumer catches up), ENOBUFS as one overrun event, a malformed notification.
import t from 'tap'
import { FakeKernel, nlmsg, tlv } from '../helpers/fake-kernel.js'
import { NetlinkSocket } from '../../src/netlink/socket.js'
import { Monitor, monitorGroups, type MonitorEvent } from '../../src/rtnl/monitor.js'
import { DecodeError } from '../../src/errors.js'

/** RTM_NEWLINK (or DELLINK) for link `index` named `name`. */
function linkMsg(index: number, name: string, type = 16): Buffer {
  const h = Buffer.alloc(16)
  h.writeInt32LE(index, 4)
  return nlmsg(type, 0, 0, 0, Buffer.concat([h, tlv(3, Buffer.from(`${name}\0`))]))
}

const tick = () => new Promise(r => setImmediate(r))

t.test('groups for objects and families', async t => {
  t.same(monitorGroups({}), [1, 5, 9, 7, 11, 3, 8, 19, 32, 28])
  t.same(monitorGroups({ objects: ['addr'], family: 'inet' }), [5])
  t.same(monitorGroups({ objects: ['route', 'link'], family: 6 }), [1, 11])
})

t.test('notifications become typed events, in order; other types are counted, not reported', async t => {
  const k = new FakeKernel()
  const m = new Monitor(NetlinkSocket.open({ binding: k }), [1], {})
  k.multicast(1, linkMsg(2, 'a'), linkMsg(3, 'b'))
  k.multicast(1, nlmsg(0x5c /* RTM_NEWNETCONF */, 0, 0, 0, Buffer.alloc(4)), linkMsg(2, 'a', 17))
  const got: string[] = []
  for await (const e of m) {
    if (e.type === 'link') got.push(`${e.action} ${e.link.index} ${e.link.name}`)
    if (got.length === 3) break
  }
  t.same(got, ['new 2 a', 'new 3 b', 'del 2 a'])
  t.same(m.stats, { events: 3, overruns: 0, ignored: 1 })
  t.equal(m.closed, true)
  t.ok(k.closed.size === 1, 'break closed the socket')
})

t.test('reading stops at maxQueued and resumes when half is consumed', async t => {
  const k = new FakeKernel()
  const m = new Monitor(NetlinkSocket.open({ binding: k }), [1], { maxQueued: 4 })
  for (let i = 0; i < 20; i++) k.multicast(1, linkMsg(i + 1, `l${i}`))
  for (let i = 0; i < 5; i++) await tick()
  t.equal(m.stats.events, 4, 'four read, then reading paused')
  t.equal(k.queue.length, 16, 'the rest waits in the "kernel"')
  const seen: number[] = []
  for (let i = 0; i < 20; i++) {
    const r = await m.next()
    seen.push((r.value as Extract<MonitorEvent, { type: 'link' }>).link.index)
    await tick()
    t.ok(m.stats.events - seen.length <= 4, 'never more than maxQueued held')
  }
  t.same(seen, Array.from({ length: 20 }, (_, i) => i + 1), 'all, in order')
  m.close()
})

t.test('ENOBUFS: one overrun event per run of losses', async t => {
  const k = new FakeKernel()
  const m = new Monitor(NetlinkSocket.open({ binding: k }), [1], {})
  k.multicast(1, linkMsg(1, 'a'))
  k.recvError = Object.assign(new Error('ENOBUFS'), { code: 'ENOBUFS', errno: 105 })
  // As the kernel does, the read reports the error before what is still queued.
  const first = await m.next()
  t.same(first.value, { type: 'overrun' })
  const second = await m.next()
  t.equal(second.value?.type === 'link' && second.value.link.name, 'a')
  k.multicast(1, linkMsg(2, 'b'))
  const third = await m.next()
  t.equal(third.value?.type === 'link' && third.value.link.name, 'b', 'events go on')
  t.equal(m.stats.overruns, 1)
  m.close()
})

t.test('a malformed notification ends the monitor with a DecodeError', async t => {
  const k = new FakeKernel()
  const m = new Monitor(NetlinkSocket.open({ binding: k }), [1], {})
  const a = m.next()
  const b = m.next()
  k.multicast(1, nlmsg(16, 0, 0, 0, Buffer.alloc(4)))
  await t.rejects(a, DecodeError, 'the waiting step rejects')
  t.same(await b, { value: undefined, done: true }, 'a second waiting step is done')
  t.same(await m.next(), { value: undefined, done: true })
  t.equal(m.closed, true)
})
