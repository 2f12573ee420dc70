/**
 * Link verbs: `ip link` as a typed promise API. Links are referred to by name or
 * index (LinkRef); lookups are single RTM_GETLINK requests, never filtered dumps.
 */
import { closeSync } from 'node:fs'
import { netnsRef, openNsFile } from '../../netns/run-dir.js'
import { isNetlinkError, ValidationError } from '../../errors.js'
import { NLM_F_CREATE, NLM_F_ECHO, NLM_F_EXCL } from '../../netlink/constants.js'
import { deferredDump, NetlinkSocket, type DumpIterable } from '../../netlink/socket.js'
import { parseMac } from '../../util/ip.js'
import { checkKnownKeys, checkOptionKeys, optionKeys } from '../../util/keys.js'
import { optBool, optInt } from '../../util/check.js'
import { attrOffset } from '../../attr/codec.js'
import { rd16 } from '../../util/le.js'
import { checkAttrKeys, type AttrTable } from '../../attr/table.js'
import { log } from '../../util/log.js'
import { decodeLink, linkMessage, type IfInfoHeader, type KindData, type Link, type PortData } from './codec.js'
import { kindByName, kindDataKeys, registeredPortKinds, type LinkKind, type PortKind } from './kinds/index.js'
import { ADD_EXTRAS, isListedLink, linkChanges, linkOptions, SET_EXTRAS, type ListedLink } from './listed.js'
import { checkLinkName, checkLinkRef, getLinkRequest, isLongName, type LinkRef } from './resolve.js'
import { createTun, type TunSettings } from './tun-create.js'
import {
  IFF, IFINFOMSG_LEN, IFLA_AF_SPEC, addrGenMode, RTEXT_FILTER_SKIP_STATS, addrGenModeIn, RTEXT_FILTER_VF, RTM_DELLINK, RTM_DELLINKPROP, RTM_GETLINK, RTM_NEWLINK, RTM_NEWLINKPROP,
  type AddrGenMode, type LinkAttrs,
} from './schema.js'

const debug = log('link')

/**
 * A namespace to move a link (or create a veth peer) into: a NetNs handle or `{ fd }`,
 * `{ pid }` (the namespace of that process), or a name under /run/netns.
 */
export type NetnsTarget = { readonly fd: number } | { readonly pid: number } | string

/** Per-call options of every verb. */
export interface CallOptions {
  timeout?: number
  signal?: AbortSignal
}

/** Settings shared by add and set. */
export interface LinkCommonOptions {
  mtu?: number
  /** MAC address. */
  address?: string
  broadcast?: string
  txQueueLen?: number
  /** IFLA_IFALIAS (`ip link set X alias TEXT`). */
  alias?: string
  /** Bring the link up (true) or down (false). */
  up?: boolean
  /** Promiscuous mode (`ip link set X promisc on|off`, IFF_PROMISC). */
  promisc?: boolean
  /** Receive all multicast (`allmulticast on|off`, IFF_ALLMULTI). */
  allmulticast?: boolean
  /** Multicast capable (`multicast on|off`, IFF_MULTICAST). */
  multicast?: boolean
  /** ARP on the link (`arp on|off`; false sets IFF_NOARP). */
  arp?: boolean
  /** Enslave to a bridge/bond (`master br0`); null releases it (`nomaster`). */
  master?: LinkRef | null
  /** Move into another network namespace. */
  netns?: NetnsTarget
  group?: number
  carrier?: boolean
  /** Largest GSO packet and segment count the stack builds for the link (`gso_max_size`, `gso_max_segs`). */
  gsoMaxSize?: number
  gsoMaxSegs?: number
  /** Largest GRO packet (`gro_max_size`). */
  groMaxSize?: number
  /** The same limits for IPv4 (BIG TCP: `gso_ipv4_max_size`, `gro_ipv4_max_size`). */
  gsoIpv4MaxSize?: number
  groIpv4MaxSize?: number
  /**
   * How the kernel makes the link's IPv6 link-local address (`addrgenmode eui64|none|
   * stable_secret|random`); `'none'` makes none.
   */
  addrGenMode?: AddrGenMode
}

/** The far end of a veth pair. */
export interface VethPeerOptions {
  /** Peer name (the kernel picks `vethN` when omitted). */
  name?: string
  address?: string
  mtu?: number
  txQueueLen?: number
  alias?: string
  /** Create the peer directly in this namespace. */
  netns?: NetnsTarget
  // No `up`: the kernel cannot open a veth end before the pair exists (ENOTCONN); set it up afterwards.
}

/**
 * `ip link add` options. Kind data goes under the kind's key (`vxlan: { id: 42 }`); port
 * settings (`bridgePort`) need `master`.
 */
export interface LinkAddOptions extends LinkCommonOptions, KindData, PortData {
  name: string
  /** `'veth'`, `'bridge'`, `'vxlan'`, `'macvlan'`, `'macvtap'`, `'ipvlan'`, `'vlan'`, `'dummy'`, `'ifb'`, `'bond'`, or any other kind the kernel knows. */
  kind: string
  /** The lower device (IFLA_LINK) for vlan, macvlan, ipvlan. */
  parent?: LinkRef
  /** veth: the peer. */
  peer?: VethPeerOptions
  /** Queue counts (`numtxqueues`, `numrxqueues`): fixed when the link is made. */
  numTxQueues?: number
  numRxQueues?: number
}

/** `ip link set` options. */
export interface LinkSetOptions extends LinkCommonOptions, KindData, PortData {
  /** Rename the link. */
  name?: string
  /** Kind data changes (the link's kind is looked up unless given). */
  kind?: string
}

/** `ip link show` filters. kind and master are applied by the kernel. */
export interface LinkListFilter extends CallOptions {
  kind?: string
  master?: LinkRef
  up?: boolean
  /**
   * Include per-VF counters (default false: RTEXT_FILTER_SKIP_STATS, as `ip link` sends).
   * Kernel 6.18 reports the link's own IFLA_STATS64 either way.
   */
  stats?: boolean
}

const PEER_KEYS: ReadonlySet<string> = new Set(['name', 'address', 'mtu', 'txQueueLen', 'alias', 'netns'])

const COMMON_KEYS = optionKeys<LinkCommonOptions & CallOptions>()([
  'mtu', 'address', 'broadcast', 'txQueueLen', 'alias', 'up', 'promisc', 'allmulticast', 'multicast', 'arp', 'master',
  'netns', 'group', 'carrier', 'gsoMaxSize', 'gsoMaxSegs', 'groMaxSize', 'gsoIpv4MaxSize', 'groIpv4MaxSize',
  'addrGenMode', 'timeout', 'signal',
])
/** link.add's options; kind and port data go under the registered kinds' keys (added at check time). */
const ADD_KEYS = new Set([...COMMON_KEYS, ...optionKeys<Omit<LinkAddOptions, keyof LinkCommonOptions | keyof KindData | keyof PortData> & { replace?: boolean }>()(
  ['name', 'kind', 'parent', 'peer', 'numTxQueues', 'numRxQueues', 'replace'])])
/** link.set's options, and the add options it refuses with a reason of their own (SET_REFUSES). */
const SET_KEYS = new Set([...COMMON_KEYS, ...optionKeys<Omit<LinkSetOptions, keyof LinkCommonOptions | keyof KindData | keyof PortData>>()(['name', 'kind']),
  'numTxQueues', 'numRxQueues', 'parent', 'peer'])
const LIST_KEYS = optionKeys<LinkListFilter>()(['kind', 'master', 'up', 'stats', 'timeout', 'signal'])
const GET_KEYS = optionKeys<CallOptions & { stats?: boolean }>()(['stats', 'timeout', 'signal'])
const CALL_KEYS = optionKeys<CallOptions>()(['timeout', 'signal'])
/** link.get's default options: the same object every time, so the hot path skips their check. */
const NO_OPTIONS: CallOptions & { stats?: boolean } = Object.freeze({})

/** Checks add/set options' keys: `base` and the keys of the registered kinds and port kinds. */
function checkLinkOptionKeys(o: object, base: ReadonlySet<string>, verb: string): void {
  checkOptionKeys(o, new Set([...base, ...kindDataKeys(), ...[...registeredPortKinds()].map(p => p.key)]), verb)
}

/**
 * A listed link given to add(): the options that make it again, the add options a Link has
 * no field for, and the call's own options.
 */
function fromListed(l: ListedLink & CallOptions & { replace?: boolean }): LinkAddOptions & CallOptions & { replace?: boolean } {
  const o: LinkAddOptions & CallOptions & { replace?: boolean } = { ...linkOptions(l), ...callOpts(l) }
  const given = l as unknown as Record<string, unknown>
  for (const k of ADD_EXTRAS) if (given[k] !== undefined) (o as unknown as Record<string, unknown>)[k] = given[k]
  // The kernel takes a master index in the namespace the link goes to; the listing's is of its own.
  if (o.netns !== undefined && typeof o.master === 'number')
    throw new ValidationError('master: an index of the listed link\'s namespace; with netns, give the master by name (or null)', 'master', o.master)
  if (l.replace !== undefined) o.replace = l.replace
  return o
}

/** The port settings given (`bridgePort`...), checked: one port kind at a time. */
function portSettings(o: PortData): PortKind | undefined {
  let found: PortKind | undefined
  for (const port of registeredPortKinds()) {
    const data = (o as Record<string, unknown>)[port.key]
    if (data === undefined) continue
    if (found) throw new ValidationError(`${port.key}: port settings of one kind at a time (${found.kind} given too)`, port.key, data)
    checkAttrKeys(port.data, data, port.key)
    port.check?.(data)
    found = port
  }
  return found
}

/** Kind data: an object whose keys the kind's table declares, then the kind's own checks. */
function checkKindData(plugin: LinkKind, key: string, data: unknown): asserts data is Record<string, unknown> {
  checkAttrKeys(plugin.data, data, key)
  plugin.check?.(data)
}

/** link.add's `tun` options, checked: what a tun/tap device is made with. */
function tunSettings(data: unknown): TunSettings {
  if (data === undefined || data === null || typeof data !== 'object' || Array.isArray(data))
    throw new ValidationError('tun: { type: \'tun\' | \'tap\' } is required to make a tun/tap device', 'tun', data)
  const d = data as Record<string, unknown>
  checkKnownKeys(d, TUN_ADD_KEYS, 'tun')
  for (const k of ['numQueues', 'numDisabledQueues'])
    if (d[k] !== undefined) throw new ValidationError(`tun.${k}: reported, not set (a queue is a file descriptor attached to the device)`, `tun.${k}`, d[k])
  if (d['type'] !== 'tun' && d['type'] !== 'tap') throw new ValidationError('tun.type: \'tun\' or \'tap\'', 'tun.type', d['type'])
  if (d['persist'] !== undefined && d['persist'] !== true)
    throw new ValidationError('tun.persist: a device made here persists (it would otherwise go with the file descriptor at once)', 'tun.persist', d['persist'])
  const s: TunSettings = { type: d['type'] }
  for (const k of ['owner', 'group'] as const) {
    optInt(d[k], `tun.${k}`, 0, 0xfffffffe)
    if (d[k] !== undefined) s[k] = d[k] as number
  }
  for (const k of ['pi', 'vnetHdr', 'multiQueue'] as const) {
    optBool(d[k], `tun.${k}`)
    if (d[k] !== undefined) s[k] = d[k] as boolean
  }
  return s
}
const TUN_ADD_KEYS: ReadonlySet<string> = new Set(['type', 'owner', 'group', 'pi', 'vnetHdr', 'multiQueue', 'persist', 'numQueues', 'numDisabledQueues'])

/** IFLA_NUM_TX_QUEUES / IFLA_NUM_RX_QUEUES: taken when a link is made, ignored by do_setlink. */
const QUEUE_COUNTS = ['numTxQueues', 'numRxQueues'] as const

/** link.add options that link.set refuses rather than drop (the kernel would ignore them on a change). */
const SET_REFUSES: readonly (readonly [string, string])[] = [
  ...QUEUE_COUNTS.map(k => [k, 'queue counts are fixed when a link is made (link.add); the kernel ignores them on a change'] as const),
  ['parent', 'the lower device is fixed when a link is made (link.add)'],
  ['peer', "a veth's other end is a link of its own: change it by its name"],
]

/** The GSO/GRO limits link.add/set take (u32 attributes of the same names). */
const GSO_LIMITS = ['gsoMaxSize', 'gsoMaxSegs', 'groMaxSize', 'gsoIpv4MaxSize', 'groIpv4MaxSize'] as const

/**
 * What puts a link back as it was (`before`) after a set() request changed it with `attrs`
 * and `h`: its master, and the settings sent with it (name, mtu, addresses, queue length,
 * alias, group, GSO/GRO limits, interface flags). Not undone: netns, carrier, addrGenMode,
 * kind data.
 */
function undoAttrs(attrs: Record<string, unknown>, h: IfInfoHeader, before: Link): { attrs: Record<string, unknown>; h: IfInfoHeader } {
  const u: Record<string, unknown> = { master: before.master ?? 0 }
  if (attrs['name'] !== undefined && attrs['name'] !== before.name) u['name'] = before.name
  for (const k of ['mtu', 'address', 'broadcast', 'txQueueLen', 'group', ...GSO_LIMITS] as const)
    if (attrs[k] !== undefined && before[k] !== undefined) u[k] = before[k]
  if (attrs['alias'] !== undefined) u['alias'] = before.alias ?? ''
  if (!h.change) return { attrs: u, h: {} }
  let was = 0
  for (const f of before.flags) was |= IFF[f] ?? 0
  return { attrs: u, h: { flags: was & h.change, change: h.change } }
}

/** A request about one link, by name (IFLA_IFNAME) or by index (ifi_index). */
function byRef(type: number, ref: LinkRef, h: IfInfoHeader, attrs: Record<string, unknown>): Buffer {
  return typeof ref === 'number' ? linkMessage(type, 0, { ...h, index: ref }, attrs) : linkMessage(type, 0, h, { name: ref, ...attrs })
}

/** Interface flags add() and set() change, as `ip link set` does; `arp` is IFF_NOARP inverted. */
const FLAG_OPTIONS = [
  ['up', IFF.UP, false], ['promisc', IFF.PROMISC, false], ['allmulticast', IFF.ALLMULTI, false],
  ['multicast', IFF.MULTICAST, false], ['arp', IFF.NOARP, true],
] as const

/** ifi_flags / ifi_change for the flag options given (checked by commonAttrs). */
function flagHeader(o: LinkCommonOptions, h: IfInfoHeader): void {
  let flags = 0
  let change = 0
  for (const [k, bit, inverted] of FLAG_OPTIONS) {
    const v = o[k]
    if (v === undefined) continue
    change |= bit
    if (v !== inverted) flags |= bit
  }
  if (change) {
    h.flags = flags
    h.change = change
  }
}

/** IFLA_IFALIAS: at most 255 bytes (IFALIASZ - 1). */
function checkAlias(v: unknown, field: string): string {
  if (typeof v !== 'string' || Buffer.byteLength(v) > 255 || v.includes('\0')) throw new ValidationError(`${field}: a string of at most 255 bytes, without NUL`, field, v)
  return v
}

/** Resolves a NetnsTarget to IFLA_NET_NS_FD / IFLA_NET_NS_PID; returns an fd to close, if one was opened. */
function netnsAttrs(target: NetnsTarget, attrs: Record<string, unknown>, field: string): number | undefined {
  const ref = netnsRef(target, field)
  if ('pid' in ref) {
    attrs['netnsPid'] = ref.pid
    return undefined
  }
  attrs['netnsFd'] = ref.fd
  return ref.opened ? ref.fd : undefined
}

/** `rtnl.link`: links (`ip link`). */
export class LinkApi {
  constructor(/** The socket its requests are sent on (for `rtnl.link`, the client's `rtnl.sock`). */ readonly sock: NetlinkSocket) {}

  /**
   * Lists links (a dump, streamed). Equivalent to `ip link show [type KIND] [master M] [up]`.
   * @example for await (const l of rtnl.link.list({ kind: 'veth' })) console.log(l.name, l.operState)
   */
  list(filter: LinkListFilter | null = {}): DumpIterable<Link> {
    filter = listFilter(filter, 'link.list', LIST_KEYS)
    optBool(filter.stats, 'stats')
    optBool(filter.up, 'up')
    if (filter.kind !== undefined && (typeof filter.kind !== 'string' || !filter.kind))
      throw new ValidationError('kind: expected a link kind such as "veth"', 'kind', filter.kind)
    const attrs: Record<string, unknown> = { extMask: RTEXT_FILTER_VF | (filter.stats ? 0 : RTEXT_FILTER_SKIP_STATS) }
    let masterIndex: number | undefined
    if (filter.kind !== undefined) attrs['linkInfo'] = { kind: filter.kind }
    if (typeof filter.master === 'number') masterIndex = checkLinkRef(filter.master, 'master') as number
    const wantUp = filter.up
    // The kernel filters by kind only when it knows the kind: for one it lacks (or a typo)
    // it ignores the filter and dumps every link. So the kind is checked here too, as ip does.
    const wantKind = filter.kind
    const decode = (m: Parameters<typeof decodeLink>[0]): Link | undefined => {
      const l = decodeLink(m)
      if (wantUp !== undefined && l.up !== wantUp) return undefined
      if (wantKind !== undefined && l.kind !== wantKind) return undefined
      return l
    }
    if (filter.master !== undefined && masterIndex === undefined) {
      // A master by name: resolve it first (one GET), then dump filtered by the kernel.
      return deferredDump(async () => {
        const m = await this.get(filter.master as LinkRef, callOpts(filter))
        return this.sock.dump(linkMessage(RTM_GETLINK, 0, {}, { ...attrs, master: m.index }), decode, { ...filter, what: 'links' })
      })
    }
    if (masterIndex !== undefined) attrs['master'] = masterIndex
    return this.sock.dump(linkMessage(RTM_GETLINK, 0, {}, attrs), decode, { ...filter, what: 'links' })
  }

  /**
   * One link by name or index (one RTM_GETLINK). Equivalent to `ip -d link show dev REF`.
   * @throws {NetlinkError} `ENODEV` when there is no such link.
   * @example const lo = await rtnl.link.get('lo')
   */
  get(ref: LinkRef, opts: CallOptions & { stats?: boolean } = NO_OPTIONS): Promise<Link> {
    try {
      checkLinkRef(ref)
      if (opts !== NO_OPTIONS) checkOptionKeys(opts, GET_KEYS, 'link.get')
      optBool(opts.stats, 'stats')
    } catch (err) {
      return Promise.reject(err)
    }
    const msg = getLinkRequest(ref, RTEXT_FILTER_VF | (opts.stats ? 0 : RTEXT_FILTER_SKIP_STATS))
    // One RTM_NEWLINK answers (ENODEV otherwise); decodeLink never skips it.
    return this.sock.requestOne(msg, decodeLink, ref, opts) as Promise<Link>
  }

  /**
   * How the kernel makes a link's IPv6 link-local address (`ip -d link show` addrgenmode):
   * `'eui64'`, `'none'`, `'stableSecret'`, `'random'`, or undefined when the link has no IPv6.
   * One RTM_GETLINK. Not a `Link` field: reading it means walking IFLA_AF_SPEC, which cost
   * every link decode 7-13%.
   * @throws {NetlinkError} `ENODEV` when there is no such link.
   * @example if (await rtnl.link.addrGenMode('veth0') !== 'none') await rtnl.link.set('veth0', { addrGenMode: 'none' })
   */
  addrGenMode(ref: LinkRef, opts: CallOptions = {}): Promise<AddrGenMode | number | undefined> {
    try {
      checkLinkRef(ref)
    } catch (err) {
      return Promise.reject(err)
    }
    const msg = getLinkRequest(ref, RTEXT_FILTER_VF | RTEXT_FILTER_SKIP_STATS)
    return this.sock.requestOne(msg, m => {
      const at = attrOffset(m.buf, m.off + IFINFOMSG_LEN, m.end, IFLA_AF_SPEC)
      return at < 0 ? undefined : addrGenModeIn(m.buf, at + 4, at + rd16(m.buf, at))
    }, ref, opts)
  }

  /**
   * link.add for kind `'tun'`: a tun/tap device is made by ioctl on /dev/net/tun, as
   * `ip tuntap add` makes it (see createTun), then everything else given is set on it as
   * link.set would set it; if that is refused, the device is deleted again.
   */
  private async addTun(opts: LinkAddOptions & CallOptions & { replace?: boolean }, listed: boolean): Promise<void> {
    const want = tunSettings(opts.tun)
    // A listed device's queue counts come with it (256 for a multi-queue one): not settings.
    if (listed) {
      const { numTxQueues: _t, numRxQueues: _r, ...settings } = opts
      opts = settings
    }
    for (const k of ['parent', 'peer', 'numTxQueues', 'numRxQueues'] as const)
      if (opts[k] !== undefined) throw new ValidationError(`${k}: not for a tun/tap device (its queues are the file descriptors attached to it)`, k, opts[k])
    const rest: LinkSetOptions & CallOptions = {}
    for (const [k, v] of Object.entries(opts))
      if (v !== undefined && k !== 'name' && k !== 'kind' && k !== 'tun' && k !== 'replace') (rest as Record<string, unknown>)[k] = v
    let name = opts.name
    let made = true
    if (opts.replace) {
      const cur = await this.replaced(opts)
      if (cur !== undefined) {
        // The flags read back false when off; owner and group are absent when unset.
        const flag = (k: string) => k === 'pi' || k === 'vnetHdr' || k === 'multiQueue'
        for (const k of ['type', 'owner', 'group', 'pi', 'vnetHdr', 'multiQueue'] as const) {
          const has = cur.tun?.[k] ?? (flag(k) ? false : undefined)
          const wanted = want[k] ?? (flag(k) ? false : undefined)
          if (has !== wanted)
            throw new ValidationError(`tun.${k}: ${name} has ${String(has)}; a tun/tap device's settings are fixed when it is made (delete it and add it again)`, `tun.${k}`, want[k])
        }
        made = false
      }
    }
    if (made) {
      debug('add %s kind tun (ioctl)', name)
      name = createTun(this.sock.binding, this.sock.fd, name, want)
    }
    if (Object.keys(rest).every(k => k === 'timeout' || k === 'signal')) return
    try {
      await this.set(name, rest)
    } catch (err) {
      if (made) await this.del(name, callOpts(opts)).catch(() => undefined)
      throw err
    }
  }

  /**
   * For `replace`: the link of that name as it is (undefined when there is none), which must
   * be of the kind given, since a replace changes it in place.
   */
  private async replaced(opts: LinkAddOptions & CallOptions): Promise<Link | undefined> {
    const cur = await this.get(opts.name, callOpts(opts)).catch(e => {
      if (isNetlinkError(e, 'ENODEV')) return undefined
      throw e
    })
    if (cur !== undefined && cur.kind !== opts.kind)
      throw new ValidationError(`kind: link ${opts.name} exists and is of kind ${cur.kind ?? 'none'}; replace changes it in place and cannot change its kind`, 'kind', opts.kind)
    return cur
  }

  /**
   * The index of a link by name (one RTM_GETLINK without counters); numbers pass through.
   * @throws {NetlinkError} `ENODEV`.
   */
  async index(ref: LinkRef, opts: CallOptions = {}): Promise<number> {
    if (typeof ref === 'number') return checkLinkRef(ref) as number
    return (await this.get(ref, opts)).index
  }

  /**
   * Creates a link. Equivalent to `ip link add NAME [options] type KIND [kind options]`.
   * Port settings (`bridgePort`) are sent once the link is made, to its `master`; aliases
   * and the address generation mode too. If such a second request is refused, the new link
   * is deleted again.
   *
   * `replace: true` makes the link, or changes the one of that name in place (the kernel
   * has no replace for links: `ip link replace` gets EOPNOTSUPP for one that exists). Its
   * kind must be the one given (checked with one RTM_GETLINK); kind data goes through the
   * kind's changelink, which refuses what cannot change (a vxlan's VNI or port, a veth's peer).
   *
   * A name with `%d` (`'veth%d'`, also a veth peer's) is a template: the kernel picks the
   * first free name. The second requests then go to the link by index, which the kernel
   * tells when asked (`NLM_F_ECHO`, Linux 6.3+); with `netns` they are refused up front.
   *
   * A link as listed makes one like it: `add({ ...link, name: 'copy' })` takes what
   * {@link linkOptions} reads from it, plus the options a Link has no field for (`peer`,
   * `parent`, `netns`, the flag options, `addrGenMode`) and the call's own options.
   * @throws {ValidationError} on bad options (before anything is sent); {@link NetlinkError}
   *   `EEXIST` when the name is taken, `EOPNOTSUPP` when the kernel lacks the kind.
   * @example await rtnl.link.add({ name: 'veth0', kind: 'veth', peer: { name: 'veth1' } })
   */
  async add(opts: (LinkAddOptions | ListedLink) & CallOptions & { replace?: boolean }): Promise<void> {
    if (!opts || typeof opts !== 'object') throw new ValidationError('link.add: options object required', 'options', opts)
    let listed = false
    if (isListedLink(opts)) {
      opts = fromListed(opts)
      listed = true
    } else checkLinkOptionKeys(opts, ADD_KEYS, 'link.add')
    checkLinkName(opts.name)
    if (typeof opts.kind !== 'string' || !opts.kind) throw new ValidationError('kind: a link kind is required (e.g. "veth")', 'kind', opts.kind)
    optBool(opts.replace, 'replace')
    const plugin = kindByName(opts.kind)
    if (opts.kind === 'tun') return this.addTun(opts, listed)
    if (opts.kind === 'tap')
      throw new ValidationError('kind: a tap device is kind \'tun\' with tun: { type: \'tap\' } (the kernel reports both as tun)', 'kind', opts.kind)
    const toClose: number[] = []
    try {
      for (const k of QUEUE_COUNTS) {
        optInt(opts[k], k, 1, 4096)
      }
      const attrs = await this.commonAttrs(opts, toClose)
      attrs['name'] = opts.name
      for (const k of QUEUE_COUNTS) if (opts[k] !== undefined) attrs[k] = opts[k]
      if (opts.parent === undefined && plugin?.lower === true)
        throw new ValidationError(`parent: a ${opts.kind} link needs its lower device`, 'parent', opts.parent)
      if (opts.parent !== undefined) {
        if (plugin?.lower === false) {
          const hint = opts.kind === 'vxlan' ? ' (its underlay is vxlan.dev)' : opts.kind === 'veth' ? ' (the other end is peer)' : ''
          throw new ValidationError(`parent: a ${opts.kind} link has no lower device; the kernel ignores IFLA_LINK for it${hint}`, 'parent', opts.parent)
        }
        attrs['parentIndex'] = await this.index(checkLinkRef(opts.parent, 'parent'), callOpts(opts))
      }
      const info: Record<string, unknown> = { kind: opts.kind }
      if (opts.kind === 'veth') {
        if (opts.peer !== undefined) info['data'] = { peer: await this.peerAttrs(opts.peer, toClose) }
      } else if (opts.peer !== undefined) {
        throw new ValidationError(`peer: only veth links have a peer (kind is ${opts.kind})`, 'peer', opts.peer)
      }
      const o = opts as unknown as Record<string, Record<string, unknown> | undefined>
      for (const key of kindDataKeys()) {
        const data = o[key]
        if (data === undefined) continue
        if (!plugin || plugin.key !== key)
          throw new ValidationError(`${key}: options for kind ${key}, but kind is ${opts.kind}`, key, data)
        checkKindData(plugin, key, data)
        info['data'] = await this.withIndexes(plugin.data, plugin.defaults ? plugin.defaults({ ...data }) : data, key, opts)
      }
      if (plugin?.check && info['data'] === undefined && opts.kind === 'vlan') plugin.check({})
      const port = portSettings(opts)
      if (port && (opts.master === undefined || opts.master === null))
        throw new ValidationError(`${port.key}: port settings need a master`, port.key, opts[port.key as keyof PortData])
      attrs['linkInfo'] = info
      // What a creating request cannot carry is set by a second one. Kernel 6.18 ignores
      // IFLA_IFALIAS there and refuses IFLA_AF_SPEC (EAFNOSUPPORT, `ip` too).
      const post: Record<string, unknown> = {}
      for (const k of ['alias', 'addrGenMode']) {
        if (attrs[k] === undefined) continue
        post[k] = attrs[k]
        delete attrs[k]
      }
      const h: IfInfoHeader = {}
      flagHeader(opts, h)
      // The address generation mode must be in place before the link comes up (that is when
      // the kernel makes the link-local address), so `up` waits for it.
      const postH: IfInfoHeader = {}
      if (post['addrGenMode'] !== undefined && h.change! & IFF.UP) {
        postH.flags = h.flags! & IFF.UP
        postH.change = IFF.UP
        h.flags! &= ~IFF.UP
        h.change! &= ~IFF.UP
      }
      // The kernel has no replace for links: NLM_F_REPLACE on one that exists is EOPNOTSUPP
      // (what `ip link replace` gets). Without NLM_F_EXCL it changes that link in place,
      // whatever its kind unless kind data is sent: the kind is checked here.
      let existed = false
      if (opts.replace) existed = (await this.replaced(opts)) !== undefined
      // What a second request changes, by name; by index where the kernel picks the name.
      const later: [LinkRef, Record<string, unknown>, IfInfoHeader, NetnsTarget | undefined][] = []
      const peerAlias = opts.kind === 'veth' && opts.peer?.alias !== undefined
      // A name with '%' ('veth%d') is a template: the kernel makes the name (veth0, veth1...).
      // A second request then needs the new link's index, which the kernel sends back only
      // when asked (NLM_F_ECHO, Linux 6.3+), and not for a link made in another namespace.
      const hasPost = Object.keys(post).length > 0
      const echo = (port !== undefined || hasPost) && opts.name.includes('%') ||
        peerAlias && opts.peer!.name!.includes('%')
      if (echo && opts.netns !== undefined)
        throw new ValidationError(`name: a name template (${opts.name}, peer ${opts.peer?.name ?? '-'}) with port settings, an alias or addrGenMode cannot go with netns: the kernel does not tell which link it made there`, 'name', opts.name)
      const flags = NLM_F_CREATE | (opts.replace ? 0 : NLM_F_EXCL) | (echo ? NLM_F_ECHO : 0)
      debug('add %s kind %s', opts.name, opts.kind)
      const made = await this.sock.request(linkMessage(RTM_NEWLINK, flags, h, attrs), echo ? { ...requestOpts(opts.name, opts), decode: decodeLink } : requestOpts(opts.name, opts))
      let ref: LinkRef = opts.name
      let peerRef: LinkRef | undefined = opts.peer?.name
      if (echo) {
        const link = made.find(l => l.name !== undefined && !l.name.includes('%'))
        if (link === undefined)
          throw new ValidationError(`name: the kernel did not say which link ${opts.name} became (NLM_F_ECHO needs Linux 6.3): it was made, but its port settings, alias or addrGenMode were not set`, 'name', opts.name)
        if (opts.name.includes('%')) ref = link.index
        // A veth's IFLA_LINK is its peer's index (in the peer's namespace).
        if (peerRef?.includes('%')) peerRef = link.parentIndex
      }
      // The second requests go to the namespace each end was created in. If one fails, a
      // link this call made is removed again.
      if (hasPost) later.push([ref, post, postH, opts.netns])
      if (port) {
        // Port settings go to the namespace the link is in: a link name in them is looked up there.
        const data = await this.withIndexes(port.data, opts[port.key as keyof PortData] as Record<string, unknown>, port.key, opts, opts.netns)
        later.push([ref, { linkInfo: { slaveKind: port.kind, slaveData: data } }, {}, opts.netns])
      }
      // A peer without netns is made in this socket's namespace, wherever `netns` sends the link.
      if (peerAlias && peerRef !== undefined) later.push([peerRef, { alias: opts.peer!.alias }, {}, opts.peer!.netns])
      try {
        for (const [r, a, hh, where] of later) await this.inNamespace(where, s => s.request(byRef(RTM_NEWLINK, r, hh, a), requestOpts(String(r), opts)))
      } catch (err) {
        if (!existed) {
          await this.inNamespace(opts.netns, s => s.request(byRef(RTM_DELLINK, ref, {}, {}), requestOpts(opts.name, opts)))
            .catch(e => debug('undoing add %s after its second request failed: %s', opts.name, (e as Error).message))
        }
        throw err
      }
    } finally {
      for (const fd of toClose) closeSync(fd)
    }
  }

  /**
   * Changes a link. Equivalent to `ip link set REF [up|down] [mtu N] [address MAC] [name NEW]
   * [master M|nomaster] [netns NS] [alias TEXT] [type KIND ...]`.
   *
   * Given a link as listed (`set(ref, { ...link, mtu: 9000 })`), it makes the link like it:
   * the link is read (one RTM_GETLINK) and only what differs is sent ({@link linkChanges}),
   * kind and port data attribute by attribute, so that a kind's refusal to change what
   * it cannot (a vxlan's port) does not stand in the way of the rest. The options a Link
   * has no field for (`netns`, the flag options, `addrGenMode`) are taken as given.
   * @throws {NetlinkError} `ENODEV` when there is no such link.
   * @example await rtnl.link.set('veth0', { up: true, mtu: 9000, master: 'br0' })
   */
  async set(ref: LinkRef, opts: (LinkSetOptions | ListedLink) & CallOptions): Promise<void> {
    checkLinkRef(ref)
    if (!opts || typeof opts !== 'object') throw new ValidationError('link.set: options object required', 'options', opts)
    // The link as it is, read at most once (for a listing's differences, its kind, and to
    // undo a refused port part).
    let current: Link | undefined
    if (isListedLink(opts)) {
      const cur = current = await this.get(ref, callOpts(opts))
      const given = opts as unknown as Record<string, unknown>
      const changes: LinkSetOptions & CallOptions = { ...linkChanges(opts, cur), ...callOpts(opts) }
      for (const k of SET_EXTRAS) if (given[k] !== undefined) (changes as Record<string, unknown>)[k] = given[k]
      debug('set %s from a listed link: %o', ref, Object.keys(changes))
      // Already like it: nothing to send.
      if (Object.keys(changes).every(k => k === 'timeout' || k === 'signal')) return
      ref = cur.index
      opts = changes
    } else {
      checkLinkOptionKeys(opts, SET_KEYS, 'link.set')
    }
    for (const [k, why] of SET_REFUSES) {
      const v = (opts as Record<string, unknown>)[k]
      if (v !== undefined) throw new ValidationError(`${k}: ${why}`, k, v)
    }
    const toClose: number[] = []
    try {
      const attrs = await this.commonAttrs(opts, toClose)
      const h: IfInfoHeader = {}
      if (typeof ref === 'number') h.index = ref
      else if (opts.name === undefined && !isLongName(ref)) attrs['name'] = ref
      else h.index = await this.index(ref, callOpts(opts))
      if (opts.name !== undefined) attrs['name'] = checkLinkName(opts.name)
      flagHeader(opts, h)
      const info: Record<string, unknown> = {}
      const o = opts as unknown as Record<string, Record<string, unknown> | undefined>
      const now = async (): Promise<Link> => (current ??= await this.get(ref, callOpts(opts)))
      const kindKey = kindDataKeys().find(k => o[k] !== undefined)
      if (kindKey) {
        const kind = opts.kind ?? (await now()).kind
        const plugin = kind ? kindByName(kind) : undefined
        if (!plugin || plugin.key !== kindKey)
          throw new ValidationError(`${kindKey}: link ${ref} is of kind ${kind ?? 'none'}`, kindKey, o[kindKey])
        // The kernel has no changelink for tun/tap: it would answer "tun/tap creation via
        // rtnetlink is not supported", which is not what was asked.
        if (kind === 'tun')
          throw new ValidationError(`tun: a tun/tap device's settings are fixed when it is made (delete it and add it again)`, 'tun', o[kindKey])
        checkKindData(plugin, kindKey, o[kindKey])
        info['kind'] = kind
        info['data'] = await this.withIndexes(plugin.data, o[kindKey]!, kindKey, opts)
      }
      const port = portSettings(opts)
      if (port) {
        info['slaveKind'] = port.kind
        info['slaveData'] = await this.withIndexes(port.data, o[port.key]!, port.key, opts)
      }
      // The kernel applies port data through the *current* master's ops, before IFLA_MASTER
      // takes effect: enslave first, then send the port settings.
      const portAfterMaster = info['slaveKind'] !== undefined && attrs['master'] !== undefined
      const portInfo = portAfterMaster ? { slaveKind: info['slaveKind'], slaveData: info['slaveData'] } : undefined
      if (portAfterMaster) {
        delete info['slaveKind']
        delete info['slaveData']
      }
      if (Object.keys(info).length) attrs['linkInfo'] = info
      // A kind's changelink may refuse IFLA_MTU beside its data, though do_setlink changes it
      // alone (vxlan_nl2conf: "Cannot change mtu"): the mtu goes in a request of its own, after.
      const mtuAfter = info['data'] !== undefined ? attrs['mtu'] : undefined
      if (mtuAfter !== undefined) delete attrs['mtu']
      // If the port settings are refused, the link is put back as it was (see undoAttrs).
      const before = portInfo ? await now() : undefined
      debug('set %s %o', ref, Object.keys(attrs))
      await this.sock.request(linkMessage(RTM_NEWLINK, 0, h, attrs), requestOpts(String(ref), opts))
      if (mtuAfter !== undefined) {
        const id: [IfInfoHeader, Record<string, unknown>] = h.index !== undefined ? [{ index: h.index }, {}] : [{}, { name: ref }]
        await this.sock.request(linkMessage(RTM_NEWLINK, 0, id[0], { ...id[1], mtu: mtuAfter }), requestOpts(String(ref), opts))
        attrs['mtu'] = mtuAfter
      }
      if (portInfo && before) {
        // By index: the first request may have renamed the link.
        const h2: IfInfoHeader = { index: before.index }
        try {
          await this.sock.request(linkMessage(RTM_NEWLINK, 0, h2, { linkInfo: portInfo }), requestOpts(String(ref), opts))
        } catch (err) {
          const undo = undoAttrs(attrs, h, before)
          await this.sock.request(linkMessage(RTM_NEWLINK, 0, { ...undo.h, index: before.index }, undo.attrs), requestOpts(String(ref), opts))
            .catch(e => debug('restoring %s after its port settings failed: %s', ref, (e as Error).message))
          throw err
        }
      }
    } finally {
      for (const fd of toClose) closeSync(fd)
    }
  }

  /**
   * Deletes a link (a veth takes its peer with it). Equivalent to `ip link del REF`. A link
   * as listed is deleted by its index (like `addr.del(addr)` and `route.del(route)`).
   * @throws {NetlinkError} `ENODEV` when there is no such link.
   * @example await rtnl.link.del('veth0')
   * @example for await (const l of rtnl.link.list({ kind: 'vxlan' })) await rtnl.link.del(l)
   */
  async del(ref: LinkRef | ListedLink, opts: CallOptions = {}): Promise<void> {
    checkOptionKeys(opts, CALL_KEYS, 'link.del')
    if (isListedLink(ref)) ref = ref.index
    checkLinkRef(ref)
    const h: IfInfoHeader = {}
    const attrs: Record<string, unknown> = {}
    if (typeof ref === 'number') h.index = ref
    else if (isLongName(ref)) h.index = await this.index(ref, callOpts(opts))
    else attrs['name'] = ref
    await this.sock.request(linkMessage(RTM_DELLINK, 0, h, attrs), requestOpts(String(ref), opts))
  }

  /**
   * Adds an alternative name. Equivalent to `ip link property add dev REF altname NAME`.
   * @throws {NetlinkError} `EEXIST` when the name is taken.
   */
  async addAltName(ref: LinkRef, name: string, opts: CallOptions = {}): Promise<void> {
    await this.altName(RTM_NEWLINKPROP, ref, name, opts)
  }

  /** Removes an alternative name. Equivalent to `ip link property del dev REF altname NAME`. */
  async delAltName(ref: LinkRef, name: string, opts: CallOptions = {}): Promise<void> {
    await this.altName(RTM_DELLINKPROP, ref, name, opts)
  }

  private async altName(type: number, ref: LinkRef, name: string, opts: CallOptions): Promise<void> {
    checkLinkRef(ref)
    // #define ALTIFNAMSIZ 128
    if (typeof name !== 'string' || !name || Buffer.byteLength(name) >= 128 || /[/:\s\0]/.test(name))
      throw new ValidationError(`altname: invalid alternative name ${JSON.stringify(name)}`, 'altname', name)
    const h: IfInfoHeader = {}
    const attrs: Record<string, unknown> = { altNames: [name] }
    if (typeof ref === 'number') h.index = ref
    else h.index = await this.index(ref, callOpts(opts))
    await this.sock.request(linkMessage(type, type === RTM_NEWLINKPROP ? NLM_F_EXCL | NLM_F_CREATE : 0, h, attrs), requestOpts(`${ref} altname ${name}`, opts))
  }

  private async commonAttrs(o: LinkCommonOptions & CallOptions, toClose: number[]): Promise<LinkAttrs & Record<string, unknown>> {
    const a: Record<string, unknown> = {}
    for (const [k] of FLAG_OPTIONS) optBool(o[k], k)
    optBool(o.carrier, 'carrier')
    if (o.addrGenMode !== undefined) {
      addrGenMode.check!(o.addrGenMode, 'addrGenMode')
      a['addrGenMode'] = o.addrGenMode
    }
    for (const k of GSO_LIMITS) {
      optInt(o[k], k, 0, 0xffffffff)
      if (o[k] !== undefined) a[k] = o[k]
    }
    optInt(o.mtu, 'mtu', 0, 0x7fffffff)
    optInt(o.txQueueLen, 'txQueueLen', 0, 0xffffffff)
    optInt(o.group, 'group', 0, 0xffffffff)
    if (o.mtu !== undefined) a['mtu'] = o.mtu
    if (o.address !== undefined) { parseMac(o.address, 'address'); a['address'] = o.address }
    if (o.broadcast !== undefined) { parseMac(o.broadcast, 'broadcast'); a['broadcast'] = o.broadcast }
    if (o.txQueueLen !== undefined) a['txQueueLen'] = o.txQueueLen
    if (o.alias !== undefined) {
      a['alias'] = checkAlias(o.alias, 'alias')
    }
    if (o.group !== undefined) a['group'] = o.group
    if (o.carrier !== undefined) a['carrier'] = o.carrier
    if (o.master === null) a['master'] = 0
    else if (o.master !== undefined) {
      // With netns the kernel looks the master up in the namespace the link goes to, after
      // the move: a name is resolved there (here, it could name another link of that index).
      const m = checkLinkRef(o.master, 'master')
      a['master'] = typeof m === 'number' ? m : o.netns !== undefined ? await this.inNamespace(o.netns, s => new LinkApi(s).index(m, callOpts(o))) : await this.index(m, callOpts(o))
    }
    if (o.netns !== undefined) {
      const fd = netnsAttrs(o.netns, a, 'netns')
      if (fd !== undefined) toClose.push(fd)
    }
    return a as LinkAttrs & Record<string, unknown>
  }

  private async peerAttrs(p: VethPeerOptions, toClose: number[]): Promise<Record<string, unknown>> {
    if (!p || typeof p !== 'object') throw new ValidationError('peer: expected { name, ... }', 'peer', p)
    if ((p as { up?: unknown }).up !== undefined)
      throw new ValidationError('peer.up: a veth peer cannot be brought up in the creating request; set it up afterwards', 'peer.up', (p as { up?: unknown }).up)
    checkKnownKeys(p, PEER_KEYS, 'peer')
    const a: Record<string, unknown> = {}
    if (p.name !== undefined) a['name'] = checkLinkName(p.name, 'peer.name')
    optInt(p.mtu, 'peer.mtu', 0, 0x7fffffff)
    optInt(p.txQueueLen, 'peer.txQueueLen', 0, 0xffffffff)
    if (p.mtu !== undefined) a['mtu'] = p.mtu
    if (p.address !== undefined) { parseMac(p.address, 'peer.address'); a['address'] = p.address }
    if (p.txQueueLen !== undefined) a['txQueueLen'] = p.txQueueLen
    if (p.alias !== undefined) {
      // Set after the pair exists (the kernel ignores IFLA_IFALIAS in a creating request).
      checkAlias(p.alias, 'peer.alias')
      if (p.name === undefined) throw new ValidationError('peer.alias: needs peer.name (the alias is set on the peer by name once it exists)', 'peer.alias', p.alias)
    }
    if (p.netns !== undefined) {
      const fd = netnsAttrs(p.netns, a, 'peer.netns')
      if (fd !== undefined) toClose.push(fd)
    }
    return a
  }

  /**
   * Runs fn with this client's socket, or with a short-lived socket in `where` (a link
   * created with `netns`, or a veth peer created in another namespace, lives there).
   */
  private async inNamespace<T>(where: NetnsTarget | undefined, fn: (s: NetlinkSocket) => Promise<T>): Promise<T> {
    if (where === undefined) return fn(this.sock)
    const ref = netnsRef(where, 'netns')
    // A pid's namespace is opened through /proc: a NetNsError if the process has gone since.
    const { fd, opened: own } = 'pid' in ref ? { fd: openNsFile(`/proc/${ref.pid}/ns/net`, undefined), opened: true } : ref
    try {
      const s = NetlinkSocket.open({ netnsFd: fd })
      try {
        return await fn(s)
      } finally {
        s.close()
      }
    } finally {
      if (own) closeSync(fd)
    }
  }

  /**
   * Kind or port data with the link names given where the table has a link's index
   * (`codecs.ifindex`: vxlan `dev`, bridge port `backupPort`, bond `primary`...) resolved,
   * here or in the namespace `where`.
   */
  private async withIndexes(table: AttrTable | undefined, data: Record<string, unknown>, field: string, o: CallOptions, where?: NetnsTarget): Promise<Record<string, unknown>> {
    let out = data
    for (const [k, v] of Object.entries(data)) {
      if (v === undefined || typeof v === 'number' || !table?.byKey.get(k)?.codec.linkRef) continue
      const ref = checkLinkRef(v, `${field}.${k}`)
      if (out === data) out = { ...data }
      out[k] = where === undefined ? await this.index(ref, callOpts(o)) : await this.inNamespace(where, s => new LinkApi(s).index(ref, callOpts(o)))
    }
    return out
  }
}

/** A list() filter: null or undefined means none; anything else must be an object. */
export function listFilter<F extends object>(filter: F | null | undefined, verb: string, known?: ReadonlySet<string>): F {
  if (filter === null || filter === undefined) return {} as F
  if (typeof filter !== 'object') throw new ValidationError(`${verb}: the filter must be an object`, 'filter', filter)
  if (known) checkOptionKeys(filter, known, verb)
  return filter
}

/** The timeout/signal part of an options object (for passing to the socket). */
export function callOpts(o: CallOptions): CallOptions {
  return copyCallOpts({}, o)
}

/** The socket options of one request: what it is about (for errors), timeout, signal. */
export function requestOpts(what: string, o: CallOptions): CallOptions & { what: string } {
  return copyCallOpts<CallOptions & { what: string }>({ what }, o)
}

/** Copies the timeout and signal that are set in o onto r. */
function copyCallOpts<R extends CallOptions>(r: R, o: CallOptions): R {
  if (o.timeout !== undefined) r.timeout = o.timeout
  if (o.signal !== undefined) r.signal = o.signal
  return r
}
