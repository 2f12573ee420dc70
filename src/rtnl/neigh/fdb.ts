/**
 * Forwarding database verbs: `bridge fdb` as a typed promise API. FDB entries are neighbour
 * messages (struct ndmsg + NDA_*) of family AF_BRIDGE, kept by bridges (the MAC addresses
 * behind each port) and by vxlan devices (the remote behind each MAC).
 */
import type { RawAttr } from '../../attr/codec.js'
import { ValidationError } from '../../errors.js'
import { NLM_F_APPEND, NLM_F_CREATE, NLM_F_EXCL, NLM_F_REPLACE } from '../../netlink/constants.js'
import type { NlMsg } from '../../netlink/header.js'
import type { DumpIterable, NetlinkSocket } from '../../netlink/socket.js'
import { AF_BRIDGE, parseIp, parseMac } from '../../util/ip.js'
import { optBool, optInt } from '../../util/check.js'
import { checkOptionKeys, copyDefined, optionKeys } from '../../util/keys.js'
import { callOpts, listFilter, requestOpts, type CallOptions } from '../link/api.js'
import { dumpByLinks, requiredLink, resolveLink, type LinkRef } from '../link/resolve.js'
import { decodeNeigh, neighMessage } from './api.js'
import { NTF, NUD, RTM_DELNEIGH, RTM_GETNEIGH, RTM_NEWNEIGH, type NeighAttrs, type NeighCacheInfo, type NeighFlag } from './schema.js'

/** How an entry was made, as `bridge fdb` prints it: NUD_PERMANENT, NUD_NOARP, or learned. */
export type FdbState = 'permanent' | 'static' | 'dynamic'

/** A forwarding database entry (`bridge fdb show`). */
export interface FdbEntry {
  /** The link it is on: a bridge port, a vxlan device, or the bridge itself. */
  index: number
  /** The MAC address (NDA_LLADDR). */
  mac: string
  state: FdbState
  /** NTF_* by name: `'self'` (the device's own table), `'master'` (its bridge's), `'extLearned'`, `'offloaded'`, `'sticky'`... */
  flags: NeighFlag[]
  /** The bridge (NDA_MASTER) of an entry in a bridge's table. */
  master?: number
  vlan?: number
  /** vxlan: the remote the MAC is behind (NDA_DST), its UDP port, VNI, source VNI, and the link to reach it (NDA_IFINDEX). */
  dst?: string
  port?: number
  vni?: number
  srcVni?: number
  via?: number
  nhid?: number
  cacheInfo?: NeighCacheInfo
  unknown?: RawAttr[]
}

/** Which entry: the fields {@link FdbApi.add} and {@link FdbApi.del} share. */
export interface FdbDelOptions extends CallOptions {
  link: LinkRef
  mac: string
  /** The bridge's table (the link is its port). */
  master?: boolean
  /** The device's own table (the default when neither is given, as `bridge` does). */
  self?: boolean
  vlan?: number
  /** vxlan: the remote VTEP's address (on del: one remote of a MAC that has several). */
  dst?: string
  /** vxlan: its UDP port. */
  port?: number
  vni?: number
  srcVni?: number
}

/** Options of {@link FdbApi.add} (`bridge fdb add MAC dev LINK [master] [self] [vlan N] [dst IP] ...`). */
export interface FdbAddOptions extends FdbDelOptions {
  /** Default `'permanent'`, as `bridge fdb add`. */
  state?: FdbState
  /** vxlan: the link to reach `dst` by. */
  via?: LinkRef
  sticky?: boolean
  extLearned?: boolean
}

/** Filters of {@link FdbApi.list}, applied by the kernel. */
export interface FdbListFilter extends CallOptions {
  /** Entries of this bridge (`br`). */
  master?: LinkRef
  /** Entries on this port or device (`brport` / `dev`). */
  link?: LinkRef
}

const ADD_KEYS = optionKeys<FdbAddOptions>()(['link', 'mac', 'state', 'master', 'self', 'vlan', 'dst', 'port', 'vni', 'srcVni', 'via', 'sticky', 'extLearned', 'timeout', 'signal'])
const DEL_KEYS = optionKeys<FdbDelOptions>()(['link', 'mac', 'master', 'self', 'vlan', 'dst', 'port', 'vni', 'srcVni', 'timeout', 'signal'])
const LIST_KEYS = optionKeys<FdbListFilter>()(['master', 'link', 'timeout', 'signal'])

/** ndm_state bytes `bridge` sends: permanent NOARP|PERMANENT, static NOARP|REACHABLE, dynamic REACHABLE. */
const STATE_BITS: Record<FdbState, number> = {
  permanent: NUD.noarp | NUD.permanent, static: NUD.noarp | NUD.reachable, dynamic: NUD.reachable,
}

/** Decodes an AF_BRIDGE RTM_NEWNEIGH (or RTM_DELNEIGH) message. */
export function decodeFdb(msg: NlMsg): FdbEntry {
  const n = decodeNeigh(msg)
  const stateNum = msg.buf.readUInt16LE(msg.off + 8)
  const e: FdbEntry = {
    index: n.index,
    mac: n.lladdr ?? '',
    state: stateNum & NUD.permanent ? 'permanent' : stateNum & NUD.noarp ? 'static' : 'dynamic',
    flags: n.flags,
  }
  if (n.address !== undefined) e.dst = n.address
  copyDefined(n, e, ['master', 'vlan', 'port', 'vni', 'srcVni', 'nhid', 'via', 'cacheInfo', 'unknown'])
  return e
}

/** A decoded FdbEntry rather than options: it has `index` and `state`, and no `link`. */
function isListedFdb(o: unknown): o is FdbEntry {
  return typeof o === 'object' && o !== null && (o as Partial<FdbDelOptions>).link === undefined &&
    typeof (o as Partial<FdbEntry>).index === 'number' && typeof (o as Partial<FdbEntry>).state === 'string'
}

/** `rtnl.fdb`: forwarding databases of bridges and vxlan devices (`bridge fdb`). */
export class FdbApi {
  constructor(/** The socket its requests are sent on. */ readonly sock: NetlinkSocket) {}

  /**
   * Lists forwarding entries (a dump; bridge and port are filtered by the kernel). Equivalent
   * to `bridge fdb show [br BRIDGE] [brport PORT]`.
   * @example for await (const e of rtnl.fdb.list({ master: 'br0' })) console.log(e.mac, e.index, e.vlan)
   */
  list(filter: FdbListFilter | null = {}): DumpIterable<FdbEntry> {
    const f = listFilter(filter, 'fdb.list', LIST_KEYS)
    const make = (port: number | undefined, br: number | undefined): Buffer =>
      neighMessage(RTM_GETNEIGH, 0, { family: AF_BRIDGE, index: port ?? 0, state: 0, flags: 0 }, br === undefined ? {} : { master: br })
    return dumpByLinks(this.sock, f, make, decodeFdb, { ...callOpts(f), what: 'fdb' })
  }

  /**
   * Adds an entry (`bridge fdb add`): to the device's own table by default (`self`), to its
   * bridge's with `master: true`.
   * @throws {ValidationError} for a bad MAC, address or option; {@link NetlinkError} `EEXIST`
   *   when it exists (use {@link replace}), `ENODEV` for an unknown link.
   * @example await rtnl.fdb.add({ link: 'veth0', mac: '02:00:00:00:00:01', master: true, vlan: 10 })
   */
  add(opts: FdbAddOptions): Promise<void> {
    return this.change(opts, NLM_F_CREATE | NLM_F_EXCL, 'fdb.add')
  }

  /** Adds or replaces an entry (`bridge fdb replace`). */
  replace(opts: FdbAddOptions): Promise<void> {
    return this.change(opts, NLM_F_CREATE | NLM_F_REPLACE, 'fdb.replace')
  }

  /**
   * Adds another remote for a MAC of a vxlan device (`bridge fdb append`): the all-zeros MAC
   * with several `dst`s floods unknown traffic to each.
   * @example await rtnl.fdb.append({ link: 'vx0', mac: '00:00:00:00:00:00', dst: '10.0.0.2' })
   */
  append(opts: FdbAddOptions): Promise<void> {
    return this.change(opts, NLM_F_CREATE | NLM_F_APPEND, 'fdb.append')
  }

  /**
   * Deletes an entry (`bridge fdb del MAC dev LINK [master] [vlan N]`), or a listed one.
   * @throws {NetlinkError} `ENOENT` when there is none.
   * @example await rtnl.fdb.del({ link: 'veth0', mac: '02:00:00:00:00:01', master: true })
   */
  async del(opts: FdbDelOptions | FdbEntry): Promise<void> {
    if (isListedFdb(opts)) {
      const e = opts
      const o: FdbDelOptions = { link: e.index, mac: e.mac }
      // The kernel marks the device's own entries NTF_SELF; a bridge's entries carry NDA_MASTER.
      if (!e.flags.includes('self') && e.master !== undefined && e.master !== e.index) o.master = true
      else o.self = true
      copyDefined(e, o, ['vlan', 'dst', 'port', 'vni'])
      opts = o
    }
    if (typeof opts !== 'object' || opts === null) throw new ValidationError('fdb.del: the options must be an object', 'options', opts)
    checkOptionKeys(opts, DEL_KEYS, 'fdb.del')
    const { attrs, flags } = this.common(opts)
    const index = await requiredLink(this.sock, opts.link)
    // bridge sends NOARP|PERMANENT on a delete too; the kernel does not read it.
    const msg = neighMessage(RTM_DELNEIGH, 0, { family: AF_BRIDGE, index, state: STATE_BITS.permanent, flags }, attrs)
    await this.sock.requestVoid(msg, requestOpts(`${opts.mac} dev ${String(opts.link)}`, opts))
  }

  private async change(opts: FdbAddOptions, nlFlags: number, verb: string): Promise<void> {
    if (typeof opts !== 'object' || opts === null) throw new ValidationError(`${verb}: the options must be an object`, 'options', opts)
    checkOptionKeys(opts, ADD_KEYS, verb)
    const { attrs, flags: f } = this.common(opts)
    let flags = f
    for (const k of ['sticky', 'extLearned'] as const) optBool(opts[k], k)
    if (opts.sticky) flags |= NTF.sticky
    if (opts.extLearned) flags |= NTF.extLearned
    if (opts.state !== undefined && !Object.hasOwn(STATE_BITS, opts.state))
      throw new ValidationError("state: expected 'permanent', 'static' or 'dynamic'", 'state', opts.state)
    const state = STATE_BITS[opts.state ?? 'permanent']
    // br_fdb.c refuses NTF_STICKY on a local (permanent) entry with a bare EINVAL.
    if (opts.sticky && state & NUD.permanent) throw new ValidationError("sticky: only on a 'static' or 'dynamic' entry (the kernel refuses a sticky permanent one)", 'sticky', opts.sticky)
    if (opts.via !== undefined) attrs.ifindex = await resolveLink(this.sock, opts.via, 'via')
    const index = await requiredLink(this.sock, opts.link)
    const msg = neighMessage(RTM_NEWNEIGH, nlFlags, { family: AF_BRIDGE, index, state, flags }, attrs)
    await this.sock.requestVoid(msg, requestOpts(`${opts.mac} dev ${String(opts.link)}`, opts))
  }

  /** Attributes and NTF_SELF/NTF_MASTER shared by add and del. */
  private common(opts: FdbDelOptions): { attrs: Partial<NeighAttrs>; flags: number } {
    if (typeof opts.mac !== 'string' || parseMac(opts.mac, 'mac').length !== 6) throw new ValidationError('mac: expected a MAC address like 02:00:00:00:00:01', 'mac', opts.mac)
    for (const k of ['master', 'self'] as const) optBool(opts[k], k)
    let flags = (opts.master ? NTF.master : 0) | (opts.self ? NTF.self : 0)
    if (flags === 0) flags = NTF.self // as bridge: assume self
    const attrs: Partial<NeighAttrs> = { lladdr: opts.mac }
    if (opts.dst !== undefined) {
      parseIp(opts.dst, 'dst')
      attrs.dst = opts.dst
    }
    optInt(opts.vlan, 'vlan', 1, 4094)
    if (opts.vlan !== undefined) attrs.vlan = opts.vlan
    optInt(opts.port, 'port', 0, 0xffff)
    if (opts.port !== undefined) attrs.port = opts.port
    optInt(opts.vni, 'vni', 0, 0xffffff)
    if (opts.vni !== undefined) attrs.vni = opts.vni
    optInt(opts.srcVni, 'srcVni', 0, 0xffffff)
    if (opts.srcVni !== undefined) attrs.srcVni = opts.srcVni
    return { attrs, flags }
  }
}
