// rtnl.monitor(): the kernel's link, address and route notifications as typed events,
// each test in its own throw-away namespace. `ip monitor` watching the same namespace is the
// oracle: both must see the same events (type, action and key) for the same changes.
import t from 'tap'
import { spawn, type ChildProcess } from 'node:child_process'
import { readdirSync } from 'node:fs'
import { freshNetNs, type FreshNs } from '../helpers/ns.js'
import { openSync } from '../../src/client.js'
import { runIn } from '../../src/netns/switch.js'
import type { Monitor, MonitorEvent } from '../../src/rtnl/monitor.js'
import { ValidationError } from '../../src/errors.js'

/** Resolves with the monitor's next event, or rejects after `ms`. */
async function nextEvent(m: Monitor, ms = 3000): Promise<MonitorEvent | undefined> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`no event within ${ms} ms`)), ms) })
  try {
    const r = await Promise.race([m.next(), timeout])
    return r.done ? undefined : r.value
  } finally {
    clearTimeout(timer)
  }
}

/** Events until one matches `stop` (included), bounded in count and time. */
async function eventsUntil(m: Monitor, stop: (e: MonitorEvent) => boolean, max = 500): Promise<MonitorEvent[]> {
  const out: MonitorEvent[] = []
  for (let i = 0; i < max; i++) {
    const e = await nextEvent(m)
    if (e === undefined) break
    out.push(e)
    if (stop(e)) return out
  }
  throw new Error(`stop event not seen in ${out.length} events`)
}

/** type/action/key of an event, as the oracle's lines are reduced too. */
function keyOf(e: MonitorEvent): string {
  switch (e.type) {
    case 'link': return `link ${e.action} ${e.link.name}`
    case 'bridgePort': return `link ${e.action} ${e.link.name}` // ip prints the bridge's port messages as link lines
    case 'addr': return `addr ${e.action} ${e.addr.cidr}`
    case 'route': return `route ${e.action} ${e.route.dst.replace(/\/(32|128)$/, '')}`
    default: return e.type
  }
}

/** `ip monitor link address route` in the namespace: its output lines, reduced the same way. */
function ipMonitor(ns: FreshNs): { proc: ChildProcess; lines: () => string[]; stop: () => void } {
  const proc = spawn('nsenter', [`--net=${ns.path}`, '--', 'ip', 'monitor', 'link', 'address', 'route'], { stdio: ['ignore', 'pipe', 'inherit'] })
  let text = ''
  proc.stdout!.setEncoding('utf8').on('data', (d: string) => { text += d })
  const lines = (): string[] => text.split('\n').filter(l => l !== '' && !/^\s/.test(l)).map(l => {
    const del = l.startsWith('Deleted ')
    const rest = del ? l.slice(8) : l
    const action = del ? 'del' : 'new'
    let m = /^\d+: ([^:@\s]+)(?:@\S+)?: </.exec(rest)
    if (m) return `link ${action} ${m[1]}`
    m = /^\d+: \S+\s+inet6? (\S+)/.exec(rest)
    if (m) return `addr ${action} ${m[1]}`
    m = /^(?:(?:local|broadcast|multicast|anycast|unicast|blackhole|unreachable|prohibit) )?(\S+)/.exec(rest)
    return `route ${action} ${m![1]}`
  })
  return { proc, lines, stop: () => { if (proc.exitCode === null) proc.kill() } }
}

async function waitFor(cond: () => boolean, what: string, ms = 5000): Promise<void> {
  const until = Date.now() + ms
  while (!cond()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`)
    await new Promise(r => setTimeout(r, 10))
  }
}

t.test('links, addresses and routes: the events ip monitor sees, decoded', async t => {
  const ns = freshNetNs(t)
  const { rtnl } = ns
  const oracle = ipMonitor(ns)
  t.teardown(oracle.stop)
  const m = rtnl.monitor({ objects: ['link', 'addr', 'route'] })
  t.teardown(() => m.close())
  // ip has joined its groups once it prints a change: until then, change a marker again (a
  // change made before it listens is never printed). Then one more marker, seen by both, lines
  // the two streams up.
  await rtnl.link.add({ name: 'mark0', kind: 'bridge' })
  for (let i = 0; !oracle.lines().includes('link new mark0'); i++) {
    if (i === 100) throw new Error('ip monitor printed nothing within 10 s')
    await rtnl.link.set('mark0', { mtu: 1000 + i })
    await new Promise(r => setTimeout(r, 100))
  }
  await rtnl.link.add({ name: 'mark1', kind: 'bridge' })
  await waitFor(() => oracle.lines().includes('link new mark1'), 'ip monitor to see the second marker')
  await eventsUntil(m, e => e.type === 'link' && e.link.name === 'mark1')
  const before = oracle.lines().length

  await rtnl.link.add({ name: 'br0', kind: 'bridge' })
  await rtnl.link.set('br0', { up: true, mtu: 1400 })
  await rtnl.addr.add({ link: 'br0', address: '10.1.0.1/24' })
  await rtnl.addr.add({ link: 'br0', address: 'fd00::1/64', flags: ['nodad'] })
  await rtnl.route.add({ dst: '10.9.0.0/16', gateway: '10.1.0.2' })
  await rtnl.route.add({ dst: 'fd09::/48', gateway: 'fd00::2' })
  await rtnl.route.del({ dst: '10.9.0.0/16', gateway: '10.1.0.2' })
  await rtnl.addr.del({ link: 'br0', address: '10.1.0.1/24' })
  await rtnl.link.add({ name: 'va', kind: 'veth', peer: { name: 'vb' } })
  await rtnl.link.set('va', { master: 'br0', up: true })
  await rtnl.link.set('va', { bridgePort: { cost: 7 } })
  await rtnl.link.set('va', { master: null })
  await rtnl.link.del('va')
  await rtnl.link.del('br0')
  await rtnl.link.del('mark1')
  await rtnl.link.del('mark0')

  const got = await eventsUntil(m, e => e.type === 'link' && e.action === 'del' && e.link.name === 'mark0')
  await waitFor(() => oracle.lines().includes('link del mark0'), 'ip monitor to see the end')
  const want = oracle.lines().slice(before)
  t.same(got.map(keyOf).sort(), [...want].sort(), 'the same events as ip monitor (type, action, key)')
  t.ok(want.length >= 15, `a real sequence (${want.length} events)`)

  const br = got.find(e => e.type === 'link' && e.action === 'new' && e.link.name === 'br0')
  t.ok(br, 'br0 created')
  const up = got.find(e => e.type === 'link' && e.link.name === 'br0' && e.action === 'new' && e.link.up)
  t.equal(up?.type === 'link' && up.link.mtu, 1400, 'set up with the new mtu')
  const last = got.filter(e => e.type === 'link' && e.link.name === 'br0').slice(-2)
  t.same(last.map(e => e.type === 'link' && [e.action, e.link.up]), [['new', false], ['del', false]], 'taken down, then deleted')
  const a4 = got.find(e => e.type === 'addr' && e.action === 'new' && e.addr.cidr === '10.1.0.1/24')
  t.equal(a4?.type === 'addr' && a4.addr.family, 'inet')
  t.equal(a4?.type === 'addr' && a4.addr.index, br?.type === 'link' ? br.link.index : -1, 'on br0')
  const r6 = got.find(e => e.type === 'route' && e.action === 'new' && e.route.dst === 'fd09::/48')
  t.equal(r6?.type === 'route' && r6.route.gateway, 'fd00::2', 'IPv6 route with its gateway')
  const d4 = got.find(e => e.type === 'route' && e.action === 'del' && e.route.dst === '10.9.0.0/16')
  t.equal(d4?.type === 'route' && d4.route.gateway, '10.1.0.2', 'the deleted route, whole')
  const ports = got.filter(e => e.type === 'bridgePort')
  t.ok(ports.length >= 3, 'the bridge reports its port')
  t.ok(ports.some(e => e.action === 'new' && e.link.name === 'va' && e.link.bridgePort?.cost === 7), 'with its port data (cost 7)')
  const left = ports.at(-1)
  t.same(left && [left.action, left.link.name], ['del', 'va'], 'leaving the bridge is a bridgePort del...')
  const vaDels = got.filter(e => e.type === 'link' && e.action === 'del' && e.link.name === 'va')
  t.equal(vaDels.length, 1, '...not a link del: that comes once, when va is deleted')
  t.equal(m.stats.overruns, 0)
})

t.test('objects and family choose the groups joined', async t => {
  const ns = freshNetNs(t)
  const { rtnl } = ns
  const m = rtnl.monitor({ objects: ['route', 'addr'], family: 6 })
  t.teardown(() => m.close())
  await rtnl.link.add({ name: 'br0', kind: 'bridge', up: true })
  await rtnl.addr.add({ link: 'br0', address: '10.1.0.1/24' })
  await rtnl.addr.add({ link: 'br0', address: 'fd00::1/64', flags: ['nodad'] })
  await rtnl.route.add({ dst: 'fd09::/48', dev: 'br0' })
  // An IPv6 address is announced when its DAD completes (a work item, even with nodad): wait for both.
  let seen = 0
  const got = await eventsUntil(m, e => (seen |= e.type === 'route' && e.route.dst === 'fd09::/48' ? 1 : e.type === 'addr' && e.addr.cidr === 'fd00::1/64' ? 2 : 0) === 3)
  t.ok(got.length >= 2)
  t.notOk(got.some(e => e.type === 'link'), 'no link events')
  t.notOk(got.some(e => (e.type === 'addr' && e.addr.family !== 'inet6') || (e.type === 'route' && e.route.family !== 'inet6')), 'IPv6 only')
  t.ok(got.some(e => e.type === 'addr' && e.addr.cidr === 'fd00::1/64'), 'the IPv6 address')
})

t.test("a monitor watches its client's namespace, whatever the thread's", async t => {
  const a = freshNetNs(t)
  const b = freshNetNs(t)
  // Made while the thread is switched into b: it still watches a, where its client lives.
  const m = runIn(b.fd, 'test', () => a.rtnl.monitor({ objects: ['link'] }))
  t.teardown(() => m.close())
  await b.rtnl.link.add({ name: 'inb', kind: 'bridge' })
  await a.rtnl.link.add({ name: 'ina', kind: 'bridge' })
  const e = await nextEvent(m)
  t.equal(e?.type === 'link' && e.link.name, 'ina', "a's change, not b's")
  // Unprivileged fallback path: a client opened by namespace fd gives the same socket namespace.
  const c = openSync({ netns: a.fd })
  t.teardown(() => c.close())
  const m2 = c.monitor({ objects: ['link'] })
  t.teardown(() => m2.close())
  await a.rtnl.link.del('ina')
  const e2 = await nextEvent(m2)
  t.same(e2?.type === 'link' && [e2.action, e2.link.name], ['del', 'ina'])
})

t.test('a slow consumer: the queue stops at maxQueued, the loss is one overrun event, and the monitor goes on', async t => {
  const ns = freshNetNs(t)
  const { rtnl } = ns
  const m = rtnl.monitor({ objects: ['route'], family: 4, maxQueued: 16, receiveBufferSize: 65536 })
  t.teardown(() => m.close())
  await rtnl.link.add({ name: 'br0', kind: 'bridge', up: true })
  await rtnl.addr.add({ link: 'br0', address: '10.1.0.1/24' })
  // Nothing is consumed while 2,000 routes are added (2,000 notifications, ~200 KB).
  const ps: Promise<void>[] = []
  for (let i = 0; i < 2000; i++) ps.push(rtnl.route.add({ dst: `10.${100 + (i >> 8)}.${i & 255}.0/24`, dev: 'br0' }))
  await Promise.all(ps)
  await new Promise(r => setTimeout(r, 200))
  t.ok(m.stats.events > 0 && m.stats.events <= 17, `the monitor stopped reading at maxQueued (${m.stats.events} decoded)`)
  // Consume until nothing comes for 500 ms; the step still waiting is kept for what comes next.
  const got: MonitorEvent[] = []
  let pending = m.next()
  for (let i = 0; i < 2100; i++) {
    const r = await Promise.race([pending, new Promise<'idle'>(res => setTimeout(() => res('idle'), 500))])
    if (r === 'idle') break
    got.push(r.value!)
    pending = m.next()
  }
  const overruns = got.filter(e => e.type === 'overrun').length
  const routes = got.filter(e => e.type === 'route' && e.route.dst.startsWith('10.1')).length
  t.equal(overruns, 1, 'the loss is reported once')
  t.ok(routes > 16 && routes < 2000, `some events were lost, the rest delivered (${routes})`)
  t.equal(m.stats.overruns, 1)
  await rtnl.route.add({ dst: '10.250.0.0/16', dev: 'br0' })
  const e = (await pending).value
  t.equal(e?.type === 'route' && e.route.dst, '10.250.0.0/16', 'the monitor still works after the overrun')
})

t.test('break, close(), rtnl.close() and the signal end a monitor', async t => {
  const ns = freshNetNs(t)
  const { rtnl } = ns
  const m1 = rtnl.monitor({ objects: ['link'] })
  await rtnl.link.add({ name: 'b1', kind: 'bridge' })
  for await (const e of m1) if (e.type === 'link') break
  t.equal(m1.closed, true, 'break closes it')
  t.same(await m1.next(), { value: undefined, done: true })

  const m2 = rtnl.monitor({ objects: ['link'] })
  const waiting = m2.next()
  m2.close()
  t.same(await waiting, { value: undefined, done: true }, 'close() ends a waiting next()')

  const ac = new AbortController()
  const m3 = rtnl.monitor({ objects: ['link'], signal: ac.signal })
  const w3 = m3.next()
  const reason = new Error('stop')
  ac.abort(reason)
  await t.rejects(w3, reason, 'abort rejects with the reason')
  t.same(await m3.next(), { value: undefined, done: true }, 'then done')
  const m4 = rtnl.monitor({ objects: ['link'], signal: AbortSignal.abort(reason) })
  await t.rejects(m4.next(), reason, 'an aborted signal: the first step rejects')

  const other = openSync({ netns: ns.fd })
  const m5 = other.monitor({ objects: ['link'] })
  const w5 = m5.next()
  other.close()
  t.same(await w5, { value: undefined, done: true }, "the client's close() ends its monitors")
  t.throws(() => other.monitor(), { name: 'SocketClosedError' }, 'a closed client makes none')
})

t.test('bad options are refused before a socket is opened', async t => {
  const ns = freshNetNs(t)
  const { rtnl } = ns
  const fds = () => readdirSync('/proc/self/fd').length
  const before = fds()
  for (const [opts, field] of [
    [{ objects: ['mroute'] }, 'objects'], [{ objects: [] }, 'objects'], [{ objects: 'link' }, 'objects'],
    [{ family: 'ipx' }, 'family'], [{ family: 7 }, 'family'], [{ maxQueued: 0 }, 'maxQueued'],
    [{ receiveBufferSize: -1 }, 'receiveBufferSize'], [{ signal: {} }, 'signal'], [{ group: 1 }, 'group'],
  ] as const) {
    t.throws(() => rtnl.monitor(opts as never), ValidationError, `${JSON.stringify(opts)}`)
    try { rtnl.monitor(opts as never) } catch (e) { t.equal((e as ValidationError).field, field) }
  }
  t.throws(() => rtnl.monitor(5 as never), ValidationError)
  t.equal(fds(), before, 'no socket left open')
})
