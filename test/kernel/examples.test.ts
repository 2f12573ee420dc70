// Every example runs, checks reachability and cleans up after itself.
import t from 'tap'
import { NetNs } from '../../src/netns/netns.js'
import { main as vethPair } from '../../examples/veth-pair.js'
import { main as bridge } from '../../examples/bridge.js'
import { main as webServer } from '../../examples/web-server.js'
import { main as inspect } from '../../examples/inspect.js'
import { main as demo } from '../../examples/demo.js'
import { NetNs as NS } from '../../src/index.js'

const ours = () => NetNs.listSync().filter(n => /^(ex[1-3]|demo)-/.test(n) && n.includes(process.pid.toString(36)))
const quiet = () => undefined

t.afterEach(() => { for (const n of ours()) NetNs.deleteSync(n) })

t.test('1: veth pair between two namespaces', async t => {
  const { reply } = await vethPair(quiet)
  t.match(reply, /hello from ex1-.*-a \(10\.200\.1\.1\) to 10\.200\.1\.2/)
  t.same(ours(), [], 'namespaces deleted')
})

t.test('2: bridge joining web and db through a router namespace', async t => {
  const { checks } = await bridge(quiet)
  t.match(checks, [/hello from web \(10\.250\.0\.10\) to 10\.250\.0\.20/, /hello from db \(10\.250\.0\.20\) to 10\.250\.0\.10/])
  t.same(ours(), [])
})

t.test('3: web server inside a namespace', async t => {
  const { body } = await webServer(quiet)
  t.match(body, /hello from site \(10\.251\.0\.1\) to 10\.251\.0\.2/)
  t.same(ours(), [])
})

t.test('4: inspecting a process namespace (read-only)', async t => {
  // A process of our own inside a namespace of our own, so the result is known.
  const ns = NS.unshare()
  t.teardown(() => ns.close())
  const rtnl = ns.open()
  await rtnl.link.add({ name: 'probe0', kind: 'ifb' })
  await rtnl.link.set('lo', { up: true })
  rtnl.close()
  const child = ns.spawn('sleep', ['30'])
  t.teardown(() => { child.kill() })
  await new Promise(r => child.once('spawn', r))
  const lines: string[] = []
  const r = await inspect(child.pid!, l => lines.push(l))
  t.equal(r.links, 2)
  t.ok(lines.some(l => /link \d+: probe0 ifb/.test(l)))
  t.ok(lines.some(l => /addr 127\.0\.0\.1\/8 dev lo/.test(l)))
  t.ok(r.routes > 0, 'local routes of lo listed')
})

t.test('demo: table, checks, timings, cleanup', async t => {
  const lines: string[] = []
  const { checks } = await demo(l => lines.push(l))
  t.equal(checks, 3)
  const out = lines.join('\n')
  t.match(out, /router\s+vnet0\s+bridge\s+up\s+10\.250\.0\.1\/24/)
  t.match(out, /== timings/)
  t.same(ours(), [])
})
