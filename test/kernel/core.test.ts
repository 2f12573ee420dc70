// The socket core against the real kernel, each test in a throw-away namespace.
import t from 'tap'
import { NlWriter } from '../../src/attr/writer.js'
import { NetlinkError, SocketClosedError } from '../../src/errors.js'
import { NetlinkSocket } from '../../src/netlink/socket.js'
import { native } from '../../src/native/binding.js'
import { closeSync } from 'node:fs'
import { freshNetNs } from '../helpers/ns.js'

const RTM_GETLINK = 18
const RTM_NEWADDR = 20
const RTM_NEWROUTE = 24
const RTM_GETROUTE = 26

function getLink(index: number): Buffer {
  const w = new NlWriter()
  const s = w.beginMessage(RTM_GETLINK, 0)
  const h = w.zeros(16)
  w.buf.writeInt32LE(index, h + 4)
  w.endMessage(s)
  return w.finish()
}

/** RTM_NEWROUTE: blackhole 10.x.y.z/32 in table 254 (hand-built rtmsg + RTA_DST). */
function blackhole(n: number): Buffer {
  const w = new NlWriter()
  const s = w.beginMessage(RTM_NEWROUTE, 0x400 | 0x200)
  const h = w.zeros(12)
  w.buf[h] = 2          // AF_INET
  w.buf[h + 1] = 32     // dst_len
  w.buf[h + 4] = 254    // table main
  w.buf[h + 5] = 4      // RTPROT_STATIC
  w.buf[h + 6] = 0      // RT_SCOPE_UNIVERSE
  w.buf[h + 7] = 6      // RTN_BLACKHOLE
  w.attrBytes(1, Buffer.from([10, (n >> 16) & 255, (n >> 8) & 255, n & 255]))
  w.endMessage(s)
  return w.finish()
}

t.test('a socket opened in a namespace lives there', async t => {
  const ns = freshNetNs(t)
  const names: string[] = []
  for await (const name of ns.rtnl.sock.dump(getLink(0), m => {
    // IFLA_IFNAME (3) is among the first attributes of a link message
    let off = m.off + 16
    while (off < m.end) {
      const len = m.buf.readUInt16LE(off)
      if (m.buf.readUInt16LE(off + 2) === 3) return m.buf.toString('utf8', off + 4, off + len - 1)
      off += (len + 3) & ~3
    }
    return undefined
  })) names.push(name)
  t.same(names, ['lo'], 'a fresh namespace has only lo')
})

t.test('kernel rejection carries errno and the extended ACK text', async t => {
  const ns = freshNetNs(t)
  const w = new NlWriter()
  const s = w.beginMessage(RTM_NEWADDR, 0x400 | 0x200)
  const h = w.zeros(8)
  w.buf[h] = 2
  w.buf[h + 1] = 24
  w.buf.writeUInt32LE(9999, h + 4) // no such ifindex
  w.attrBytes(2, Buffer.from([10, 0, 0, 1]))
  w.endMessage(s)
  const err = await ns.rtnl.sock.request(w.finish(), { what: '10.0.0.1/24' }).catch(e => e)
  t.type(err, NetlinkError)
  t.equal(err.code, 'ENODEV')
  t.equal(err.errno, 19)
  t.match(err.extack?.message, /Device not found/i)
  t.ok(err.request.flags.includes('REQUEST') && err.request.flags.includes('ACK'), 'request flags named')
  t.equal(err.request.what, '10.0.0.1/24')
})

t.test('strict checking: a malformed dump request is refused with a reason', async t => {
  const ns = freshNetNs(t)
  t.ok(ns.rtnl.sock.features.strict, 'NETLINK_GET_STRICT_CHK enabled')
  // A route dump whose rtmsg has a non-zero rtm_dst_len without RTM_F_PREFIX is invalid under strict checking? Use a
  // header that is too short instead: the kernel wants a full rtmsg.
  const w = new NlWriter()
  const s = w.beginMessage(RTM_GETROUTE, 0)
  w.zeros(4)
  w.endMessage(s)
  const err = await (async () => { for await (const _ of ns.rtnl.sock.dump(w.finish(), m => m.type)) { /* none */ } })().catch(e => e)
  t.type(err, NetlinkError)
  t.equal(err.code, 'EINVAL')
  t.match(err.extack?.message ?? '', /header/i)
})

t.test('1000 concurrent GETLINK requests on one socket, pipelined and matched', async t => {
  const ns = freshNetNs(t)
  const res = await Promise.all(Array.from({ length: 1000 }, () =>
    ns.rtnl.sock.request(getLink(1), { ack: false, decode: m => m.buf.readInt32LE(m.off + 4) })))
  t.equal(res.length, 1000)
  t.ok(res.every(r => r.length === 1 && r[0] === 1))
  const missing = await Promise.allSettled(Array.from({ length: 50 }, (_, i) =>
    ns.rtnl.sock.request(getLink(i % 2 ? 1 : 424242), { ack: false, decode: m => m.buf.readInt32LE(m.off + 4) })))
  t.equal(missing.filter(r => r.status === 'rejected').length, 25, 'errors matched to their own requests')
  t.ok(missing.filter(r => r.status === 'rejected').every(r => (r as PromiseRejectedResult).reason.code === 'ENODEV'))
})

t.test('a dump of 5000 routes streams every entry (multipart)', async t => {
  const ns = freshNetNs(t)
  const N = 5000
  await Promise.all(Array.from({ length: N }, (_, i) => ns.rtnl.sock.request(blackhole(i))))
  const w = new NlWriter()
  const s = w.beginMessage(RTM_GETROUTE, 0)
  const h = w.zeros(12)
  w.buf[h] = 2
  w.endMessage(s)
  let count = 0
  let parts = new Set<number>()
  for await (const table of ns.rtnl.sock.dump(w.finish(), m => m.buf[m.off + 4])) {
    if (table === 254) count++
    parts.add(table!)
  }
  t.equal(count, N)
  const ip = await ns.ip('route', 'show', 'table', 'main')
  t.equal(ip.length, N, 'ip agrees')
})

t.test('close while requests are pending rejects them', async t => {
  const fd = native().unshareNetns()
  t.teardown(() => closeSync(fd))
  const sock = NetlinkSocket.open({ netnsFd: fd })
  const ps = Array.from({ length: 100 }, () => sock.request(getLink(1), { ack: false, decode: m => m.type }))
  sock.close()
  const r = await Promise.allSettled(ps)
  // The first request found the socket idle: it was sent and answered inside request().
  t.same(r[0], { status: 'fulfilled', value: [16 /* RTM_NEWLINK */] })
  t.ok(r.slice(1).every(x => x.status === 'rejected' && x.reason instanceof SocketClosedError), 'the 99 queued behind it reject')
  await t.rejects(sock.request(getLink(1)), SocketClosedError)
})

t.test('opening a socket in a bad namespace fd fails with a system error', async t => {
  t.throws(() => NetlinkSocket.open({ netnsFd: 987654 }), { code: 'EBADF', syscall: 'setns' })
})

t.test('multicast: a subscribed socket sees RTM_NEWLINK for a link created by another socket', async t => {
  const ns = freshNetNs(t)
  const listener = NetlinkSocket.open({ netnsFd: ns.fd, groups: [1 /* RTNLGRP_LINK */] })
  t.teardown(() => listener.close())
  const seen = new Promise<string>(resolve => {
    listener.onMessage(m => {
      if (m.type !== 16) return
      let off = m.off + 16
      while (off + 4 <= m.end) {
        const len = m.buf.readUInt16LE(off)
        if (m.buf.readUInt16LE(off + 2) === 3) return resolve(m.buf.toString('utf8', off + 4, off + len - 1))
        off += (len + 3) & ~3
      }
    })
  })
  await ns.exec('ip', ['link', 'add', 'br-mc', 'type', 'bridge'])
  const name = await Promise.race([seen, new Promise<string>((_, rej) => setTimeout(() => rej(new Error('no notification')), 2000))])
  t.equal(name, 'br-mc')
})

t.test('multicast overrun while polling: ENOBUFS to onError, and the socket goes on', async t => {
  // The kernel drops notifications for a full receive buffer and sets the socket's error;
  // poll() then reports POLLERR, which libuv passes on as UV_EBADF. The socket must read the
  // error (ENOBUFS), not fail.
  const ns = freshNetNs(t)
  const listener = NetlinkSocket.open({ netnsFd: ns.fd, groups: [7 /* RTNLGRP_IPV4_ROUTE */], receiveBufferSize: 4096 })
  t.teardown(() => listener.close())
  const errors: Error[] = []
  let routes = 0
  listener.onError(e => errors.push(e))
  listener.onMessage(m => { if (m.type === RTM_NEWROUTE) routes++ })
  const sender = NetlinkSocket.open({ netnsFd: ns.fd })
  t.teardown(() => sender.close())
  // One sendmsg of 256 adds: 256 notifications queued during that syscall, before the
  // listener can read any.
  await Promise.all(Array.from({ length: 256 }, (_, i) => sender.request(blackhole(i))))
  await new Promise(r => setTimeout(r, 100))
  t.equal(listener.isClosed, false, 'the listener is open')
  t.ok(errors.length >= 1 && errors.every(e => e instanceof NetlinkError && e.code === 'ENOBUFS'), 'ENOBUFS reported to onError')
  t.ok(routes > 0 && routes < 256, `some notifications were dropped (${routes} read)`)
  const before = routes
  await sender.request(blackhole(1000))
  await new Promise(r => setTimeout(r, 100))
  t.equal(routes, before + 1, 'later notifications still arrive')
})
