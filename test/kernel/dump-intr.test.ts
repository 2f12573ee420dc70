// NLM_F_DUMP_INTR from the real kernel: an address is added (by another socket, inside the
// dump's decoder, so between two of its reads) while the addresses are dumped. The kernel
// flags the next part of the dump as inconsistent; each policy does what it says.
import t, { type Test } from 'tap'
import { closeSync } from 'node:fs'
import { native } from '../../src/native/binding.js'
import { addrMessage, decodeAddr, plainAddMessage, type Addr } from '../../src/rtnl/addr/api.js'
import { RTM_GETADDR } from '../../src/rtnl/addr/schema.js'
import { DumpInterruptedError } from '../../src/errors.js'
import type { DumpIntrPolicy } from '../../src/netlink/socket.js'
import { freshNetNs, type FreshNs } from '../helpers/ns.js'
import { openSync } from '../../src/client.js'

const N = 3000

async function setup(t: Test): Promise<{ ns: FreshNs; index: number; addDuring: (k: number) => (m: Parameters<typeof decodeAddr>[0]) => Addr }> {
  const ns = freshNetNs(t)
  await ns.rtnl.link.add({ name: 'br0', kind: 'bridge' })
  const index = await ns.rtnl.link.index('br0')
  for (let i = 0; i < N; i += 500) {
    await Promise.all(Array.from({ length: Math.min(500, N - i) }, (_, j) =>
      ns.rtnl.addr.add({ link: index, address: `10.1.${((i + j) >> 8) & 255}.${(i + j) & 255}/32` })))
  }
  // A second socket in the namespace, used synchronously from inside the decoder.
  const b = native()
  const fd = b.socketInNetns(ns.fd, 0)
  t.teardown(() => closeSync(fd))
  b.bind(fd, 0, 0)
  let extra = 0
  /** A decoder that adds one address when it decodes its k-th message. */
  const addDuring = (k: number) => {
    let n = 0
    return (m: Parameters<typeof decodeAddr>[0]): Addr => {
      if (++n === k) b.sendmsg(fd, plainAddMessage(`10.2.0.${++extra}/32`, index, 0x1 | 0x400 | 0x200)!) // REQUEST|CREATE|EXCL, no ACK asked
      return decodeAddr(m)
    }
  }
  return { ns, index, addDuring }
}

const dump = (ns: FreshNs, decode: (m: Parameters<typeof decodeAddr>[0]) => Addr, onInterrupt?: DumpIntrPolicy) =>
  ns.rtnl.sock.dump(addrMessage(RTM_GETADDR, 0, { family: 2 }, {}), decode, onInterrupt ? { onInterrupt } : {})

const dupes = (list: Addr[]): string[] => {
  const seen = new Set<string>()
  return list.map(a => a.cidr).filter(c => seen.has(c) || !seen.add(c))
}

t.test('retry (the default): restarted, every address once', async t => {
  const { ns, addDuring } = await setup(t)
  const before = ns.rtnl.sock.stats.dumps
  const d = dump(ns, addDuring(100))
  const list: Addr[] = []
  for await (const a of d) list.push(a)
  t.equal(ns.rtnl.sock.stats.dumps - before, 2, 'the dump was sent twice: interrupted, then restarted')
  t.same(dupes(list), [], 'no address listed twice')
  const want = (await ns.ip('-4', 'address', 'show')).flatMap((l: { addr_info: unknown[] }) => l.addr_info).length
  t.equal(list.length, want, `all ${want} addresses (${N} + 1 added during the dump)`)
  t.equal(d.interrupted, false, 'the listing handed out is consistent')
})

t.test('retry: an interrupt after items were handed out throws', async t => {
  const { ns, addDuring } = await setup(t)
  let n = 0
  const err = await (async () => { for await (const _ of dump(ns, addDuring(2500))) n++ })().catch(e => e)
  t.type(err, DumpInterruptedError, 'DumpInterruptedError')
  t.ok(n >= 2048, `${n} addresses handed out before (holdLimit 2048)`)
})

t.test('partial: the listing runs to its end, flagged', async t => {
  const { ns, addDuring } = await setup(t)
  const d = dump(ns, addDuring(100), 'partial')
  let n = 0
  for await (const _ of d) n++
  t.equal(d.interrupted, true)
  t.ok(n >= N, `${n} addresses`)
})

t.test('throw: DumpInterruptedError', async t => {
  const { ns, addDuring } = await setup(t)
  await t.rejects(async () => { for await (const _ of dump(ns, addDuring(100), 'throw')) { /* drain */ } }, DumpInterruptedError)
})

t.test('a receive-buffer overrun during a dump: the dump fails, none of its parts reach the listeners, the next dump runs', async t => {
  const ns = freshNetNs(t)
  await ns.rtnl.link.add({ name: 'br0', kind: 'bridge' })
  const index = await ns.rtnl.link.index('br0')
  await Promise.all(Array.from({ length: 1000 }, (_, i) => ns.rtnl.addr.add({ link: index, address: `10.1.${i >> 8}.${i & 255}/32` })))
  // A client that also listens to address notifications (RTNLGRP_IPV4_IFADDR), with a small
  // receive buffer, and a second socket that floods it with changes from inside the decoder.
  const r = openSync({ netns: ns.fd, groups: [5], receiveBufferSize: 32768 })
  t.teardown(() => r.close())
  const b = native()
  const fd = b.socketInNetns(ns.fd, 0)
  t.teardown(() => closeSync(fd))
  b.bind(fd, 0, 0)
  const mine: number[] = []
  let notes = 0
  r.sock.onMessage(m => { notes++; if (m.pid === r.sock.portId) mine.push(m.seq) })
  let n = 0
  const d = r.sock.dump(addrMessage(RTM_GETADDR, 0, { family: 2 }, {}), m => {
    if (++n === 50) for (let i = 0; i < 600; i++) b.sendmsg(fd, plainAddMessage(`10.3.${i >> 8}.${i & 255}/32`, index, 0x1 | 0x400 | 0x200)!)
    return decodeAddr(m)
  }, { onInterrupt: 'partial' })
  const err = await d.toArray().catch(e => e)
  t.equal(err?.code, 'ENOBUFS', 'the dump fails with ENOBUFS (600 notifications overflowed the buffer)')
  const all = await r.addr.list({ family: 4 }).toArray()
  t.equal(all.length, 1600, 'the next dump lists every address, 1,000 + the 600 added')
  t.ok(notes > 0, `${notes} notifications delivered`)
  t.same(mine, [], 'none of them a part of the failed dump (sent to this socket\'s port)')
})
