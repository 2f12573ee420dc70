// Malformed answers at the socket layer: a GET reply, an ACK, an error with extack and a
// three-part dump, each cut short, corrupted at random bytes or given random lengths
// (seeded). Every request must settle — with its answer or one of the library's typed
// errors, a TimeoutError when the damage hid the answer from it — never with another
// exception, never an uncaught one, and the socket must still answer the next request.
import t from 'tap'
import { DecodeError, DumpInterruptedError, NetlinkError, TimeoutError } from '../../src/errors.js'
import { NetlinkSocket } from '../../src/netlink/socket.js'
import { decodeLink, linkMessage } from '../../src/rtnl/link/codec.js'
import { RTM_GETLINK, RTM_NEWLINK } from '../../src/rtnl/link/schema.js'
import { decodeRoute, routeMessage } from '../../src/rtnl/route/codec.js'
import { RTM_GETROUTE, RTM_NEWROUTE } from '../../src/rtnl/route/schema.js'
import { errorMsg, FakeKernel, nlmsg, tlv, type SentMessage } from '../helpers/fake-kernel.js'
import { xorshift32 } from '../helpers/rng.js'

const NLM_F_MULTI = 0x2
const NLMSG_DONE = 3

/** Stamps seq and pid of the request on a message built by an encoder. */
function answer(m: SentMessage, msg: Buffer, flags = 0): Buffer {
  const b = Buffer.from(msg)
  b.writeUInt16LE(flags, 6)
  b.writeUInt32LE(m.seq, 8)
  b.writeUInt32LE(m.pid, 12)
  return b
}

interface Scenario {
  name: string
  /** The datagrams a correct kernel would answer with. */
  answer(m: SentMessage): Buffer[]
  /** Makes the request; resolves or rejects as the caller would see it. */
  run(s: NetlinkSocket): Promise<unknown>
  /** The errno name the undamaged answer rejects with, if it is an error. */
  fails?: string
}

const link = linkMessage(RTM_NEWLINK, 0, { index: 7, flags: 0x1003 }, {
  name: 'eth7', mtu: 1500, address: '02:00:00:00:00:07', qdisc: 'noqueue', operState: 'up', txQueueLen: 1000,
  linkInfo: { kind: 'vxlan', data: { id: 42, port: 4789, learning: true, local: '10.0.0.1' } },
})
const routes = (part: number) => Array.from({ length: 20 }, (_, i) =>
  routeMessage(RTM_NEWROUTE, 0, { family: 2, dstLen: 32, table: 254, protocol: 4, type: 1 }, { dst: `10.${part}.0.${i}`, oif: 7, gateway: '10.0.0.254', table: 254 }))
const request = (type: number) => { const b = Buffer.alloc(32); b.writeUInt32LE(32, 0); b.writeUInt16LE(type, 4); return b }

const scenarios: Scenario[] = [
  {
    name: 'GET reply',
    answer: m => [answer(m, link)],
    run: s => s.request(request(RTM_GETLINK), { ack: false, decode: decodeLink, timeout: 50 }),
  },
  {
    name: 'ACK',
    answer: m => [errorMsg(m, 0)],
    run: s => s.request(request(RTM_NEWLINK), { timeout: 50 }),
  },
  {
    name: 'error with extack',
    answer: m => [errorMsg(m, -17, Buffer.concat([tlv(1, Buffer.from('exists\0')), tlv(2, Buffer.from([16, 0, 0, 0]))]))],
    run: s => s.request(request(RTM_NEWLINK), { timeout: 50 }),
    fails: 'EEXIST',
  },
  {
    name: 'three-part dump',
    answer: m => [
      ...[0, 1, 2].map(p => Buffer.concat(routes(p).map(r => answer(m, r, NLM_F_MULTI)))),
      nlmsg(NLMSG_DONE, NLM_F_MULTI, m.seq, m.pid, Buffer.alloc(4)),
    ],
    run: s => s.dump(request(RTM_GETROUTE), decodeRoute, { timeout: 50, onInterrupt: 'partial' }).toArray(),
  },
]

const typed = (e: unknown) =>
  e instanceof DecodeError || e instanceof NetlinkError || e instanceof TimeoutError || e instanceof DumpInterruptedError

for (const sc of scenarios) {
  t.test(`${sc.name}: damaged answers settle with a typed error; the socket goes on`, async t => {
    // The undamaged answer works.
    {
      const k = new FakeKernel((m, k) => k.reply(...sc.answer(m)))
      const s = NetlinkSocket.open({ binding: k })
      if (sc.fails) await t.rejects(sc.run(s), { name: 'NetlinkError', code: sc.fails, extack: { message: 'exists' } }, 'the intact answer')
      else await t.resolves(sc.run(s), 'the intact answer')
      s.close()
    }
    const next = xorshift32(0xbad5eed ^ sc.name.length)
    const rnd = (n: number) => Math.floor((next() / 4294967296) * n)
    const outcomes = new Map<string, number>()
    const wrong = new Map<string, string>()
    const cases = Array.from({ length: 300 }, async (_, c) => {
      let damaged = false
      const k = new FakeKernel((m, k) => {
        if (damaged) return k.reply(errorMsg(m, 0))
        damaged = true
        const dgrams = sc.answer(m)
        const i = rnd(dgrams.length)
        const d = Buffer.from(dgrams[i]!)
        let how: string
        if (c % 3 === 0) {
          how = 'cut'
          dgrams[i] = d.subarray(0, rnd(d.length))
        } else if (c % 3 === 1) {
          how = 'bytes'
          for (let j = 1 + rnd(4); j > 0; j--) d[rnd(d.length)] = rnd(256)
          dgrams[i] = d
        } else {
          how = 'lengths'
          for (let j = 1 + rnd(3); j > 0; j--) d.writeUInt16LE(rnd(65536), rnd(d.length >> 2) * 4)
          dgrams[i] = d
        }
        for (const g of dgrams) k.reply(g)
        return how
      })
      const s = NetlinkSocket.open({ binding: k })
      try {
        const out = await sc.run(s).then(() => 'answered', (e: unknown) => (typed(e) ? (e as Error).name : `untyped ${(e as Error)?.name}: ${(e as Error)?.message}`))
        outcomes.set(out, (outcomes.get(out) ?? 0) + 1)
        if (out.startsWith('untyped')) wrong.set(out, `case ${c}`)
        // The socket still answers: a plain request after the damaged one.
        await s.request(request(RTM_NEWLINK), { timeout: 500 }).catch((e: unknown) => wrong.set(`next request: ${(e as Error)?.name}: ${(e as Error)?.message}`, `case ${c}`))
      } finally {
        s.close()
      }
    })
    await Promise.all(cases)
    t.same([...wrong], [], 'only typed errors, and the next request answered')
    t.ok((outcomes.get('DecodeError') ?? 0) > 0, `outcomes: ${JSON.stringify(Object.fromEntries(outcomes))}`)
  })
}
