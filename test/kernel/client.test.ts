// The client: open() in a namespace, rtnl.in(ns) pooling by namespace identity.
import t from 'tap'
import { closeSync, mkdirSync, openSync as fsOpen, unlinkSync } from 'node:fs'
import { open, openSync } from '../../src/client.js'
import { NetNsError } from '../../src/errors.js'
import { NetNs } from '../../src/netns/netns.js'
import { NetlinkSocket } from '../../src/netlink/socket.js'
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

t.test('a namespace name that does not exist: NetNsError ENOENT from open(), in() and a link move', async t => {
  const missing = `rtnl-missing-${process.pid}`
  await t.rejects(open({ netns: missing }), { name: 'NetNsError', code: 'ENOENT', netns: missing, message: `netns ${missing} does not exist` })
  t.throws(() => openSync({ netns: 'a/b' }), { name: 'ValidationError', field: 'netns' })
  const rtnl = openSync({ netns: anon(t) })
  t.teardown(() => rtnl.close())
  t.throws(() => rtnl.in(missing), NetNsError)
  await rtnl.link.add({ name: 'v0', kind: 'veth', peer: { name: 'v1' } })
  await t.rejects(rtnl.link.set('v0', { netns: missing }), { name: 'NetNsError', code: 'ENOENT' })
  await t.rejects(rtnl.link.add({ name: 'v2', kind: 'veth', peer: { name: 'v3', netns: missing } }), { name: 'NetNsError', code: 'ENOENT' })
  await t.rejects(rtnl.link.set('v0', { netns: '..' }), { name: 'ValidationError', field: 'netns' })
  t.type(await rtnl.link.get('v0'), 'object', 'v0 not moved')
  t.equal(await rtnl.link.get('v2').catch(e => e.code), 'ENODEV', 'no v2 half-made')
})

t.test('a closed NetNs handle: NetNsError EBADF, as from its own methods; never the current namespace', async t => {
  const gone = NetNs.unshare()
  gone.close()
  t.throws(() => openSync({ netns: gone }), { name: 'NetNsError', code: 'EBADF' })
  t.throws(() => gone.runSync(() => 1), { name: 'NetNsError', code: 'EBADF' })
  t.throws(() => openSync({ netns: {} as any }), { name: 'ValidationError', field: 'netns' }, 'no fd at all')
  t.throws(() => openSync({ netns: 0 }), { name: 'NetNsError', code: 'ENOTNETNS' }, 'an fd that is not a namespace')
  const rtnl = openSync({ netns: anon(t) })
  t.teardown(() => rtnl.close())
  await rtnl.link.add({ name: 'v0', kind: 'veth', peer: { name: 'v1' } })
  await t.rejects(rtnl.link.set('v0', { netns: gone }), { name: 'NetNsError', code: 'EBADF' })
  t.type(await rtnl.link.get('v0'), 'object', 'v0 not moved')
})

t.test('a name under /run/netns that is not a namespace (a plain file left there): NetNsError ENOTNETNS everywhere a name is taken', async t => {
  const name = `rtnl-test-file-${process.pid}`
  const path = `/run/netns/${name}`
  mkdirSync('/run/netns', { recursive: true }) // as ip netns add makes it
  closeSync(fsOpen(path, 'wx'))
  t.teardown(() => { try { unlinkSync(path) } catch {} })
  t.throws(() => NetNs.openSync(name), { name: 'NetNsError', code: 'ENOTNETNS' })
  await t.rejects(NetNs.open(name), { name: 'NetNsError', code: 'ENOTNETNS' })
  t.throws(() => openSync({ netns: name }), { name: 'NetNsError', code: 'ENOTNETNS' }, 'a client (setns was a bare EINVAL)')
  const rtnl = openSync({ netns: anon(t) })
  t.teardown(() => rtnl.close())
  await rtnl.link.add({ name: 'v0', kind: 'veth', peer: { name: 'v1' } })
  await t.rejects(rtnl.link.set('v0', { netns: name }), { name: 'NetNsError', code: 'ENOTNETNS' }, 'a link moved there')
  await t.rejects(rtnl.link.add({ name: 'v2', kind: 'veth', peer: { name: 'v3', netns: name } }), { name: 'NetNsError', code: 'ENOTNETNS' }, 'a peer made there')
  t.same((await rtnl.link.list().toArray()).map(l => l.name).sort(), ['lo', 'v0', 'v1'], 'nothing moved or half-made')
})

t.test('a misspelt client or socket option is refused: a misspelt netns would have opened it in the current namespace', async t => {
  t.throws(() => openSync({ netnss: 'blue' } as any), { name: 'ValidationError', field: 'netnss', message: /unknown option netnss \(did you mean netns\?\)/ })
  await t.rejects(open({ timout: 5 } as any), { name: 'ValidationError', field: 'timout' })
  t.throws(() => NetlinkSocket.open({ netnsfd: 3 } as any), { name: 'ValidationError', field: 'netnsfd', message: /did you mean netnsFd/ })
  const fd = anon(t)
  const c = openSync({ netns: fd, timeout: undefined, maxInFlight: 64 } as any)
  t.teardown(() => c.close())
  t.same((await c.link.list().toArray()).map(l => l.name), ['lo'], 'the options it knows are taken')
})
