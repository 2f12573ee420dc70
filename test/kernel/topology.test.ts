// Declarative topologies: the "web / db behind a bridge in a router namespace" recipe,
// applied, verified in the kernel and by traffic, re-applied (no changes), drifted and
// repaired, destroyed; and a failing apply that leaves nothing behind.
import t from 'tap'
import { once } from 'node:events'
import { NetNs } from '../../src/netns/netns.js'
import { Topology, TopologyError } from '../../src/topology/topology.js'
import type { TopologySpec } from '../../src/topology/spec.js'

const tag = `t${process.pid}`
const fixture = new URL('../fixtures/tcp-echo.mjs', import.meta.url)

function recipe(p: string): TopologySpec {
  return {
    namespaces: {
      [`${p}-router`]: { bridges: { vnet0: { addresses: ['10.88.0.1/24'] } } },
      [`${p}-web`]: {
        veths: { eth0: { addresses: ['10.88.0.10/24'], peer: { name: 'veth-web', netns: `${p}-router`, master: 'vnet0' } } },
        routes: [{ dst: 'default', gateway: '10.88.0.1' }],
      },
      [`${p}-db`]: {
        veths: { eth0: { addresses: ['10.88.0.20/24'], peer: { name: 'veth-db', netns: `${p}-router`, master: 'vnet0' } } },
        routes: [{ dst: 'default', gateway: '10.88.0.1' }],
      },
    },
  }
}

function cleanup(t: { teardown(fn: () => unknown): void }, prefix: string): void {
  t.teardown(() => {
    for (const n of NetNs.listSync()) if (n.startsWith(prefix)) NetNs.deleteSync(n)
  })
}

t.test('apply builds the recipe; traffic flows both ways; re-apply is a no-op; destroy removes it', async t => {
  const p = `${tag}a`
  cleanup(t, p)
  const topo = new Topology(recipe(p))
  const plan = await topo.plan()
  t.ok(plan.steps.some(s => s.action === 'create-netns' && s.target === `${p}-web`))
  t.match(String(plan), /add-veth/)
  const steps = await topo.apply()
  t.equal(steps.length, plan.steps.length, 'applied what was planned')
  // Kernel state, through the library
  const web = topo.client(`${p}-web`)
  const router = topo.client(`${p}-router`)
  const vnet = await router.link.get('vnet0')
  t.match(vnet, { kind: 'bridge', up: true })
  const port = await router.link.get('veth-web')
  t.equal(port.master, vnet.index, 'the web veth is a bridge port')
  const addrs: string[] = []
  for await (const a of web.addr.list({ link: 'eth0', family: 4 })) addrs.push(a.cidr)
  t.same(addrs, ['10.88.0.10/24'])
  let defaults = 0
  for await (const r of web.route.list({ family: 4 })) if (r.dst === 'default' && r.gateway === '10.88.0.1') defaults++
  t.equal(defaults, 1, 'default route via the bridge address')
  // Traffic: a server in a worker inside db, a client process inside web, and back.
  const db = topo.netns(`${p}-db`)
  const w = db.worker(fixture, { workerData: { host: '10.88.0.20', port: 8080 } })
  t.teardown(() => w.terminate())
  await once(w, 'message')
  const { stdout } = await topo.netns(`${p}-web`).exec(process.execPath, [fixture.pathname, '10.88.0.20', '8080', 'web->db'])
  t.equal(stdout.trim(), 'echo:web->db')
  const w2 = topo.netns(`${p}-web`).worker(fixture, { workerData: { host: '10.88.0.10', port: 8081 } })
  t.teardown(() => w2.terminate())
  await once(w2, 'message')
  const back = await db.exec(process.execPath, [fixture.pathname, '10.88.0.10', '8081', 'db->web'])
  t.equal(back.stdout.trim(), 'echo:db->web')
  const router2 = await topo.netns(`${p}-router`).exec(process.execPath, [fixture.pathname, '10.88.0.10', '8081', 'router->web'])
  t.equal(router2.stdout.trim(), 'echo:router->web', 'the router reaches web through the bridge address')
  await w.terminate()
  await w2.terminate()
  // Idempotent
  const before = topo.changeRequests
  t.same((await topo.plan()).steps, [], 'nothing to do')
  t.same(await topo.apply(), [], 're-apply changes nothing')
  t.equal(topo.changeRequests, before, 'and sends no change request')
  // Drift: remove an address and take a link down by hand; apply repairs exactly that (the
  // kernel also dropped the default route whose gateway the address made reachable).
  await web.addr.del({ link: 'eth0', address: '10.88.0.10/24' })
  await router.link.set('veth-db', { up: false })
  const repair = await topo.apply()
  t.same(repair.map(s => `${s.netns.slice(p.length)} ${s.action} ${s.target}`).sort(), [`-router set-link veth-db`, `-web add-addr eth0`, `-web add-route default`].sort())
  t.equal((await router.link.get('veth-db')).up, true)
  // Destroy
  await topo.destroy()
  t.notOk(NetNs.listSync().some(n => n.startsWith(p)), 'no namespace left')
})

t.test('a failure mid-apply names the step and leaves no orphaned namespace', async t => {
  const p = `${tag}b`
  cleanup(t, p)
  const spec = recipe(p)
  // A gateway the web namespace cannot reach: the route step fails after namespaces and links exist.
  spec.namespaces[`${p}-web`]!.routes = [{ dst: '10.99.0.0/16', gateway: '192.0.2.1' }]
  const topo = new Topology(spec)
  const err = await topo.apply().catch(e => e)
  t.type(err, TopologyError)
  t.match(err.step, { netns: `${p}-web`, action: 'add-route', target: '10.99.0.0/16' })
  t.equal(err.cause.code, 'ENETUNREACH')
  t.notOk(NetNs.listSync().some(n => n.startsWith(p)), 'namespaces created by the failed apply were removed')
  // A callback that is not a function is refused before the first step (it used to throw a
  // TypeError after the first step had run).
  const topo2 = new Topology(recipe(p))
  await t.rejects(topo2.apply({ onStep: 'log' as any }), { name: 'ValidationError', field: 'onStep' })
  t.notOk(NetNs.listSync().some(n => n.startsWith(p)), 'nothing created')
})

t.test('calls on one topology run one at a time: concurrent applies, a plan and a destroy made meanwhile', async t => {
  const p = `${tag}s`
  cleanup(t, p)
  const topo = new Topology(recipe(p))
  const order: string[] = []
  const note = <T>(name: string, v: Promise<T>) => v.then(x => { order.push(name); return x })
  // All made in one tick: before, both applies tried to create the namespaces, and both failed.
  const [first, second, plan, again] = await Promise.all([
    note('apply', topo.apply()), note('apply', topo.apply()), note('plan', topo.plan()), note('apply', topo.apply()),
  ])
  t.ok(first.length > 10, `the first apply took ${first.length} steps`)
  t.same(second, [], 'the second found nothing to do')
  t.equal(String(plan), '(no changes)', 'the plan made meanwhile saw the finished topology')
  t.same(again, [])
  t.same(order, ['apply', 'apply', 'plan', 'apply'], 'in the order made')
  t.equal(NetNs.listSync().filter(n => n.startsWith(p)).length, 3)
  // A destroy made during an apply waits for it, then removes everything.
  const topo2 = new Topology(recipe(`${p}2`))
  cleanup(t, `${p}2`)
  const [steps] = await Promise.all([topo2.apply(), topo2.destroy()])
  t.ok(steps.length > 10)
  t.same(NetNs.listSync().filter(n => n.startsWith(`${p}2`)), [], 'destroyed after the apply')
  // A failed call does not block the next one.
  const bad = recipe(`${p}3`)
  cleanup(t, `${p}3`)
  bad.namespaces[`${p}3-web`]!.routes = [{ dst: '10.99.0.0/16', gateway: '192.0.2.1' }]
  const topo3 = new Topology(bad)
  const [r1, r2] = await Promise.allSettled([topo3.apply(), topo3.plan()])
  t.equal(r1.status, 'rejected')
  t.equal(r2.status, 'fulfilled', 'the plan after a failed apply still runs')
  await topo.destroy()
  t.same(NetNs.listSync().filter(n => n.startsWith(p)), [])
})

t.test('spec validation', async t => {
  t.throws(() => new Topology({} as any), { name: 'ValidationError' })
  t.throws(() => new Topology({ namespaces: { a: { veths: { e: { peer: { name: 'f', netns: 'zz' } } } } } }), /not in the topology/)
  t.throws(() => new Topology({ namespaces: { a: { veths: { e: { master: 'nobr', peer: { name: 'f' } } } } } }), /no bridge/)
  t.throws(() => new Topology({ namespaces: { a: { bridges: { b: { addresses: ['10.0.0.1/99'] } } } } }), { name: 'ValidationError' })
  // Shapes and spellings that would otherwise build something else than asked for.
  const bad: [unknown, string | RegExp][] = [
    [{ namespaces: [{ name: 'a' }] }, 'namespaces'],                                  // an array: would make a namespace "0"
    [{ namespaces: { 'a/b': {} } }, 'namespaces'],
    [{ namespaces: { a: {} }, bridges: {} }, 'topology.bridges'],
    [{ namespaces: { a: 5 } }, 'a'],
    [{ namespaces: { a: { bridge: { b: {} } } } }, 'a.bridge'],
    [{ namespaces: { a: { bridges: [] } } }, 'a.bridges'],
    [{ namespaces: { a: { bridges: { 'no such name!': {} } } } }, 'a.bridges'],
    [{ namespaces: { a: { bridges: { b: { adresses: ['10.0.0.1/24'] } } } } }, 'a.bridges.b.adresses'],
    [{ namespaces: { a: { bridges: { b: { addresses: '10.0.0.1/24' } } } } }, 'a.bridges.b.addresses'],
    [{ namespaces: { a: { veths: { e: { peer: { name: 'f', mtu: 'x' } } } } } }, 'a.veths.e.peer.mtu'],
    [{ namespaces: { a: { veths: { e: { peer: { name: 'this-name-is-too-long' } } } } } }, 'a.veths.e.peer.name'],
    [{ namespaces: { a: { routes: {} } } }, 'a.routes'],
    [{ namespaces: { a: { routes: [{ dst: 'default', gw: '10.0.0.1' }] } } }, 'a.routes[0].gw'],
    [{ namespaces: { a: { routes: [{ dst: 'garbage' }] } } }, 'a.routes[0].dst'],
    [{ namespaces: { a: { routes: [{ dst: 'default', gateway: '10.0.0.1', metric: -1 }] } } }, 'a.routes[0].metric'],
    // Routes the kernel or route.add would refuse half-way through an apply.
    [{ namespaces: { a: { routes: [{ dst: '10.1.2.3/16', gateway: '10.0.0.1' }] } } }, 'a.routes[0].dst'],
    [{ namespaces: { a: { routes: [{ dst: '10.1.0.0/16', gateway: 'fd00::1' }] } } }, 'a.routes[0].gateway'],
    [{ namespaces: { a: { routes: [{ dst: '10.1.0.0/16' }] } } }, 'a.routes[0]'],
    [{ namespaces: { a: { routes: [{ dst: '10.1.0.0/16', dev: 'nope' }] } } }, 'a.routes[0].dev'],
    [{ namespaces: { a: { routes: [{ dst: 5, dev: 'nope' }] } } }, 'a.routes[0].dst'],
    // Booleans were taken by truthiness: loopback: 'no' brought lo up.
    [{ namespaces: { a: { loopback: 'no' } } }, 'a.loopback'],
    [{ namespaces: { a: { bridges: { b: { up: 'no' } } } } }, 'a.bridges.b.up'],
    [{ namespaces: { a: { veths: { e: { up: 1, peer: { name: 'f' } } } } } }, 'a.veths.e.up'],
    [{ namespaces: { a: { veths: { e: { peer: { name: 'f', up: 'x' } } } } } }, 'a.veths.e.peer.up'],
  ]
  for (const [spec, field] of bad) t.throws(() => new Topology(spec as TopologySpec), { name: 'ValidationError', field }, JSON.stringify(spec))
})

t.test('scale: 50 namespaces on one bridge, applied concurrently and destroyed', async t => {
  const p = `${tag}c`
  cleanup(t, p)
  const namespaces: TopologySpec['namespaces'] = { [`${p}-hub`]: { bridges: { br0: { addresses: ['10.90.0.1/16'] } } } }
  for (let i = 0; i < 50; i++)
    namespaces[`${p}-h${i}`] = { veths: { eth0: { addresses: [`10.90.1.${i + 1}/16`], peer: { name: `p${i}`, netns: `${p}-hub`, master: 'br0' } } } }
  const topo = new Topology({ namespaces })
  const t0 = performance.now()
  const steps = await topo.apply()
  t.ok(steps.length > 250, `${steps.length} steps in ${(performance.now() - t0).toFixed(0)} ms`)
  let ports = 0
  for await (const _ of topo.client(`${p}-hub`).link.list({ master: 'br0' })) ports++
  t.equal(ports, 50, 'fifty bridge ports')
  t.same(await topo.apply(), [], 'idempotent at scale')
  await topo.destroy()
  t.notOk(NetNs.listSync().some(n => n.startsWith(p)))
})

t.test('routes: metrics reach the kernel, IPv4 and IPv6 defaults coexist, re-apply is a no-op, a metric change moves the route', async t => {
  const p = `${tag}r`
  cleanup(t, p)
  const ns = `${p}-a`
  const spec = (metric: number, gw4: string): TopologySpec => ({
    namespaces: {
      [ns]: {
        bridges: { br0: { addresses: ['10.77.0.2/24', 'fd77::2/64'] } },
        routes: [
          { dst: 'default', gateway: gw4, metric },
          { dst: 'default', gateway: 'FD77:0::1' }, // not as the kernel writes it: still a match
          { dst: '10.99.0.0/16', gateway: '10.77.0.1', metric: 7 },
          { dst: 'fd99::/64', dev: 'br0', metric: 300 },
          // The kernel's own route to the bridge's prefix has metric 0 (IPv4): this is another route.
          { dst: '10.77.0.0/24', dev: 'br0', metric: 5 },
        ],
      },
    },
  })
  const topo = new Topology(spec(50, '10.77.0.1'))
  await topo.apply()
  const main = async () => {
    const out: string[] = []
    for await (const r of topo.client(ns).route.list({ table: 'main' })) out.push(`${r.family} ${r.dst} ${r.gateway ?? '-'} ${r.priority ?? 0} ${r.protocol}`)
    return out.sort()
  }
  // Before, the metric was sent under a name the route verbs do not read, and the IPv6
  // default took the IPv4 default's place in the observed state (a second apply: EEXIST).
  t.same(await main(), [
    'inet 10.77.0.0/24 - 0 kernel', 'inet 10.77.0.0/24 - 5 boot', 'inet 10.99.0.0/16 10.77.0.1 7 boot', 'inet default 10.77.0.1 50 boot',
    'inet6 default fd77::1 1024 boot', 'inet6 fd77::/64 - 256 kernel', 'inet6 fd99::/64 - 300 boot', 'inet6 fe80::/64 - 256 kernel',
  ])
  t.equal(String(await topo.plan()), '(no changes)', 'nothing to do')
  t.same(await topo.apply(), [], 're-apply sends nothing')
  // Drift: another metric and another gateway for the IPv4 default.
  const moved = new Topology(spec(60, '10.77.0.3'))
  t.match(String(await moved.plan()), /replace-route\s+default .*"metric":60,"oldMetric":50/)
  await moved.apply()
  const after = await main()
  t.same(after.filter(r => r.startsWith('inet default')), ['inet default 10.77.0.3 60 boot'], 'one IPv4 default, moved to the new metric')
  t.ok(after.includes('inet 10.77.0.0/24 - 0 kernel'), "the kernel's own route is left alone")
  t.equal(String(await moved.plan()), '(no changes)')
  const [j] = JSON.parse((await topo.netns(ns).exec('ip', ['-j', 'route', 'show', 'default'])).stdout)
  t.match(j, { gateway: '10.77.0.3', metric: 60 }, 'ip agrees')
  await topo.destroy()
})
