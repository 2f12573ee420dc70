// Every verb given values of every wrong type where options or fields go: it answers, or
// rejects with one of the library's typed errors (ValidationError before anything is sent,
// NetlinkError, NetNsError) — never a bare TypeError from deep inside, never a hang.
import t from 'tap'
import { open } from '../../src/client.js'
import { NetNs } from '../../src/netns/netns.js'
import { freshNetNs } from '../helpers/ns.js'

const VALUES: unknown[] = [undefined, null, 0, 1.5, -1, '', 'x', {}, [], true, NaN, 2 ** 40, '10.0.0.1', Symbol('s')]
const TYPED = new Set(['ValidationError', 'NetlinkError', 'NetNsError'])
// Names that exist in no namespace on purpose: 'x' and '10.0.0.1' are tried as namespace names.


t.test('wrong types anywhere: typed errors only, nothing hangs', async t => {
  const { rtnl } = freshNetNs(t)
  await rtnl.link.add({ name: 'v0', kind: 'veth', peer: { name: 'v1' } })
  const any = rtnl as any
  const verbs: Record<string, (v: any) => Promise<unknown> | unknown> = {
    'addr.add address': v => any.addr.add({ link: 'v0', address: v }),
    'addr.add link': v => any.addr.add({ link: v, address: '10.0.0.1/24' }),
    'addr.add options': v => any.addr.add(v),
    'addr.del options': v => any.addr.del(v),
    'addr.list filter': v => any.addr.list(v).toArray(),
    'route.add dst': v => any.route.add({ dst: v }),
    'route.add options': v => any.route.add(v),
    'route.add table': v => any.route.add({ dst: '10.9.0.0/16', dev: 'v0', table: v }),
    'route.add metric': v => any.route.add({ dst: '10.9.0.0/16', dev: 'v0', metric: v }),
    'route.add metrics': v => any.route.add({ dst: '10.9.0.0/16', dev: 'v0', metrics: v }),
    'route.add multipath': v => any.route.add({ dst: '10.9.0.0/16', multipath: v }),
    'route.del options': v => any.route.del(v),
    'route.get options': v => any.route.get(v),
    'route.list filter': v => any.route.list(v).toArray(),
    'link.get ref': v => any.link.get(v),
    'link.set options': v => any.link.set('v0', v),
    'link.set mtu': v => any.link.set('v0', { mtu: v }),
    'link.set master': v => any.link.set('v0', { master: v }),
    'link.set address': v => any.link.set('v0', { address: v }),
    'link.set netns': v => any.link.set('v0', { netns: v }),
    'link.set bridgePort': v => any.link.set('v0', { bridgePort: v }),
    'link.add options': v => any.link.add(v),
    'link.add name': v => any.link.add({ name: v, kind: 'bridge' }),
    'link.add peer': v => any.link.add({ name: 'v2', kind: 'veth', peer: v }),
    'link.add vxlan': v => any.link.add({ name: 'vx9', kind: 'vxlan', vxlan: v }),
    'link.list filter': v => any.link.list(v).toArray(),
    'link.del ref': v => any.link.del(v),
    'nsid.get': v => any.nsid.get(v),
    'nsid.set': v => any.nsid.set(v, 5),
    'rtnl.in': v => any.in(v),
    'open options': v => open(v).then(r => r.close()),
    'open netns': v => open({ netns: v }).then(r => r.close()),
    'NetNs.open': v => NetNs.open(v),
    'NetNs.fromPid': v => NetNs.fromPid(v),
    'NetNs.fromPath': v => NetNs.fromPath(v),
    'runSync': v => NetNs.current().runSync(v),
  }
  const wrong: string[] = []
  let tried = 0
  for (const [verb, call] of Object.entries(verbs)) {
    for (const v of VALUES) {
      tried++
      let timer: NodeJS.Timeout | undefined
      const hang = new Promise((_, reject) => { timer = setTimeout(() => reject(Object.assign(new Error('no answer in 2 s'), { name: 'Hang' })), 2000) })
      const out = await Promise.race([Promise.resolve().then(() => call(v)), hang]).then(() => 'answered', (e: any) => String(e?.name))
      clearTimeout(timer)
      if (out !== 'answered' && !TYPED.has(out)) wrong.push(`${verb}(${typeof v === 'symbol' ? 'Symbol()' : JSON.stringify(v)}): ${out}`)
    }
  }
  t.ok(tried > 300, `${tried} calls`)
  t.same(wrong, [], 'every call answered or gave a typed error')
})

t.test('options of the wrong type are refused by name, not coerced', async t => {
  const ns = freshNetNs(t)
  const { rtnl } = ns
  await rtnl.link.add({ name: 'br0', kind: 'bridge' })
  const any = rtnl as any
  // Each of these was taken before: `up: 'no'` brought the link up, `protocol: '5'` and
  // `tos: 1.5` went out truncated or as 0, `flags: 5` and `kind: 5` were bare TypeErrors.
  const cases: [string, () => Promise<unknown>][] = [
    ['up', () => any.link.set('br0', { up: 'no' })],
    ['up', () => any.link.set('br0', { up: 0 })],
    ['carrier', () => any.link.set('br0', { carrier: 'yes' })],
    ['up', () => any.link.add({ name: 'br1', kind: 'bridge', up: 1 })],
    ['replace', () => any.link.add({ name: 'br0', kind: 'bridge', replace: 'yes' })],
    ['stats', () => any.link.get('br0', { stats: 'yes' })],
    ['up', () => any.link.list({ up: 'yes' }).toArray()],
    ['kind', () => any.link.list({ kind: 5 }).toArray()],
    ['replace', () => any.addr.add({ link: 'br0', address: '10.0.0.1/24', replace: 'no' })],
    ['replace', () => any.addr.add({ link: 2, address: '10.0.0.1/24', replace: 1 })],
    ['flags', () => any.addr.add({ link: 'br0', address: '10.0.0.1/24', flags: 5 })],
    ['protocol', () => any.addr.add({ link: 'br0', address: '10.0.0.1/24', protocol: '5' })],
    ['protocol', () => any.addr.add({ link: 'br0', address: '10.0.0.1/24', protocol: 256 })],
    ['tos', () => any.route.add({ dst: '10.9.0.0/16', dev: 'br0', tos: 1.5 })],
    ['mark', () => any.route.add({ dst: '10.9.0.0/16', dev: 'br0', mark: -1 })],
    ['onlink', () => any.route.add({ dst: '10.9.0.0/16', dev: 'br0', onlink: 'no' })],
    ['multipath[0].onlink', () => any.route.add({ dst: '10.9.0.0/16', multipath: [{ dev: 'br0', onlink: 1 }] })],
    ['expires', () => any.route.add({ dst: 'fd00::/64', dev: 'br0', expires: '60' })],
    ['mark', () => any.route.get({ dst: '10.9.0.1', mark: 'x' })],
    ['fibMatch', () => any.route.get({ dst: '10.9.0.1', fibMatch: 'yes' })],
  ]
  // list() checks its filter when called (it throws); the others reject.
  for (const [field, call] of cases) await t.rejects((async () => call())(), { name: 'ValidationError', field }, field)
  const br = await rtnl.link.get('br0')
  t.equal(br.up, false, 'br0 still down')
  t.same(await rtnl.addr.list({ link: 'br0', family: 4 }).toArray(), [], 'no address added')
  t.notOk((await rtnl.link.list().toArray()).some(l => l.name === 'br1'), 'no br1')
  const [ip] = await ns.ip('link', 'show', 'br0')
  t.notOk(ip.flags.includes('UP'), 'ip agrees: br0 is down')
})

t.test('a NUL inside a name, altname, label or alias is refused (the kernel would cut the string there)', async t => {
  const ns = freshNetNs(t)
  const { rtnl } = ns
  // Before: a link 'ab', an altname 'x', a label 'lo' were made from these.
  await t.rejects(rtnl.link.add({ name: 'ab\0cd', kind: 'ifb' }), { name: 'ValidationError', field: 'name' })
  await t.rejects(rtnl.link.addAltName('lo', 'x\0y'), { name: 'ValidationError', field: 'altname' })
  await t.rejects(rtnl.addr.add({ link: 'lo', address: '10.1.1.1/32', label: 'lo\0x' }), { name: 'ValidationError', field: 'label' })
  await t.rejects(rtnl.link.set('lo', { alias: 'a\0b' }), { name: 'ValidationError', field: 'alias' })
  await t.rejects(rtnl.link.get('lo\0'), { name: 'ValidationError', field: 'link' })
  const [lo] = await ns.ip('addr', 'show')
  t.same(await ns.ip('link', 'show').then((l: { ifname: string }[]) => l.map(x => x.ifname)), ['lo'], 'nothing made')
  t.equal(lo.altnames, undefined)
  t.same(lo.addr_info, [])
  t.equal(lo.ifalias, undefined)
})

t.test('misspelt option keys are refused by name, with the nearest one, before anything changes', async t => {
  const ns = freshNetNs(t)
  const { rtnl } = ns
  const any = rtnl as any
  await rtnl.link.add({ name: 'v0', kind: 'veth', peer: { name: 'v1' }, up: true })
  await rtnl.link.set('v1', { up: true })
  await rtnl.addr.add({ link: 'v0', address: '10.0.0.1/24' })
  const ix = await rtnl.link.index('v0')
  await rtnl.route.add({ dst: '10.100.0.0/16', dev: 'v0', table: 100 })
  await rtnl.route.add({ dst: '10.101.0.0/16', dev: 'v0' })
  const state = async () => JSON.stringify([
    (await rtnl.link.list().toArray()).map(l => [l.name, l.mtu, l.up]),
    (await rtnl.addr.list().toArray()).map(a => [a.cidr, a.label]),
    (await rtnl.route.list({ table: 'all', family: 4 }).toArray()).map(r => [r.table, r.dst, r.gateway]),
  ])
  const before = await state()
  const cases: [string, () => Promise<unknown>, string, string][] = [
    ['route.add by index (its fast path)', () => any.route.add({ dst: '10.9.0.0/16', gatway: '10.0.0.2', dev: ix }), 'gatway', 'gateway'],
    ['route.add by name', () => any.route.add({ dst: '10.9.0.0/16', gatway: '10.0.0.2', dev: 'v0' }), 'gatway', 'gateway'],
    ['route.replace', () => any.route.replace({ dst: '10.101.0.0/16', dev: ix, metrc: 5 }), 'metrc', 'metric'],
    ['route.append', () => any.route.append({ dst: '10.9.0.0/16', dev: ix, tabel: 5 }), 'tabel', 'table'],
    ['route.del', () => any.route.del({ dst: '10.101.0.0/16', devv: 'v0' }), 'devv', 'dev'],
    ['route.flush', () => any.route.flush({ tabel: 100, dev: 'v0' }), 'tabel', 'table'],
    ['route.list', () => any.route.list({ tabel: 100 }).toArray(), 'tabel', 'table'],
    ['route.get', () => any.route.get({ dst: '10.0.0.2', oiff: 'v0' }), 'oiff', 'oif'],
    ['addr.add by index (its fast path)', () => any.addr.add({ link: ix, address: '10.0.0.5/24', lable: 'v0:x' }), 'lable', 'label'],
    ['addr.add by name', () => any.addr.add({ link: 'v0', address: '10.0.0.5/24', lable: 'v0:x' }), 'lable', 'label'],
    ['addr.replace', () => any.addr.replace({ link: 'v0', address: '10.0.0.1/24', metrc: 5 }), 'metrc', 'metric'],
    ['addr.del', () => any.addr.del({ link: 'v0', address: '10.0.0.1/24', peerr: '10.0.0.9' }), 'peerr', 'peer'],
    ['addr.flush', () => any.addr.flush('v0', { famly: 6 }), 'famly', 'family'],
    ['addr.list', () => any.addr.list({ lnk: 'v0' }).toArray(), 'lnk', 'link'],
    ['link.add', () => any.link.add({ name: 'b0', kind: 'bridge', mtuu: 1400 }), 'mtuu', 'mtu'],
    ['link.add kind data key', () => any.link.add({ name: 'x0', kind: 'vxlan', vxlann: { id: 5 } }), 'vxlann', 'vxlan'],
    ['link.set', () => any.link.set('v0', { mtuu: 1400 }), 'mtuu', 'mtu'],
    ['link.set port data key', () => any.link.set('v0', { bridgeport: { cost: 5 } }), 'bridgeport', 'bridgePort'],
    ['link.list', () => any.link.list({ kindd: 'veth' }).toArray(), 'kindd', 'kind'],
    ['link.get', () => any.link.get('v0', { stat: true }), 'stat', 'stats'],
    ['link.del', () => any.link.del('v1', { timout: 5 }), 'timout', 'timeout'],
  ]
  for (const [what, f, key, near] of cases) {
    const err = await (async () => f())().then(() => undefined, e => e)
    t.match(err, { name: 'ValidationError', field: key, message: new RegExp(`unknown option ${key} \\(did you mean ${near}\\?\\)`) }, what)
  }
  t.equal(await state(), before, 'nothing changed')
  // A key given as undefined passes (spreads); the options every verb documents are taken.
  await any.route.add({ dst: '10.9.0.0/16', dev: 'v0', gateway: undefined, ...{ tos: undefined } })
  await any.addr.add({ link: ix, address: '10.0.0.5/24', label: undefined })
  await any.link.set('v0', { mtu: 1400, alias: undefined })
  t.match((await rtnl.route.list().toArray()).map(r => r.dst), ['10.0.0.0/24', '10.9.0.0/16', '10.101.0.0/16'])
})
