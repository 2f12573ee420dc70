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
