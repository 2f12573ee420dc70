// Every writable attribute of the kinds this kernel has (vxlan, bridge, macvlan, bridge port)
// is sent to the kernel with a value other than its default and read back. This checks each
// attribute's encoding against the kernel's policy, which a round trip through our own codec
// cannot: it found IFLA_VXLAN_TTL_INHERIT sent as a u8 (the policy wants a flag, so any
// ttlInherit was refused) and IFLA_VXLAN_LABEL sent little-endian (a be32: label 3 became 0).
// What the kernel refuses or does not report for its own reasons is listed with the reason.
import t, { type Test } from 'tap'
import { isDeepStrictEqual } from 'node:util'
import type { AttrTable } from '../../src/attr/table.js'
import type { Rtnl } from '../../src/client.js'
import { IFLA_VXLAN } from '../../src/rtnl/link/kinds/vxlan.js'
import { IFLA_BR } from '../../src/rtnl/link/kinds/bridge.js'
import { IFLA_MACVLAN } from '../../src/rtnl/link/kinds/macvlan.js'
import { IFLA_BRPORT } from '../../src/rtnl/link/kinds/bridge-port.js'
import { freshNetNs, ipIn } from '../helpers/ns.js'

type Sample = { value: unknown; with?: Record<string, unknown> }
type Outcome = { ok: true } | { ok: false; why: string }

/** A value other than the default: the negation of a boolean, else the sample given. */
function valueFor(key: string, dflt: unknown, samples: Record<string, Sample | unknown>): Sample | undefined {
  const s = samples[key]
  if (s !== undefined) return typeof s === 'object' && s !== null && 'value' in s ? s as Sample : { value: s }
  if (typeof dflt === 'boolean') return { value: !dflt }
  return undefined
}

/**
 * Sends each writable attribute of `table` through `apply` and reads it back with `read`.
 * Returns what went wrong; attributes in `kernelSays` must be refused with that error code,
 * those in `notReported` must be accepted (the kernel does not report what it was given).
 */
async function probe(t: Test, table: AttrTable, dflt: Record<string, unknown>, samples: Record<string, unknown>,
  apply: (key: string, s: Sample) => Promise<void>, read: (key: string) => Promise<unknown>,
  kernelSays: Record<string, [code: string, why: string]>, notReported: Record<string, string>): Promise<string[]> {
  const wrong: string[] = []
  for (const e of table.entries) {
    if (e.readOnly) continue
    const s = valueFor(e.key, dflt[e.key], samples)
    if (s === undefined) {
      wrong.push(`${e.key}: no sample value (default ${JSON.stringify(dflt[e.key])})`)
      continue
    }
    if (isDeepStrictEqual(s.value, dflt[e.key])) wrong.push(`${e.key}: the sample is the default, it would prove nothing`)
    let outcome: Outcome
    try {
      await apply(e.key, s)
      outcome = { ok: true }
    } catch (err) {
      outcome = { ok: false, why: `${(err as { code?: string }).code} ${(err as Error).message}` }
    }
    const refusal = kernelSays[e.key]
    if (refusal) {
      if (outcome.ok || !outcome.why.startsWith(refusal[0])) wrong.push(`${e.key}: expected the kernel to say ${refusal[0]}, got ${outcome.ok ? 'ok' : outcome.why}`)
      else t.pass(e.key, { skip: `kernel says ${refusal[0]} (${refusal[1]})` })
      continue
    }
    if (!outcome.ok) {
      wrong.push(`${e.key} = ${JSON.stringify(s.value)}: ${outcome.why}`)
      continue
    }
    const back = await read(e.key)
    if (notReported[e.key] !== undefined) {
      // Accepted is what counts here: an encoding the policy refuses is an error.
      t.pass(`${e.key}: accepted, read back as ${JSON.stringify(back)}: ${notReported[e.key]}`)
      continue
    }
    if (!isDeepStrictEqual(back, s.value)) wrong.push(`${e.key}: sent ${JSON.stringify(s.value)}, read back ${JSON.stringify(back)}`)
    else t.pass(`${e.key} = ${JSON.stringify(s.value)}`)
  }
  return wrong
}

async function defaults(rtnl: Rtnl, name: string, key: string): Promise<Record<string, unknown>> {
  return ((await rtnl.link.get(name)) as unknown as Record<string, Record<string, unknown>>)[key] ?? {}
}

t.test('vxlan: every writable attribute reaches the kernel and reads back', async t => {
  const ns = freshNetNs(t)
  const { rtnl } = ns
  await rtnl.link.add({ name: 'lower', kind: 'bridge', up: true })
  await rtnl.link.add({ name: 'vx0', kind: 'vxlan', vxlan: { id: 1, port: 4789 } })
  const dflt = await defaults(rtnl, 'vx0', 'vxlan')
  const lower = await rtnl.link.index('lower')
  let n = 0
  const wrong = await probe(t, IFLA_VXLAN, dflt, {
    id: 4000, group: '10.9.9.9', dev: lower, local: '10.1.1.1', ttl: 3, tos: 3, ageing: 60, limit: 5,
    portRange: { low: 1000, high: 2000 }, port: 4790, group6: 'fd00::9', local6: 'fd00::1',
    udpZeroCsum6Tx: true, udpZeroCsum6Rx: true, gbp: true, remcsumNoPartial: true, ttlInherit: true, df: 'inherit',
    label: { value: 0xabcde, with: { group6: 'fd00::9' } },
    labelPolicy: { value: 'inherit', with: { group6: 'fd00::9' } },
    gpe: { value: true, with: { external: true, learning: false } },
    vniFilter: { value: true, with: { external: true } },
    reservedBits: '0000000000000000', mcRoute: true,
  }, async (key, s) => {
    const o: Record<string, unknown> = { id: 100 + n, port: 4789, ...s.with, [key]: s.value }
    if (o['external'] || key === 'external') delete o['id']
    await rtnl.link.add({ name: `k${++n}`, kind: 'vxlan', vxlan: o })
  }, async key => (await defaults(rtnl, `k${n}`, 'vxlan'))[key], {}, {
    mcRoute: 'Linux 6.18 takes IFLA_VXLAN_MC_ROUTE but vxlan_fill_info does not report it',
  })
  t.same(wrong, [])
  // iproute2 reads the two attributes that were wrong before the same way.
  await rtnl.link.add({ name: 'vxl', kind: 'vxlan', vxlan: { id: 77, port: 4789, group6: 'fd00::9', label: 0xabcde, ttlInherit: true } })
  const [ip] = await ns.ip('-d', 'link', 'show', 'vxl')
  t.equal(ip.linkinfo.info_data.label, '0xabcde', 'ip -d agrees on the flow label')
  t.match(await ipIn(ns, '-d', 'link', 'show', 'vxl'), /ttl inherit/, 'and on ttl inherit (its JSON leaves it out)')
})

t.test('bridge: every writable attribute reaches the kernel and reads back', async t => {
  const { rtnl } = freshNetNs(t)
  await rtnl.link.add({ name: 'br0', kind: 'bridge' })
  const dflt = await defaults(rtnl, 'br0', 'bridge')
  let n = 0
  const noVlanFiltering: [string, string] = ['EOPNOTSUPP', 'built without CONFIG_BRIDGE_VLAN_FILTERING']
  const wrong = await probe(t, IFLA_BR, dflt, {
    forwardDelay: 1000, helloTime: 300, maxAge: 1000, ageingTime: 10000, stpState: 1, priority: 4096,
    vlanProtocol: 0x88a8, groupFwdMask: 8, groupAddress: '01:80:c2:00:00:0e', multicastRouter: 2,
    multicastHashElasticity: 8, multicastHashMax: 1024, multicastLastMemberCount: 3, multicastStartupQueryCount: 3,
    multicastLastMemberInterval: 200, multicastMembershipInterval: 30000, multicastQuerierInterval: 30000,
    multicastQueryInterval: 10000, multicastQueryResponseInterval: 500, multicastStartupQueryInterval: 2000,
    vlanDefaultPvid: 7, vlanStatsEnabled: true, vlanStatsPerPort: true, multicastIgmpVersion: 3, multicastMldVersion: 2, fdbMaxLearned: 100,
    boolopts: { noLinkLocalLearn: true },
  }, async (key, s) => {
    await rtnl.link.add({ name: `b${++n}`, kind: 'bridge', bridge: { ...s.with, [key]: s.value } })
  }, async key => {
    const v = (await defaults(rtnl, `b${n}`, 'bridge'))[key]
    return key === 'boolopts' ? { noLinkLocalLearn: (v as Record<string, boolean>)['noLinkLocalLearn'] } : v
  }, {
    vlanFiltering: noVlanFiltering,
  }, {
    multicastHashElasticity: 'obsolete since Linux 5.0: taken and ignored, reported as 16',
    vlanProtocol: 'taken but not reported without CONFIG_BRIDGE_VLAN_FILTERING',
    vlanDefaultPvid: 'taken but not reported without CONFIG_BRIDGE_VLAN_FILTERING',
    vlanStatsEnabled: 'taken but not reported without CONFIG_BRIDGE_VLAN_FILTERING',
    vlanStatsPerPort: 'taken but not reported without CONFIG_BRIDGE_VLAN_FILTERING',
  })
  t.same(wrong, [])
})

t.test('macvlan: every writable attribute reaches the kernel and reads back', async t => {
  const { rtnl } = freshNetNs(t)
  await rtnl.link.add({ name: 'lower', kind: 'bridge', up: true })
  await rtnl.link.add({ name: 'mv0', kind: 'macvlan', parent: 'lower' })
  const dflt = await defaults(rtnl, 'mv0', 'macvlan')
  let n = 0
  const source = { mode: 'source', macaddrMode: 'set' }
  const wrong = await probe(t, IFLA_MACVLAN, dflt, {
    mode: 'private', flags: 1, bcQueueLen: 500, bcCutoff: 5,
    macaddrs: { value: ['02:00:00:00:00:01'], with: source },
    macaddrMode: { value: 'flush', with: { mode: 'source' } },
    macaddr: { value: '02:00:00:00:00:02', with: { mode: 'source', macaddrMode: 'add' } },
  }, async (key, s) => {
    await rtnl.link.add({ name: `m${++n}`, kind: 'macvlan', parent: 'lower', macvlan: { ...s.with, [key]: s.value } })
  }, async key => {
    const m = await defaults(rtnl, `m${n}`, 'macvlan')
    return key === 'macaddr' ? (m['macaddrs'] as string[] | undefined)?.[0] : m[key]
  }, {}, {
    macaddrMode: 'what to do with macaddr/macaddrs; an instruction, not reported',
  })
  t.same(wrong, [])
})

t.test('bridge port: every writable attribute reaches the kernel and reads back', async t => {
  const { rtnl } = freshNetNs(t)
  await rtnl.link.add({ name: 'br0', kind: 'bridge', up: true })
  for (const p of ['p', 'q']) {
    await rtnl.link.add({ name: `${p}0`, kind: 'veth', peer: { name: `${p}1` } })
    await rtnl.link.set(`${p}1`, { up: true })
    await rtnl.link.set(`${p}0`, { master: 'br0', up: true })
  }
  const dflt = await defaults(rtnl, 'p0', 'bridgePort')
  const q0 = await rtnl.link.index('q0')
  const wrong = await probe(t, IFLA_BRPORT, dflt, {
    state: 2, priority: 33, cost: 5, multicastRouter: 2, groupFwdMask: 8, backupPort: q0,
    multicastEhtHostsLimit: 100, multicastMaxGroups: 10, backupNhid: 5, learningSync: true,
    mab: { value: true, with: { locked: true, learning: true } },
  }, async (key, s) => {
    await rtnl.link.set('p0', { bridgePort: { ...s.with, [key]: s.value } })
  }, async key => {
    const v = (await defaults(rtnl, 'p0', 'bridgePort'))[key]
    // Back to the defaults for the next attribute (mab needs unlocking first).
    await rtnl.link.set('p0', { bridgePort: { mab: false } })
    return v
  }, {}, {
    backupNhid: 'taken without a nexthop object of that id; not reported then',
    learningSync: 'taken; reported only by ports whose driver syncs learned addresses (switchdev)',
  })
  t.same(wrong, [])
})
