// A GET's reply is sized to its object: a link with many VFs or altnames passes the 8 KiB
// slots of a batch read, and can pass the 64 KiB receive buffer. Such a link must be read
// whole at the first try, alone or among pipelined requests, got or listed. (Before, an
// awaited get failed once with a DecodeError, then worked; a pipelined one failed every
// time.) Altnames make such a link here: up to ~490 of 127 bytes fit the kernel's limit.
import t from 'tap'
import { openSync } from '../../src/client.js'
import { freshNetNs } from '../helpers/ns.js'

/** Altnames of 127 bytes (the longest the kernel takes), numbered from `from`. */
const altNames = (from: number, count: number): string[] =>
  Array.from({ length: count }, (_, i) => `alt${String(from + i).padStart(4, '0')}`.padEnd(127, 'x'))

t.test('a link whose reply passes 8 KiB, then 64 KiB, is read whole at the first try', async t => {
  const ns = freshNetNs(t)
  await ns.rtnl.link.add({ name: 'br0', kind: 'bridge' })
  const index = (await ns.rtnl.link.get('br0')).index
  /** The size of the kernel's reply to RTM_GETLINK for br0, read raw. */
  const replySize = async (): Promise<number> => {
    const req = Buffer.alloc(32)
    req.writeUInt32LE(32, 0)
    req.writeUInt16LE(18, 4) // RTM_GETLINK
    req.writeInt32LE(index, 20) // ifinfomsg.ifi_index
    const [n] = await ns.rtnl.sock.request(req, { ack: false, decode: m => m.end - m.off + 16 })
    return n as number
  }
  const added: string[] = []
  const addAll = async (names: string[]) => {
    const r = await Promise.allSettled(names.map(n => ns.rtnl.link.addAltName('br0', n)))
    names.forEach((n, i) => { if (r[i]!.status === 'fulfilled') added.push(n) })
    return r
  }

  for (const stage of ['8 KiB', '64 KiB'] as const) {
    if (stage === '8 KiB') {
      t.same((await addAll(altNames(0, 64))).filter(r => r.status === 'rejected'), [], '64 altnames added')
      const n = await replySize()
      t.ok(n > 8192 && n < 65536, `a reply of ${n} bytes: past a batch slot`)
    } else {
      // Until the kernel refuses ("effective property list too long").
      const r = await addAll(altNames(64, 500))
      t.ok(r.some(x => x.status === 'rejected'), 'the kernel refused some: the list is at its limit')
      const n = await replySize()
      t.ok(n > 65536, `${added.length} altnames, a reply of ${n} bytes: past the receive buffer`)
    }
    const want = [...added].sort()
    const oracle = (await ns.ip('link', 'show', 'br0'))[0].altnames as string[]
    t.same([...oracle].sort(), want, `${stage}: ip lists them all`)

    // A fresh client each time: its buffers start at their initial sizes.
    for (const how of ['awaited', 'pipelined', 'listed', 'notified'] as const) {
      const c = openSync({ netns: ns.fd })
      try {
        if (how === 'awaited') {
          const l = await c.link.get('br0')
          t.same([...l.altNames!].sort(), want, `${stage}, ${how}: every altname`)
        } else if (how === 'pipelined') {
          const refs = ['lo', 'br0', 'lo', 'br0', 'br0', 'lo', 'br0']
          const got = await Promise.all(refs.map(r => c.link.get(r)))
          got.forEach((l, i) => {
            if (refs[i] === 'br0') t.same([...l.altNames!].sort(), want, `${stage}, ${how} #${i}: every altname`)
            else t.equal(l.name, 'lo')
          })
          t.comment(`${stage}: ${c.sock.stats.retries} GETs sent again after a batch slot cut them off`)
          // Once grown, no more retries.
          const retries = c.sock.stats.retries
          await Promise.all(refs.map(r => c.link.get(r)))
          t.equal(c.sock.stats.retries, retries, `${stage}, ${how}: none sent again the second time`)
        } else if (how === 'notified') {
          // A notification of the link is as large: it reaches the listener whole.
          const sizes: number[] = []
          const errors: Error[] = []
          c.sock.onMessage(m => { if (m.type === 16) sizes.push(m.end - m.off + 16) })
          c.sock.onError(e => errors.push(e))
          c.sock.subscribe(1) // RTNLGRP_LINK
          await ns.rtnl.link.set('br0', { mtu: stage === '8 KiB' ? 1400 : 1300 })
          for (let i = 0; i < 100 && sizes.length === 0; i++) await new Promise(r => setTimeout(r, 10))
          t.same(errors, [], `${stage}, ${how}: no error`)
          t.ok(sizes.length > 0 && sizes[0]! > (stage === '8 KiB' ? 8192 : 65536), `${stage}, ${how}: an RTM_NEWLINK of ${sizes[0]} bytes`)
        } else {
          const all = await c.link.list().toArray()
          const br = all.find(l => l.name === 'br0')
          t.same([...(br?.altNames ?? [])].sort(), want, `${stage}, ${how}: every altname`)
        }
      } finally {
        c.close()
      }
    }
  }
})
