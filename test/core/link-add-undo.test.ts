// link.add sets aliases by a second request (the kernel ignores IFLA_IFALIAS when creating):
// if that fails, the link it just created is deleted again, so nothing is left half-made.
import t from 'tap'
import { NetlinkSocket } from '../../src/netlink/socket.js'
import { LinkApi } from '../../src/rtnl/link/api.js'
import { RTM_DELLINK, RTM_GETLINK, RTM_NEWLINK } from '../../src/rtnl/link/schema.js'
import { linkMessage } from '../../src/rtnl/link/codec.js'
import { errorMsg, FakeKernel, nlmsg, type SentMessage } from '../helpers/fake-kernel.js'

const NLM_F_CREATE = 0x400

/** Requests as (type, creating?) pairs, in the order sent. */
const kinds = (sent: SentMessage[]) => sent.map(m => `${m.type === RTM_DELLINK ? 'del' : m.type === RTM_GETLINK ? 'get' : m.type === RTM_NEWLINK ? (m.flags & NLM_F_CREATE ? 'create' : 'set') : m.type}`)

t.test('the alias request fails: the new link is deleted, the error is the alias one', async t => {
  // Creating succeeds; setting the alias is refused (as if the kernel's policy said no).
  const k = new FakeKernel((m, k) => k.reply(errorMsg(m, m.type === RTM_NEWLINK && !(m.flags & NLM_F_CREATE) ? -34 : 0)))
  const link = new LinkApi(NetlinkSocket.open({ binding: k }))
  await t.rejects(link.add({ name: 'br0', kind: 'bridge', alias: 'a' }), { name: 'NetlinkError', code: 'ERANGE' })
  t.same(kinds(k.sent), ['create', 'set', 'del'], 'created, alias refused, deleted again')
  link.sock.close()
})

/**
 * A kernel where br0 exists with that kind (or not at all), creating succeeds and changing
 * (the alias request) is refused with ERANGE.
 */
const replaceKernel = (kind: string | undefined) => new FakeKernel((m, k) => {
  if (m.type === RTM_GETLINK) {
    if (!kind) return k.reply(errorMsg(m, -19))
    const l = linkMessage(RTM_NEWLINK, 0, { index: 3 }, { name: 'br0', linkInfo: { kind } })
    return k.reply(nlmsg(RTM_NEWLINK, 0, m.seq, m.pid, l.subarray(16)))
  }
  k.reply(errorMsg(m, m.type === RTM_NEWLINK && !(m.flags & NLM_F_CREATE) ? -34 : 0))
})

t.test('replace: a link that was there is never deleted on the way back; one it made is', async t => {
  for (const [kind, want] of [['bridge', ['get', 'create', 'set']], [undefined, ['get', 'create', 'set', 'del']]] as const) {
    const k = replaceKernel(kind)
    const link = new LinkApi(NetlinkSocket.open({ binding: k }))
    await t.rejects(link.add({ name: 'br0', kind: 'bridge', alias: 'a', replace: true }), { code: 'ERANGE' })
    t.same(kinds(k.sent), want, kind ? 'existed: kept' : 'made by this call: deleted again')
    // Without NLM_F_REPLACE (the kernel refuses it for a link that exists) and NLM_F_EXCL.
    t.equal(k.sent[1]!.flags & 0x300, 0)
    link.sock.close()
  }
})

t.test('replace: a link of that name but another kind is not changed', async t => {
  const k = replaceKernel('ifb')
  const link = new LinkApi(NetlinkSocket.open({ binding: k }))
  await t.rejects(link.add({ name: 'br0', kind: 'bridge', mtu: 1400, replace: true }), { name: 'ValidationError', field: 'kind', message: /exists and is of kind ifb/ })
  t.same(kinds(k.sent), ['get'])
  link.sock.close()
})

t.test('the alias is checked before anything is sent; a peer alias needs the peer name', async t => {
  const k = new FakeKernel()
  const link = new LinkApi(NetlinkSocket.open({ binding: k }))
  await t.rejects(link.add({ name: 'br0', kind: 'bridge', alias: 'x'.repeat(256) }), { name: 'ValidationError', field: 'alias' })
  await t.rejects(link.add({ name: 'v0', kind: 'veth', peer: { alias: 'p' } }), { name: 'ValidationError', field: 'peer.alias' })
  await t.rejects(link.add({ name: 'v0', kind: 'veth', peer: { name: 'v1', alias: 5 as any } }), { name: 'ValidationError', field: 'peer.alias' })
  t.equal(k.sent.length, 0)
  await link.add({ name: 'br0', kind: 'bridge', alias: 'x'.repeat(255) })
  const set = k.sent.find(m => m.type === RTM_NEWLINK && !(m.flags & NLM_F_CREATE))!
  const hdr = Buffer.alloc(4)
  hdr.writeUInt16LE(4 + 255, 0)
  hdr.writeUInt16LE(20, 2) // IFLA_IFALIAS
  t.ok(set.raw.includes(Buffer.concat([hdr, Buffer.from('x'.repeat(255))])), 'IFLA_IFALIAS of 255 bytes, no NUL (as iproute2 sends it)')
  link.sock.close()
})
