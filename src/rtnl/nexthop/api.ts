/**
 * Nexthop objects: `ip nexthop` as a typed promise API. struct nhmsg + NHA_* attributes, as in
 * <linux/nexthop.h> (Linux 6.18). Routes use them by id (`route.add({ dst, nhid })`).
 */
import type { RawAttr } from '../../attr/codec.js'
import { decodeFail } from '../../attr/codec.js'
import { attrTable, decodeAttrs, encodeAttrs, flag, nested, u16, u32, u64, type AttrsOf, type Codec } from '../../attr/table.js'
import { ip } from '../../attr/types.js'
import { NlWriter } from '../../attr/writer.js'
import { ValidationError } from '../../errors.js'
import { NLM_F_CREATE, NLM_F_EXCL, NLM_F_REPLACE } from '../../netlink/constants.js'
import type { NlMsg } from '../../netlink/header.js'
import { registerMessageType } from '../../netlink/registry.js'
import type { DumpIterable, NetlinkSocket } from '../../netlink/socket.js'
import { AF_INET, AF_INET6, familyNumber, parseIp, type Family } from '../../util/ip.js'
import { bitNamer } from '../../util/bits.js'
import { optBool, optInt } from '../../util/check.js'
import { checkOptionKeys, optionKeys } from '../../util/keys.js'
import { rd32 } from '../../util/le.js'
import { callOpts, listFilter, requestOpts, type CallOptions } from '../link/api.js'
import { dumpByLinks, resolveLink, type LinkRef } from '../link/resolve.js'
import { SCOPE_BY_NUM, type Scope } from '../addr/schema.js'
import { PROTOCOL_BY_NUM, protocolNumber, RTNH_F, type NexthopFlag, type RouteProtocol } from '../route/schema.js'

export const RTM_NEWNEXTHOP = 104
export const RTM_DELNEXTHOP = 105
export const RTM_GETNEXTHOP = 106
/** struct nhmsg { u8 family; u8 scope; u8 protocol; u8 resvd; u32 flags; } — 8 bytes. */
export const NHMSG_LEN = 8

/** One member of a group: struct nexthop_grp { u32 id; u8 weight (minus one); u8 resvd1; u16 resvd2; }. */
export interface NexthopGroupMember { id: number; weight: number }

const group: Codec<NexthopGroupMember[]> = {
  kind: 'nexthop_grp[]',
  decode(buf, off, len, path) {
    if (len % 8 !== 0) decodeFail(`NHA_GROUP of ${len} bytes is not an array of 8-byte nexthop_grp`, buf, off, path)
    const out: NexthopGroupMember[] = []
    for (let p = off; p < off + len; p += 8) out.push({ id: rd32(buf, p), weight: buf[p + 4]! + 1 })
    return out
  },
  encode(w, t, v) {
    const b = Buffer.alloc(v.length * 8)
    v.forEach((m, i) => {
      b.writeUInt32LE(m.id, i * 8)
      b[i * 8 + 4] = m.weight - 1
    })
    w.attrBytes(t, b)
  },
}

export const NHA_RES_GROUP = attrTable('NHA_RES_GROUP', {
  NHA_RES_GROUP_BUCKETS: [1, 'buckets', u16],
  NHA_RES_GROUP_IDLE_TIMER: [2, 'idleTimer', u32],                // clock_t (1/100 s)
  NHA_RES_GROUP_UNBALANCED_TIMER: [3, 'unbalancedTimer', u32],    // clock_t
  NHA_RES_GROUP_UNBALANCED_TIME: [4, 'unbalancedTime', u64],      // clock_t, read-only
})

export const NHA = attrTable('NHA', {
  NHA_ID: [1, 'id', u32],
  NHA_GROUP: [2, 'group', group],
  NHA_GROUP_TYPE: [3, 'groupType', u16],
  NHA_BLACKHOLE: [4, 'blackhole', flag],
  NHA_OIF: [5, 'oif', u32],
  NHA_GATEWAY: [6, 'gateway', ip],
  NHA_ENCAP_TYPE: [7, 'encapType', u16],
  NHA_GROUPS: [9, 'groups', flag],       // dump filter
  NHA_MASTER: [10, 'master', u32],       // dump filter
  NHA_FDB: [11, 'fdb', flag],
  NHA_RES_GROUP: [12, 'resGroup', nested(NHA_RES_GROUP)],
})
export type NexthopAttrs = AttrsOf<typeof NHA>

for (const [type, name, kind] of [[RTM_NEWNEXTHOP, 'RTM_NEWNEXTHOP', 'new'], [RTM_DELNEXTHOP, 'RTM_DELNEXTHOP', 'del'], [RTM_GETNEXTHOP, 'RTM_GETNEXTHOP', 'get']] as const)
  registerMessageType(type, { name, kind, headerSize: NHMSG_LEN, attrs: NHA })

/** A resilient group's parameters; timers in seconds. */
export interface ResilientGroup {
  buckets: number
  idleTimer: number
  unbalancedTimer: number
  /** Seconds the group has been out of balance (reported only). */
  unbalancedTime?: number
}

/** A nexthop object as the kernel reports it (`ip nexthop show`). */
export interface NexthopEntry {
  id: number
  /** `'inet'` / `'inet6'` for a single nexthop; absent for a group. */
  family?: Family | number
  /** The device (index). */
  oif?: number
  gateway?: string
  blackhole?: boolean
  /** A nexthop of bridge fdb entries (vxlan remotes). */
  fdb?: boolean
  /** RTNH_F_* by name (`'onlink'`, `'dead'`, `'linkdown'`...). */
  flags: NexthopFlag[]
  scope: Scope | number
  protocol: RouteProtocol | number
  /** A group's members, with weights 1-256. */
  group?: NexthopGroupMember[]
  groupType?: 'mpath' | 'resilient'
  resilient?: ResilientGroup
  unknown?: RawAttr[]
}

/** Options of {@link NexthopApi.add} (`ip nexthop add id N ...`). */
export interface NexthopAddOptions extends CallOptions {
  /** The id (1-4294967295); without one the kernel picks it (and it is not reported back). */
  id?: number
  /** Default: the gateway's family, else `'inet'`. */
  family?: Family | 4 | 6
  dev?: LinkRef
  gateway?: string
  onlink?: boolean
  blackhole?: boolean
  fdb?: boolean
  /** Members by id, or `{ id, weight }` (weight 1-256). */
  group?: (number | NexthopGroupMember)[]
  /** Default `'mpath'` (hash-threshold). */
  groupType?: 'mpath' | 'resilient'
  /** A resilient group's buckets and timers (seconds). */
  resilient?: Partial<Omit<ResilientGroup, 'unbalancedTime'>>
  protocol?: RouteProtocol | number
  /** Replace the nexthop with this id (`ip nexthop replace`). */
  replace?: boolean
}

/** Filters of {@link NexthopApi.list}, applied by the kernel. */
export interface NexthopListFilter extends CallOptions {
  family?: Family | 4 | 6
  /** Nexthops using this device. */
  dev?: LinkRef
  /** Nexthops whose device is enslaved to this master (a VRF). */
  master?: LinkRef
  /** Groups only. */
  groups?: boolean
  /**
   * Fdb nexthops only. Filtered here: the kernel takes NHA_FDB in a dump request but does not
   * apply it (nor does `ip nexthop show fdb`, which lists every nexthop).
   */
  fdb?: boolean
}

const ADD_KEYS = optionKeys<NexthopAddOptions>()(['id', 'family', 'dev', 'gateway', 'onlink', 'blackhole', 'fdb', 'group', 'groupType', 'resilient', 'protocol', 'replace', 'timeout', 'signal'])
const LIST_KEYS = optionKeys<NexthopListFilter>()(['family', 'dev', 'master', 'groups', 'fdb', 'timeout', 'signal'])
const GROUP_TYPES = { mpath: 0, resilient: 1 } as const
const flagNames = bitNamer(Object.entries(RTNH_F) as [NexthopFlag, number][], 16)
/** clock_t (USER_HZ = 100) to seconds and back. */
const HZ = 100

/** Decodes an RTM_NEWNEXTHOP (or RTM_DELNEXTHOP) message. */
export function decodeNexthop(msg: NlMsg): NexthopEntry {
  const { buf, off, end } = msg
  if (end - off < NHMSG_LEN) decodeFail('RTM_NEWNEXTHOP shorter than struct nhmsg', buf, off, 'RTM_NEWNEXTHOP')
  const fam = buf[off]!
  const a = decodeAttrs(NHA, buf, off + NHMSG_LEN, end, 'RTM_NEWNEXTHOP') as NexthopAttrs
  const scope = buf[off + 1]!
  const proto = buf[off + 2]!
  const n: NexthopEntry = {
    id: a.id ?? 0,
    flags: flagNames(buf.readUInt32LE(off + 4)),
    scope: SCOPE_BY_NUM[scope] ?? scope,
    protocol: PROTOCOL_BY_NUM[proto] ?? proto,
  }
  if (fam !== 0) n.family = fam === AF_INET ? 'inet' : fam === AF_INET6 ? 'inet6' : fam
  if (a.oif !== undefined) n.oif = a.oif
  if (a.gateway !== undefined) n.gateway = a.gateway
  if (a.blackhole) n.blackhole = true
  if (a.fdb) n.fdb = true
  if (a.group !== undefined) {
    n.group = a.group
    n.groupType = a.groupType === GROUP_TYPES.resilient ? 'resilient' : 'mpath'
  }
  const r = a.resGroup
  if (r !== undefined) {
    n.resilient = { buckets: r.buckets ?? 0, idleTimer: (r.idleTimer ?? 0) / HZ, unbalancedTimer: (r.unbalancedTimer ?? 0) / HZ }
    if (r.unbalancedTime !== undefined) n.resilient.unbalancedTime = r.unbalancedTime / HZ
  }
  if (a.unknown !== undefined) n.unknown = a.unknown
  return n
}

/** Builds a nexthop request: nlmsghdr + nhmsg + NHA attributes. */
export function nexthopMessage(type: number, nlFlags: number, h: { family: number; protocol: number; flags: number }, attrs: Partial<NexthopAttrs>): Buffer {
  const w = NlWriter.acquire()
  const start = w.beginMessage(type, nlFlags)
  const at = w.zeros(NHMSG_LEN)
  w.buf[at] = h.family
  w.buf[at + 2] = h.protocol
  w.buf.writeUInt32LE(h.flags >>> 0, at + 4)
  encodeAttrs(NHA, w, attrs as Record<string, unknown>)
  w.endMessage(start)
  return w.take()
}

function checkId(v: unknown, field = 'id'): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > 0xffffffff) throw new ValidationError(`${field}: expected a nexthop id 1-4294967295`, field, v)
  return v
}

/** `rtnl.nexthop`: nexthop objects (`ip nexthop`). */
export class NexthopApi {
  constructor(/** The socket its requests are sent on. */ readonly sock: NetlinkSocket) {}

  /**
   * Lists nexthops (a dump; family, device, master, groups and fdb are filtered by the kernel).
   * Equivalent to `ip [-4|-6] nexthop show [dev D] [master M] [groups] [fdb]`.
   * @example for await (const nh of rtnl.nexthop.list()) console.log(nh.id, nh.gateway ?? nh.group)
   */
  list(filter: NexthopListFilter | null = {}): DumpIterable<NexthopEntry> {
    const f = listFilter(filter, 'nexthop.list', LIST_KEYS)
    const family = familyNumber(f.family)
    optBool(f.groups, 'groups')
    optBool(f.fdb, 'fdb')
    const make = (oif: number | undefined, m: number | undefined): Buffer => {
      const a: Partial<NexthopAttrs> = {}
      if (oif !== undefined) a.oif = oif
      if (m !== undefined) a.master = m
      if (f.groups) a.groups = true
      return nexthopMessage(RTM_GETNEXTHOP, 0, { family, protocol: 0, flags: 0 }, a)
    }
    return dumpByLinks(this.sock, { link: f.dev, master: f.master, linkField: 'dev' }, make, decodeNexthop,
      { ...callOpts(f), what: 'nexthops' }, f.fdb ? n => n.fdb === true : undefined)
  }

  /**
   * One nexthop by id (`ip nexthop show id N`).
   * @throws {NetlinkError} `ENOENT` when there is none.
   */
  async get(id: number, opts: CallOptions = {}): Promise<NexthopEntry> {
    checkId(id)
    const n = await this.sock.requestOne(nexthopMessage(RTM_GETNEXTHOP, 0, { family: 0, protocol: 0, flags: 0 }, { id }), decodeNexthop, `nexthop ${id}`, callOpts(opts))
    if (n === undefined) throw new ValidationError('nexthop.get: the kernel sent no nexthop', 'id', id)
    return n
  }

  /**
   * Adds a nexthop (`ip nexthop add id N [via GW] [dev D] [onlink] | blackhole | group A[,W]/B[,W]
   * [type resilient ...] [fdb] [protocol P]`), or replaces one with `replace: true`.
   * @throws {ValidationError} for bad or conflicting options; {@link NetlinkError} `EEXIST` for a
   *   taken id, `ENETDOWN` ("Device for nexthop is not up") for a device that is down or has no carrier.
   * @example await rtnl.nexthop.add({ id: 1, gateway: '10.0.0.2', dev: 'eth0' })
   */
  async add(opts: NexthopAddOptions): Promise<void> {
    if (typeof opts !== 'object' || opts === null) throw new ValidationError('nexthop.add: the options must be an object', 'options', opts)
    checkOptionKeys(opts, ADD_KEYS, opts.replace ? 'nexthop.replace' : 'nexthop.add')
    const attrs: Partial<NexthopAttrs> = {}
    if (opts.id !== undefined) attrs.id = checkId(opts.id)
    for (const k of ['onlink', 'blackhole', 'fdb', 'replace'] as const) optBool(opts[k], k)
    let family = familyNumber(opts.family)
    if (opts.gateway !== undefined) {
      const g = parseIp(opts.gateway, 'gateway')
      if (family !== 0 && family !== g.family) throw new ValidationError(`gateway: ${opts.gateway} is not of family ${String(opts.family)}`, 'gateway', opts.gateway)
      family = g.family
      attrs.gateway = opts.gateway
    }
    const isGroup = opts.group !== undefined
    if (isGroup) {
      if (!Array.isArray(opts.group) || opts.group.length === 0) throw new ValidationError('group: expected a non-empty array of ids or { id, weight }', 'group', opts.group)
      attrs.group = opts.group.map((m, i) => {
        const o = typeof m === 'number' ? { id: m, weight: 1 } : m
        if (typeof o !== 'object' || o === null) throw new ValidationError(`group[${i}]: expected an id or { id, weight }`, `group[${i}]`, m)
        const weight = o.weight ?? 1
        if (!Number.isInteger(weight) || weight < 1 || weight > 256) throw new ValidationError(`group[${i}].weight: expected 1-256`, `group[${i}].weight`, weight)
        return { id: checkId(o.id, `group[${i}].id`), weight }
      })
      for (const k of ['dev', 'gateway', 'onlink', 'blackhole'] as const)
        if (opts[k] !== undefined) throw new ValidationError(`${k}: not with group (a group's members carry it)`, k, opts[k])
      if (opts.groupType !== undefined && !Object.hasOwn(GROUP_TYPES, opts.groupType)) throw new ValidationError("groupType: expected 'mpath' or 'resilient'", 'groupType', opts.groupType)
      if (opts.groupType === 'resilient') {
        attrs.groupType = GROUP_TYPES.resilient
        const r = opts.resilient ?? {}
        if (typeof r !== 'object' || r === null) throw new ValidationError('resilient: expected { buckets, idleTimer, unbalancedTimer }', 'resilient', r)
        checkOptionKeys(r, new Set(['buckets', 'idleTimer', 'unbalancedTimer']), 'resilient')
        optInt(r.buckets, 'resilient.buckets', 1, 0xffff)
        const res: Record<string, number> = {}
        if (r.buckets !== undefined) res['buckets'] = r.buckets
        for (const k of ['idleTimer', 'unbalancedTimer'] as const) {
          const v = r[k]
          if (v === undefined) continue
          if (typeof v !== 'number' || !(v >= 0) || v * HZ > 0xffffffff) throw new ValidationError(`resilient.${k}: expected seconds >= 0`, `resilient.${k}`, v)
          res[k] = Math.round(v * HZ)
        }
        attrs.resGroup = res
      } else if (opts.resilient !== undefined) throw new ValidationError("resilient: only with groupType 'resilient'", 'resilient', opts.resilient)
    } else {
      if (opts.groupType !== undefined || opts.resilient !== undefined) throw new ValidationError('groupType: only with group', 'groupType', opts.groupType)
      if (opts.blackhole && (opts.gateway !== undefined || opts.dev !== undefined || opts.fdb))
        throw new ValidationError('blackhole: not with gateway, dev or fdb', 'blackhole', true)
      if (!opts.blackhole && opts.dev === undefined && !(opts.fdb && opts.gateway !== undefined))
        throw new ValidationError('dev: required (or blackhole, or an fdb nexthop with a gateway)', 'dev', undefined)
      if (opts.fdb && opts.dev !== undefined) throw new ValidationError('dev: not with fdb (an fdb nexthop has only a gateway)', 'dev', opts.dev)
      if (opts.blackhole) attrs.blackhole = true
    }
    if (opts.fdb) attrs.fdb = true
    // A single nexthop without a gateway is IPv4, as ip sends it; a blackhole too (the kernel
    // takes any family for it). A group has none.
    if (!isGroup && family === 0) family = AF_INET
    const protocol = opts.protocol === undefined ? 0 : protocolNumber(opts.protocol)
    if (opts.dev !== undefined) attrs.oif = await resolveLink(this.sock, opts.dev, 'dev')
    const nl = NLM_F_CREATE | (opts.replace ? NLM_F_REPLACE : NLM_F_EXCL)
    const msg = nexthopMessage(RTM_NEWNEXTHOP, nl, { family, protocol, flags: opts.onlink ? RTNH_F.onlink : 0 }, attrs)
    await this.sock.requestVoid(msg, requestOpts(`nexthop${opts.id !== undefined ? ` ${opts.id}` : ''}`, opts))
  }

  /** Replaces the nexthop with `opts.id` (`ip nexthop replace`): {@link add} with `replace: true`. */
  replace(opts: NexthopAddOptions): Promise<void> {
    return this.add({ ...opts, replace: true })
  }

  /**
   * Deletes a nexthop by id, or a listed one (`ip nexthop del id N`). Routes using it go with it;
   * groups lose it as a member.
   * @throws {NetlinkError} `ENOENT` when there is none.
   */
  async del(ref: number | NexthopEntry, opts: CallOptions = {}): Promise<void> {
    const id = checkId(typeof ref === 'object' && ref !== null ? ref.id : ref)
    await this.sock.requestVoid(nexthopMessage(RTM_DELNEXTHOP, 0, { family: 0, protocol: 0, flags: 0 }, { id }), requestOpts(`nexthop ${id}`, opts))
  }
}
