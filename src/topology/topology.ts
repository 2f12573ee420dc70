/**
 * A declarative topology: `plan()` compares the spec with the kernel and lists the
 * changes, `apply()` makes them (creating what is missing, correcting what drifted;
 * re-applying is a no-op), `destroy()` removes exactly what this topology created.
 */
import { isNetlinkError, ValidationError } from '../errors.js'
import { NetNs } from '../netns/netns.js'
import { openSync, type Rtnl } from '../client.js'
import { AF_INET6, formatIp, isNetworkAddress, parseCidr, parseIp } from '../util/ip.js'
import type { RouteOptions } from '../rtnl/route/api.js'
import { checkKnownKeys } from '../util/keys.js'
import { checkNetNsName } from '../netns/run-dir.js'
import { checkLinkName } from '../rtnl/link/resolve.js'
import { log } from '../util/log.js'
import { optBool, optInt } from '../util/check.js'
import type { BridgeSpec, NamespaceSpec, RouteSpec, TopologySpec, VethSpec } from './spec.js'

const debug = log('topology')

/** One change `apply()` makes. */
export interface Step {
  /** Namespace the change happens in. */
  netns: string
  action:
    | 'create-netns' | 'add-bridge' | 'add-veth' | 'del-link' | 'set-link'
    | 'add-addr' | 'del-addr' | 'add-route' | 'replace-route'
  /** What it acts on: a link name, an address, a route destination. */
  target: string
  /** Details, e.g. `{ mtu: 1400, up: true }`. */
  detail?: Record<string, unknown>
}

/** The changes apply() would make, in order, plus a readable rendering. */
export interface Plan {
  steps: Step[]
  /** One line per step: `web   add-addr   eth0 10.0.0.10/24`. */
  toString(): string
}

/** A step failed; what came before it was rolled back where this apply created it. */
export class TopologyError extends Error {
  /** Always `'TopologyError'`. */
  override readonly name = 'TopologyError'
  constructor(/** The step that failed. */ readonly step: Step, /** What the step threw (e.g. a NetlinkError). */ override readonly cause: unknown) {
    super(`topology step failed: ${describe(step)}: ${(cause as Error)?.message ?? cause}`)
  }
}

function describe(s: Step): string {
  const d = s.detail && Object.keys(s.detail).length ? ` ${JSON.stringify(s.detail)}` : ''
  return `${s.netns} ${s.action} ${s.target}${d}`
}

function renderPlan(steps: Step[]): Plan {
  return {
    steps,
    toString() {
      if (!steps.length) return '(no changes)'
      const w1 = Math.max(...steps.map(s => s.netns.length))
      const w2 = Math.max(...steps.map(s => s.action.length))
      return steps.map(s => `${s.netns.padEnd(w1)}  ${s.action.padEnd(w2)}  ${s.target}${s.detail && Object.keys(s.detail).length ? ` ${JSON.stringify(s.detail)}` : ''}`).join('\n')
    },
  }
}

interface Observed {
  exists: boolean
  links: Map<string, { index: number; up: boolean; mtu: number; master?: number; kind?: string; linkNetnsId?: number }>
  addrs: Map<string, Set<string>>
  /** Main-table routes by routeKey(): every metric's. */
  routes: Map<string, ObservedRoute[]>
}

interface ObservedRoute {
  gateway?: string
  oif?: number
  /** RTA_PRIORITY, 0 when absent (IPv4's default). */
  metric: number
  protocol: string | number
}

/** The family of a spec route: its prefix's, or for `default` its gateway's (IPv4 without one, as route.add). */
function routeFamily(r: RouteSpec): 'inet' | 'inet6' {
  if (r.dst === 'default') return r.gateway?.includes(':') ? 'inet6' : 'inet'
  return parseCidr(r.dst, 'dst').family === AF_INET6 ? 'inet6' : 'inet'
}

/** One key for a route to a prefix in both views: family and prefix as the decoder writes it. */
function routeKey(family: string, dst: string): string {
  if (dst === 'default') return `${family} default`
  const c = parseCidr(dst, 'dst')
  return `${family} ${formatIp(c.bytes)}/${c.prefixLength}`
}

/** The metric the kernel gives a route added without one (IPv6 routes get 1024). */
const defaultMetric = (family: string) => (family === 'inet6' ? 1024 : 0)

const isAuto = (a: string) => a.startsWith('fe80:')

/**
 * A topology of namespaces, bridges, veth pairs, addresses and routes.
 * @example
 * const topo = new Topology({ namespaces: { a: { veths: { eth0: { addresses: ['10.0.0.1/24'], peer: { name: 'eth0', netns: 'b', addresses: ['10.0.0.2/24'] } } } }, b: {} } })
 * console.log(String(await topo.plan())); await topo.apply(); await topo.destroy()
 */
export class Topology {
  private readonly createdNs = new Set<string>()
  private readonly createdLinks: { netns: string; name: string }[] = []
  private readonly handles = new Map<string, NetNs>()
  private readonly clients = new Map<string, Rtnl>()

  constructor(/** The spec this topology was made from, as given (checked by the constructor). */ readonly spec: TopologySpec) {
    validate(spec)
  }

  /** Namespaces this topology created (and will delete on destroy). */
  get created(): { namespaces: string[]; links: { netns: string; name: string }[] } {
    return { namespaces: [...this.createdNs], links: [...this.createdLinks] }
  }

  /** The client for one of the topology's namespaces (after apply). */
  client(netns: string): Rtnl {
    const c = this.clients.get(netns)
    if (!c) throw new ValidationError(`netns: ${netns} is not open (apply first)`, 'netns', netns)
    return c
  }

  /** The NetNs handle of one of the topology's namespaces (after apply). */
  netns(name: string): NetNs {
    const h = this.handles.get(name)
    if (!h) throw new ValidationError(`netns: ${name} is not open (apply first)`, 'netns', name)
    return h
  }

  /**
   * Compares the spec with the kernel and returns the changes apply() would make. Like
   * apply() and destroy(), it waits for the topology's previous call to finish first.
   */
  plan(): Promise<Plan> {
    return this.serial(() => this.compare())
  }

  private async compare(): Promise<Plan> {
    const existing = new Set(await NetNs.list())
    const observed = new Map<string, Observed>()
    await Promise.all(Object.keys(this.spec.namespaces).map(async name => {
      observed.set(name, existing.has(name) ? await this.observe(name) : { exists: false, links: new Map(), addrs: new Map(), routes: new Map() })
    }))
    return renderPlan(this.diff(observed))
  }

  /**
   * Makes the kernel match the spec and returns the steps taken (none when it already did).
   * Namespaces and links are created concurrently across namespaces, requests pipelined.
   * Calls on one topology (plan, apply, destroy) run one at a time, in the order made: a
   * second apply() made while one runs waits for it, then finds nothing left to do.
   * @throws {TopologyError} naming the failed step; namespaces this call created are deleted again.
   */
  async apply(opts: { onStep?: (step: Step, ms: number) => void } = {}): Promise<Step[]> {
    // Checked before any step: a bad callback would otherwise fail half-way through.
    if (opts === null || typeof opts !== 'object') throw new ValidationError('apply: the options must be an object', 'options', opts)
    if (opts.onStep !== undefined && typeof opts.onStep !== 'function') throw new ValidationError('onStep: expected a function', 'onStep', opts.onStep)
    return this.serial(() => this.applyNow(opts.onStep))
  }

  private async applyNow(onStep: ((step: Step, ms: number) => void) | undefined): Promise<Step[]> {
    const plan = await this.compare()
    const nsBefore = new Set(this.createdNs)
    const linksBefore = this.createdLinks.length
    const done: Step[] = []
    // Steps of one phase (same action group) run concurrently; phases run in order.
    const phases: Step['action'][][] = [
      ['create-netns'], ['del-link'], ['add-bridge'], ['add-veth'], ['set-link'], ['del-addr'], ['add-addr'], ['add-route', 'replace-route'],
    ]
    try {
      for (const phase of phases) {
        const steps = plan.steps.filter(s => phase.includes(s.action))
        await Promise.all(steps.map(async step => {
          const t0 = performance.now()
          try {
            await this.run(step)
          } catch (err) {
            throw err instanceof TopologyError ? err : new TopologyError(step, err)
          }
          done.push(step)
          onStep?.(step, performance.now() - t0)
        }))
      }
    } catch (err) {
      await this.rollback(nsBefore, linksBefore)
      throw err
    }
    return done
  }

  /**
   * Deletes what this topology created (links in pre-existing namespaces, then its
   * namespaces), after the topology's previous call has finished.
   */
  destroy(): Promise<void> {
    return this.serial(() => this.destroyNow())
  }

  private async destroyNow(): Promise<void> {
    for (const { netns, name } of this.createdLinks.splice(0).reverse()) {
      if (this.createdNs.has(netns)) continue
      try {
        await this.rtnl(netns).link.del(name)
      } catch (err) {
        if (!isNetlinkError(err, 'ENODEV')) throw err
      }
    }
    this.closeAll()
    for (const name of [...this.createdNs]) {
      await NetNs.delete(name).catch(err => { if (err?.code !== 'ENOENT') throw err })
      this.createdNs.delete(name)
    }
  }

  /** Change requests (NEW/DEL) sent by this topology's clients so far. */
  get changeRequests(): number {
    let n = 0
    for (const c of this.clients.values()) n += c.sock.stats.changes
    return n + this.closedChanges
  }
  private closedChanges = 0

  /** Closes clients and handles without deleting anything. */
  close(): void {
    this.closeAll()
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.destroy()
  }

  // ---- internals ----------------------------------------------------------

  /**
   * Runs fn once the previous plan/apply/destroy has settled. Two at once raced: two
   * concurrent apply() calls both tried to create the namespaces, and both failed.
   */
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.tail.then(fn, fn)
    this.tail = run.catch(() => undefined)
    return run
  }
  private tail: Promise<unknown> = Promise.resolve()

  private closeAll(): void {
    for (const c of this.clients.values()) {
      this.closedChanges += c.sock.stats.changes
      c.close()
    }
    for (const h of this.handles.values()) h.close()
    this.clients.clear()
    this.handles.clear()
  }

  private async rollback(nsBefore: Set<string>, linksBefore: number): Promise<void> {
    const links = this.createdLinks.splice(linksBefore)
    for (const { netns, name } of links.reverse()) {
      if (!nsBefore.has(netns) && this.createdNs.has(netns)) continue
      await this.rtnl(netns).link.del(name).catch(() => undefined)
    }
    for (const name of [...this.createdNs]) {
      if (nsBefore.has(name)) continue
      this.clients.get(name)?.close()
      this.clients.delete(name)
      this.handles.get(name)?.close()
      this.handles.delete(name)
      await NetNs.delete(name).catch(() => undefined)
      this.createdNs.delete(name)
    }
  }

  private async handle(name: string): Promise<NetNs> {
    let h = this.handles.get(name)
    if (!h) {
      h = await NetNs.open(name)
      this.handles.set(name, h)
    }
    return h
  }

  private rtnl(name: string): Rtnl {
    let c = this.clients.get(name)
    if (!c) {
      const h = this.handles.get(name)
      c = openSync({ netns: h ?? name })
      this.clients.set(name, c)
    }
    return c
  }

  private async observe(name: string): Promise<Observed> {
    await this.handle(name)
    const rtnl = this.rtnl(name)
    const links: Observed['links'] = new Map()
    const byIndex = new Map<number, string>()
    for await (const l of rtnl.link.list()) {
      const entry: { index: number; up: boolean; mtu: number; master?: number; kind?: string; linkNetnsId?: number } = { index: l.index, up: !!l.up, mtu: l.mtu ?? 0 }
      if (l.master !== undefined) entry.master = l.master
      if (l.kind !== undefined) entry.kind = l.kind
      if (l.linkNetnsId !== undefined) entry.linkNetnsId = l.linkNetnsId
      links.set(l.name, entry)
      byIndex.set(l.index, l.name)
    }
    const addrs: Observed['addrs'] = new Map()
    for await (const a of rtnl.addr.list()) {
      const link = byIndex.get(a.index)
      if (!link) continue
      const set = addrs.get(link) ?? new Set<string>()
      set.add(`${a.address}/${a.prefixLength}`)
      addrs.set(link, set)
    }
    const routes: Observed['routes'] = new Map()
    for await (const r of rtnl.route.list({ table: 'main' })) {
      if (r.type !== 'unicast') continue
      const v: ObservedRoute = { metric: r.priority ?? 0, protocol: r.protocol }
      if (r.gateway !== undefined) v.gateway = r.gateway
      if (r.oif !== undefined) v.oif = r.oif
      const key = routeKey(r.family, r.dst)
      const list = routes.get(key)
      if (list) list.push(v)
      else routes.set(key, [v])
    }
    return { exists: true, links, addrs, routes }
  }

  private diff(observed: Map<string, Observed>): Step[] {
    const steps: Step[] = []
    const nss = this.spec.namespaces
    for (const [ns, spec] of Object.entries(nss)) {
      const o = observed.get(ns)!
      if (!o.exists) steps.push({ netns: ns, action: 'create-netns', target: ns })
      if (spec.loopback !== false) {
        const lo = o.links.get('lo')
        if (!lo?.up) steps.push({ netns: ns, action: 'set-link', target: 'lo', detail: { up: true } })
      }
      for (const [name, b] of Object.entries(spec.bridges ?? {})) {
        const cur = o.links.get(name)
        if (cur && cur.kind !== 'bridge') steps.push({ netns: ns, action: 'del-link', target: name, detail: { reason: `kind ${cur.kind ?? 'none'} is not bridge` } })
        if (!cur || cur.kind !== 'bridge') steps.push({ netns: ns, action: 'add-bridge', target: name })
        this.diffLink(steps, ns, name, b, cur && cur.kind === 'bridge' ? cur : undefined, o)
      }
      for (const [name, v] of Object.entries(spec.veths ?? {})) {
        const peerNs = v.peer.netns ?? ns
        const po = observed.get(peerNs)!
        const cur = o.links.get(name)
        const peer = po.links.get(v.peer.name)
        const intact = cur?.kind === 'veth' && peer?.kind === 'veth'
        if (!intact) {
          if (cur) steps.push({ netns: ns, action: 'del-link', target: name, detail: { reason: 'not a veth with the expected peer' } })
          if (peer && (peer.kind !== 'veth' || !cur)) steps.push({ netns: peerNs, action: 'del-link', target: v.peer.name, detail: { reason: 'stale peer' } })
          steps.push({ netns: ns, action: 'add-veth', target: name, detail: { peer: v.peer.name, peerNetns: peerNs } })
        }
        this.diffLink(steps, ns, name, v, intact ? cur : undefined, o)
        this.diffLink(steps, peerNs, v.peer.name, v.peer, intact ? peer : undefined, po)
      }
      for (const r of spec.routes ?? []) {
        // A route is the one to its prefix with its metric (the kernel's key): another metric
        // is another route. One to the same prefix with another metric, that the kernel did
        // not make, is what this spec route was before: it is moved to the new metric.
        const family = routeFamily(r)
        const list = o.routes.get(routeKey(family, r.dst)) ?? []
        const metric = r.metric ?? defaultMetric(family)
        const cur = list.find(x => x.metric === metric)
        if (cur) {
          const devIndex = r.dev !== undefined ? o.links.get(r.dev)?.index : undefined
          // The gateway as the kernel writes it ('FD77::1' is 'fd77::1').
          const gateway = r.gateway !== undefined ? formatIp(parseIp(r.gateway, 'gateway').bytes) : undefined
          if ((gateway !== undefined && cur.gateway !== gateway) || (r.dev !== undefined && cur.oif !== devIndex))
            steps.push({ netns: ns, action: 'replace-route', target: r.dst, detail: routeDetail(r) })
          continue
        }
        const old = list.find(x => x.protocol !== 'kernel')
        if (old) steps.push({ netns: ns, action: 'replace-route', target: r.dst, detail: { ...routeDetail(r), oldMetric: old.metric } })
        else steps.push({ netns: ns, action: 'add-route', target: r.dst, detail: routeDetail(r) })
      }
    }
    return steps
  }

  private diffLink(steps: Step[], ns: string, name: string, want: BridgeSpec & { master?: string }, cur: Observed['links'] extends Map<string, infer V> ? V | undefined : never, o: Observed): void {
    const change: Record<string, unknown> = {}
    if (want.mtu !== undefined && cur?.mtu !== want.mtu) change['mtu'] = want.mtu
    if (want.master !== undefined) {
      const masterIndex = o.links.get(want.master)?.index
      if (!cur || masterIndex === undefined || cur.master !== masterIndex) change['master'] = want.master
    }
    if ((want.up ?? true) !== (cur?.up ?? false)) change['up'] = want.up ?? true
    if (Object.keys(change).length) steps.push({ netns: ns, action: 'set-link', target: name, detail: change })
    const have = cur ? (o.addrs.get(name) ?? new Set<string>()) : new Set<string>()
    const wantSet = new Set((want.addresses ?? []).map(a => { const c = parseCidr(a); return `${c.address}/${c.prefixLength}` }))
    for (const a of have) if (!wantSet.has(a) && !isAuto(a)) steps.push({ netns: ns, action: 'del-addr', target: name, detail: { address: a } })
    for (const a of wantSet) if (!have.has(a)) steps.push({ netns: ns, action: 'add-addr', target: name, detail: { address: a } })
  }

  private async run(step: Step): Promise<void> {
    debug('%s', describe(step))
    const ns = step.netns
    const d = step.detail ?? {}
    switch (step.action) {
      case 'create-netns': {
        const h = await NetNs.create(ns)
        this.createdNs.add(ns)
        this.handles.set(ns, h)
        return
      }
      case 'del-link':
        await this.rtnl(ns).link.del(step.target)
        return
      case 'add-bridge':
        await this.rtnl(ns).link.add({ name: step.target, kind: 'bridge' })
        this.createdLinks.push({ netns: ns, name: step.target })
        return
      case 'add-veth': {
        const peerNs = d['peerNetns'] as string
        const peer = { name: d['peer'] as string, ...(peerNs !== ns ? { netns: await this.handle(peerNs) } : {}) }
        await this.rtnl(ns).link.add({ name: step.target, kind: 'veth', peer })
        this.createdLinks.push({ netns: ns, name: step.target })
        return
      }
      case 'set-link': {
        const opts: Record<string, unknown> = {}
        if (d['mtu'] !== undefined) opts['mtu'] = d['mtu']
        if (d['master'] !== undefined) opts['master'] = d['master']
        if (d['up'] !== undefined) opts['up'] = d['up']
        await this.rtnl(ns).link.set(step.target, opts)
        return
      }
      case 'del-addr':
        await this.rtnl(ns).addr.del({ link: step.target, address: d['address'] as string })
        return
      case 'add-addr':
        await this.rtnl(ns).addr.add({ link: step.target, address: d['address'] as string })
        return
      case 'add-route':
      case 'replace-route': {
        const r = d as unknown as RouteSpec
        const family = routeFamily(r)
        const opts: RouteOptions = { dst: r.dst, family }
        if (r.gateway !== undefined) opts.gateway = r.gateway
        if (r.dev !== undefined) opts.dev = r.dev
        if (r.metric !== undefined) opts.metric = r.metric
        const route = this.rtnl(ns).route
        if (step.action === 'add-route') await route.add(opts)
        else await route.replace(opts)
        // The route this one was under another metric: the new one is in place, the old goes.
        const oldMetric = d['oldMetric'] as number | undefined
        if (oldMetric !== undefined) await route.del({ dst: r.dst, family, metric: oldMetric })
        return
      }
    }
  }
}

function routeDetail(r: RouteSpec): Record<string, unknown> {
  const d: Record<string, unknown> = { dst: r.dst }
  if (r.gateway !== undefined) d['gateway'] = r.gateway
  if (r.dev !== undefined) d['dev'] = r.dev
  if (r.metric !== undefined) d['metric'] = r.metric
  return d
}

const TOP_KEYS: ReadonlySet<string> = new Set(['namespaces'])
const NS_KEYS: ReadonlySet<string> = new Set(['loopback', 'bridges', 'veths', 'routes'])
const BRIDGE_KEYS: ReadonlySet<string> = new Set(['addresses', 'mtu', 'up'])
const VETH_KEYS: ReadonlySet<string> = new Set(['addresses', 'master', 'mtu', 'up', 'peer'])
const PEER_KEYS: ReadonlySet<string> = new Set(['addresses', 'master', 'mtu', 'up', 'name', 'netns'])
const ROUTE_KEYS: ReadonlySet<string> = new Set(['dst', 'gateway', 'dev', 'metric'])

/** A map of the spec (`{ NAME: {...} }`): an object that is not an array. */
function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

function checkMap(v: unknown, field: string, what: string): Record<string, unknown> {
  if (v === undefined) return {}
  if (!isMap(v)) throw new ValidationError(`${field}: expected ${what}`, field, v)
  return v
}

/** A link of the spec: its options object, its name and addresses, its mtu. */
function checkLinkSpec(v: unknown, field: string, keys: ReadonlySet<string>): void {
  if (!isMap(v)) throw new ValidationError(`${field}: expected an object`, field, v)
  checkKnownKeys(v, keys, field)
  if (v['addresses'] !== undefined) {
    if (!Array.isArray(v['addresses'])) throw new ValidationError(`${field}.addresses: expected an array of 'address/prefix' strings`, `${field}.addresses`, v['addresses'])
    for (const a of v['addresses']) parseCidr(a, `${field}.addresses`)
  }
  optInt(v['mtu'], `${field}.mtu`, 0, 0x7fffffff)
  optBool(v['up'], `${field}.up`)
}

function validate(spec: TopologySpec): void {
  if (!isMap(spec) || !isMap(spec.namespaces))
    throw new ValidationError('topology: expected { namespaces: { NAME: {...} } }', 'namespaces', spec)
  checkKnownKeys(spec, TOP_KEYS, 'topology')
  const names = Object.keys(spec.namespaces)
  for (const [ns, s] of Object.entries(spec.namespaces) as [string, NamespaceSpec][]) {
    checkNetNsName(ns, 'topology', 'namespaces')
    if (!isMap(s)) throw new ValidationError(`${ns}: expected an object ({ bridges, veths, routes })`, ns, s)
    checkKnownKeys(s, NS_KEYS, ns)
    optBool(s.loopback, `${ns}.loopback`)
    const bridges = checkMap(s.bridges, `${ns}.bridges`, '{ NAME: { addresses, mtu, up } }')
    const veths = checkMap(s.veths, `${ns}.veths`, '{ NAME: { peer: { name }, ... } }')
    for (const [name, b] of Object.entries(bridges)) {
      checkLinkName(name, `${ns}.bridges`)
      checkLinkSpec(b, `${ns}.bridges.${name}`, BRIDGE_KEYS)
    }
    for (const [name, v] of Object.entries(veths)) {
      checkLinkName(name, `${ns}.veths`)
      checkLinkSpec(v, `${ns}.veths.${name}`, VETH_KEYS)
      const peer = (v as VethSpec).peer as unknown
      if (!isMap(peer) || typeof peer['name'] !== 'string' || !peer['name'])
        throw new ValidationError(`${ns}.veths.${name}: peer.name is required`, `${ns}.veths.${name}.peer`, peer)
      checkLinkSpec(peer, `${ns}.veths.${name}.peer`, PEER_KEYS)
      checkLinkName(peer['name'], `${ns}.veths.${name}.peer.name`)
      const pn = (peer['netns'] as string | undefined) ?? ns
      if (!names.includes(pn)) throw new ValidationError(`${ns}.veths.${name}: peer namespace ${pn} is not in the topology`, `${ns}.veths.${name}.peer.netns`, pn)
    }
    const links = new Set<string>(['lo', ...Object.keys(bridges), ...Object.keys(veths)])
    if (s.routes !== undefined && !Array.isArray(s.routes)) throw new ValidationError(`${ns}.routes: expected an array of { dst, gateway, dev, metric }`, `${ns}.routes`, s.routes)
    for (const [i, r] of (s.routes ?? []).entries() as IterableIterator<[number, RouteSpec]>) {
      const f = `${ns}.routes[${i}]`
      if (!isMap(r as unknown)) throw new ValidationError(`${f}: expected { dst, gateway, dev, metric }`, f, r)
      checkKnownKeys(r, ROUTE_KEYS, f)
      if (typeof r.dst !== 'string') throw new ValidationError(`${f}.dst: expected a prefix or 'default'`, `${f}.dst`, r.dst)
      const dst = r.dst !== 'default' ? parseCidr(r.dst, `${f}.dst`) : undefined
      if (dst && !isNetworkAddress(dst.bytes, dst.prefixLength))
        throw new ValidationError(`${f}.dst: ${r.dst} has host bits set`, `${f}.dst`, r.dst)
      if (r.gateway !== undefined) {
        const g = parseIp(r.gateway, `${f}.gateway`)
        if (dst && g.family !== dst.family) throw new ValidationError(`${f}.gateway: not of the family of ${r.dst}`, `${f}.gateway`, r.gateway)
      }
      optInt(r.metric, `${f}.metric`, 0, 0xffffffff)
      if (r.dev !== undefined && !links.has(r.dev)) throw new ValidationError(`${f}.dev: ${r.dev} is not a link of ${ns}`, `${f}.dev`, r.dev)
      if (r.gateway === undefined && r.dev === undefined) throw new ValidationError(`${f}: a gateway or a dev is needed`, f, r)
    }
  }
  for (const [ns, s] of Object.entries(spec.namespaces) as [string, NamespaceSpec][]) {
    const bridgesHere = new Set(Object.keys(s.bridges ?? {}))
    for (const [name, v] of Object.entries(s.veths ?? {}) as [string, VethSpec][]) {
      if (v.master && !bridgesHere.has(v.master)) throw new ValidationError(`${ns}.veths.${name}.master: no bridge ${v.master} in ${ns}`, 'master', v.master)
      const pn = v.peer.netns ?? ns
      const peerBridges = new Set(Object.keys(spec.namespaces[pn]?.bridges ?? {}))
      if (v.peer.master && !peerBridges.has(v.peer.master)) throw new ValidationError(`${ns}.veths.${name}.peer.master: no bridge ${v.peer.master} in ${pn}`, 'master', v.peer.master)
    }
  }
}
