/**
 * Address verbs: `ip address` as a typed promise API (IPv4 and IPv6).
 */
import type { RawAttr } from '../../attr/codec.js'
import { rd16, rd32, wr16, wr32 } from '../../util/le.js'
import { childPaths, encodeAttrs } from '../../attr/table.js'
import { NlWriter } from '../../attr/writer.js'
import { copyBytes, decodeFail, readStr } from '../../attr/codec.js'
import { ValidationError } from '../../errors.js'
import { NLM_F_CREATE, NLM_F_EXCL, NLM_F_REPLACE } from '../../netlink/constants.js'
import { putNlmsghdr, type NlMsg } from '../../netlink/header.js'
import type { DumpIterable, NetlinkSocket } from '../../netlink/socket.js'
import { AF_INET, AF_INET6, familyNumber, formatIp, formatPrefix, parseCidr, parseIp, parseIpv4CidrInto, type Family } from '../../util/ip.js'
import { bitNamer } from '../../util/bits.js'
import { ArgShapes } from '../../util/shapes.js'
import { optBool, optInt } from '../../util/check.js'
import { checkOptionKeys, optionKeys } from '../../util/keys.js'
import { callOpts, listFilter, requestOpts, type CallOptions } from '../link/api.js'
import { checkLinkRef, dumpByLinks, isLinkIndex, resolveLink, type LinkRef } from '../link/resolve.js'
import {
  IFA, IFA_F, IFADDRMSG_LEN, RTM_DELADDR, RTM_GETADDR, RTM_NEWADDR, SCOPE_BY_NUM, SCOPES, cacheInfoAt, scopeNumber,
  type AddrAttrs, type AddrCacheInfo, type AddrFlag, type Scope,
} from './schema.js'

/** An address as the kernel reports it (`ip address show`). */
export interface Addr {
  family: Family
  /** Index of the link it is on. */
  index: number
  /** The address itself (IFA_LOCAL, or IFA_ADDRESS for IPv6), e.g. `'10.0.0.1'`. */
  address: string
  prefixLength: number
  /** `'10.0.0.1/24'` */
  cidr: string
  /** The peer of a point-to-point address (IFA_ADDRESS when it differs from the local one). */
  peer?: string
  broadcast?: string
  anycast?: string
  label?: string
  scope: Scope | number
  /** IFA_F_* by name (`'permanent'`, `'secondary'`, `'tentative'`, `'nodad'`...). */
  flags: AddrFlag[]
  /** Lifetimes in seconds (Infinity = forever) and stamps. */
  preferredLifetime?: number
  validLifetime?: number
  cacheInfo?: AddrCacheInfo
  /** IFA_RT_PRIORITY: metric of the prefix route. */
  metric?: number
  /** IFA_PROTO: who added it (0 unspec, 1 loopback, 2 router advertisement, 3 link-local). */
  protocol?: number
  unknown?: RawAttr[]
}

/** `ip address add` options. */
export interface AddrAddOptions extends CallOptions {
  link: LinkRef
  /** `'10.0.0.1/24'` or `'fe80::1/64'` (no prefix: /32 or /128). */
  address: string
  /** Point-to-point peer (`peer 10.0.0.2`). */
  peer?: string
  /**
   * IPv4 broadcast, or `'+'` / `'-'` to compute it from the prefix as `ip ... brd +` / `brd -`
   * do: the host bits of the address (of the peer, when given) all ones / all zeros; none for
   * a /31 or /32.
   */
  broadcast?: string
  label?: string
  scope?: Scope | number
  flags?: AddrFlag[]
  /** Seconds, or `'forever'` (the default). */
  preferredLifetime?: number | 'forever'
  validLifetime?: number | 'forever'
  /** Metric of the prefix route (IFA_RT_PRIORITY). */
  metric?: number
  protocol?: number
  /** Replace an existing address instead of failing with EEXIST. */
  replace?: boolean
}

/** `ip address del` options. */
export interface AddrDelOptions extends CallOptions {
  link: LinkRef
  /** `'10.0.0.1/24'`; without a prefix any prefix length matches. */
  address: string
  peer?: string
}

/** `ip address show` filters of {@link AddrApi.list}; link and family are applied by the kernel. */
export interface AddrListFilter extends CallOptions {
  /** Only this link's addresses (`dev LINK`). */
  link?: LinkRef
  /** Only IPv4 (`'inet'`, 4) or IPv6 (`'inet6'`, 6) addresses (`ip -4` / `ip -6`); default both. */
  family?: Family | 4 | 6
}

const FLAG_NAMES = Object.entries(IFA_F) as [AddrFlag, number][]
const FOREVER = 0xffffffff

function lifetime(v: number): number {
  return v === FOREVER ? Infinity : v
}

/** Flags `ip address add` can set (the others are the kernel's state: secondary, tentative, permanent...). */
const SETTABLE_FLAGS: ReadonlySet<AddrFlag> = new Set(['nodad', 'optimistic', 'homeaddress', 'managetempaddr', 'noprefixroute', 'mcautojoin'])
/** Of those, the ones only IPv6 acts on (duplicate address detection, mobile IPv6, temporary addresses). */
const IPV6_ONLY_FLAGS: ReadonlySet<AddrFlag> = new Set(['nodad', 'optimistic', 'homeaddress', 'managetempaddr'])

/** A listed Addr, possibly given another link (`{ ...addr, link: 'br0' }`). */
export type ListedAddr = Addr & CallOptions & { link?: LinkRef; replace?: boolean }

/**
 * The options that make a listed address again (`addr.add`): on its link (`index`), or on
 * `link` when one is given, as `cidr` with its peer, broadcast, scope, metric, protocol, the
 * flags `ip address add` can set (not the kernel's: secondary, tentative, permanent, ...) and
 * what is left of finite lifetimes. An IPv4 label is kept only for an alias (`'eth0:1'`): the
 * kernel reports every IPv4 address with a label, by default its link's name, which would
 * follow the address to another link. (Over netlink the kernel takes any label; give an
 * alias moved to another link a new one: `{ ...addr, link: 'br0', label: 'br0:1' }`.)
 * @example for (const a of await rtnl.addr.list({ link: 'eth0' }).toArray()) await rtnl.addr.add({ ...a, link: 'br0' })
 */
export function addrOptions(a: ListedAddr): AddrAddOptions {
  const o: AddrAddOptions = { link: a.link ?? a.index, address: a.cidr }
  if (a.peer !== undefined) o.peer = a.peer
  if (a.broadcast !== undefined) o.broadcast = a.broadcast
  if (a.label !== undefined && a.label.includes(':')) o.label = a.label
  o.scope = a.scope
  const flags = a.flags.filter(f => SETTABLE_FLAGS.has(f))
  if (flags.length > 0) o.flags = flags
  // Forever is Infinity, or null once the address went through JSON (a stored snapshot).
  if (a.validLifetime != null && a.validLifetime !== Infinity) o.validLifetime = a.validLifetime
  if (a.preferredLifetime != null && a.preferredLifetime !== Infinity) o.preferredLifetime = a.preferredLifetime
  if (a.metric !== undefined) o.metric = a.metric
  if (a.protocol !== undefined) o.protocol = a.protocol
  return o
}

/**
 * The scope the kernel gives an IPv6 address (ipv6_addr_scope() through rt_scope()): host
 * for ::1 and interface-local multicast (ffX1::), link for fe80::/10 and ffX2::, site for
 * the deprecated site-local fec0::/10 and ffX5::, universe for the rest.
 */
export function ipv6Scope(b: Uint8Array): number {
  if (b[0] === 0xff) {
    const mc = b[1]! & 0x0f // the scope field; the flags (transient, prefix-based) do not count
    return mc === 0x01 ? SCOPES.host : mc === 0x02 ? SCOPES.link : mc === 0x05 ? SCOPES.site : SCOPES.universe
  }
  if (b[0] === 0xfe && (b[1]! & 0xc0) === 0x80) return SCOPES.link
  if (b[0] === 0xfe && (b[1]! & 0xc0) === 0xc0) return SCOPES.site
  for (let i = 0; i < 15; i++) if (b[i] !== 0) return SCOPES.universe
  return b[15] === 1 ? SCOPES.host : SCOPES.universe
}

/** A listed Addr (it has `cidr` and `prefixLength`) rather than add options. */
function isListedAddrLike(o: AddrAddOptions | ListedAddr): o is ListedAddr {
  return typeof o === 'object' && o !== null && (o as Partial<Addr>).cidr !== undefined && (o as Partial<Addr>).prefixLength !== undefined
}

/** A decoded Addr rather than del options: it has `index` and `cidr`, and no `link`. */
function isListedAddr(o: AddrDelOptions | Addr): o is Addr {
  return (o as Partial<AddrDelOptions>).link === undefined && (o as Partial<Addr>).index !== undefined && (o as Partial<Addr>).cidr !== undefined
}

/** Decodes an RTM_NEWADDR message. */
export function decodeAddr(msg: NlMsg): Addr {
  return decodeAddrAt(msg.buf, msg.off, msg.end)
}

const ADDR_PATHS = childPaths(IFA, 'RTM_NEWADDR')

/** The fields of an Addr in the order it lists them; the first 7 are always present. */
const ADDR_FIELDS = [
  'family', 'index', 'address', 'prefixLength', 'cidr', 'scope', 'flags',
  // the kernel's attribute order (inet_fill_ifaddr)
  'broadcast', 'label', 'metric', 'cacheInfo', 'preferredLifetime', 'validLifetime', 'protocol', 'peer', 'anycast',
] as const
const enum A { broadcast = 7, label, metric, cacheInfo, preferredLifetime, validLifetime, protocol, peer, anycast }
const ADDR_SHAPES = new ArgShapes<Addr>(ADDR_FIELDS, 7)
/** IFA_F_* bits → names (each distinct value computed once; the caller gets its own array). */
const addrFlags = bitNamer(FLAG_NAMES, 256)

/**
 * Straight-line decode (a switch over IFA_*), the hot path of address dumps. The fields are
 * locals, and the Addr is one object literal per set of present fields (util/shapes.ts).
 */
export function decodeAddrAt(buf: Buffer, off: number, end: number): Addr {
  if (end - off < IFADDRMSG_LEN) decodeFail('RTM_NEWADDR shorter than struct ifaddrmsg', buf, off, 'RTM_NEWADDR')
  const family = buf[off]!
  const prefixLength = buf[off + 1]!
  let flagBits = buf[off + 2]!
  const scopeNum = buf[off + 3]!
  let mask = 0
  let local = -1
  let localLen = 0
  let address = -1
  let addressLen = 0
  let broadcast: string | undefined
  let label: string | undefined
  let metric: number | undefined
  let cacheInfo: AddrCacheInfo | undefined
  let preferredLifetime: number | undefined
  let validLifetime: number | undefined
  let protocol: number | undefined
  let peer: string | undefined
  let anycast: unknown
  let unknown: RawAttr[] | undefined
  let o = off + IFADDRMSG_LEN
  while (o + 4 <= end) {
    const len = rd16(buf, o)
    if (len < 4 || o + len > end) decodeFail(`bad attribute length ${len}`, buf, o, 'RTM_NEWADDR')
    const rawType = rd16(buf, o + 2)
    const t = rawType & 0x3fff
    const p = o + 4
    const pl = len - 4
    switch (t) {
      case 1: checkAddrLen(buf, pl, o, 'IFA_ADDRESS'); address = p; addressLen = pl; break
      case 2: checkAddrLen(buf, pl, o, 'IFA_LOCAL'); local = p; localLen = pl; break
      case 3: label = readStr(buf, p, pl); mask |= 1 << (A.label - 7); break
      case 4: broadcast = addrText(buf, p, pl, o, 'IFA_BROADCAST'); mask |= 1 << (A.broadcast - 7); break
      case 8: if (pl >= 4) flagBits = rd32(buf, p); break
      case 9: if (pl >= 4) { metric = rd32(buf, p); mask |= 1 << (A.metric - 7) } break
      case 11: if (pl >= 1) { protocol = buf[p]!; mask |= 1 << (A.protocol - 7) } break
      case 6: {                                                                  // IFA_CACHEINFO
        cacheInfo = cacheInfoAt(buf, p, pl, ADDR_PATHS[6]!)
        preferredLifetime = lifetime(cacheInfo.preferred)
        validLifetime = lifetime(cacheInfo.valid)
        mask |= (1 << (A.cacheInfo - 7)) | (1 << (A.preferredLifetime - 7)) | (1 << (A.validLifetime - 7))
        break
      }
      default: {
        const e = IFA.byType[t]
        if (e) {
          const x = e.codec.decode(buf, p, pl, ADDR_PATHS[t]!)
          if (t === 5) {
            anycast = x
            mask |= 1 << (A.anycast - 7)
          }
        } else (unknown ??= []).push({ type: rawType, data: copyBytes(buf, p, p + pl) })
      }
    }
    o += (len + 3) & ~3
  }
  // The address is IFA_LOCAL (IPv4) or IFA_ADDRESS; `cidr` joins two cached pieces for IPv4.
  const at = local >= 0 ? local : address
  const atLen = local >= 0 ? localLen : addressLen
  if (local >= 0 && address >= 0 && !sameBytes(buf, local, localLen, address, addressLen)) {
    peer = formatIp(buf, address, addressLen)
    mask |= 1 << (A.peer - 7)
  }
  const out = ADDR_SHAPES.of(mask)(
    family === AF_INET6 ? 'inet6' : 'inet',
    rd32(buf, off + 4),
    at >= 0 ? formatIp(buf, at, atLen) : '',
    prefixLength,
    at >= 0 ? formatPrefix(buf, at, atLen, prefixLength) : `/${prefixLength}`,
    SCOPE_BY_NUM[scopeNum] ?? scopeNum,
    addrFlags(flagBits),
    broadcast, label, metric, cacheInfo, preferredLifetime, validLifetime, protocol, peer, anycast,
  )
  if (unknown !== undefined) out.unknown = unknown
  return out
}

/** Byte equality of two short ranges of buf (Buffer.compare goes through C++: 50 ns a call). */
function sameBytes(buf: Buffer, a: number, aLen: number, b: number, bLen: number): boolean {
  if (aLen !== bLen) return false
  for (let i = 0; i < aLen; i++) if (buf[a + i] !== buf[b + i]) return false
  return true
}

const ADD_KEYS = optionKeys<AddrAddOptions>()([
  'link', 'address', 'peer', 'broadcast', 'label', 'scope', 'flags', 'preferredLifetime', 'validLifetime', 'metric',
  'protocol', 'replace', 'timeout', 'signal',
])
const DEL_KEYS = optionKeys<AddrDelOptions>()(['link', 'address', 'peer', 'timeout', 'signal'])
const LIST_KEYS = optionKeys<AddrListFilter>()(['link', 'family', 'timeout', 'signal'])
const FLUSH_KEYS = optionKeys<CallOptions & { family?: Family | 4 | 6 }>()(['family', 'timeout', 'signal'])

/** An add whose message plainAddMessage() can write: a link index and no optional field. */
function isPlainAdd(o: AddrAddOptions): boolean {
  return typeof o === 'object' && o !== null && isLinkIndex(o.link) && typeof o.address === 'string' &&
    o.peer === undefined && o.broadcast === undefined && o.label === undefined && o.scope === undefined &&
    o.flags === undefined && o.preferredLifetime === undefined && o.validLifetime === undefined &&
    o.metric === undefined && o.protocol === undefined && (o.replace === undefined || typeof o.replace === 'boolean')
}

/**
 * RTM_NEWADDR for `'a.b.c.d[/n]'` on link `index` with nothing else set, the address parsed
 * straight into its two attributes: the bytes buildAdd() + addrMessage() produce (tested),
 * without the parsed-prefix object, the attribute object and two re-parses of the text.
 * undefined for anything else (IPv6, a malformed address), which takes the general path.
 */
export function plainAddMessage(address: string, index: number, nlFlags: number): Buffer | undefined {
  const b = Buffer.allocUnsafe(40)
  const plen = parseIpv4CidrInto(address, b, 28)
  if (plen < 0) return undefined
  putNlmsghdr(b, 40, RTM_NEWADDR, nlFlags)
  b[16] = AF_INET
  b[17] = plen
  b[18] = 0
  b[19] = b[28] === 127 ? SCOPES.host : 0
  wr32(b, 20, index)
  wr16(b, 24, 8)
  wr16(b, 26, 1) // IFA_ADDRESS
  wr16(b, 32, 8)
  wr16(b, 34, 2) // IFA_LOCAL
  b[36] = b[28]!
  b[37] = b[29]!
  b[38] = b[30]!
  b[39] = b[31]!
  return b
}

function checkAddrLen(buf: Buffer, pl: number, o: number, name: string): void {
  if (pl !== 4 && pl !== 16) decodeFail(`address attribute has ${pl} bytes`, buf, o, `RTM_NEWADDR > ${name}`)
}

function addrText(buf: Buffer, p: number, pl: number, o: number, name: string): string {
  checkAddrLen(buf, pl, o, name)
  return formatIp(buf, p, pl)
}

export interface IfAddrHeader {
  family: number
  prefixlen?: number
  flags?: number
  scope?: number
  index?: number
}

/** Builds an address request: nlmsghdr + ifaddrmsg + IFA attributes. */
export function addrMessage(type: number, nlFlags: number, h: IfAddrHeader, attrs: AddrAttrs): Buffer {
  const w = NlWriter.acquire()
  const start = w.beginMessage(type, nlFlags)
  const at = w.zeros(IFADDRMSG_LEN)
  w.buf[at] = h.family
  w.buf[at + 1] = h.prefixlen ?? 0
  w.buf[at + 2] = (h.flags ?? 0) & 0xff
  w.buf[at + 3] = h.scope ?? 0
  w.buf.writeUInt32LE(h.index ?? 0, at + 4)
  encodeAttrs(IFA, w, attrs)
  w.endMessage(start)
  return w.take()
}

function lifetimeValue(v: number | 'forever' | undefined, field: string): number {
  if (v === undefined || v === 'forever' || v === Infinity) return FOREVER
  if (!Number.isInteger(v) || v < 0 || v >= FOREVER) throw new ValidationError(`${field}: seconds (integer) or 'forever'`, field, v)
  return v
}

/** `rtnl.addr`: addresses (`ip address`). */
export class AddrApi {
  constructor(/** The socket its requests are sent on (for `rtnl.addr`, the client's `rtnl.sock`). */ readonly sock: NetlinkSocket) {}

  /**
   * Lists addresses (a dump; link and family are filtered by the kernel).
   * Equivalent to `ip address show [dev LINK]` / `ip -4 address`.
   * @example for await (const a of rtnl.addr.list({ link: 'veth0' })) console.log(a.cidr)
   */
  list(filter: AddrListFilter | null = {}): DumpIterable<Addr> {
    filter = listFilter(filter, 'addr.list', LIST_KEYS)
    const family = familyNumber(filter.family)
    return dumpByLinks(this.sock, { link: filter.link }, index => addrMessage(RTM_GETADDR, 0, { family, index: index ?? 0 }, {}), decodeAddr,
      { ...filter, what: 'addresses' })
  }

  /**
   * Adds an address. Equivalent to `ip address add ADDRESS [peer P] [broadcast B|+] [label L]
   * [scope S] [valid_lft N preferred_lft N] [metric M] [nodad ...] dev LINK`. A listed
   * {@link Addr} can be given, on another link too (`{ ...addr, link: 'br0' }`): it is read as
   * {@link addrOptions} reads it.
   * @throws {ValidationError} on a bad address, prefix, peer or family mix; {@link NetlinkError}
   *   `EEXIST` when it exists (pass `replace: true`), `ENODEV` when the link does not.
   * @example await rtnl.addr.add({ link: 'veth0', address: '10.0.0.1/24' })
   */
  add(opts: AddrAddOptions | ListedAddr): Promise<void> {
    // A listed address: its options, with the call's own (replace, timeout, signal).
    if (isListedAddrLike(opts)) opts = { ...addrOptions(opts), ...callOpts(opts), ...(opts.replace !== undefined ? { replace: opts.replace } : {}) }
    else {
      try {
        checkOptionKeys(opts, ADD_KEYS, opts?.replace ? 'addr.replace' : 'addr.add')
      } catch (err) {
        return Promise.reject(err)
      }
    }
    // The common case, an IPv4 address on a link given by index, is written straight into
    // its message (same bytes as below).
    if (isPlainAdd(opts)) {
      const m = plainAddMessage(opts.address, opts.link as number, NLM_F_CREATE | (opts.replace ? NLM_F_REPLACE : NLM_F_EXCL))
      if (m !== undefined) return this.sock.requestVoid(m, requestOpts(`${opts.address} dev ${opts.link}`, opts))
    }
    // Validated in full before anything is sent or looked up; a link given by index needs no
    // lookup, so a bulk add is one promise per address.
    let msg: (index: number) => Buffer
    let ref: LinkRef
    try {
      msg = this.buildAdd(opts, opts?.replace ? NLM_F_REPLACE : NLM_F_EXCL)
      ref = checkLinkRef(opts.link)
    } catch (err) {
      return Promise.reject(err)
    }
    const ro = requestOpts(`${opts.address} dev ${opts.link}`, opts)
    if (typeof ref === 'number') return this.sock.requestVoid(msg(ref), ro)
    return resolveLink(this.sock, ref).then(index => this.sock.requestVoid(msg(index), ro))
  }

  /**
   * Adds or replaces an address (`ip address replace`). For an address that exists the kernel
   * changes only its metric, protocol and lifetimes (absent: forever), and for IPv6 its
   * settable flags; an IPv4 address keeps its label, scope, broadcast and flags (delete and
   * add it to change those).
   * @example await rtnl.addr.replace({ link: 'veth0', address: '10.0.0.1/24', validLifetime: 60, preferredLifetime: 30 })
   */
  async replace(opts: AddrAddOptions | ListedAddr): Promise<void> {
    await this.add({ ...opts, replace: true })
  }

  /**
   * Removes an address. Equivalent to `ip address del ADDRESS dev LINK`. Given an
   * {@link Addr} as listed, removes that address (its link index, prefix and peer).
   * @throws {NetlinkError} `EADDRNOTAVAIL` when the link has no such address.
   * @example await rtnl.addr.del({ link: 'veth0', address: '10.0.0.1/24' })
   * @example for await (const a of rtnl.addr.list({ link: 'veth0', family: 6 })) if (a.scope === 'universe') await rtnl.addr.del(a)
   */
  async del(opts: AddrDelOptions | (Addr & CallOptions)): Promise<void> {
    if (!opts || typeof opts !== 'object') throw new ValidationError('addr.del: options object required', 'options', opts)
    if (isListedAddr(opts)) {
      const { index, cidr, peer } = opts
      return this.del({ link: index, address: cidr, ...(peer !== undefined ? { peer } : {}), ...callOpts(opts) })
    }
    // A listed address with its link given ({ ...addr, link }) keeps its other fields.
    if (!isListedAddrLike(opts as AddrAddOptions)) checkOptionKeys(opts, DEL_KEYS, 'addr.del')
    const hasPrefix = typeof opts.address === 'string' && opts.address.includes('/')
    const c = parseCidr(opts.address)
    const index = await resolveLink(this.sock, checkLinkRef(opts.link))
    const attrs: AddrAttrs = { local: c.address }
    if (opts.peer !== undefined) attrs.address = formatIp(parseIp(opts.peer, 'peer').bytes)
    else if (hasPrefix) attrs.address = c.address
    await this.sock.request(addrMessage(RTM_DELADDR, 0, { family: c.family, prefixlen: hasPrefix ? c.prefixLength : 0, index }, attrs), requestOpts(`${opts.address} dev ${opts.link}`, opts))
  }

  /**
   * Removes every address of a link (optionally of one family). Equivalent to `ip address flush dev LINK`.
   * Returns how many were removed.
   */
  async flush(link: LinkRef, opts: CallOptions & { family?: Family | 4 | 6 } = {}): Promise<number> {
    checkOptionKeys(opts, FLUSH_KEYS, 'addr.flush')
    const index = await resolveLink(this.sock, checkLinkRef(link))
    const all: Addr[] = []
    const f: AddrListFilter = { link: index }
    if (opts.family !== undefined) f.family = opts.family
    for await (const a of this.list(f)) all.push(a)
    // Secondaries go with their primary (unless promote_secondaries): delete primaries last to keep it simple.
    all.sort((x, y) => Number(y.flags.includes('secondary')) - Number(x.flags.includes('secondary')))
    let n = 0
    for (const a of all) {
      try {
        // with its peer: without it the kernel finds no point-to-point address (EADDRNOTAVAIL)
        await this.del({ link: index, address: a.cidr, ...(a.peer !== undefined ? { peer: a.peer } : {}), ...callOpts(opts) })
        n++
      } catch (err) {
        if ((err as { code?: string }).code !== 'EADDRNOTAVAIL') throw err
      }
    }
    return n
  }

  /** Validates add options; returns the message builder for the link's index. */
  private buildAdd(o: AddrAddOptions, replaceFlag: number): (index: number) => Buffer {
    if (!o || typeof o !== 'object') throw new ValidationError('addr: options object required', 'options', o)
    optBool(o.replace, 'replace')
    const c = parseCidr(o.address)
    const attrs: AddrAttrs = { local: c.address, address: c.address }
    // The address the prefix is about: the peer's when there is one (the kernel's prefix
    // route goes to the peer's network).
    let base = c.bytes
    if (o.peer !== undefined) {
      const p = parseIp(o.peer, 'peer')
      if (p.family !== c.family) throw new ValidationError('peer: not the same family as the address', 'peer', o.peer)
      attrs.address = formatIp(p.bytes)
      base = p.bytes
    }
    if (o.broadcast !== undefined) {
      if (c.family !== AF_INET) throw new ValidationError('broadcast: IPv4 only', 'broadcast', o.broadcast)
      if (o.broadcast === '+' || o.broadcast === '-') {
        // As ip's `brd +` / `brd -`: the host bits all ones / all zeros; none for a /31 or /32.
        if (c.prefixLength < 31) {
          const b = Buffer.from(base)
          for (let i = 0; i < 4; i++) {
            const host = 0xff >> Math.max(0, Math.min(8, c.prefixLength - i * 8))
            b[i] = o.broadcast === '+' ? b[i]! | host : b[i]! & ~host
          }
          attrs.broadcast = formatIp(b)
        }
      } else {
        const b = parseIp(o.broadcast, 'broadcast')
        if (b.family !== AF_INET) throw new ValidationError('broadcast: IPv4 only', 'broadcast', o.broadcast)
        attrs.broadcast = formatIp(b.bytes)
      }
    }
    if (o.label !== undefined) {
      if (typeof o.label !== 'string' || Buffer.byteLength(o.label) >= 16 || o.label.includes('\0')) throw new ValidationError('label: at most 15 bytes, without NUL', 'label', o.label)
      if (c.family !== AF_INET) throw new ValidationError('label: IPv4 only', 'label', o.label)
      attrs.label = o.label
    }
    let flagBits = 0
    if (o.flags !== undefined && !Array.isArray(o.flags)) throw new ValidationError(`flags: expected an array of flag names (${Object.keys(IFA_F).join(', ')})`, 'flags', o.flags)
    for (const f of o.flags ?? []) {
      if (!(f in IFA_F)) throw new ValidationError(`flags: unknown flag ${JSON.stringify(f)}`, 'flags', f)
      // The kernel drops what it does not take, without a word: refused here instead.
      if (!SETTABLE_FLAGS.has(f))
        throw new ValidationError(`flags: ${f} is the kernel's state, not a setting (settable: ${[...SETTABLE_FLAGS].join(', ')})`, 'flags', f)
      if (c.family === AF_INET && IPV6_ONLY_FLAGS.has(f))
        throw new ValidationError(`flags: ${f} is IPv6 only (the kernel ignores it on an IPv4 address)`, 'flags', f)
      flagBits |= IFA_F[f]
    }
    if (flagBits) attrs.flags = flagBits
    if (o.preferredLifetime !== undefined || o.validLifetime !== undefined) {
      const valid = lifetimeValue(o.validLifetime, 'validLifetime')
      const preferred = lifetimeValue(o.preferredLifetime, 'preferredLifetime')
      if (preferred > valid) throw new ValidationError('preferredLifetime: cannot exceed validLifetime', 'preferredLifetime', o.preferredLifetime)
      attrs.cacheInfo = { preferred, valid, created: 0, updated: 0 }
    }
    if (o.metric !== undefined) {
      optInt(o.metric, 'metric', 0, 0xffffffff)
      attrs.rtPriority = o.metric
    }
    if (o.protocol !== undefined) {
      optInt(o.protocol, 'protocol', 0, 255)
      attrs.proto = o.protocol
    }
    let scope: number
    if (c.family === AF_INET6) {
      // The kernel gives an IPv6 address the scope of its prefix and ignores ifa_scope.
      scope = ipv6Scope(c.bytes)
      if (o.scope !== undefined && scopeNumber(o.scope) !== scope) {
        throw new ValidationError(`scope: the kernel gives ${c.address} the scope of its prefix (${SCOPE_BY_NUM[scope]}) and ignores another`, 'scope', o.scope)
      }
    } else {
      scope = o.scope !== undefined ? scopeNumber(o.scope) : c.bytes[0] === 127 ? SCOPES.host : 0
    }
    return index => addrMessage(RTM_NEWADDR, NLM_F_CREATE | replaceFlag, { family: c.family, prefixlen: c.prefixLength, flags: flagBits, scope, index }, attrs)
  }
}

export { AF_INET, AF_INET6 }
