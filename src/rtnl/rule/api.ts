/**
 * Rule verbs: `ip rule` (routing policy) as a typed promise API, IPv4 and IPv6.
 */
import type { RawAttr } from '../../attr/codec.js'
import { decodeFail } from '../../attr/codec.js'
import { decodeAttrs, encodeAttrs } from '../../attr/table.js'
import { NlWriter } from '../../attr/writer.js'
import { ValidationError } from '../../errors.js'
import { NLM_F_CREATE, NLM_F_EXCL } from '../../netlink/constants.js'
import type { NlMsg } from '../../netlink/header.js'
import type { DumpIterable, NetlinkSocket } from '../../netlink/socket.js'
import { AF_INET, AF_INET6, familyNumber, ipFamilyNumber, parseCidr, type Family } from '../../util/ip.js'
import { bitNamer } from '../../util/bits.js'
import { optBool, optInt } from '../../util/check.js'
import { checkOptionKeys, copyDefined, optionKeys } from '../../util/keys.js'
import { callOpts, listFilter, requestOpts, type CallOptions } from '../link/api.js'
import { PROTOCOL_BY_NUM, protocolNumber, TABLES, type RouteProtocol } from '../route/schema.js'
import type { TableRef } from '../route/api.js'
import {
  FIB_RULE, FIB_RULE_HDR_LEN, FR_ACT, FRA, IP_PROTOS, RTM_DELRULE, RTM_GETRULE, RTM_NEWRULE,
  type Range, type RuleAction, type RuleAttrs, type RuleFlag,
} from './schema.js'

/** A routing policy rule as the kernel reports it (`ip rule show`). */
export interface Rule {
  /** `'inet'`, `'inet6'`, or the multicast routing tables' `'ipmr'` / `'ip6mr'` (RTNL_FAMILY_IPMR/IP6MR). */
  family: Family | 'ipmr' | 'ip6mr' | number
  /** Its preference (`pref`): rules are tried from the lowest. */
  priority: number
  /** What a match does: look up `table`, `goto` another rule, `nop`, or drop (`blackhole`, `unreachable`, `prohibit`). */
  action: RuleAction | number
  /** The table looked up (action `'table'`): 254 main, 255 local, 253 default, or any id. */
  table?: number
  /** Source prefix matched (`from`), e.g. `'10.0.0.0/8'`; absent: all. */
  src?: string
  /** Destination prefix matched (`to`). */
  dst?: string
  /** The rule matches what it would not (`not`). */
  not: boolean
  /** FIB_RULE_* flags by name (`'invert'`, `'unresolved'` for a goto to no rule, `'iifDetached'`...). */
  flags: RuleFlag[]
  tos?: number
  iif?: string
  oif?: string
  fwmark?: number
  fwmask?: number
  /** The rule it jumps to (action `'goto'`). */
  goto?: number
  /** Realms: source in the high 16 bits, destination in the low (`realms FROM/TO`). */
  flow?: number
  tunId?: bigint
  suppressIfgroup?: number
  suppressPrefixLength?: number
  l3mdev?: boolean
  uidRange?: Range
  /** Who added it (FRA_PROTOCOL): `'boot'`, `'static'`, `'kernel'`... or a number. */
  protocol?: RouteProtocol | number
  ipProto?: number
  sport?: Range
  dport?: Range
  dscp?: number
  flowlabel?: number
  flowlabelMask?: number
  sportMask?: number
  dportMask?: number
  dscpMask?: number
  unknown?: RawAttr[]
}

/** Options of {@link RuleApi.add} (`ip rule add ...`), and of {@link RuleApi.del} (the fields to match). */
export interface RuleOptions extends CallOptions {
  /** Default: the family of `src`/`dst`, else `'inet'`. */
  family?: Family | 4 | 6
  /** `pref`; without it the kernel puts an added rule just before the first one that has a preference above 0. */
  priority?: number
  /** `from PREFIX` (`'all'` or absent: any). */
  src?: string
  /** `to PREFIX`. */
  dst?: string
  /** `not`: invert the match. */
  not?: boolean
  /** `iif NAME` (a link name; the loopback name means locally generated traffic). */
  iif?: string
  /** `oif NAME`. */
  oif?: string
  fwmark?: number
  fwmask?: number
  tos?: number
  /** `lookup TABLE`; an add with no action looks up `'main'`, as `ip rule add` does. */
  table?: TableRef
  /** Default `'table'`; `goto` implies `'goto'`. */
  action?: RuleAction
  /** `goto PREF`. */
  goto?: number
  /** `realms FROM/TO` as one number (`(from << 16) | to`). */
  flow?: number
  tunId?: bigint | number
  suppressPrefixLength?: number
  suppressIfgroup?: number
  /** `l3mdev`: look up the table of the VRF the packet's device belongs to. */
  l3mdev?: boolean
  uidRange?: Range
  protocol?: RouteProtocol | number
  /** `ipproto`: a number, or `'tcp'`, `'udp'`, `'icmp'`, `'ipv6-icmp'`, `'sctp'`... */
  ipProto?: number | keyof typeof IP_PROTOS
  /** `sport N` or `sport N-M`. */
  sport?: number | Range
  dport?: number | Range
  dscp?: number
}

/** Filters of {@link RuleApi.list}. */
export interface RuleListFilter extends CallOptions {
  /** One family (default: both). */
  family?: Family | 4 | 6
}

const OPTION_KEYS = [
  'family', 'priority', 'src', 'dst', 'not', 'iif', 'oif', 'fwmark', 'fwmask', 'tos', 'table', 'action', 'goto', 'flow', 'tunId',
  'suppressPrefixLength', 'suppressIfgroup', 'l3mdev', 'uidRange', 'protocol', 'ipProto', 'sport', 'dport', 'dscp', 'timeout', 'signal',
] as const
const ADD_KEYS = optionKeys<RuleOptions>()(OPTION_KEYS)
const LIST_KEYS = optionKeys<RuleListFilter>()(['family', 'timeout', 'signal'])

const RTNL_FAMILY_IPMR = 128
const RTNL_FAMILY_IP6MR = 129
const ACTION_BY_NUM = new Map<number, RuleAction>(Object.entries(FR_ACT).map(([k, v]) => [v, k as RuleAction]))
const flagNames = bitNamer(Object.entries(FIB_RULE) as [RuleFlag, number][], 16)

/** Decodes an RTM_NEWRULE (or RTM_DELRULE) message. */
export function decodeRule(msg: NlMsg): Rule {
  const { buf, off, end } = msg
  if (end - off < FIB_RULE_HDR_LEN) decodeFail('RTM_NEWRULE shorter than struct fib_rule_hdr', buf, off, 'RTM_NEWRULE')
  const fam = buf[off]!
  const dstLen = buf[off + 1]!
  const srcLen = buf[off + 2]!
  const actionNum = buf[off + 7]!
  const flags = buf.readUInt32LE(off + 8)
  const a = decodeAttrs(FRA, buf, off + FIB_RULE_HDR_LEN, end, 'RTM_NEWRULE') as RuleAttrs
  const r: Rule = {
    family: fam === AF_INET ? 'inet' : fam === AF_INET6 ? 'inet6' : fam === RTNL_FAMILY_IPMR ? 'ipmr' : fam === RTNL_FAMILY_IP6MR ? 'ip6mr' : fam,
    priority: a.priority ?? 0,
    action: ACTION_BY_NUM.get(actionNum) ?? actionNum,
    not: (flags & FIB_RULE.invert) !== 0,
    flags: flagNames(flags),
  }
  const table = a.table ?? buf[off + 4]!
  if (table !== 0) r.table = table
  // FRA_SRC/FRA_DST come formatted by the ip codec; their lengths are the header's.
  if (a.src !== undefined) r.src = `${a.src}/${srcLen}`
  if (a.dst !== undefined) r.dst = `${a.dst}/${dstLen}`
  if (buf[off + 3] !== 0) r.tos = buf[off + 3]!
  copyDefined(a, r, ['iif', 'oif', 'fwmark', 'fwmask', 'goto', 'flow', 'tunId', 'uidRange', 'ipProto', 'sport', 'dport', 'dscp',
    'flowlabel', 'flowlabelMask', 'sportMask', 'dportMask', 'dscpMask', 'unknown'])
  // The kernel always reports these two; -1 means "not set" (ip prints them only otherwise).
  if (a.suppressPrefixLength !== undefined && a.suppressPrefixLength !== 0xffffffff) r.suppressPrefixLength = a.suppressPrefixLength
  if (a.suppressIfgroup !== undefined && a.suppressIfgroup !== 0xffffffff) r.suppressIfgroup = a.suppressIfgroup
  if (a.l3mdev !== undefined) r.l3mdev = a.l3mdev !== 0
  // FRA_PROTOCOL is always there too; 0 (unspec) is "not given".
  if (a.protocol !== undefined && a.protocol !== 0) r.protocol = PROTOCOL_BY_NUM[a.protocol] ?? a.protocol
  return r
}

interface RuleHeader { family: number; dstLen: number; srcLen: number; tos: number; table: number; action: number; flags: number }

/** Builds a rule request: nlmsghdr + fib_rule_hdr + FRA attributes. */
export function ruleMessage(type: number, nlFlags: number, h: RuleHeader, attrs: Partial<RuleAttrs>): Buffer {
  const w = NlWriter.acquire()
  const start = w.beginMessage(type, nlFlags)
  const at = w.zeros(FIB_RULE_HDR_LEN)
  w.buf[at] = h.family
  w.buf[at + 1] = h.dstLen
  w.buf[at + 2] = h.srcLen
  w.buf[at + 3] = h.tos
  w.buf[at + 4] = h.table
  w.buf[at + 7] = h.action
  w.buf.writeUInt32LE(h.flags >>> 0, at + 8)
  encodeAttrs(FRA, w, attrs as Record<string, unknown>)
  w.endMessage(start)
  return w.take()
}

function tableNumber(t: unknown): number {
  if (typeof t === 'string' && Object.hasOwn(TABLES, t) && t !== 'unspec') return TABLES[t as keyof typeof TABLES]
  if (typeof t === 'number' && Number.isInteger(t) && t >= 1 && t <= 0xffffffff) return t
  throw new ValidationError("table: expected a table id 1-4294967295, 'main', 'local' or 'default'", 'table', t)
}

function portRange(v: unknown, field: string): Range {
  const r = typeof v === 'number' ? { start: v, end: v } : v as Range
  if (typeof r !== 'object' || r === null || !Number.isInteger(r.start) || !Number.isInteger(r.end) || r.start < 0 || r.end > 0xffff || r.start > r.end)
    throw new ValidationError(`${field}: expected a port 0-65535 or { start, end } with start <= end`, field, v)
  return { start: r.start, end: r.end }
}

/** The request for `opts`: header and attributes. `forAdd` fills in ip's defaults (action table, table main). */
export function ruleRequest(opts: RuleOptions, forAdd: boolean): { h: RuleHeader; attrs: Partial<RuleAttrs> } {
  if (typeof opts !== 'object' || opts === null) throw new ValidationError('rule: the options must be an object', 'options', opts)
  checkOptionKeys(opts, ADD_KEYS, forAdd ? 'rule.add' : 'rule.del')
  const attrs: Partial<RuleAttrs> = {}
  const h: RuleHeader = { family: ipFamilyNumber(opts.family), dstLen: 0, srcLen: 0, tos: 0, table: 0, action: 0, flags: 0 }
  for (const key of ['src', 'dst'] as const) {
    const v = opts[key]
    if (v === undefined || v === 'all') continue
    const c = parseCidr(v, key)
    if (h.family === 0) h.family = c.family
    else if (c.family !== h.family) throw new ValidationError(`${key}: ${v} is not of the rule's family`, key, v)
    attrs[key] = c.address
    if (key === 'src') h.srcLen = c.prefixLength
    else h.dstLen = c.prefixLength
  }
  if (h.family === 0) h.family = AF_INET
  optInt(opts.priority, 'priority', 0, 0xffffffff)
  if (opts.priority !== undefined) attrs.priority = opts.priority
  optBool(opts.not, 'not')
  if (opts.not) h.flags |= FIB_RULE.invert
  for (const key of ['iif', 'oif'] as const) {
    const v = opts[key]
    if (v === undefined) continue
    if (typeof v !== 'string' || v.length === 0 || Buffer.byteLength(v) > 15 || /[\0/\s]/.test(v))
      throw new ValidationError(`${key}: expected a link name (1-15 bytes)`, key, v)
    attrs[key] = v
  }
  for (const key of ['fwmark', 'fwmask', 'goto', 'flow', 'suppressPrefixLength', 'suppressIfgroup'] as const) {
    optInt(opts[key], key, 0, 0xffffffff)
    if (opts[key] !== undefined) attrs[key] = opts[key]
  }
  optInt(opts.tos, 'tos', 0, 255)
  if (opts.tos !== undefined) h.tos = opts.tos
  optInt(opts.dscp, 'dscp', 0, 63)
  if (opts.dscp !== undefined) attrs.dscp = opts.dscp
  if (opts.tunId !== undefined) {
    if ((typeof opts.tunId !== 'bigint' && !Number.isSafeInteger(opts.tunId)) || BigInt(opts.tunId) < 0n || BigInt(opts.tunId) > 0xffffffffffffffffn)
      throw new ValidationError('tunId: expected an integer 0 to 2^64-1', 'tunId', opts.tunId)
    attrs.tunId = BigInt(opts.tunId)
  }
  optBool(opts.l3mdev, 'l3mdev')
  if (opts.l3mdev) attrs.l3mdev = 1
  if (opts.uidRange !== undefined) {
    const u = opts.uidRange
    if (typeof u !== 'object' || u === null || !Number.isInteger(u.start) || !Number.isInteger(u.end) || u.start < 0 || u.end > 0xffffffff || u.start > u.end)
      throw new ValidationError('uidRange: expected { start, end } with 0 <= start <= end', 'uidRange', u)
    attrs.uidRange = { start: u.start, end: u.end }
  }
  if (opts.protocol !== undefined) attrs.protocol = protocolNumber(opts.protocol)
  if (opts.ipProto !== undefined) {
    const p = typeof opts.ipProto === 'string' && Object.hasOwn(IP_PROTOS, opts.ipProto) ? IP_PROTOS[opts.ipProto] : opts.ipProto
    if (typeof p !== 'number' || !Number.isInteger(p) || p < 0 || p > 255)
      throw new ValidationError(`ipProto: expected 0-255 or one of ${Object.keys(IP_PROTOS).join(', ')}`, 'ipProto', opts.ipProto)
    attrs.ipProto = p
  }
  if (opts.sport !== undefined) attrs.sport = portRange(opts.sport, 'sport')
  if (opts.dport !== undefined) attrs.dport = portRange(opts.dport, 'dport')
  if (opts.action !== undefined && !Object.hasOwn(FR_ACT, opts.action))
    throw new ValidationError(`action: expected one of ${Object.keys(FR_ACT).join(', ')}`, 'action', opts.action)
  let action = opts.action ?? (opts.goto !== undefined ? 'goto' : undefined)
  if (opts.goto !== undefined && action !== 'goto') throw new ValidationError(`goto: not with action '${action}'`, 'goto', opts.goto)
  if (action === 'goto' && opts.goto === undefined) throw new ValidationError("action 'goto' needs goto: the preference to jump to", 'goto', undefined)
  let table = opts.table === undefined ? undefined : tableNumber(opts.table)
  if (table !== undefined && action !== undefined && action !== 'table') throw new ValidationError(`table: not with action '${action}'`, 'table', opts.table)
  if (forAdd) {
    action ??= 'table'
    // ip rule add: an l3mdev rule names no table; any other table rule looks up main unless told.
    if (action === 'table' && table === undefined && !opts.l3mdev) table = TABLES.main
  }
  if (action !== undefined) h.action = FR_ACT[action]
  if (table !== undefined) {
    if (table < 256) h.table = table
    else attrs.table = table
  }
  return { h, attrs }
}

/** A decoded Rule rather than options: it has `flags` and `action`, and a numeric priority. */
function isListedRule(o: unknown): o is Rule {
  return typeof o === 'object' && o !== null && Array.isArray((o as Partial<Rule>).flags) && typeof (o as Partial<Rule>).not === 'boolean'
}

/** The options that stand for a listed rule (to add it again, or delete exactly it). */
export function ruleOptions(r: Rule): RuleOptions {
  const o: RuleOptions = { priority: r.priority }
  if (r.family === 'inet' || r.family === 'inet6') o.family = r.family
  if (typeof r.action === 'string') o.action = r.action
  if (r.table !== undefined && r.action === 'table') o.table = r.table
  if (r.not) o.not = true
  copyDefined(r, o, ['src', 'dst', 'iif', 'oif', 'fwmark', 'fwmask', 'tos', 'goto', 'flow', 'tunId', 'suppressPrefixLength',
    'suppressIfgroup', 'uidRange', 'ipProto', 'sport', 'dport', 'dscp'])
  if (r.l3mdev) o.l3mdev = true
  if (r.protocol !== undefined) o.protocol = r.protocol
  return o
}

/** `rtnl.rule`: routing policy rules (`ip rule`). */
export class RuleApi {
  constructor(/** The socket its requests are sent on (for `rtnl.rule`, the client's `rtnl.sock`). */ readonly sock: NetlinkSocket) {}

  /**
   * Lists rules, in the kernel's order (by family, then preference). Without `family`, every
   * family the kernel has rules for: IPv4, IPv6, and the multicast routing tables' (`'ipmr'`,
   * `'ip6mr'`; `ip rule show` is IPv4 only, `ip -6 rule show` IPv6).
   * @example for await (const r of rtnl.rule.list({ family: 4 })) console.log(r.priority, r.src ?? 'all', r.table)
   */
  list(filter: RuleListFilter | null = {}): DumpIterable<Rule> {
    const f = listFilter(filter, 'rule.list', LIST_KEYS)
    const family = familyNumber(f.family)
    const msg = ruleMessage(RTM_GETRULE, 0, { family, dstLen: 0, srcLen: 0, tos: 0, table: 0, action: 0, flags: 0 }, {})
    return this.sock.dump(msg, decodeRule, { ...callOpts(f), what: 'rules' })
  }

  /**
   * Adds a rule (`ip rule add [not] [from P] [to P] [iif N] [oif N] [fwmark M[/MASK]] [pref N]
   * [lookup TABLE | goto N | nop | blackhole | unreachable | prohibit] ...`). Without an action
   * it looks up `table` (default `'main'`).
   * @throws {ValidationError} for bad options; {@link NetlinkError} `EEXIST` for a rule that
   *   exists with the same preference and match.
   * @example await rtnl.rule.add({ src: '10.0.0.0/8', table: 100, priority: 1000 })
   */
  async add(opts: RuleOptions | Rule): Promise<void> {
    const o = isListedRule(opts) ? ruleOptions(opts) : opts
    const { h, attrs } = ruleRequest(o, true)
    await this.sock.requestVoid(ruleMessage(RTM_NEWRULE, NLM_F_CREATE | NLM_F_EXCL, h, attrs), requestOpts(`rule${o.priority !== undefined ? ` ${o.priority}` : ''}`, o))
  }

  /**
   * Deletes the first rule matching what is given (`ip rule del ...`: e.g. only `priority`),
   * or exactly a listed rule.
   * @throws {NetlinkError} `ENOENT` when no rule matches.
   * @example await rtnl.rule.del({ priority: 1000 })
   */
  async del(opts: RuleOptions | Rule): Promise<void> {
    const o = isListedRule(opts) ? ruleOptions(opts) : opts
    const { h, attrs } = ruleRequest(o, false)
    await this.sock.requestVoid(ruleMessage(RTM_DELRULE, 0, h, attrs), requestOpts(`rule${o.priority !== undefined ? ` ${o.priority}` : ''}`, o))
  }
}
