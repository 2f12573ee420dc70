// Links as listed, given back: link.add(link) / linkOptions() make a link like the one
// listed, whoever made it (ip here), and port settings ride along with link.add.
import t from 'tap'
import { isDeepStrictEqual } from 'node:util'
import { NetlinkError, ValidationError } from '../../src/errors.js'
import { linkOptions } from '../../src/rtnl/link/listed.js'
import { IFLA_BR } from '../../src/rtnl/link/kinds/bridge.js'
import { IFLA_BRPORT } from '../../src/rtnl/link/kinds/bridge-port.js'
import type { Link } from '../../src/rtnl/link/codec.js'
import type { AttrTable } from '../../src/attr/table.js'
import { freshNetNs, ipIn } from '../helpers/ns.js'

/** What the kernel keeps about a link rather than how it was set up. */
const STATE = new Set([
  'index', 'name', 'stats64', 'carrier', 'carrierChanges', 'carrierUpCount', 'carrierDownCount', 'operState', 'lowerUp',
  'qdisc', 'tsoMaxSize', 'tsoMaxSegs', 'altNames',
])

function settingsOf(table: AttrTable, data: Record<string, unknown> | undefined, drop: string[] = []): Record<string, unknown> | undefined {
  if (!data) return data
  return Object.fromEntries(Object.entries(data).filter(([k]) => !table.byKey.get(k)?.readOnly && !drop.includes(k)))
}

/** A link's settings: everything listed but identity and state. */
function settings(l: Link): Record<string, unknown> {
  const o: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(l)) if (!STATE.has(k)) o[k] = v
  o['flags'] = l.flags.filter(f => f !== 'LOWER_UP' && f !== 'RUNNING')
  if (l.kind === 'veth') delete o['parentIndex']
  o['bridge'] = settingsOf(IFLA_BR, l.bridge)
  o['bridgePort'] = settingsOf(IFLA_BRPORT, l.bridgePort, ['state'])
  if (o['bridge'] === undefined) delete o['bridge']
  if (o['bridgePort'] === undefined) delete o['bridgePort']
  return o
}

function differences(a: Record<string, unknown>, b: Record<string, unknown>): string[] {
  const out: string[] = []
  for (const k of new Set([...Object.keys(a), ...Object.keys(b)]))
    if (!isDeepStrictEqual(a[k], b[k])) out.push(`${k}: ${JSON.stringify(a[k])} → ${JSON.stringify(b[k])}`)
  return out
}

t.test('every link ip makes here is made again by link.add(listed), as ip sees it too', async t => {
  const ns = freshNetNs(t)
  const { rtnl } = ns
  const ip = (...a: string[]) => ipIn(ns, ...a)
  await ip('link', 'add', 'br0', 'type', 'bridge', 'hello_time', '300', 'mcast_snooping', '0', 'ageing_time', '1000', 'group_fwd_mask', '8')
  await ip('link', 'set', 'br0', 'up')
  await ip('link', 'add', 'v0', 'mtu', '1400', 'type', 'veth', 'peer', 'name', 'v1')
  await ip('link', 'set', 'v0', 'master', 'br0', 'up')
  await ip('link', 'set', 'v0', 'type', 'bridge_slave', 'cost', '7', 'hairpin', 'on', 'learning', 'off', 'mcast_flood', 'off')
  await ip('link', 'set', 'v1', 'up')
  // remcsumrx: the kernel counts its header bits as used when the attribute is present at all.
  await ip('link', 'add', 'vx0', 'type', 'vxlan', 'id', '5', 'dstport', '4790', 'local', '10.0.0.2', 'dev', 'br0', 'ttl', '9', 'nolearning', 'remcsumrx', 'udp6zerocsumrx')
  await ip('link', 'add', 'vx1', 'type', 'vxlan', 'id', '6', 'dstport', '4789', 'noremcsumrx', 'gbp', 'ageing', '30')
  await ip('link', 'add', 'vx2', 'type', 'vxlan', 'id', '7', 'dstport', '4789')
  await ip('link', 'add', 'mv0', 'link', 'v1', 'promisc', 'on', 'type', 'macvlan', 'mode', 'source')
  await ip('link', 'set', 'mv0', 'type', 'macvlan', 'macaddr', 'add', '02:00:00:00:00:01')
  await ip('link', 'set', 'mv0', 'type', 'macvlan', 'macaddr', 'add', '02:00:00:00:00:02')
  await ip('link', 'add', 'mvt0', 'link', 'v1', 'type', 'macvtap', 'mode', 'private')
  await ip('link', 'add', 'ifb0', 'txqueuelen', '77', 'numtxqueues', '3', 'type', 'ifb')
  await ip('link', 'set', 'ifb0', 'alias', 'hello', 'group', '4', 'gso_max_size', '32768', 'arp', 'off', 'allmulticast', 'on', 'up')

  const listed: Link[] = []
  for await (const l of rtnl.link.list()) if (l.kind) listed.push(l)
  t.same(listed.map(l => l.name).sort(), ['br0', 'ifb0', 'mv0', 'mvt0', 'v0', 'v1', 'vx0', 'vx1', 'vx2'])
  for (const l of listed) {
    const copy = `${l.name}c`
    // A vxlan's VNI and port are unique in a namespace: the copy takes another VNI.
    const change = l.vxlan ? { vxlan: { ...l.vxlan, id: l.vxlan.id! + 100 } } : {}
    await rtnl.link.add({ ...l, name: copy, ...change })
    const c = await rtnl.link.get(copy)
    const want = settings(l)
    if (l.vxlan) (want['vxlan'] as Record<string, unknown>)['id'] = l.vxlan.id! + 100
    t.same(differences(want, settings(c)), [], `${l.name} (${l.kind}): the copy has the same settings`)
  }
  // ip's view of each copy: what -d prints, identity, state and the peer aside.
  const norm = (j: Record<string, any>): Record<string, any> => {
    const o: Record<string, any> = { ...j, linkinfo: { ...j['linkinfo'] } }
    for (const k of ['ifindex', 'ifname', 'operstate', 'link', 'link_index', 'tso_max_size', 'tso_max_segs', 'altnames', 'inet6_addr_gen_mode', 'linkmode'])
      delete o[k]
    o['flags'] = (j['flags'] as string[]).filter(f => f !== 'LOWER_UP' && f !== 'NO-CARRIER' && f !== 'M-DOWN')
    const d = { ...o.linkinfo.info_data }
    for (const k of Object.keys(d)) if (/timer|_id$|root_|topology_change|^id$|^port$/.test(k)) delete d[k]
    const s = { ...o.linkinfo.info_slave_data }
    for (const k of Object.keys(s)) if (/timer|_id$|^id$|^no$|designated|root|state|config_pending|topology|mcast_n_groups|mrp/.test(k)) delete s[k]
    o.linkinfo = { ...o.linkinfo, info_data: d, info_slave_data: s }
    return o
  }
  const ipOf = new Map<string, Record<string, any>>()
  for (const j of await ns.ip('-d', 'link', 'show')) ipOf.set(j.ifname, j)
  for (const l of listed) {
    const a = norm(ipOf.get(l.name)!)
    const b = norm(ipOf.get(`${l.name}c`)!)
    t.same(differences(a, b), [], `ip -d agrees on ${l.name}'s copy`)
  }
})

t.test('a link deleted is made again from its listing (linkOptions), port settings included', async t => {
  const { rtnl } = freshNetNs(t)
  await rtnl.link.add({ name: 'br0', kind: 'bridge', up: true })
  await rtnl.link.add({ name: 'p0', kind: 'veth', peer: { name: 'p1' }, master: 'br0', up: true, bridgePort: { cost: 9, priority: 5, isolated: true } })
  await rtnl.link.add({ name: 'vx0', kind: 'vxlan', mtu: 1300, vxlan: { id: 9, port: 4789, learning: false, remcsumRx: true, tos: 4 } })
  for (const name of ['p0', 'vx0']) {
    const before = await rtnl.link.get(name)
    const opts = linkOptions(before)
    await rtnl.link.del(name)
    await rtnl.link.add(opts)
    const after = await rtnl.link.get(name)
    t.not(after.index, before.index, `${name} is a new link`)
    t.same(differences(settings(before), settings(after)), [], `${name}: made again with the same settings`)
  }
  t.match((await rtnl.link.get('p0')).bridgePort, { cost: 9, priority: 5, isolated: true })
})

t.test('port settings on link.add: sent once the link is a port, or nothing is left', async t => {
  const ns = freshNetNs(t)
  const { rtnl } = ns
  await rtnl.link.add({ name: 'br0', kind: 'bridge' })
  await rtnl.link.add({ name: 'a0', kind: 'veth', peer: { name: 'a1' }, master: 'br0', bridgePort: { cost: 11, learning: false, flood: false } })
  t.match((await rtnl.link.get('a0')).bridgePort, { cost: 11, learning: false, flood: false })
  const [j] = await ns.ip('-d', 'link', 'show', 'a0')
  t.match(j.linkinfo.info_slave_data, { cost: 11, learning: false, flood: false }, 'ip -d agrees')

  // A port state for a port that is down: the kernel refuses it after the link was made.
  const err = await rtnl.link.add({ name: 'b0', kind: 'veth', peer: { name: 'b1' }, master: 'br0', bridgePort: { state: 3 } }).catch(e => e)
  t.type(err, NetlinkError)
  t.equal(err.code, 'ENETDOWN')
  t.same((await ns.ip('link', 'show')).map((l: { ifname: string }) => l.ifname).sort(), ['a0', 'a1', 'br0', 'lo'], 'the new pair was deleted again')

  // Checked before anything is sent.
  const noMaster = await rtnl.link.add({ name: 'c0', kind: 'veth', bridgePort: { cost: 3 } }).catch(e => e)
  t.type(noMaster, ValidationError)
  t.equal(noMaster.field, 'bridgePort')
  const bad = await rtnl.link.add({ name: 'c0', kind: 'veth', master: 'br0', bridgePort: { cost: 0 } }).catch(e => e)
  t.type(bad, ValidationError)
  t.equal(bad.field, 'bridgePort.cost')
  const two = await rtnl.link.add({ name: 'c0', kind: 'veth', master: 'br0', bridgePort: { cost: 3 }, bondPort: { prio: 1 } }).catch(e => e)
  t.type(two, ValidationError)
  t.same((await ns.ip('link', 'show')).length, 4, 'nothing was made')
})

t.test('a listed link given back keeps the options a Link has no field for', async t => {
  const a = freshNetNs(t)
  const b = freshNetNs(t)
  await a.rtnl.link.add({ name: 'ifb0', kind: 'ifb', txQueueLen: 50 })
  const l = await a.rtnl.link.get('ifb0')
  // netns: the copy is made in the other namespace; promisc and addrGenMode are add options.
  await a.rtnl.link.add({ ...l, name: 'ifb1', netns: { fd: b.fd }, promisc: true, addrGenMode: 'none' })
  const c = await b.rtnl.link.get('ifb1')
  t.match(c, { kind: 'ifb', txQueueLen: 50 })
  t.ok(c.flags.includes('PROMISC'))
  t.equal(await b.rtnl.link.addrGenMode('ifb1'), 'none')
  // replace and the call's options are the call's. (An ifb's MAC cannot change once it is
  // made: the kernel says EOPNOTSUPP even for the same address.)
  const { address: _, ...sameMac } = l
  await a.rtnl.link.add({ ...sameMac, mtu: 1000, replace: true, timeout: 5000 })
  const changed = await a.rtnl.link.get('ifb0')
  t.equal(changed.mtu, 1000, 'replace: the link is changed in place')
  t.equal(changed.index, l.index, 'the same link')
  const ex = await a.rtnl.link.add({ ...l }).catch(e => e)
  t.equal(ex.code, 'EEXIST', 'without replace it is a new link, and the name is taken')
})

t.test('link.add replace: makes the link or changes it in place, never of another kind', async t => {
  const ns = freshNetNs(t)
  const { rtnl } = ns
  // Before, replace sent NLM_F_REPLACE, which the kernel refuses for a link that exists.
  await rtnl.link.add({ name: 'br0', kind: 'bridge', replace: true, bridge: { helloTime: 300 } })
  const made = await rtnl.link.get('br0')
  t.match(made, { kind: 'bridge', bridge: { helloTime: 300 } }, 'made when there was none')
  await rtnl.link.add({ name: 'br0', kind: 'bridge', replace: true, mtu: 1400, bridge: { helloTime: 400 } })
  t.match(await rtnl.link.get('br0'), { index: made.index, mtu: 1400, bridge: { helloTime: 400 } }, 'changed in place, kind data too')
  const [j] = await ns.ip('-d', 'link', 'show', 'br0')
  t.equal(j.linkinfo.info_data.hello_time, 400, 'ip -d agrees')
  const other = await rtnl.link.add({ name: 'br0', kind: 'ifb', replace: true, mtu: 1300 }).catch(e => e)
  t.type(other, ValidationError, 'another kind of the same name: refused')
  t.equal(other.field, 'kind')
  t.equal((await rtnl.link.get('br0')).mtu, 1400, 'and not changed (the kernel would have taken the mtu)')
  // What changelink refuses is the kernel's to say.
  await rtnl.link.add({ name: 'vx0', kind: 'vxlan', vxlan: { id: 5, port: 4789 } })
  const vni = await rtnl.link.add({ name: 'vx0', kind: 'vxlan', replace: true, vxlan: { id: 6 } }).catch(e => e)
  t.equal(vni.code, 'EOPNOTSUPP')
  t.match(vni.extack?.message, /VNI/)
  // A second request refused: a link replace made is deleted again, one it changed is kept.
  await rtnl.link.add({ name: 'br0', kind: 'bridge', replace: true, mtu: 1200 })
  const portFail = (name: string) => rtnl.link.add({ name, kind: 'veth', replace: true, master: 'br0', bridgePort: { state: 3 } }).catch(e => e)
  t.equal((await portFail('p0')).code, 'ENETDOWN')
  t.equal((await ns.ip('link', 'show')).some((l: { ifname: string }) => l.ifname === 'p0'), false, 'a link it made: deleted')
  await rtnl.link.add({ name: 'p0', kind: 'veth', peer: { name: 'p1' } })
  t.equal((await portFail('p0')).code, 'ENETDOWN')
  t.equal((await rtnl.link.get('p0')).master, (await rtnl.link.get('br0')).index, 'a link it changed: kept (now a port)')
})

t.test('links that cannot be made again from their listing say why', async t => {
  const { rtnl } = freshNetNs(t)
  const lo = await rtnl.link.get('lo')
  t.throws(() => linkOptions(lo), ValidationError, 'the loopback has no kind')
  const err = await rtnl.link.add({ ...lo, name: 'lo2' }).catch(e => e)
  t.type(err, ValidationError)
  t.equal(err.field, 'kind')
  const foreign = { ...lo, kind: 'wireguard', infoData: [{ type: 1, data: Buffer.from([1, 0, 0, 0]) }] } as Link
  t.throws(() => linkOptions(foreign), new ValidationError('infoData: kind wireguard has no plugin, so its data cannot be sent (see registerKind)', 'infoData', foreign.infoData), 'a kind without a plugin: its data cannot be sent')
})

t.test('link.set(ref, listed link): only what differs is sent; a snapshot given back restores the link', async t => {
  const ns = freshNetNs(t)
  const { rtnl } = ns
  await rtnl.link.add({ name: 'br0', kind: 'bridge', up: true })
  await rtnl.link.add({ name: 'br1', kind: 'bridge' })
  await rtnl.link.add({ name: 'v0', kind: 'veth', peer: { name: 'v1' } })
  await rtnl.link.add({ name: 'vx0', kind: 'vxlan', vxlan: { id: 5, port: 4789 } })
  // Given back unchanged: nothing to do. Before, every writable attribute was sent, and the
  // kernel refused what it cannot change even when unchanged (vxlan: "Cannot change port").
  for (const name of ['br0', 'v0', 'vx0', 'lo']) {
    const l = await rtnl.link.get(name)
    await rtnl.link.set(name, l)
    t.same(differences(settings(l), settings(await rtnl.link.get(name))), [], `${name} given back as it is: unchanged`)
  }
  const vx = await rtnl.link.get('vx0')
  await rtnl.link.set('vx0', { ...vx, mtu: 1400, vxlan: { ...vx.vxlan, ttl: 9, learning: false } })
  t.match(await rtnl.link.get('vx0'), { mtu: 1400, vxlan: { ttl: 9, learning: false, port: 4789 } }, 'vxlan: the changed attributes only')
  const [j] = await ns.ip('-d', 'link', 'show', 'vx0')
  t.match(j, { mtu: 1400, linkinfo: { info_data: { ttl: 9, learning: false } } }, 'ip -d agrees')

  // A snapshot, then drift: another master, port settings, mtu, alias, flags, name.
  const snap = await rtnl.link.get('v0')
  await rtnl.link.set('v0', { master: 'br0', up: true, mtu: 1300, alias: 'drift', promisc: true, arp: false, bridgePort: { cost: 9 } })
  await rtnl.link.set('v0', { name: 'v0x' })
  await rtnl.link.set(snap.index, snap)
  const back = await rtnl.link.get(snap.index)
  t.same(differences(settings(snap), settings(back)), [], 'the snapshot given back restores it: name, master released, mtu, alias, flags')
  // Into a bridge and back out, with the port settings of a listing.
  await rtnl.link.set('v0', { master: 'br1', bridgePort: { cost: 33, learning: false } })
  const asPort = await rtnl.link.get('v0')
  await rtnl.link.set('v0', snap)
  t.equal((await rtnl.link.get('v0')).master, undefined)
  await rtnl.link.set('v0', asPort)
  t.match(await rtnl.link.get('v0'), { master: asPort.master, bridgePort: { cost: 33, learning: false } }, 'enslaved again, port settings with it')
  // A listing changed to no master: released, its port settings not sent (there is no port).
  await rtnl.link.set('v0', { ...asPort, master: null, mtu: 1450 })
  t.match(await rtnl.link.get('v0'), { master: undefined, mtu: 1450, bridgePort: undefined })
  const copy = linkOptions({ ...asPort, master: null })
  t.equal(copy.bridgePort, undefined, 'linkOptions: no port settings without a master')
  // A listing of another kind: its kind data is refused before anything is sent.
  const err = await rtnl.link.set('br0', vx).catch(e => e)
  t.type(err, ValidationError)
  t.equal(err.field, 'vxlan')
})
