// rtnl.rule against the kernel in throw-away namespaces, compared with `ip -json rule show`.
import t from 'tap'
import { freshNetNs } from '../helpers/ns.js'
import type { Rule, RuleOptions } from '../../src/rtnl/rule/api.js'

const TABLE_NAMES: Record<string, number> = { main: 254, local: 255, default: 253 }
const PROTOS: Record<string, number> = { tcp: 6, udp: 17 }

/** One `ip -json rule show` entry in the library's terms. */
function fromIp(e: any, max: number): Record<string, unknown> {
  const o: Record<string, unknown> = { priority: e.priority, not: 'not' in e }
  if (e.src !== 'all') o.src = `${e.src}/${e.srclen ?? max}`
  if (e.dst !== undefined) o.dst = `${e.dst}/${e.dstlen ?? max}`
  o.action = e.action ?? ('goto' in e ? 'goto' : 'nop' in e ? 'nop' : 'table')
  if (e.table !== undefined) o.table = TABLE_NAMES[e.table] ?? Number(e.table)
  for (const k of ['iif', 'oif', 'goto'] as const) if (e[k] !== undefined) o[k] = e[k]
  if (e.fwmark !== undefined) o.fwmark = Number(e.fwmark)
  if (e.fwmask !== undefined) o.fwmask = Number(e.fwmask)
  if (e.tos !== undefined) o.tos = Number(e.tos)
  if (e.suppress_prefixlen !== undefined) o.suppressPrefixLength = e.suppress_prefixlen
  if (e.uid_start !== undefined) o.uidRange = { start: e.uid_start, end: e.uid_end }
  if (e.ipproto !== undefined) o.ipProto = PROTOS[e.ipproto] ?? Number(e.ipproto)
  for (const k of ['sport', 'dport'] as const) {
    if (e[k] !== undefined) o[k] = { start: e[k], end: e[k] }
    if (e[`${k}_start`] !== undefined) o[k] = { start: e[`${k}_start`], end: e[`${k}_end`] }
  }
  if ('l3mdev' in e) o.l3mdev = true
  if (e.flow_from !== undefined || e.flow_to !== undefined) o.flow = (Number(e.flow_from ?? 0) << 16) | Number(e.flow_to)
  if (e.protocol !== undefined) o.protocol = e.protocol
  return o
}

/** The same fields of a listed Rule (kernel-made rules' protocol left out: ip prints it only with -d). */
function mine(r: Rule): Record<string, unknown> {
  const o: Record<string, unknown> = { priority: r.priority, not: r.not, action: r.action }
  for (const k of ['src', 'dst', 'table', 'iif', 'oif', 'goto', 'fwmark', 'fwmask', 'tos', 'suppressPrefixLength', 'uidRange', 'ipProto',
    'sport', 'dport', 'l3mdev', 'flow'] as const) if (r[k] !== undefined) o[k] = r[k]
  if (r.protocol !== undefined && r.protocol !== 'kernel') o.protocol = r.protocol
  return o
}

const RULES: RuleOptions[] = [
  { src: '10.0.0.0/8', table: 100, priority: 1000 },
  { dst: '192.168.0.0/16', iif: 'br0', table: 'main', priority: 1001 },
  { fwmark: 0x10, fwmask: 0xff, table: 200, priority: 1002 },
  { not: true, src: '10.1.0.0/16', table: 70000, priority: 1003 },
  { priority: 1004, action: 'blackhole' },
  { priority: 1005, goto: 1010 },
  { priority: 1006, table: 'main', suppressPrefixLength: 0 },
  { priority: 1008, uidRange: { start: 1000, end: 2000 }, ipProto: 'tcp', dport: { start: 80, end: 90 }, sport: 1000, table: 5 },
  { priority: 1009, tos: 0x10, protocol: 'static', action: 'unreachable' },
  { priority: 1011, l3mdev: true },
  { priority: 1012, flow: (5 << 16) | 6, table: 7 },
  { priority: 1013, action: 'nop' },
  { src: '10.9.0.0/16', table: 9 },
  { family: 6, src: 'fd00::/8', oif: 'br0', table: 100, priority: 1007 },
  { family: 6, dst: 'fd01::/16', priority: 1010, action: 'prohibit' },
]

t.test('add every kind of rule, list them as ip rule shows them, copy and delete them', async t => {
  const ns = freshNetNs(t)
  const { rtnl } = ns
  await rtnl.link.add({ name: 'br0', kind: 'bridge' })
  for (const r of RULES) await rtnl.rule.add(r)
  for (const [fam, max, args] of [['inet', 32, ['rule', 'show']], ['inet6', 128, ['-6', 'rule', 'show']]] as const) {
    const listed = (await rtnl.rule.list({ family: fam }).toArray()).map(mine)
    const oracle = (await ns.ip(...args)).map((e: any) => fromIp(e, max))
    t.same(listed, oracle, `${fam}: list == ip -json ${args.join(' ')}, in the same order`)
  }
  const all = await rtnl.rule.list().toArray()
  t.ok(all.some(r => r.family === 'ipmr') && all.some(r => r.family === 'inet6'), 'without a family: all of them')
  t.equal(all.find(r => r.src === '10.9.0.0/16')?.priority, 999, 'no priority: the kernel put it before the first one above 0')
  t.same(all.find(r => r.priority === 1005)?.flags, ['unresolved'], 'a goto to no rule is unresolved')

  // A listed rule, added again in another namespace, is the same rule.
  const other = freshNetNs(t)
  await other.rtnl.link.add({ name: 'br0', kind: 'bridge' })
  const mineOnly = all.filter(r => r.protocol !== 'kernel' && (r.family === 'inet' || r.family === 'inet6'))
  for (const r of mineOnly) await other.rtnl.rule.add(r)
  t.same((await other.rtnl.rule.list().toArray()).map(mine), all.map(mine), 'copied rule for rule')

  await t.rejects(rtnl.rule.add(RULES[0]!), { code: 'EEXIST' }, 'the same rule again: EEXIST')
  await rtnl.rule.del({ priority: 1000 })
  await rtnl.rule.del(all.find(r => r.priority === 1007)!)
  for (const r of all.filter(r => r.priority >= 1001 && r.priority <= 1013 && r.family === 'inet')) await rtnl.rule.del(r)
  t.same((await ns.ip('rule', 'show')).map((e: any) => e.priority), [0, 999, 32766, 32767], 'deleted: by priority and as listed')
  t.same((await ns.ip('-6', 'rule', 'show')).map((e: any) => e.priority), [0, 1010, 32766])
  await t.rejects(rtnl.rule.del({ priority: 1000 }), { code: 'ENOENT' }, 'no such rule: ENOENT')
})

t.test('monitor: rule events', async t => {
  const ns = freshNetNs(t)
  const { rtnl } = ns
  const m = rtnl.monitor({ objects: ['rule'], family: 4 })
  t.teardown(() => m.close())
  await rtnl.rule.add({ family: 6, src: 'fd00::/8', table: 5, priority: 900 })
  await rtnl.rule.add({ src: '10.0.0.0/8', table: 5, priority: 901 })
  await rtnl.rule.del({ priority: 901 })
  const got: string[] = []
  for await (const e of m) {
    if (e.type === 'rule') got.push(`${e.action} ${e.rule.priority} ${e.rule.src} ${e.rule.table}`)
    if (got.length === 2) break
  }
  t.same(got, ['new 901 10.0.0.0/8 5', 'del 901 10.0.0.0/8 5'], 'IPv4 only, added then deleted')
})
