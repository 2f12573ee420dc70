// The client: open() in a namespace, rtnl.in(ns) pooling by namespace identity.
import t from 'tap'
import { closeSync, openSync as fsOpen } from 'node:fs'
import { openSync } from '../../src/client.js'
import { native } from '../../src/native/binding.js'
import { getLinkRequest } from '../../src/rtnl/link/resolve.js'

function anon(t: { teardown(fn: () => void): void }): number {
  const fd = native().unshareNetns()
  t.teardown(() => closeSync(fd))
  return fd
}

t.test('rtnl.in(ns) pools one client per namespace identity', async t => {
  const a = anon(t)
  const b = anon(t)
  const rtnl = openSync({ netns: a })
  t.teardown(() => rtnl.close())
  const dupOfB = fsOpen(`/proc/self/fd/${b}`, 'r')
  t.teardown(() => closeSync(dupOfB))
  const inB = rtnl.in(b)
  t.equal(rtnl.in(dupOfB), inB, 'same namespace through another fd: same client')
  t.not(rtnl.in(a), inB, 'another namespace: another client')
  // The pooled client's socket really is in b: the portId differs and lo answers.
  const [idx] = await inB.sock.request(getLinkRequest('lo'), { ack: false, decode: m => m.buf.readInt32LE(m.off + 4) })
  t.equal(idx, 1)
  let onClose: (() => void) | undefined
  const handle = { fd: b, onClose(fn: () => void) { onClose = fn } }
  rtnl.close()
  t.ok(inB.sock.isClosed, 'pooled clients close with their parent')
  const rtnl2 = openSync({ netns: a })
  t.teardown(() => rtnl2.close())
  const c = rtnl2.in(handle)
  onClose!()
  t.ok(c.sock.isClosed, 'pooled client closes with its NetNs handle')
  t.not(rtnl2.in(handle), c, 'a new one is made on next use')
})
