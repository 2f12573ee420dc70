// rtnl.fdb against the kernel in throw-away namespaces, compared with `bridge -json fdb show`.
import t from 'tap'
import { freshNetNs } from '../helpers/ns.js'
import type { FdbEntry } from '../../src/rtnl/neigh/fdb.js'
import type { Rtnl } from '../../src/client.js'

/** One `bridge -json fdb show` entry in the library's terms. */
function fromBridge(e: any, idx: Map<string, number>): Record<string, unknown> {
  const o: Record<string, unknown> = { index: idx.get(e.ifname), mac: e.mac, state: e.state ?? 'dynamic', self: e.flags.includes('self') }
  if (e.master !== undefined) o.master = idx.get(e.master)
  for (const k of ['vlan', 'dst', 'port', 'vni']) if (e[k] !== undefined) o[k] = e[k]
  if (e.flags.includes('sticky')) o.sticky = true
  return o
}
function mine(e: FdbEntry): Record<string, unknown> {
  const o: Record<string, unknown> = { index: e.index, mac: e.mac, state: e.state, self: e.flags.includes('self') }
  for (const k of ['master', 'vlan', 'dst', 'port', 'vni'] as const) if (e[k] !== undefined) o[k] = e[k]
  if (e.flags.includes('sticky')) o.sticky = true
  return o
}
/** br0 with the veth va as its port (vb the other end). */
async function bridgeWithPort(rtnl: Rtnl): Promise<void> {
  await rtnl.link.add({ name: 'br0', kind: 'bridge' })
  await rtnl.link.add({ name: 'va', kind: 'veth', peer: { name: 'vb' }, master: 'br0' })
}

const key = (o: Record<string, unknown>) => JSON.stringify([o.index, o.mac, o.vlan ?? 0, o.dst ?? '', o.self])
const sorted = (xs: Record<string, unknown>[]) => [...xs].sort((a, b) => key(a).localeCompare(key(b)))

t.test('bridge and vxlan entries: add, append, replace, list as bridge fdb shows them, delete', async t => {
  const ns = freshNetNs(t)
  const { rtnl } = ns
  await bridgeWithPort(rtnl)
  await rtnl.link.add({ name: 'vx0', kind: 'vxlan', vxlan: { id: 42, port: 4789, local: '10.0.0.1' } })
  const idx = new Map<string, number>()
  for await (const l of rtnl.link.list()) idx.set(l.name, l.index)

  await rtnl.fdb.add({ link: 'va', mac: '02:00:00:00:00:01', master: true })
  await rtnl.fdb.add({ link: 'va', mac: '02:00:00:00:00:02', master: true, state: 'static' })
  await rtnl.fdb.add({ link: 'va', mac: '02:00:00:00:00:05' })
  await rtnl.fdb.append({ link: 'vx0', mac: '00:00:00:00:00:00', dst: '10.0.0.2' })
  await rtnl.fdb.append({ link: 'vx0', mac: '00:00:00:00:00:00', dst: '10.0.0.4' })
  await rtnl.fdb.add({ link: 'vx0', mac: '02:00:00:00:00:06', dst: '10.0.0.3', port: 4790, vni: 43, state: 'permanent' })
  await t.rejects(rtnl.fdb.add({ link: 'va', mac: '02:00:00:00:00:01', master: true }), { code: 'EEXIST' })
  await rtnl.fdb.replace({ link: 'va', mac: '02:00:00:00:00:01', master: true, sticky: true, state: 'static' })

  const listed = await rtnl.fdb.list().toArray()
  t.same(sorted(listed.map(mine)), sorted((await ns.exec('bridge', ['-json', 'fdb', 'show']).then(r => JSON.parse(r.stdout))).map((e: any) => fromBridge(e, idx))),
    'list == bridge -json fdb show')
  const sticky = listed.find(e => e.mac === '02:00:00:00:00:01')
  t.same([sticky?.state, sticky?.flags.includes('sticky'), sticky?.master], ['static', true, idx.get('br0')], 'replaced: static and sticky, in br0')
  t.same(listed.filter(e => e.index === idx.get('vx0') && e.mac === '00:00:00:00:00:00').map(e => e.dst).sort(), ['10.0.0.2', '10.0.0.4'], 'two remotes appended')
  t.same(listed.find(e => e.mac === '02:00:00:00:00:06') && [listed.find(e => e.mac === '02:00:00:00:00:06')!.port, listed.find(e => e.mac === '02:00:00:00:00:06')!.vni], [4790, 43])

  const ofBr0 = await rtnl.fdb.list({ master: 'br0' }).toArray()
  t.ok(ofBr0.length > 0 && ofBr0.every(e => e.index === idx.get('br0') || e.index === idx.get('va')), 'br: only the bridge and its port')
  t.notOk(ofBr0.some(e => e.index === idx.get('vx0')), 'not the vxlan device')
  t.ok(ofBr0.some(e => e.mac === '02:00:00:00:00:02' && e.state === 'static'))
  const ofVx = await rtnl.fdb.list({ link: 'vx0' }).toArray()
  t.ok(ofVx.length >= 3 && ofVx.every(e => e.index === idx.get('vx0')), 'brport/dev: only that device')

  await rtnl.fdb.del({ link: 'va', mac: '02:00:00:00:00:02', master: true })
  await rtnl.fdb.del({ link: 'vx0', mac: '00:00:00:00:00:00', dst: '10.0.0.2' })
  await rtnl.fdb.del(sticky!)
  const after = (await rtnl.fdb.list().toArray()).map(e => `${e.mac} ${e.dst ?? ''}`)
  t.notOk(after.includes('02:00:00:00:00:02 ') || after.includes('02:00:00:00:00:01 ') || after.includes('00:00:00:00:00:00 10.0.0.2'), 'deleted, one remote of two')
  t.ok(after.includes('00:00:00:00:00:00 10.0.0.4'), 'the other remote stays')
  await t.rejects(rtnl.fdb.del({ link: 'va', mac: '02:00:00:00:00:02', master: true }), { code: 'ENOENT' })
})

t.test('an entry on a VLAN', async t => {
  const ns = freshNetNs(t)
  const { rtnl } = ns
  await bridgeWithPort(rtnl)
  const filtering = await rtnl.link.set('br0', { bridge: { vlanFiltering: true } }).then(() => true, e => (e.code === 'EOPNOTSUPP' ? false : Promise.reject(e)))
  if (!filtering) {
    // The bridge refuses a VLAN in an fdb entry (EINVAL) when it cannot filter VLANs; bridge fdb gets the same.
    await t.rejects(rtnl.fdb.add({ link: 'va', mac: '02:00:00:00:00:02', master: true, vlan: 1 }), { code: 'EINVAL' })
    t.pass('vlan entries', { skip: 'kernel says EOPNOTSUPP for vlan_filtering (built without CONFIG_BRIDGE_VLAN_FILTERING)' })
    return
  }
  await rtnl.fdb.add({ link: 'va', mac: '02:00:00:00:00:02', master: true, state: 'static', vlan: 1 })
  const e = (await rtnl.fdb.list({ link: 'va' }).toArray()).find(x => x.mac === '02:00:00:00:00:02')
  t.equal(e?.vlan, 1)
  await rtnl.fdb.del({ link: 'va', mac: '02:00:00:00:00:02', master: true, vlan: 1 })
})

t.test('monitor: fdb events apart from neighbour events', async t => {
  const ns = freshNetNs(t)
  const { rtnl } = ns
  await bridgeWithPort(rtnl)
  const fdbOnly = rtnl.monitor({ objects: ['fdb'] })
  const neighOnly = rtnl.monitor({ objects: ['neigh'] })
  t.teardown(() => { fdbOnly.close(); neighOnly.close() })
  await rtnl.fdb.add({ link: 'va', mac: '02:00:00:00:00:09', master: true, state: 'static' })
  await rtnl.neigh.add({ link: 'br0', address: '10.0.0.2', lladdr: '02:00:00:00:00:02' })
  await rtnl.fdb.del({ link: 'va', mac: '02:00:00:00:00:09', master: true })
  const got: string[] = []
  for await (const e of fdbOnly) {
    if (e.type === 'fdb' && e.fdb.mac === '02:00:00:00:00:09') got.push(`${e.action} ${e.fdb.state}`)
    else t.equal(e.type, 'fdb', 'only fdb events')
    if (got.length === 2) break
  }
  t.same(got, ['new static', 'del static'])
  const n = await neighOnly.next()
  t.equal(n.value?.type === 'neigh' && n.value.neigh.address, '10.0.0.2', 'the neighbour monitor skips the fdb entries')
})
