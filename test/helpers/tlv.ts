import { FakeKernel, errorMsg, nlmsg } from './fake-kernel.js'
import { openSync, type Rtnl } from '../../src/client.js'
import type { Test } from 'tap'

/**
 * The attributes of a request payload (hex, after a `headerLen`-byte family header) as a sorted
 * list of hex TLVs: for comparing with iproute2's bytes when only the attribute order differs
 * (ip writes them in the order of its command line).
 */
export function attrSet(hex: string, headerLen: number): string[] {
  const b = Buffer.from(hex, 'hex')
  const out: string[] = []
  for (let off = headerLen; off + 4 <= b.length;) {
    const len = b.readUInt16LE(off)
    if (len < 4) throw new Error(`bad attribute length ${len} at ${off}`)
    out.push(b.subarray(off, off + ((len + 3) & ~3)).toString('hex'))
    off += (len + 3) & ~3
  }
  return out.sort()
}

type Asserts = Pick<Test, 'equal' | 'same'>

/**
 * Runs `call` on a client over a fake kernel (dumps end at once, a GET of type `getType` is
 * answered with its own payload as type `getType - 2`, changes are ACKed) and checks its last
 * request against iproute2's: type and flags, the `headerLen`-byte header byte for byte, and
 * the same set of attributes.
 */
export async function checkAgainstIp(t: Asserts, call: (r: Rtnl) => Promise<unknown>, want: { type: number; flags: number; hex: string; headerLen: number; getType?: number }): Promise<void> {
  const k = new FakeKernel(m => {
    if ((m.flags & 0x300) === 0x300) k.reply(nlmsg(3, 2, m.seq, m.pid, Buffer.alloc(4)))
    else if (want.getType !== undefined && m.type === want.getType) k.reply(nlmsg(m.type - 2, 0, m.seq, m.pid, m.payload))
    else k.reply(errorMsg(m, 0))
  })
  const r = openSync({ binding: k })
  try {
    await call(r)
    const m = k.sent.at(-1)!
    const got = m.payload.toString('hex')
    t.equal(m.type, want.type, 'message type')
    t.equal(m.flags, want.flags, 'flags')
    t.equal(got.slice(0, want.headerLen * 2), want.hex.slice(0, want.headerLen * 2), 'the family header')
    t.same(attrSet(got, want.headerLen), attrSet(want.hex, want.headerLen), 'the same attributes')
  } finally {
    r.close()
  }
}
