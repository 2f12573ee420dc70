// Any process in a namespace can send datagrams to a netlink socket's port. The socket is
// connected to the kernel, so the kernel refuses other senders (ECONNREFUSED on their side),
// and it drops what it reads from a sender other than the kernel (test/core/socket.test.ts
// covers that on every read path). The forger here is python3 (node has no AF_NETLINK), run
// in the test's namespace; node-gyp needs python3, so it is there wherever the addon builds.
import t from 'tap'
import { native } from '../../src/native/binding.js'
import { NetlinkSocket } from '../../src/netlink/socket.js'
import { openSync } from '../../src/client.js'
import { closeSync } from 'node:fs'
import { freshNetNs, type FreshNs } from '../helpers/ns.js'

const NLMSG_ERROR = 2
const RTM_NEWLINK = 16
const RTM_GETLINK = 18

function nlmsg(type: number, seq: number, pid: number, payload: Buffer): Buffer {
  const b = Buffer.alloc((16 + payload.length + 3) & ~3)
  b.writeUInt32LE(16 + payload.length, 0)
  b.writeUInt16LE(type, 4)
  b.writeUInt32LE(seq, 8)
  b.writeUInt32LE(pid, 12)
  payload.copy(b, 16)
  return b
}

/** NLMSG_ERROR with errno `error` (0: an ACK) for request `seq` of port `pid`. */
function errorMsg(seq: number, pid: number, error: number): Buffer {
  const p = Buffer.alloc(20)
  p.writeInt32LE(error, 0)
  return nlmsg(NLMSG_ERROR, seq, pid, p)
}

/**
 * Sends each datagram to `port` from a python3 AF_NETLINK socket in the namespace: its port
 * id, and for each datagram 'sent' or the errno of the refusal.
 */
async function forge(ns: FreshNs, port: number, datagrams: Buffer[]): Promise<{ pid: number; results: string[] }> {
  const py = [
    'import errno, socket, sys',
    's = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 0)',
    's.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 1 << 20)',
    's.bind((0, 0))',
    // HEX, or HEX/N: the bytes then N zero bytes (an argument holds at most 128 KiB).
    'print(s.getsockname()[0])',
    'for a in sys.argv[2:]:',
    '  h, _, n = a.partition("/")',
    '  try:',
    '    s.sendto(bytes.fromhex(h) + bytes(int(n or 0)), (int(sys.argv[1]), 0))',
    '    print("sent")',
    '  except OSError as e:',
    '    print(errno.errorcode[e.errno])',
  ].join('\n')
  const arg = (d: Buffer): string => {
    let end = d.length
    while (end > 16 && d[end - 1] === 0) end--
    return `${d.toString('hex', 0, end)}/${d.length - end}`
  }
  const { stdout } = await ns.exec('python3', ['-c', py, String(port), ...datagrams.map(arg)])
  const [pid, ...results] = stdout.trim().split('\n')
  return { pid: Number(pid), results }
}

const nextSeq = (s: NetlinkSocket): number => (s as unknown as { seq: number }).seq + 1

t.test('the kernel refuses datagrams from processes to the socket: its requests get the kernel\'s answers', async t => {
  const ns = freshNetNs(t)
  const sock = ns.rtnl.sock
  const seen: number[] = []
  sock.onMessage(m => seen.push(m.seq))
  const port = sock.portId
  let seq = nextSeq(sock)
  const { pid, results } = await forge(ns, port, [
    errorMsg(seq, port, -19), // ENODEV for the coming link.get
    nlmsg(RTM_NEWLINK, seq, port, Buffer.alloc(70000)), // larger than the receive buffer
    nlmsg(RTM_NEWLINK, 12345, port, Buffer.alloc(16)), // no such request: for the listeners
  ])
  t.ok(pid > 0, `forger at port ${pid}`)
  t.same(results, ['ECONNREFUSED', 'ECONNREFUSED', 'ECONNREFUSED'], 'each send refused by the kernel')
  const lo = await ns.rtnl.link.get('lo')
  t.equal(lo.name, 'lo', 'link.get gets the kernel\'s answer')
  t.same(seen, [], 'nothing reached the listeners')

  // A forged ACK for a change the kernel refuses: the refusal is what the caller sees.
  seq = nextSeq(sock)
  t.same((await forge(ns, port, [errorMsg(seq, port, 0)])).results, ['ECONNREFUSED'])
  const err = await ns.rtnl.link.add({ name: 'lo', kind: 'bridge' }).catch(e => e)
  t.equal(err.code, 'EEXIST', 'the kernel\'s EEXIST')
  t.same((await ns.ip('link', 'show')).map((l: { ifname: string }) => l.ifname), ['lo'], 'nothing was made')
  t.equal(sock.stats.foreign, 0, 'nothing had to be dropped after reading')
})

t.test('notifications still arrive on a socket connected to the kernel', async t => {
  const ns = freshNetNs(t)
  const r = openSync({ netns: ns.fd, groups: [1] }) // RTNLGRP_LINK
  t.teardown(() => r.close())
  const got = new Promise<number>(resolve => r.sock.onMessage(m => { if (m.type === RTM_NEWLINK) resolve(m.type) }))
  await ns.rtnl.link.add({ name: 'br-note', kind: 'bridge' })
  t.equal(await got, RTM_NEWLINK, 'RTM_NEWLINK of the new bridge')
})

t.test('kernelOnly: false takes datagrams from processes', async t => {
  const ns = freshNetNs(t)
  const r = openSync({ netns: ns.fd, kernelOnly: false })
  t.teardown(() => r.close())
  const { results } = await forge(ns, r.sock.portId, [errorMsg(nextSeq(r.sock), r.sock.portId, -19)])
  t.same(results, ['sent'], 'the kernel delivers it')
  t.equal((await r.link.get('lo').catch(e => e)).code, 'ENODEV', 'and the forged error settles the request')
  t.equal(r.sock.stats.foreign, 0)
})

t.test('native recvBatch reports each datagram\'s sender port id', async t => {
  const ns = freshNetNs(t)
  const b = native()
  const fd = b.socketInNetns(ns.fd, 0)
  t.teardown(() => closeSync(fd))
  b.bind(fd, 0, 0)
  const port = b.getsockname(fd)
  const { pid, results } = await forge(ns, port, [errorMsg(1, port, 0), errorMsg(2, port, 0)])
  t.same(results, ['sent', 'sent'], 'an unconnected socket takes them')
  const req = Buffer.alloc(32)
  req.writeUInt32LE(32, 0)
  req.writeUInt16LE(RTM_GETLINK, 4)
  req.writeUInt16LE(1, 6) // NLM_F_REQUEST
  req.writeUInt32LE(3, 8)
  req.writeInt32LE(1, 20) // ifi_index of lo
  b.sendmsg(fd, req)
  const lens = new Int32Array(4)
  const pids = new Uint32Array(4).fill(7)
  const k = b.recvBatch!(fd, Buffer.alloc(4 * 8192), 8192, lens, pids)
  t.equal(k, 3, 'two forged datagrams and the kernel\'s answer')
  t.same([...pids.subarray(0, 3)], [pid, pid, 0], 'the forger\'s port twice, then the kernel (0)')
  t.same([...lens.subarray(0, 2)], [36, 36])
  t.throws(() => b.recvBatch!(fd, Buffer.alloc(8192), 8192, lens, new Int32Array(4) as never), /pids must be a Uint32Array/)
})
