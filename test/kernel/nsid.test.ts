// Namespace ids (RTM_NEWNSID/GETNSID/DELNSID), cross-checked with `ip netns list-id`.
import t from 'tap'
import { freshNetNs } from '../helpers/ns.js'
import { NetlinkError, ValidationError } from '../../src/errors.js'
import { NetNs } from '../../src/netns/netns.js'
import { native } from '../../src/native/binding.js'
import { closeSync } from 'node:fs'

t.test('assign, read, list and delete peer namespace ids', async t => {
  const a = freshNetNs(t)
  const b = freshNetNs(t)
  const c = freshNetNs(t)
  t.equal(await a.rtnl.nsid.get({ fd: b.fd }), undefined, 'no id yet')
  t.equal(await a.rtnl.nsid.set({ fd: b.fd }, 7), 7)
  t.equal(await a.rtnl.nsid.get({ fd: b.fd }), 7)
  const auto = await a.rtnl.nsid.ensure({ fd: c.fd })
  t.ok(auto >= 0 && auto !== 7, `auto-assigned ${auto}`)
  t.equal(await a.rtnl.nsid.ensure({ fd: c.fd }), auto, 'ensure is idempotent')
  const ids: number[] = []
  for await (const e of a.rtnl.nsid.list()) ids.push(e.nsid)
  t.same(ids.sort((x, y) => x - y), [7, auto].sort((x, y) => x - y))
  const oracle = await a.ip('netns', 'list-id')
  t.same(oracle.map((e: any) => e.nsid).sort((x: number, y: number) => x - y), ids)
  await t.rejects(a.rtnl.nsid.set({ fd: b.fd }, 9), NetlinkError, 'already has an id')
  t.rejects(a.rtnl.nsid.set({ fd: b.fd }, -3), ValidationError)
  await t.rejects(a.rtnl.nsid.get({} as any), ValidationError)
})

t.test('list() names the namespaces under /run/netns, as ip netns list-id does', async t => {
  const a = freshNetNs(t)
  const names = [`nsidn-${process.pid}-a`, `nsidn-${process.pid}-b`]
  const handles = await Promise.all(names.map(n => NetNs.create(n)))
  t.teardown(async () => {
    for (const h of handles) h.close()
    for (const n of names) await NetNs.delete(n).catch(() => {})
  })
  const anon = freshNetNs(t)
  t.same(await a.rtnl.nsid.list()[Symbol.asyncIterator]().next().then(r => r.done), true, 'none yet: an empty list')
  await a.rtnl.nsid.set(names[0]!, 21)
  await a.rtnl.nsid.set(handles[1]!, 22)
  await a.rtnl.nsid.set({ fd: anon.fd }, 23)
  const listed: { nsid: number; name?: string }[] = []
  for await (const e of a.rtnl.nsid.list()) listed.push(e)
  listed.sort((x, y) => x.nsid - y.nsid)
  t.same(listed, [{ nsid: 21, name: names[0] }, { nsid: 22, name: names[1] }, { nsid: 23 }], 'named ones by name, the anonymous one without')
  const oracle = (await a.ip('netns', 'list-id')) as { nsid: number; name?: string }[]
  t.same(oracle.sort((x, y) => x.nsid - y.nsid).map(e => ({ nsid: e.nsid, ...(e.name ? { name: e.name } : {}) })), listed, 'ip agrees')
})

t.test('by pid: a process inside the namespace', async t => {
  const a = freshNetNs(t)
  t.equal(await a.rtnl.nsid.get({ pid: process.pid }), undefined, 'the host namespace has no id in a fresh one')
  const id = await a.rtnl.nsid.set({ pid: process.pid })
  t.equal(await a.rtnl.nsid.get({ pid: process.pid }), id)
})

t.test('by name under /run/netns, as ip netns set NAME ID; a closed handle is EBADF', async t => {
  const a = freshNetNs(t)
  const name = `nsid-${process.pid}`
  const blue = await NetNs.create(name)
  t.teardown(async () => {
    blue.close()
    await NetNs.delete(name).catch(() => {})
  })
  // Before, a name was a ValidationError here, though link.set({ netns: name }) takes one.
  t.equal(await a.rtnl.nsid.get(name), undefined)
  t.equal(await a.rtnl.nsid.set(name, 12), 12)
  t.equal(await a.rtnl.nsid.get(blue), 12, 'the same namespace by its handle')
  t.same((await a.ip('netns', 'list-id')).map((e: { nsid: number }) => e.nsid), [12], 'ip agrees')
  await t.rejects(a.rtnl.nsid.get('no-such-namespace-here'), { name: 'NetNsError', code: 'ENOENT' })
  await t.rejects(a.rtnl.nsid.get('bad/name'), { name: 'ValidationError' })
  const gone = NetNs.unshare()
  gone.close()
  await t.rejects(a.rtnl.nsid.get(gone), { name: 'NetNsError', code: 'EBADF' })
})

t.test('monitor: an id given to a peer, and its removal when the peer goes away', async t => {
  const a = freshNetNs(t)
  const peerFd = native().unshareNetns()
  let closed = false
  t.teardown(() => { if (!closed) closeSync(peerFd) })
  const m = a.rtnl.monitor({ objects: ['nsid'] })
  t.teardown(() => m.close())
  await a.rtnl.nsid.set({ fd: peerFd }, 7)
  const first = await m.next()
  t.same(first.value, { type: 'nsid', action: 'new', nsid: { nsid: 7 } }, 'new id 7')
  // The last reference gone, the kernel tears the peer down (in a work item) and drops its id.
  closeSync(peerFd)
  closed = true
  let timer: NodeJS.Timeout | undefined
  const del = await Promise.race([m.next(), new Promise<'timeout'>(r => { timer = setTimeout(() => r('timeout'), 10_000) })])
  clearTimeout(timer)
  t.not(del, 'timeout', 'the removal is reported within 10 s')
  if (del !== 'timeout') t.same(del.value, { type: 'nsid', action: 'del', nsid: { nsid: 7 } }, 'del id 7')
})
