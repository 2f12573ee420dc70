/**
 * Lightweight tunnel encapsulation of a route or of one path of a multipath route: RTA_ENCAP
 * (a nest whose content depends on its sibling RTA_ENCAP_TYPE), as `ip route add ... encap
 * TYPE ...` sends it. <linux/lwtunnel.h>, <linux/mpls_iptunnel.h>, <linux/seg6.h>,
 * <linux/seg6_iptunnel.h>, <linux/seg6_local.h> (Linux 6.18).
 *
 * Typed: ip, ip6, mpls, seg6, seg6local, xfrm. Other types (ila, bpf, rpl, ioam6) keep their
 * attributes raw in `unknown`, which are sent back as they are.
 */
import { attrTable, checkRawAttrs, decodeAttrs, encodeAttrs, enumOf, findAttr, nested, u32, u64, u8, checkAttrKeys, type AttrsOf, type AttrTable, type Codec } from '../../attr/table.js'
import { copyBytes, decodeFail, type RawAttr } from '../../attr/codec.js'
import { ipv4, ipv6 } from '../../attr/types.js'
import type { NlWriter } from '../../attr/writer.js'
import { ValidationError } from '../../errors.js'
import { rd16 } from '../../util/le.js'
import { NLA_TYPE_MASK } from '../../netlink/constants.js'
import { checkU64, isInt } from '../../util/check.js'
import { checkKnownKeys } from '../../util/keys.js'
import { bitNamer } from '../../util/bits.js'
import { checkSegments, dropSlot, readSrh, srh, writeSrh, type SegmentList } from './srh.js'

export type { SegmentList }

/** LWTUNNEL_ENCAP_* (<linux/lwtunnel.h>): the encapsulation of a route (`ip route ... encap TYPE`). */
export const ENCAP_TYPES = {
  none: 0, mpls: 1, ip: 2, ila: 3, ip6: 4, seg6: 5, bpf: 6, seg6local: 7, rpl: 8, ioam6: 9, xfrm: 10,
} as const
/** A lightweight tunnel encapsulation type by name (LWTUNNEL_ENCAP_*): `ip route ... encap TYPE`. */
export type EncapType = keyof typeof ENCAP_TYPES

export const RTA_ENCAP = 22
export const RTA_ENCAP_TYPE = 21

// ---- small codecs ------------------------------------------------------------

/** A set of named bits on the wire as a u32 or a big-endian u16, as an array of names. */
function bitNames<N extends string>(kind: 'u32' | 'be16', names: Record<N, number>): Codec<N[]> {
  const namer = bitNamer(Object.entries(names) as [N, number][], 64)
  const size = kind === 'u32' ? 4 : 2
  return {
    kind,
    decode(buf, off, len, path) {
      if (len < size) decodeFail(`${kind} attribute has ${len} bytes`, buf, off, path)
      return namer(kind === 'u32' ? buf.readUInt32LE(off) : buf.readUInt16BE(off))
    },
    encode(w, t, v) {
      let bits = 0
      for (const n of v) bits |= names[n]
      if (kind === 'u32') w.attrU32(t, bits >>> 0)
      else w.attrBe16(t, bits)
    },
    check(v, field) {
      if (!Array.isArray(v) || v.some(n => typeof n !== 'string' || !Object.hasOwn(names, n)))
        throw new ValidationError(`${field}: expected an array of ${Object.keys(names).join(', ')}`, field, v)
    },
  }
}

/** A tunnel id: a __be64 (nla_put_be64), a number up to 2^53 - 1, a bigint above. */
const tunnelId: Codec<number | bigint> = {
  kind: 'be64',
  decode(buf, off, len, path) {
    if (len < 8) decodeFail(`be64 attribute has ${len} bytes`, buf, off, path)
    const v = buf.readBigUInt64BE(off)
    return v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v
  },
  encode(w, t, v) {
    const b = Buffer.alloc(8)
    b.writeBigUInt64BE(BigInt(v))
    w.attrBytes(t, b)
  },
  check: checkU64,
}

/** MPLS_IPTUNNEL_DST: a label stack, struct mpls_label (__be32: label << 12 | tc << 9 | bos << 8 | ttl) each. */
const mplsLabels: Codec<number[]> = {
  kind: 'mpls_label[]',
  decode(buf, off, len, path) {
    if (len % 4 !== 0) decodeFail(`a label stack of ${len} bytes`, buf, off, path)
    const out: number[] = []
    for (let o = off; o < off + len; o += 4) out.push(buf.readUInt32BE(o) >>> 12)
    return out
  },
  encode(w, t, v) {
    const b = Buffer.alloc(v.length * 4)
    v.forEach((l, i) => b.writeUInt32BE(((l << 12) | (i === v.length - 1 ? 0x100 : 0)) >>> 0, i * 4))
    w.attrBytes(t, b)
  },
  check(v, field) {
    // MAX_NEW_LABELS (net/mpls/internal.h) is 30; labels are 20 bits.
    if (!Array.isArray(v) || v.length === 0 || v.length > 30 || v.some(l => !isInt(l, 0, 0xfffff)))
      throw new ValidationError(`${field}: expected 1-30 MPLS labels, integers 0-1048575`, field, v)
  },
}

// ---- tables -----------------------------------------------------------------

/** TUNNEL_* of <linux/if_tunnel.h>: the __be16 bits of LWTUNNEL_IP_FLAGS / LWTUNNEL_IP6_FLAGS. */
export const TUNNEL_FLAGS = {
  csum: 0x01, routing: 0x02, key: 0x04, seq: 0x08, strict: 0x10, rec: 0x20, version: 0x40, noKey: 0x80,
  dontFragment: 0x100, oam: 0x200, critOpt: 0x400, geneveOpt: 0x800, vxlanOpt: 0x1000, nocache: 0x2000,
  erspanOpt: 0x4000, gtpOpt: 0x8000,
} as const
/** A tunnel flag by name (TUNNEL_* of <linux/if_tunnel.h>), in the `flags` of an ip or ip6 encapsulation (`key`, `csum`, `seq`...). */
export type TunnelFlag = keyof typeof TUNNEL_FLAGS
const tunnelFlags = bitNames('be16', TUNNEL_FLAGS)

/** LWTUNNEL_IP_* (`encap ip id ID dst ADDR src ADDR ttl N tos N key csum seq`). */
export const LWTUNNEL_IP = attrTable('LWTUNNEL_IP', {
  LWTUNNEL_IP_ID: [1, 'id', tunnelId],
  LWTUNNEL_IP_DST: [2, 'dst', ipv4],
  LWTUNNEL_IP_SRC: [3, 'src', ipv4],
  LWTUNNEL_IP_TTL: [4, 'ttl', u8],
  LWTUNNEL_IP_TOS: [5, 'tos', u8],
  LWTUNNEL_IP_FLAGS: [6, 'flags', tunnelFlags],
  // LWTUNNEL_IP_PAD (7) is dropped; LWTUNNEL_IP_OPTS (8, geneve/vxlan/erspan options) stays raw.
})

/** LWTUNNEL_IP6_* (`encap ip6 id ID dst ADDR src ADDR hoplimit N tc N key csum seq`). */
export const LWTUNNEL_IP6 = attrTable('LWTUNNEL_IP6', {
  LWTUNNEL_IP6_ID: [1, 'id', tunnelId],
  LWTUNNEL_IP6_DST: [2, 'dst', ipv6],
  LWTUNNEL_IP6_SRC: [3, 'src', ipv6],
  LWTUNNEL_IP6_HOPLIMIT: [4, 'hoplimit', u8],
  LWTUNNEL_IP6_TC: [5, 'tc', u8],
  LWTUNNEL_IP6_FLAGS: [6, 'flags', tunnelFlags],
})

/** MPLS_IPTUNNEL_* (`encap mpls 100/200 ttl N`). */
export const MPLS_IPTUNNEL = attrTable('MPLS_IPTUNNEL', {
  MPLS_IPTUNNEL_DST: [1, 'labels', mplsLabels],
  MPLS_IPTUNNEL_TTL: [2, 'ttl', u8],
})

/** SEG6_IPTUN_MODE_* */
export const SEG6_MODES = { inline: 0, encap: 1, l2encap: 2, 'encap.red': 3, 'l2encap.red': 4 } as const
/**
 * An SRv6 encapsulation mode by name (SEG6_IPTUN_MODE_* of <linux/seg6_iptunnel.h>), as
 * `ip route ... encap seg6 mode M` takes it: `inline` (the SRH is inserted into the packet),
 * `encap` (an outer IPv6 header with the SRH), `l2encap` (of the L2 frame), and the reduced
 * forms `encap.red` and `l2encap.red`.
 */
export type Seg6Mode = keyof typeof SEG6_MODES
const SEG6_MODE_BY_NUM = Object.fromEntries(Object.entries(SEG6_MODES).map(([k, v]) => [v, k])) as Record<number, Seg6Mode>

/** struct seg6_iptunnel_encap { int mode; struct ipv6_sr_hdr srh[]; } as `{ mode, segments, hmac?, tag? }`. */
const seg6Tunnel: Codec<SegmentList & { mode: Seg6Mode | number }> = {
  kind: 'seg6_iptunnel_encap',
  decode(buf, off, len, path) {
    if (len < 4) decodeFail('seg6_iptunnel_encap shorter than its mode', buf, off, path)
    const m = buf.readInt32LE(off)
    const s = readSrh(buf, off + 4, len - 4, path)
    return { mode: SEG6_MODE_BY_NUM[m] ?? m, ...(m === SEG6_MODES.inline ? dropSlot(s) : s) }
  },
  encode(w, t, v) {
    const m = typeof v.mode === 'number' ? v.mode : SEG6_MODES[v.mode]
    const s = writeSrh(v, m === SEG6_MODES.inline)
    const b = Buffer.alloc(4 + s.length)
    b.writeInt32LE(m, 0)
    s.copy(b, 4)
    w.attrBytes(t, b)
  },
}

/** SEG6_IPTUNNEL_* (`encap seg6 mode MODE segs A,B hmac KEYID`). */
export const SEG6_IPTUNNEL = attrTable('SEG6_IPTUNNEL', {
  SEG6_IPTUNNEL_SRH: [1, 'srh', seg6Tunnel],
})

/** SEG6_LOCAL_ACTION_* by the names `ip` uses. */
export const SEG6_LOCAL_ACTIONS = {
  End: 1, 'End.X': 2, 'End.T': 3, 'End.DX2': 4, 'End.DX6': 5, 'End.DX4': 6, 'End.DT6': 7, 'End.DT4': 8,
  'End.B6': 9, 'End.B6.Encaps': 10, 'End.BM': 11, 'End.S': 12, 'End.AS': 13, 'End.AM': 14, 'End.BPF': 15, 'End.DT46': 16,
} as const
/** An SRv6 local behaviour by name (SEG6_LOCAL_ACTION_* of <linux/seg6_local.h>): `ip route ... encap seg6local action End.X ...`. */
export type Seg6LocalAction = keyof typeof SEG6_LOCAL_ACTIONS

/** SEG6_LOCAL_CNT_*: the counters of a behaviour created with `count`. */
export const SEG6_LOCAL_CNT = attrTable('SEG6_LOCAL_CNT', {
  SEG6_LOCAL_CNT_PACKETS: [2, 'packets', u64],
  SEG6_LOCAL_CNT_BYTES: [3, 'bytes', u64],
  SEG6_LOCAL_CNT_ERRORS: [4, 'errors', u64],
})
/** The counters of a seg6local behaviour created with `count` (SEG6_LOCAL_COUNTERS), as read back. */
export type Seg6LocalCounters = { packets?: number; bytes?: number; errors?: number }

/** SEG6_LOCAL_COUNTERS: read as the counters; given as `true` (or a counters object) it asks for them. */
const counters: Codec<Seg6LocalCounters | true> = {
  kind: 'nested',
  table: SEG6_LOCAL_CNT,
  decode: (buf, off, len, path) => {
    const c = decodeAttrs(SEG6_LOCAL_CNT, buf, off, off + len, path) as Seg6LocalCounters & { unknown?: RawAttr[] }
    if (c.unknown) c.unknown = c.unknown.filter(a => (a.type & NLA_TYPE_MASK) !== 1) // SEG6_LOCAL_CNT_PAD
    if (c.unknown?.length === 0) delete c.unknown
    return c
  },
  encode(w, t) {
    // The kernel wants the three counters in the request (as `ip ... count` sends them, zero).
    const at = w.beginNest(t)
    encodeAttrs(SEG6_LOCAL_CNT, w, { packets: 0, bytes: 0, errors: 0 })
    w.endNest(at)
  },
  check(v, field) {
    if (v !== true && (typeof v !== 'object' || v === null)) throw new ValidationError(`${field}: expected true`, field, v)
  },
}

/** SEG6_LOCAL_FLV_OP_* as bits of SEG6_LOCAL_FLV_OPERATION. */
export const SEG6_LOCAL_FLV_OPS = { psp: 1 << 1, usp: 1 << 2, usd: 1 << 3, nextCsid: 1 << 4 } as const
export const SEG6_LOCAL_FLV = attrTable('SEG6_LOCAL_FLV', {
  SEG6_LOCAL_FLV_OPERATION: [1, 'operation', bitNames('u32', SEG6_LOCAL_FLV_OPS)],
  SEG6_LOCAL_FLV_LCBLOCK_BITS: [2, 'lcblockBits', u8],
  SEG6_LOCAL_FLV_LCNODE_FN_BITS: [3, 'lcnodeFuncBits', u8],
})

/** SEG6_LOCAL_* (`encap seg6local action ACTION [table T] [nh4|nh6 A] [oif DEV] [srh segs ...] [count]`). */
export const SEG6_LOCAL = attrTable('SEG6_LOCAL', {
  SEG6_LOCAL_ACTION: [1, 'action', enumOf(u32, SEG6_LOCAL_ACTIONS)],
  SEG6_LOCAL_SRH: [2, 'srh', srh],
  SEG6_LOCAL_TABLE: [3, 'table', u32],
  SEG6_LOCAL_NH4: [4, 'nh4', ipv4],
  SEG6_LOCAL_NH6: [5, 'nh6', ipv6],
  SEG6_LOCAL_IIF: [6, 'iif', u32],
  SEG6_LOCAL_OIF: [7, 'oif', u32],
  // SEG6_LOCAL_BPF (8) stays raw: a program is loaded by fd, which has no place in a plain object.
  SEG6_LOCAL_VRFTABLE: [9, 'vrftable', u32],
  SEG6_LOCAL_COUNTERS: [10, 'counters', counters],
  SEG6_LOCAL_FLAVORS: [11, 'flavors', nested(SEG6_LOCAL_FLV)],
})

/** LWT_XFRM_* (`encap xfrm if_id N link_dev DEV`). */
export const LWT_XFRM = attrTable('LWT_XFRM', {
  LWT_XFRM_IF_ID: [1, 'ifId', u32],
  LWT_XFRM_LINK: [2, 'link', u32],
})

// ---- the public shapes ----------------------------------------------------------

type Fields<T> = Omit<AttrsOf<T>, 'unknown'>

/** `encap ip ...`: metadata for a collect-metadata (external) tunnel device. */
export type IpEncap = { type: 'ip' } & Fields<typeof LWTUNNEL_IP> & { unknown?: RawAttr[] }
/** `encap ip6 ...` */
export type Ip6Encap = { type: 'ip6' } & Fields<typeof LWTUNNEL_IP6> & { unknown?: RawAttr[] }
/** `encap mpls LABEL/LABEL... [ttl N]`: labels pushed, outermost first. */
export type MplsEncap = { type: 'mpls'; labels: number[]; ttl?: number; unknown?: RawAttr[] }
/**
 * `encap seg6 mode MODE segs A,B,... [hmac KEYID]`: an IPv6 segment routing header, segments
 * in the order they are visited. In `inline` mode the header also holds a slot for the
 * packet's own destination, which `ip` adds and shows as `::`; it is added here too and not
 * listed when read back.
 */
export type Seg6Encap = { type: 'seg6'; mode: Seg6Mode | number } & SegmentList & { unknown?: RawAttr[] }
/**
 * `encap seg6local action ACTION ...`: a segment routing behaviour. `iif`/`oif` are link
 * indexes when read; names are resolved when given. `srh` (End.B6, End.B6.Encaps) lists the
 * segments in visiting order (End.B6's slot for the destination as for seg6 inline).
 * `counters: true` asks the kernel to count (`count`); it reads back as the counters.
 */
export type Seg6LocalEncap = { type: 'seg6local' } & Omit<Fields<typeof SEG6_LOCAL>, 'iif' | 'oif' | 'action'> & {
  action: Seg6LocalAction | number
  iif?: number | string
  oif?: number | string
  unknown?: RawAttr[]
}
/** `encap xfrm if_id N [link_dev DEV]` (Linux 6.3+ with CONFIG_XFRM_INTERFACE). */
export type XfrmEncap = { type: 'xfrm' } & Fields<typeof LWT_XFRM> & { unknown?: RawAttr[] }
/** A type without a typed form here (ila, bpf, rpl, ioam6, or a number): its attributes as sent. */
export type RawEncap = { type: Exclude<EncapType, 'ip' | 'ip6' | 'mpls' | 'seg6' | 'seg6local' | 'xfrm'> | number; unknown?: RawAttr[] }

/** A route's lightweight tunnel encapsulation (`ip route ... encap TYPE ...`), by `type`. */
export type RouteEncap = IpEncap | Ip6Encap | MplsEncap | Seg6Encap | Seg6LocalEncap | XfrmEncap | RawEncap

// ---- one kind per typed encapsulation -------------------------------------------------

interface EncapKind {
  table: AttrTable
  /** The PAD attribute type the kernel may put before 64-bit values (dropped when read). */
  pad?: number
  /** User object (without `type`) → the table's attributes. */
  toAttrs?(v: Record<string, unknown>): Record<string, unknown>
  /** The table's attributes → user fields. */
  fromAttrs?(a: Record<string, unknown>): Record<string, unknown>
  /** Required keys. */
  required?: readonly string[]
  /** Checks beyond the table's. */
  check?(v: Record<string, unknown>, field: string): void
}

const RAW_KEYS: ReadonlySet<string> = new Set(['unknown'])
const SEG6_KEYS: ReadonlySet<string> = new Set(['mode', 'segments', 'hmac', 'tag', 'unknown'])

const KINDS: Partial<Record<number, EncapKind>> = {
  [ENCAP_TYPES.mpls]: { table: MPLS_IPTUNNEL, required: ['labels'] },
  [ENCAP_TYPES.ip]: { table: LWTUNNEL_IP, pad: 7 },
  [ENCAP_TYPES.ip6]: { table: LWTUNNEL_IP6, pad: 7 },
  [ENCAP_TYPES.seg6]: {
    table: SEG6_IPTUNNEL,
    toAttrs: ({ unknown, ...srh }) => ({ srh, unknown }),
    fromAttrs: ({ srh, unknown }) => ({ ...(srh as object), ...(unknown ? { unknown } : {}) }),
    check(v, field) {
      checkKnownKeys(v, SEG6_KEYS, field)
      const m = v['mode']
      if (typeof m === 'string' ? !Object.hasOwn(SEG6_MODES, m) : !isInt(m, -0x80000000, 0x7fffffff))
        throw new ValidationError(`${field}.mode: expected one of ${Object.keys(SEG6_MODES).join(', ')}`, `${field}.mode`, m)
      checkSegments(v, field)
    },
  },
  [ENCAP_TYPES.seg6local]: {
    table: SEG6_LOCAL,
    required: ['action'],
    // End.B6 inserts its SRH into the packet: like seg6 inline, a slot for the destination.
    toAttrs: v => v['action'] === 'End.B6' || v['action'] === SEG6_LOCAL_ACTIONS['End.B6'] ? { ...v, srh: withSlot(v['srh'] as SegmentList | undefined) } : v,
    fromAttrs: a => a['action'] === 'End.B6' && a['srh'] ? { ...a, srh: dropSlot(a['srh'] as SegmentList) } : a,
  },
  [ENCAP_TYPES.xfrm]: { table: LWT_XFRM, required: ['ifId'] },
}

function withSlot(s: SegmentList | undefined): SegmentList | undefined {
  return s && { ...s, segments: [...s.segments, '::'] }
}

const ENCAP_BY_NUM: (EncapType | undefined)[] = []
for (const [k, v] of Object.entries(ENCAP_TYPES)) ENCAP_BY_NUM[v] = k as EncapType

function typeNumber(t: unknown, field: string): number {
  if (typeof t === 'string' && Object.hasOwn(ENCAP_TYPES, t) && t !== 'none') return ENCAP_TYPES[t as EncapType]
  if (isInt(t, 1, 0xffff)) return t
  throw new ValidationError(`${field}.type: expected one of ${Object.keys(ENCAP_TYPES).filter(k => k !== 'none').join(', ')} or a number 1-65535`, `${field}.type`, t)
}

/** No attributes declared: decodeAttrs() keeps them all in `unknown`. */
const RAW = attrTable('RTA_ENCAP', {})

/** Decodes an RTA_ENCAP payload given its RTA_ENCAP_TYPE. */
export function decodeEncap(buf: Buffer, off: number, len: number, type: number, path: string): RouteEncap {
  const name = ENCAP_BY_NUM[type] ?? type
  const kind = KINDS[type]
  if (!kind) return { type: name, ...decodeAttrs(RAW, buf, off, off + len, path) } as RouteEncap
  const a = decodeAttrs(kind.table, buf, off, off + len, path) as Record<string, unknown>
  const u = a['unknown'] as RawAttr[] | undefined
  if (u && kind.pad !== undefined) {
    const kept = u.filter(x => (x.type & NLA_TYPE_MASK) !== kind.pad)
    if (kept.length > 0) a['unknown'] = kept
    else delete a['unknown']
  }
  return { type: name, ...(kind.fromAttrs ? kind.fromAttrs(a) : a) } as RouteEncap
}

/**
 * Puts the RTA_ENCAP found at `at` (its header) on a route or a multipath path: decoded as
 * `encap` given its RTA_ENCAP_TYPE, or raw in `unknown` without one (`type` < 0).
 */
export function placeEncap(into: { encap?: RouteEncap; unknown?: RawAttr[] }, buf: Buffer, at: number, type: number, path: string): void {
  const len = rd16(buf, at)
  if (type >= 0) into.encap = decodeEncap(buf, at + 4, len - 4, type, path)
  else (into.unknown ??= []).push({ type: rd16(buf, at + 2), data: copyBytes(buf, at + 4, at + len) })
}

/**
 * Checks an `encap` option: a known type (or a number) and, for a typed one, its fields.
 * Link names in seg6local `iif`/`oif` pass; the caller resolves them (see {@link encapLinkNames}).
 */
export function checkEncap(v: unknown, field: string): asserts v is RouteEncap {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new ValidationError(`${field}: expected { type, ... }`, field, v)
  const { type, ...rest } = v as Record<string, unknown>
  const kind = KINDS[typeNumber(type, field)]
  if (!kind) {
    checkKnownKeys(rest, RAW_KEYS, field)
    if (rest['unknown'] !== undefined) checkRawAttrs(rest['unknown'], `${field}.unknown`)
    return
  }
  for (const k of kind.required ?? []) if (rest[k] === undefined) throw new ValidationError(`${field}.${k}: required for encap ${String(type)}`, `${field}.${k}`, undefined)
  if (kind.check) return kind.check(rest, field)
  const forCheck = kind.table === SEG6_LOCAL ? { ...rest, iif: linkIndexOr0(rest['iif']), oif: linkIndexOr0(rest['oif']) } : rest
  checkAttrKeys(kind.table, forCheck, field)
}

/** A seg6local iif/oif for the table check: a name passes as 0 (resolved later). */
function linkIndexOr0(v: unknown): unknown {
  return typeof v === 'string' && v.length > 0 ? 0 : v
}

/** Link names an encap refers to (seg6local iif/oif), to resolve before building. */
export function encapLinkNames(v: RouteEncap | undefined): string[] {
  if (!v || v.type !== 'seg6local') return []
  return [v.iif, v.oif].filter((x): x is string => typeof x === 'string')
}

/** The encap with link names replaced by their indexes. */
export function withLinkIndexes(v: RouteEncap, index: (name: string, field: string) => number, field: string): RouteEncap {
  if (v.type !== 'seg6local' || (typeof v.iif !== 'string' && typeof v.oif !== 'string')) return v
  return {
    ...v,
    ...(typeof v.iif === 'string' ? { iif: index(v.iif, `${field}.iif`) } : {}),
    ...(typeof v.oif === 'string' ? { oif: index(v.oif, `${field}.oif`) } : {}),
  }
}

/** Writes RTA_ENCAP (the nest) and RTA_ENCAP_TYPE for an encap object (checked with checkEncap). */
export function encodeEncap(w: NlWriter, v: RouteEncap): void {
  const { type, ...rest } = v as Record<string, unknown> & { type: unknown }
  const t = typeNumber(type, 'encap')
  const kind = KINDS[t]
  const at = w.beginNest(RTA_ENCAP)
  if (kind) encodeAttrs(kind.table, w, kind.toAttrs ? kind.toAttrs(rest) : rest)
  else for (const u of (rest['unknown'] as RawAttr[] | undefined) ?? []) w.attrBytes(u.type, u.data)
  w.endNest(at)
  w.attrU16(RTA_ENCAP_TYPE, t)
}

/** The RTA table's entry for RTA_ENCAP: encoded with its type; decoded by the route decoder. */
export const encapAttr: Codec<RouteEncap> = {
  kind: 'nested',
  decode: () => ({ type: 'none' }) as unknown as RouteEncap,
  encode: (w, _t, v) => encodeEncap(w, v),
  resolve(buf, s, e) {
    const at = findAttr(buf, s, e, RTA_ENCAP_TYPE)
    return at && at[1] >= 2 ? KINDS[rd16(buf, at[0])]?.table : undefined
  },
  check: checkEncap,
}

export { ENCAP_BY_NUM }
