// Malformed kernel replies: real messages of this kernel (links of every kind it has, bridge
// port data, IPv4/IPv6 addresses and routes, neighbours, fdb entries, rules, nexthops), cut at every length and corrupted at random
// (seeded), must decode or throw DecodeError: never another exception, never a hang.
import t from 'tap'
import { DecodeError } from '../../src/errors.js'
import { decodeLinkAt } from '../../src/rtnl/link/codec.js'
import { decodeAddrAt } from '../../src/rtnl/addr/api.js'
import { decodeRouteAt } from '../../src/rtnl/route/codec.js'
import { decodeNeigh } from '../../src/rtnl/neigh/api.js'
import { decodeFdb } from '../../src/rtnl/neigh/fdb.js'
import { decodeRule } from '../../src/rtnl/rule/api.js'
import { decodeNexthop } from '../../src/rtnl/nexthop/api.js'
import type { NlMsg } from '../../src/netlink/header.js'
import { freshNetNs } from '../helpers/ns.js'
import { xorshift32 } from '../helpers/rng.js'

type Decoder = (buf: Buffer, off: number, end: number) => unknown

/** A dump request: nlmsghdr (NLM_F_REQUEST | NLM_F_DUMP) + body. */
function dumpRequest(type: number, body: Buffer): Buffer {
  const b = Buffer.alloc(16 + body.length)
  b.writeUInt32LE(b.length, 0)
  b.writeUInt16LE(type, 4)
  b.writeUInt16LE(0x301, 6)
  body.copy(b, 16)
  return b
}

t.test('truncated and corrupted kernel messages decode or throw DecodeError, nothing else', async t => {
  const { rtnl } = freshNetNs(t)
  await rtnl.link.set('lo', { up: true })
  await rtnl.link.add({ name: 'br0', kind: 'bridge', up: true })
  await rtnl.link.add({ name: 'v0', kind: 'veth', peer: { name: 'v1' } })
  await rtnl.link.set('v1', { master: 'br0', up: true })
  await rtnl.link.set('v0', { up: true })
  await rtnl.link.add({ name: 'vx0', kind: 'vxlan', vxlan: { id: 42, port: 4789, local: '10.9.0.1', dev: 'v0' } })
  await rtnl.link.add({ name: 'mv0', kind: 'macvlan', parent: 'v0', macvlan: { mode: 'bridge' } })
  await rtnl.link.add({ name: 'ifb0', kind: 'ifb' })
  await rtnl.addr.add({ link: 'v0', address: '10.9.0.1/24' })
  await rtnl.addr.add({ link: 'v0', address: '10.9.1.1/32', peer: '10.9.1.2' })
  await rtnl.addr.add({ link: 'v0', address: '2001:db8::1/64', flags: ['nodad'], preferredLifetime: 100, validLifetime: 200 })
  await rtnl.addr.add({ link: 'br0', address: '10.8.0.1/16', label: 'br0:x' })
  await rtnl.route.add({ dst: '10.20.0.0/16', gateway: '10.9.0.2', metric: 5 })
  await rtnl.route.add({ dst: '10.21.0.0/16', multipath: [{ gateway: '10.9.0.2', dev: 'v0', weight: 2 }, { gateway: '10.9.0.3', dev: 'v0' }] })
  await rtnl.route.add({ dst: '10.22.0.0/16', type: 'blackhole', table: 1000, metrics: { mtu: 1400 } })
  await rtnl.route.add({ dst: '2001:db8:1::/48', gateway: '2001:db8::2' })
  // Encapsulations: their nests depend on a sibling type and hold structs (SRH) of their own.
  await rtnl.route.add({ dst: '10.23.0.0/16', dev: 'v0', encap: { type: 'ip', id: 7, dst: '10.9.0.9', ttl: 3, flags: ['key'] } })
  await rtnl.route.add({ dst: '10.24.0.0/16', dev: 'v0', encap: { type: 'seg6', mode: 'encap', segments: ['2001:db8::5', '2001:db8::6'], hmac: 3 } })
  await rtnl.route.add({ dst: '10.25.0.0/16', multipath: [{ gateway: '10.9.0.2', dev: 'v0', encap: { type: 'ip6', dst: '2001:db8::7' } }, { gateway: '10.9.0.3', dev: 'v0', flow: 4 }] })
  await rtnl.route.add({ dst: '2001:db8:2::/64', dev: 'v0', encap: { type: 'seg6', mode: 'inline', segments: ['2001:db8::5'] } })
  await rtnl.route.add({ dst: '2001:db8:3::/64', dev: 'v0', encap: { type: 'seg6local', action: 'End.B6', srh: { segments: ['2001:db8::5'] }, counters: true } })

  await rtnl.neigh.add({ link: 'v0', address: '10.9.0.5', lladdr: '02:00:00:00:00:05' })
  await rtnl.neigh.add({ link: 'v0', address: '2001:db8::5', lladdr: '02:00:00:00:00:06', state: 'stale', router: true })
  await rtnl.fdb.add({ link: 'vx0', mac: '02:00:00:00:00:07', dst: '10.9.0.7', port: 4790, vni: 43 })
  await rtnl.fdb.add({ link: 'v1', mac: '02:00:00:00:00:08', master: true, state: 'static' })
  await rtnl.rule.add({ src: '10.9.0.0/16', table: 100, priority: 100, fwmark: 1, fwmask: 3, iif: 'v0' })
  await rtnl.rule.add({ priority: 101, uidRange: { start: 1, end: 2 }, ipProto: 'tcp', dport: { start: 80, end: 90 }, table: 7 })
  await rtnl.rule.add({ family: 6, dst: '2001:db8::/32', priority: 102, action: 'prohibit' })
  for (let i = 0; i < 100 && !(await rtnl.link.get('v0')).lowerUp; i++) await new Promise(r => setTimeout(r, 10))
  await rtnl.nexthop.add({ id: 1, gateway: '10.9.0.2', dev: 'v0' })
  await rtnl.nexthop.add({ id: 2, blackhole: true })
  await rtnl.nexthop.add({ id: 5, gateway: '10.9.0.3', dev: 'v0', onlink: true, protocol: 'static' })
  await rtnl.nexthop.add({ id: 3, group: [1, { id: 5, weight: 5 }] })
  await rtnl.nexthop.add({ id: 4, group: [1], groupType: 'resilient', resilient: { buckets: 4, idleTimer: 10 } })

  const capture = async (type: number, body: Buffer): Promise<Buffer[]> => {
    const out: Buffer[] = []
    for await (const m of rtnl.sock.dump(dumpRequest(type, body), (m: NlMsg) => Buffer.from(m.buf.subarray(m.off, m.end)))) out.push(m)
    return out
  }
  const extMask = Buffer.alloc(24) // ifinfomsg + IFLA_EXT_MASK = RTEXT_FILTER_VF
  extMask.writeUInt16LE(8, 16)
  extMask.writeUInt16LE(29, 18)
  extMask.writeUInt32LE(1, 20)
  const bridgePorts = Buffer.alloc(16)
  bridgePorts[0] = 7 // AF_BRIDGE: the ports' IFLA_PROTINFO
  const rtmsg = (family: number) => Buffer.from([family, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0])
  const asMsg = (dec: (m: NlMsg) => unknown): Decoder => (buf, off, end) => dec({ type: 0, flags: 0, seq: 0, pid: 0, buf, off, end })
  const sets: [string, Decoder, Buffer[]][] = [
    ['link', decodeLinkAt, await capture(18, extMask)],
    ['bridge port', decodeLinkAt, await capture(18, bridgePorts)],
    ['address', decodeAddrAt, await capture(22, Buffer.alloc(8))],
    ['IPv4 route', decodeRouteAt, await capture(26, rtmsg(2))],
    ['IPv6 route', decodeRouteAt, await capture(26, rtmsg(10))],
    ['neighbour', asMsg(decodeNeigh), await capture(30, Buffer.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]))],
    ['fdb entry', asMsg(decodeFdb), await capture(30, Buffer.from([7, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]))],
    ['rule', asMsg(decodeRule), await capture(34, Buffer.alloc(12))],
    ['nexthop', asMsg(decodeNexthop), await capture(106, Buffer.alloc(8))],
  ]
  t.ok(sets[0]![2].length >= 7, 'every link captured')
  t.ok(sets[1]![2].length >= 1, 'the bridge port captured')
  for (const [what, , msgs] of sets.slice(5)) t.ok(msgs.length >= 2, `${what}: ${msgs.length} captured`)

  // seeded: the same corruptions on every run, so a failure can be replayed
  const next = xorshift32(0x5eed)
  const rnd = () => next() / 4294967296
  const failures = new Map<string, string>()
  let cases = 0
  const attempt = (what: string, dec: Decoder, b: Buffer, how: string): void => {
    cases++
    try {
      dec(b, 0, b.length)
    } catch (err) {
      if (err instanceof DecodeError) return
      const e = err as Error
      const key = `${what}: ${e?.constructor?.name}: ${e?.message}`
      if (!failures.has(key)) failures.set(key, `${how}: ${b.toString('hex')}`)
    }
  }
  for (const [what, dec, msgs] of sets) {
    for (const m of msgs) {
      t.doesNotThrow(() => dec(m, 0, m.length), `${what}: the intact message decodes`)
      for (let len = 0; len < m.length; len++) attempt(what, dec, m.subarray(0, len), `cut at ${len}`)
      for (let k = 0; k < 400; k++) {
        // random bytes anywhere, or a random 16-bit value where attribute lengths live
        const b = Buffer.from(m)
        const n = 1 + Math.floor(rnd() * 4)
        for (let i = 0; i < n; i++) {
          if (k & 1) b[Math.floor(rnd() * b.length)] = Math.floor(rnd() * 256)
          else b.writeUInt16LE(Math.floor(rnd() * 65536), Math.floor(rnd() * (b.length >> 2)) * 4)
        }
        attempt(what, dec, b, `corrupted (case ${k})`)
      }
    }
  }
  t.ok(cases > 10_000, `${cases} malformed messages tried`)
  t.same([...failures.entries()], [], 'no exception other than DecodeError')
})
