/**
 * Attribute tables: each family declares its attributes once —
 * `IFLA_IFNAME: [3, 'name', str]` — and gets a typed decoder, encoder, names
 * for error messages (extack paths) and round-tripping of unknown attributes.
 */
import { NLA_TYPE_MASK } from '../netlink/constants.js'
import { rd16, rd32, rdS32 } from '../util/le.js'
import type { NlWriter } from './writer.js'
import { copyBytes, decodeFail, findAttr, type RawAttr } from './codec.js'
import { checkKnownKeys } from '../util/keys.js'
import { ValidationError } from '../errors.js'
import { checkBool, checkString, checkU64, intIn, isInt } from '../util/check.js'

/** Encodes and decodes one attribute payload. */
export interface Codec<T> {
  readonly kind: string
  decode(buf: Buffer, off: number, len: number, path: string): T
  encode(w: NlWriter, type: number, value: T): void
  /** For nested attributes: the table of what is inside. */
  readonly table?: AttrTable
  /**
   * For nests whose content depends on a sibling (IFLA_INFO_DATA on IFLA_INFO_KIND):
   * given the raw parent nest, the table to use.
   */
  readonly resolve?: (buf: Buffer, parentStart: number, parentEnd: number) => AttrTable | undefined
  /**
   * Checks a value given by the caller before anything is sent, throwing a ValidationError
   * that names `field` (`'bridgePort.priority: expected an integer 0-65535'`). Called by
   * {@link checkAttrKeys} for kind data, port data and route metrics; a codec without it
   * takes whatever its encode() takes.
   */
  check?(value: unknown, field: string): void
  /**
   * The value is a link's index: link.add/set also take the link's name there and resolve
   * it (one RTM_GETLINK) before sending (see `codecs.ifindex`).
   */
  readonly linkRef?: boolean
}

export type ValueOf<C> = C extends Codec<infer T> ? T : never

export interface AttrOptions {
  /** Reported by the kernel only; never encoded from user input. */
  readOnly?: boolean
}

/**
 * One attribute of an {@link attrTable}: its type number (as in the kernel's uapi header,
 * e.g. IFLA_GENEVE_ID = 1), the key it has in decoded objects and options, its codec, and
 * options (`{ readOnly: true }`).
 */
export type AttrDef = readonly [type: number, key: string, codec: Codec<any>, opts?: AttrOptions]

interface Entry {
  /** Position in the table: the order attributes are encoded in. */
  index: number
  name: string
  type: number
  key: string
  codec: Codec<any>
  readOnly: boolean
}

/** A declared attribute table; see {@link attrTable}. */
export interface AttrTable<D extends Record<string, AttrDef> = Record<string, AttrDef>> {
  readonly name: string
  readonly defs: D
  readonly entries: readonly Entry[]
  readonly byType: readonly (Entry | undefined)[]
  readonly byKey: ReadonlyMap<string, Entry>
}

/** The typed object a table decodes to (all fields optional, unknown attributes kept). */
export type AttrsOf<T> = T extends AttrTable<infer D>
  ? { -readonly [K in keyof D as D[K][1]]?: ValueOf<D[K][2]> } & { unknown?: RawAttr[] }
  : never

/**
 * Checks an object of attributes given by the caller (kind data, port data, route metrics):
 * a ValidationError unless it is an object, and for a key `table` does not declare (a
 * misspelt option). Read-only keys pass: a decoded object may be given back, and they are
 * not sent.
 */
export function checkAttrKeys(table: AttrTable | undefined, obj: unknown, field: string): asserts obj is Record<string, unknown> {
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) throw new ValidationError(`${field}: expected an object`, field, obj)
  if (!table) return
  checkKnownKeys(obj, table.byKey, field, table.entries.filter(e => !e.readOnly).map(e => e.key))
  // Values too: a wrong type or an out-of-range number would otherwise be coerced by the
  // encoder ('x' → 0, 2^32 + 5 → 5) or surface as a bare RangeError from Buffer.
  const o = obj as Record<string, unknown>
  for (const k in o) {
    const v = o[k]
    if (v === undefined) continue
    if (k === 'unknown' && !table.byKey.has(k)) checkRawAttrs(v, `${field}.unknown`)
    const e = table.byKey.get(k)
    if (e !== undefined && !e.readOnly) e.codec.check?.(v, `${field}.${k}`)
  }
}

/** `unknown`: raw attributes sent as they are ({ type, data } as decoded). */
export function checkRawAttrs(v: unknown, field: string): void {
  if (!Array.isArray(v)) throw new ValidationError(`${field}: expected an array of { type, data } raw attributes`, field, v)
  v.forEach((a: unknown, i) => {
    const r = a as { type?: unknown; data?: unknown } | null
    if (typeof r !== 'object' || r === null || !isInt(r.type, 0, 0xffff) || !(r.data instanceof Uint8Array) || r.data.length > 0xffff - 4)
      throw new ValidationError(`${field}[${i}]: expected { type: 0-65535, data: Uint8Array }`, `${field}[${i}]`, a)
  })
}

/** Declares an attribute table. Names are the kernel's (`IFLA_IFNAME`), keys camelCase. */
export function attrTable<const D extends Record<string, AttrDef>>(name: string, defs: D): AttrTable<D> {
  const entries: Entry[] = []
  const byType: (Entry | undefined)[] = []
  const byKey = new Map<string, Entry>()
  for (const [n, def] of Object.entries(defs)) {
    const e: Entry = { index: entries.length, name: n, type: def[0], key: def[1], codec: def[2], readOnly: !!def[3]?.readOnly }
    entries.push(e)
    byType[e.type] = e
    byKey.set(e.key, e)
  }
  return { name, defs, entries, byType, byKey }
}

const pathCache = new WeakMap<AttrTable, Map<string, string[]>>()

/** `${path} > ${name}` for each type of a table, built once per (table, path). */
export function childPaths(table: AttrTable, path: string): string[] {
  let byPath = pathCache.get(table)
  if (!byPath) pathCache.set(table, (byPath = new Map()))
  let paths = byPath.get(path)
  if (!paths) {
    paths = []
    for (const e of table.entries) paths[e.type] = path ? `${path} > ${e.name}` : e.name
    byPath.set(path, paths)
  }
  return paths
}

/** Decodes attributes in [start, end) into an object keyed by the table's keys. */
export function decodeAttrs<T extends AttrTable>(
  table: T,
  buf: Buffer,
  start: number,
  end: number,
  path: string,
  into: Record<string, unknown> = {},
): AttrsOf<T> {
  const byType = table.byType
  const paths = childPaths(table, path)
  let off = start
  while (off + 4 <= end) {
    const len = rd16(buf, off)
    if (len < 4 || off + len > end) decodeFail(`bad attribute length ${len}`, buf, off, path)
    const rawType = rd16(buf, off + 2)
    const e = byType[rawType & NLA_TYPE_MASK]
    if (e !== undefined) {
      into[e.key] = e.codec.decode(buf, off + 4, len - 4, paths[e.type]!)
    } else {
      const unknown = (into['unknown'] ??= []) as RawAttr[]
      unknown.push({ type: rawType, data: copyBytes(buf, off + 4, off + len) })
    }
    off += (len + 3) & ~3
  }
  return into as AttrsOf<T>
}

/**
 * Encodes the object's attributes in table order, then any `unknown` raw attributes
 * (so a decode → encode round trip keeps them). Read-only attributes are skipped
 * unless includeReadOnly is set (golden-byte tests re-encode everything).
 */
export function encodeAttrs<T extends AttrTable>(
  table: T,
  w: NlWriter,
  obj: AttrsOf<T> | Record<string, unknown>,
  includeReadOnly = false,
): void {
  const o = obj as Record<string, unknown>
  // Walk the object's own keys (requests set a handful of a table's 50+ attributes), then
  // encode in table order so that the bytes do not depend on the order keys were set in.
  // One scratch array per nesting depth: no allocation per request.
  const found = (scratch[depth] ??= [])
  found.length = 0
  depth++
  try {
    collectEntries(table, o, found, includeReadOnly)
    for (let i = 0; i < found.length; i++) {
      const e = found[i]!
      e.codec.encode(w, e.type, o[e.key])
    }
  } finally {
    found.length = 0
    depth--
  }
  const unknown = o['unknown'] as RawAttr[] | undefined
  if (unknown) for (const u of unknown) w.attrBytes(u.type, u.data)
}

const scratch: Entry[][] = []
let depth = 0

/** The table entries of obj's defined keys, in table order (insertion sort: a handful). */
function collectEntries(table: AttrTable, o: Record<string, unknown>, found: Entry[], includeReadOnly: boolean): void {
  for (const k in o) {
    const e = table.byKey.get(k)
    if (e === undefined || o[k] === undefined || (e.readOnly && !includeReadOnly)) continue
    let i = found.length
    while (i > 0 && found[i - 1]!.index > e.index) {
      found[i] = found[i - 1]!
      i--
    }
    found[i] = e
  }
}

/** The table's attribute name for a type number (`'IFLA_IFNAME'`), or `'<table>#N'`. */
export function attrName(table: AttrTable | undefined, type: number): string {
  const e = table?.byType[type & NLA_TYPE_MASK]
  return e ? e.name : `${table?.name ?? 'attr'}#${type & NLA_TYPE_MASK}`
}

/**
 * Finds the attribute of a request that starts at (or contains) byte offset,
 * walking nested tables, and returns its path (`IFLA_LINKINFO > IFLA_INFO_DATA > IFLA_VXLAN_ID`)
 * plus the table the innermost nest uses (for naming a missing attribute in it).
 */
export function attrPathAt(
  table: AttrTable | undefined,
  buf: Buffer,
  start: number,
  end: number,
  offset: number,
): { path: string[]; exact: boolean; innerTable: AttrTable | undefined } {
  const path: string[] = []
  let t = table
  let s = start
  let e = end
  for (;;) {
    let off = s
    let found = false
    while (off + 4 <= e) {
      const len = rd16(buf, off)
      if (len < 4 || off + len > e) break
      if (offset >= off && offset < off + Math.max(len, 4)) {
        const type = rd16(buf, off + 2) & NLA_TYPE_MASK
        path.push(attrName(t, type))
        if (offset === off) {
          const codec = t?.byType[type]?.codec
          const inner = codec?.table ?? codec?.resolve?.(buf, s, e)
          return { path, exact: true, innerTable: inner }
        }
        const codec = t?.byType[type]?.codec
        const inner = codec?.table ?? codec?.resolve?.(buf, s, e)
        t = inner
        s = off + 4
        e = off + len
        found = true
        break
      }
      off += (len + 3) & ~3
    }
    if (!found) return { path, exact: false, innerTable: t }
  }
}

// ---- codecs ---------------------------------------------------------------

function fixed<T>(kind: string, size: number, read: (b: Buffer, o: number) => T, write: (w: NlWriter, t: number, v: T) => void,
  check: (v: unknown, field: string) => void): Codec<T> {
  return {
    kind,
    decode(buf, off, len, path) {
      if (len < size) decodeFail(`${kind} attribute has ${len} bytes`, buf, off, path)
      return read(buf, off)
    },
    encode: write,
    check,
  }
}

export const u8: Codec<number> = fixed('u8', 1, (b, o) => b[o]!, (w, t, v) => w.attrU8(t, v), intIn(0, 0xff))
export const u16: Codec<number> = fixed('u16', 2, (b, o) => rd16(b, o), (w, t, v) => w.attrU16(t, v), intIn(0, 0xffff))
export const be16: Codec<number> = fixed('be16', 2, (b, o) => b.readUInt16BE(o), (w, t, v) => w.attrBe16(t, v), intIn(0, 0xffff))
export const u32: Codec<number> = fixed('u32', 4, (b, o) => rd32(b, o), (w, t, v) => w.attrU32(t, v), intIn(0, 0xffffffff))
export const s32: Codec<number> = fixed('s32', 4, (b, o) => rdS32(b, o), (w, t, v) => w.attrS32(t, v), intIn(-0x80000000, 0x7fffffff))
export const be32: Codec<number> = fixed('be32', 4, (b, o) => b.readUInt32BE(o), (w, t, v) => w.attrBe32(t, v), intIn(0, 0xffffffff))
/** u64 as a number (exact below 2^53, which byte/packet counters stay under in practice). */
export const u64: Codec<number> = fixed('u64', 8, (b, o) => Number(b.readBigUInt64LE(o)), (w, t, v) => w.attrU64(t, v), intIn(0, Number.MAX_SAFE_INTEGER))
/**
 * NLA_UINT (`nla_put_uint`): a u32 on the wire, or a u64 when the value needs it; a number
 * (exact below 2^53). Encoded as a u32 when it fits.
 */
export const uint: Codec<number> = {
  kind: 'uint',
  decode(buf, off, len, path) {
    if (len < 4) decodeFail(`uint attribute has ${len} bytes`, buf, off, path)
    return len >= 8 ? Number(buf.readBigUInt64LE(off)) : rd32(buf, off)
  },
  encode: (w, t, v) => (v <= 0xffffffff ? w.attrU32(t, v) : w.attrU64(t, v)),
  check: intIn(0, Number.MAX_SAFE_INTEGER),
}
/** u64 as a bigint, where every bit matters (cookies, masks); a safe integer number is taken too. */
export const u64big: Codec<bigint> = fixed('u64', 8, (b, o) => b.readBigUInt64LE(o), (w, t, v) => w.attrU64(t, v), checkU64)
/** u8 as a boolean (0/1). */
export const bool8: Codec<boolean> = fixed('u8', 1, (b, o) => b[o] !== 0, (w, t, v) => w.attrU8(t, v ? 1 : 0), checkBool)
/** u32 as a boolean (0/1). */
export const bool32: Codec<boolean> = fixed('u32', 4, (b, o) => rd32(b, o) !== 0, (w, t, v) => w.attrU32(t, v ? 1 : 0), checkBool)

/** A presence flag (NLA_FLAG): true when present. */
export const flag: Codec<boolean> = {
  kind: 'flag',
  decode: () => true,
  encode(w, t, v) {
    if (v) w.attrFlag(t)
  },
  check: checkBool,
}

/**
 * A presence flag (NLA_FLAG) on the way in that the kernel reports back as a u8 0/1
 * (IFLA_VXLAN_TTL_INHERIT): sent as a flag when true, not at all when false; read from
 * either.
 */
export const flag8: Codec<boolean> = { ...flag, decode: (buf, off, len) => len === 0 || buf[off] !== 0 }

export const str: Codec<string> = {
  kind: 'string',
  decode(buf, off, len) {
    let end = off + len
    while (end > off && buf[end - 1] === 0) end--
    return buf.toString('utf8', off, end)
  },
  encode: (w, t, v) => w.attrStr(t, v),
  check: checkString,
}

/**
 * A string sent without the trailing NUL, as iproute2 sends IFLA_IFALIAS (the kernel's
 * policy counts a NUL against the 255-byte limit); decoded like {@link str}.
 */
export const strBare: Codec<string> = {
  kind: 'string',
  decode: str.decode,
  encode: (w, t, v) => w.attrBytes(t, Buffer.from(v, 'utf8')),
  check: checkString,
}

/** Raw bytes as a lowercase hex string. */
export const hex: Codec<string> = {
  kind: 'binary',
  decode: (buf, off, len) => buf.toString('hex', off, off + len),
  encode: (w, t, v) => w.attrBytes(t, Buffer.from(v, 'hex')),
  check(v, field) {
    // Buffer.from(v, 'hex') stops at the first bad digit: 'abzz' would send one byte.
    if (typeof v !== 'string' || !/^(?:[0-9a-fA-F]{2})*$/.test(v) || v.length / 2 > 0xffff - 4)
      throw new ValidationError(`${field}: expected bytes as an even number of hex digits`, field, v)
  },
}

/** A nested attribute holding the given table. */
export function nested<T extends AttrTable>(table: T): Codec<AttrsOf<T>> {
  return {
    kind: 'nested',
    table,
    decode: (buf, off, len, path) => decodeAttrs(table, buf, off, off + len, path),
    encode(w, t, v) {
      const at = w.beginNest(t)
      encodeAttrs(table, w, v)
      w.endNest(at)
    },
    check: (v, field) => checkAttrKeys(table, v, field),
  }
}

/** Finds the payload of attribute `type` in [start, end) of a parent nest (for resolve()). */
export { findAttr }

/** Maps a numeric codec to a string union through a two-way table (unknown numbers stay numbers). */
export function enumOf<S extends string>(base: Codec<number>, names: Record<S, number>): Codec<S | number> {
  const byNum = new Map<number, S>()
  for (const [k, v] of Object.entries(names) as [S, number][]) byNum.set(v, k)
  return {
    kind: base.kind,
    decode(buf, off, len, path) {
      const n = base.decode(buf, off, len, path)
      return byNum.get(n) ?? n
    },
    encode(w, t, v) {
      base.encode(w, t, typeof v === 'number' ? v : names[v])
    },
    check(v, field) {
      if (typeof v === 'string') {
        if (!Object.hasOwn(names, v)) throw new ValidationError(`${field}: unknown value ${JSON.stringify(v)} (known: ${Object.keys(names).join(', ')}, or a number)`, field, v)
      } else if (base.check) base.check(v, field)
      else if (typeof v !== 'number') throw new ValidationError(`${field}: expected one of ${Object.keys(names).join(', ')} or a number`, field, v)
    },
  }
}
