/**
 * Neighbour verbs: `ip neigh` (the ARP and NDP tables) as a typed promise API.
 */
import type { RawAttr } from '../../attr/codec.js'
import { decodeFail } from '../../attr/codec.js'
import { decodeAttrs, encodeAttrs } from '../../attr/table.js'
import { NlWriter } from '../../attr/writer.js'
import { ValidationError } from '../../errors.js'
import { NLM_F_CREATE, NLM_F_EXCL, NLM_F_REPLACE } from '../../netlink/constants.js'
import type { NlMsg } from '../../netlink/header.js'
import type { DumpIterable, NetlinkSocket } from '../../netlink/socket.js'
import { AF_BRIDGE, AF_INET, AF_INET6, familyNumber, parseIp, parseMac, type Family } from '../../util/ip.js'
import { bitNamer } from '../../util/bits.js'
import { optBool } from '../../util/check.js'
import { checkOptionKeys, copyDefined, optionKeys } from '../../util/keys.js'
import { callOpts, listFilter, requestOpts, type CallOptions } from '../link/api.js'
import { dumpByLinks, requiredLink, resolveLink, type LinkRef } from '../link/resolve.js'
import {
  NDA, NDMSG_LEN, NTF, NUD, RTM_DELNEIGH, RTM_GETNEIGH, RTM_NEWNEIGH,
  type NeighAttrs, type NeighCacheInfo, type NeighFlag, type NeighState,
} from './schema.js'

/** A neighbour entry as the kernel reports it (`ip neigh show`). */
export interface Neigh {
  /** `'inet'` (ARP), `'inet6'` (NDP), `'bridge'` (a bridge's forwarding entry), or the AF_* number. */
  family: Family | 'bridge' | number
  /** Index of the link it is on. */
  index: number
  /** The neighbour's address (NDA_DST): `'10.0.0.2'`, `'fe80::1'`. */
  address?: string
  /** Its link-layer address (NDA_LLADDR), `'aa:bb:cc:dd:ee:ff'`; absent while unresolved. */
  lladdr?: string
  /** NUD_* state: `'reachable'`, `'stale'`, `'permanent'`, `'failed'`... (a number if unknown). */
  state: NeighState | number
  /** NTF_* flags by name (`'router'`, `'proxy'`, `'extLearned'`...). */
  flags: NeighFlag[]
  /** Times in hundredths of a second since confirmed, used and updated, and the refcount. */
  cacheInfo?: NeighCacheInfo
  /** Unanswered probes. */
  probes?: number
  /** NDA_PROTOCOL: who added it (a number, as in route protocols). */
  protocol?: number
  vlan?: number
  port?: number
  vni?: number
  srcVni?: number
  master?: number
  /** NDA_IFINDEX: the link a vxlan forwarding entry's remote is reached by. */
  via?: number
  nhid?: number
  linkNetnsId?: number
  unknown?: RawAttr[]
}

/** Options of {@link NeighApi.add}: `ip neigh add ADDRESS lladdr LLADDR dev LINK [nud STATE] [router] [proxy]`. */
export interface NeighAddOptions extends CallOptions {
  link: LinkRef
  /** The neighbour's IPv4 or IPv6 address. */
  address: string
  /** Its link-layer address; required unless `proxy` (or `state` `'noarp'`/`'failed'`/`'incomplete'`...). */
  lladdr?: string
  /** NUD state to set; default `'permanent'`, as `ip neigh add`. */
  state?: Exclude<NeighState, 'none'>
  /** NTF_ROUTER: an IPv6 neighbour that is a router. */
  router?: boolean
  /** A proxy entry (`ip neigh add proxy ADDRESS dev LINK`): answer for ADDRESS on LINK. */
  proxy?: boolean
  /** NTF_EXT_LEARNED: an entry managed by someone else (the kernel keeps it from garbage collection). */
  extLearned?: boolean
  /** NDA_PROTOCOL (a number). */
  protocol?: number
  /** Replace an existing entry instead of failing with EEXIST (`ip neigh replace`). */
  replace?: boolean
}

/** Options of {@link NeighApi.del} and {@link NeighApi.get}: which entry. */
export interface NeighRefOptions extends CallOptions {
  link: LinkRef
  address: string
  /** The proxy entry for this address (`ip neigh del proxy ...`). */
  proxy?: boolean
}

/** Filters of {@link NeighApi.list}, applied by the kernel. */
export interface NeighListFilter extends CallOptions {
  /** Entries on this link only. */
  link?: LinkRef
  /** Entries on links enslaved to this master (a bridge, a vrf). */
  master?: LinkRef
  family?: Family | 4 | 6
  /** The proxy entries instead of the neighbours (`ip neigh show proxy`). */
  proxy?: boolean
}

const ADD_KEYS = optionKeys<NeighAddOptions>()(['link', 'address', 'lladdr', 'state', 'router', 'proxy', 'extLearned', 'protocol', 'replace', 'timeout', 'signal'])
const REF_KEYS = optionKeys<NeighRefOptions>()(['link', 'address', 'proxy', 'timeout', 'signal'])
const LIST_KEYS = optionKeys<NeighListFilter>()(['link', 'master', 'family', 'proxy', 'timeout', 'signal'])
const FLUSH_KEYS = optionKeys<CallOptions & { family?: Family | 4 | 6; states?: NeighState[] }>()(['family', 'states', 'timeout', 'signal'])

const STATE_BY_NUM = new Map<number, NeighState>([[0, 'none'], ...Object.entries(NUD).map(([k, v]) => [v, k] as [number, NeighState])])
const flagNames = bitNamer(Object.entries(NTF) as [NeighFlag, number][], 64)

/** Decodes an RTM_NEWNEIGH (or RTM_DELNEIGH) message. */
export function decodeNeigh(msg: NlMsg): Neigh {
  const { buf, off, end } = msg
  if (end - off < NDMSG_LEN) decodeFail('RTM_NEWNEIGH shorter than struct ndmsg', buf, off, 'RTM_NEWNEIGH')
  const fam = buf[off]!
  const stateNum = buf.readUInt16LE(off + 8)
  const a = decodeAttrs(NDA, buf, off + NDMSG_LEN, end, 'RTM_NEWNEIGH') as NeighAttrs
  const n: Neigh = {
    family: fam === AF_INET ? 'inet' : fam === AF_INET6 ? 'inet6' : fam === AF_BRIDGE ? 'bridge' : fam,
    index: buf.readInt32LE(off + 4),
    state: STATE_BY_NUM.get(stateNum) ?? stateNum,
    flags: flagNames(buf[off + 10]! | ((a.flagsExt ?? 0) << 8)),
  }
  if (a.dst !== undefined) n.address = a.dst
  copyDefined(a, n, ['lladdr', 'cacheInfo', 'probes', 'protocol', 'vlan', 'port', 'vni', 'srcVni', 'master'])
  if (a.ifindex !== undefined) n.via = a.ifindex
  copyDefined(a, n, ['nhid', 'linkNetnsId', 'unknown'])
  return n
}

interface NdHeader { family: number; index: number; state: number; flags: number }

/** Builds a neighbour request: nlmsghdr + ndmsg + NDA attributes. */
export function neighMessage(type: number, nlFlags: number, h: NdHeader, attrs: Partial<NeighAttrs>): Buffer {
  const w = NlWriter.acquire()
  const start = w.beginMessage(type, nlFlags)
  const at = w.zeros(NDMSG_LEN)
  w.buf[at] = h.family
  w.buf.writeInt32LE(h.index, at + 4)
  w.buf.writeUInt16LE(h.state, at + 8)
  w.buf[at + 10] = h.flags & 0xff
  encodeAttrs(NDA, w, attrs as Record<string, unknown>)
  w.endMessage(start)
  return w.take()
}

function stateNumber(v: unknown): number {
  if (typeof v === 'string' && Object.hasOwn(NUD, v)) return NUD[v as keyof typeof NUD]
  throw new ValidationError(`state: expected one of ${Object.keys(NUD).map(k => `'${k}'`).join(', ')}`, 'state', v)
}

function checkAddress(v: unknown): ReturnType<typeof parseIp> {
  if (typeof v !== 'string') throw new ValidationError('address: expected an IPv4 or IPv6 address', 'address', v)
  if (v.includes('/')) throw new ValidationError(`address: a neighbour is one address, not a prefix: ${JSON.stringify(v)}`, 'address', v)
  return parseIp(v, 'address')
}

/** A decoded Neigh rather than options: it has `index` and `state`, and no `link`. */
function isListedNeigh(o: unknown): o is Neigh {
  return typeof o === 'object' && o !== null && (o as Partial<NeighRefOptions>).link === undefined &&
    typeof (o as Partial<Neigh>).index === 'number' && (o as Partial<Neigh>).state !== undefined
}

/** `rtnl.neigh`: the neighbour tables (`ip neigh`). */
export class NeighApi {
  constructor(/** The socket its requests are sent on (for `rtnl.neigh`, the client's `rtnl.sock`). */ readonly sock: NetlinkSocket) {}

  /**
   * Lists neighbour entries (a dump; link, master, family and proxy are filtered by the
   * kernel). Equivalent to `ip neigh show [dev LINK] [master M] [proxy]`.
   * @example for await (const n of rtnl.neigh.list({ link: 'eth0' })) console.log(n.address, n.lladdr, n.state)
   */
  list(filter: NeighListFilter | null = {}): DumpIterable<Neigh> {
    const f = listFilter(filter, 'neigh.list', LIST_KEYS)
    const family = familyNumber(f.family)
    optBool(f.proxy, 'proxy')
    const make = (ifindex: number | undefined, masterIndex: number | undefined): Buffer => {
      const a: Partial<NeighAttrs> = {}
      if (ifindex !== undefined) a.ifindex = ifindex
      if (masterIndex !== undefined) a.master = masterIndex
      return neighMessage(RTM_GETNEIGH, 0, { family, index: 0, state: 0, flags: f.proxy ? NTF.proxy : 0 }, a)
    }
    return dumpByLinks(this.sock, f, make, decodeNeigh, { ...callOpts(f), what: 'neighbours' })
  }

  /**
   * One entry, asked of the kernel (`ip neigh get ADDRESS dev LINK`).
   * @throws {NetlinkError} `ENOENT` when there is none, `ENODEV` for an unknown link.
   * @example const n = await rtnl.neigh.get({ link: 'eth0', address: '10.0.0.1' })
   */
  async get(opts: NeighRefOptions): Promise<Neigh> {
    const { index, dst } = await this.ref(opts, 'neigh.get')
    const msg = neighMessage(RTM_GETNEIGH, 0, { family: dst.family, index, state: 0, flags: opts.proxy ? NTF.proxy : 0 }, { dst: opts.address })
    const n = await this.sock.requestOne(msg, decodeNeigh, `${opts.address} dev ${String(opts.link)}`, callOpts(opts))
    if (n === undefined) throw new ValidationError('neigh.get: the kernel sent no entry', 'address', opts.address)
    return n
  }

  /**
   * Adds an entry (`ip neigh add ADDRESS lladdr LLADDR dev LINK [nud STATE] [router]`; state
   * `'permanent'` unless given), or with `replace: true` adds or replaces it
   * (`ip neigh replace`). A proxy entry needs no `lladdr`.
   * @throws {ValidationError} for a bad address, lladdr, state or option; {@link NetlinkError}
   *   `EEXIST` when it exists (pass `replace: true`), `ENODEV` for an unknown link.
   * @example await rtnl.neigh.add({ link: 'br0', address: '10.0.0.2', lladdr: '02:00:00:00:00:02' })
   */
  async add(opts: NeighAddOptions): Promise<void> {
    if (typeof opts !== 'object' || opts === null) throw new ValidationError('neigh.add: the options must be an object', 'options', opts)
    checkOptionKeys(opts, ADD_KEYS, opts.replace ? 'neigh.replace' : 'neigh.add')
    const dst = checkAddress(opts.address)
    const lladdr = opts.lladdr === undefined ? undefined : parseMac(opts.lladdr, 'lladdr')
    for (const k of ['router', 'proxy', 'extLearned', 'replace'] as const) optBool(opts[k], k)
    const state = opts.state === undefined ? NUD.permanent : stateNumber(opts.state)
    if (opts.protocol !== undefined && (!Number.isInteger(opts.protocol) || opts.protocol < 0 || opts.protocol > 255))
      throw new ValidationError('protocol: expected an integer 0-255', 'protocol', opts.protocol)
    if (opts.router && dst.family !== AF_INET6) throw new ValidationError('router: IPv6 neighbours only (NTF_ROUTER is an NDP flag)', 'router', opts.router)
    if (!opts.proxy && lladdr === undefined && (state & (NUD.permanent | NUD.reachable | NUD.stale | NUD.delay | NUD.probe)))
      throw new ValidationError(`lladdr: required for a ${opts.state ?? 'permanent'} entry`, 'lladdr', opts.lladdr)
    const index = await requiredLink(this.sock, opts.link)
    const flags = (opts.router ? NTF.router : 0) | (opts.proxy ? NTF.proxy : 0) | (opts.extLearned ? NTF.extLearned : 0)
    const attrs: Partial<NeighAttrs> = { dst: opts.address }
    if (opts.lladdr !== undefined) attrs.lladdr = opts.lladdr
    if (opts.protocol !== undefined) attrs.protocol = opts.protocol
    const nl = NLM_F_CREATE | (opts.replace ? NLM_F_REPLACE : NLM_F_EXCL)
    const msg = neighMessage(RTM_NEWNEIGH, nl, { family: dst.family, index, state, flags }, attrs)
    await this.sock.requestVoid(msg, requestOpts(`${opts.address} dev ${String(opts.link)}`, opts))
  }

  /**
   * Adds or replaces an entry (`ip neigh replace`): {@link add} with `replace: true`.
   * @example await rtnl.neigh.replace({ link: 'br0', address: '10.0.0.2', lladdr: '02:00:00:00:00:03' })
   */
  replace(opts: NeighAddOptions): Promise<void> {
    return this.add({ ...opts, replace: true })
  }

  /**
   * Deletes an entry (`ip neigh del ADDRESS dev LINK`), given by link and address or as listed.
   * @throws {NetlinkError} `ENOENT` when there is none, `ENODEV` for an unknown link.
   * @example await rtnl.neigh.del({ link: 'br0', address: '10.0.0.2' })
   */
  async del(opts: NeighRefOptions | Neigh): Promise<void> {
    if (isListedNeigh(opts)) {
      if (opts.address === undefined) throw new ValidationError('neigh.del: this entry has no address (a bridge forwarding entry?)', 'address', opts)
      opts = { link: opts.index, address: opts.address, ...(opts.flags.includes('proxy') ? { proxy: true } : {}) }
    }
    const { index, dst } = await this.ref(opts, 'neigh.del')
    // ip sends NUD_PERMANENT here too; the kernel does not read the state of a delete.
    const msg = neighMessage(RTM_DELNEIGH, 0, { family: dst.family, index, state: NUD.permanent, flags: opts.proxy ? NTF.proxy : 0 }, { dst: opts.address })
    await this.sock.requestVoid(msg, requestOpts(`${opts.address} dev ${String(opts.link)}`, opts))
  }

  /**
   * Deletes a link's entries (`ip neigh flush dev LINK [nud STATE...]`): by default those the
   * kernel learned (every state but `permanent` and `noarp`), as ip does; `states` picks
   * others (`['permanent']`, or every state name for all). Resolves with how many were deleted.
   * @example const n = await rtnl.neigh.flush('eth0', { family: 4 })
   */
  async flush(link: LinkRef, opts: CallOptions & { family?: Family | 4 | 6; states?: NeighState[] } = {}): Promise<number> {
    checkOptionKeys(opts, FLUSH_KEYS, 'neigh.flush')
    const states = opts.states ?? (Object.keys(NUD) as NeighState[]).filter(s => s !== 'permanent' && s !== 'noarp').concat('none')
    if (!Array.isArray(states) || states.some(s => s !== 'none' && !Object.hasOwn(NUD, s)))
      throw new ValidationError(`states: expected an array of ${[...Object.keys(NUD), 'none'].join(', ')}`, 'states', opts.states)
    const index = await resolveLink(this.sock, link)
    const f: NeighListFilter = { link: index, ...callOpts(opts) }
    if (opts.family !== undefined) f.family = opts.family
    const doomed = (await this.list(f).toArray()).filter(n => n.address !== undefined && (n.family === 'inet' || n.family === 'inet6') && states.includes(n.state as NeighState))
    let n = 0
    for (const e of doomed) {
      try {
        await this.del({ link: index, address: e.address!, ...callOpts(opts) })
        n++
      } catch (err) {
        // Gone meanwhile (garbage-collected, or deleted by someone else).
        if ((err as { code?: string }).code !== 'ENOENT') throw err
      }
    }
    return n
  }

  private async ref(opts: NeighRefOptions, verb: string): Promise<{ index: number; dst: ReturnType<typeof parseIp> }> {
    if (typeof opts !== 'object' || opts === null) throw new ValidationError(`${verb}: the options must be an object`, 'options', opts)
    checkOptionKeys(opts, REF_KEYS, verb)
    const dst = checkAddress(opts.address)
    optBool(opts.proxy, 'proxy')
    return { index: await requiredLink(this.sock, opts.link), dst }
  }

}
