/**
 * Address messages: struct ifaddrmsg + IFA_* attributes, as in <linux/if_addr.h> (Linux 6.18).
 */
import BufferLayout from 'buffer-layout'
import type { StructLayout } from '../../netlink/header.js'
import { rd32 } from '../../util/le.js'
import { decodeFail } from '../../attr/codec.js'
import { attrTable, str, u32, u8, type AttrsOf, type Codec } from '../../attr/table.js'
import { ip } from '../../attr/types.js'
import { registerMessageType } from '../../netlink/registry.js'
import { ValidationError } from '../../errors.js'

export const RTM_NEWADDR = 20
export const RTM_DELADDR = 21
export const RTM_GETADDR = 22

/** struct ifaddrmsg { u8 family; u8 prefixlen; u8 flags; u8 scope; u32 index; } — 8 bytes. */
export const ifaddrmsg: StructLayout = BufferLayout.struct([
  BufferLayout.u8('family'),
  BufferLayout.u8('prefixlen'),
  BufferLayout.u8('flags'),
  BufferLayout.u8('scope'),
  BufferLayout.u32('index'),
], 'ifaddrmsg')
export const IFADDRMSG_LEN = 8

/** struct ifa_cacheinfo: lifetimes in seconds (0xffffffff = forever), stamps in hundredths of a second since boot. */
export interface AddrCacheInfo {
  preferred: number
  valid: number
  created: number
  updated: number
}

/** Reads a struct ifa_cacheinfo (also called in line by the address dump decoder). */
export function cacheInfoAt(buf: Buffer, off: number, len: number, path: string): AddrCacheInfo {
  if (len < 16) decodeFail('ifa_cacheinfo needs 16 bytes', buf, off, path)
  return { preferred: rd32(buf, off), valid: rd32(buf, off + 4), created: rd32(buf, off + 8), updated: rd32(buf, off + 12) }
}

const cacheInfo: Codec<AddrCacheInfo> = {
  kind: 'ifa_cacheinfo',
  decode: cacheInfoAt,
  encode(w, t, v) {
    const b = Buffer.alloc(16)
    b.writeUInt32LE(v.preferred >>> 0, 0)
    b.writeUInt32LE(v.valid >>> 0, 4)
    b.writeUInt32LE((v.created ?? 0) >>> 0, 8)
    b.writeUInt32LE((v.updated ?? 0) >>> 0, 12)
    w.attrBytes(t, b)
  },
}

export const IFA = attrTable('IFA', {
  IFA_ADDRESS: [1, 'address', ip],        // peer address on point-to-point links, else == local
  IFA_LOCAL: [2, 'local', ip],
  IFA_LABEL: [3, 'label', str],
  IFA_BROADCAST: [4, 'broadcast', ip],    // IPv4 only
  IFA_ANYCAST: [5, 'anycast', ip],
  IFA_CACHEINFO: [6, 'cacheInfo', cacheInfo],
  IFA_MULTICAST: [7, 'multicast', ip],
  IFA_FLAGS: [8, 'flags', u32],           // supersedes ifaddrmsg.flags (8 bits) when present
  IFA_RT_PRIORITY: [9, 'rtPriority', u32],  // metric of the prefix route
  IFA_TARGET_NETNSID: [10, 'targetNetnsId', u32],
  IFA_PROTO: [11, 'proto', u8],
})
export type AddrAttrs = AttrsOf<typeof IFA>

for (const [type, name, kind] of [[RTM_NEWADDR, 'RTM_NEWADDR', 'new'], [RTM_DELADDR, 'RTM_DELADDR', 'del'], [RTM_GETADDR, 'RTM_GETADDR', 'get']] as const)
  registerMessageType(type, { name, kind, headerSize: IFADDRMSG_LEN, attrs: IFA })

/** IFA_F_* by name. */
export const IFA_F = {
  secondary: 0x01, nodad: 0x02, optimistic: 0x04, dadfailed: 0x08, homeaddress: 0x10, deprecated: 0x20,
  tentative: 0x40, permanent: 0x80, managetempaddr: 0x100, noprefixroute: 0x200, mcautojoin: 0x400, stablePrivacy: 0x800,
} as const
/**
 * An address flag by name (IFA_F_* of <linux/if_addr.h>; `secondary` is also IFA_F_TEMPORARY).
 * `ip address add` can set `nodad`, `optimistic`, `homeaddress`, `managetempaddr`,
 * `noprefixroute` and `mcautojoin`; the others report the kernel's state.
 */
export type AddrFlag = keyof typeof IFA_F

/** RT_SCOPE_* by name (also used by routes). */
export const SCOPES = { universe: 0, site: 200, link: 253, host: 254, nowhere: 255 } as const
/** Scope names by number (an array: a Map lookup showed in address dump profiles). */
export const SCOPE_BY_NUM: readonly (Scope | undefined)[] = (() => {
  const a: (Scope | undefined)[] = new Array<Scope | undefined>(256).fill(undefined)
  for (const [k, v] of Object.entries(SCOPES)) a[v] = k as Scope
  return a
})()
/** An address or route scope by name (RT_SCOPE_*): `universe` is what `ip` shows as `global`. */
export type Scope = keyof typeof SCOPES

/** A scope by name or number (RT_SCOPE_*), for addresses and routes. */
export function scopeNumber(s: Scope | number, field = 'scope'): number {
  if (typeof s === 'number' && Number.isInteger(s) && s >= 0 && s <= 255) return s
  if (typeof s === 'string' && s in SCOPES) return SCOPES[s]
  throw new ValidationError(`${field}: expected ${Object.keys(SCOPES).join(', ')} or 0-255`, field, s)
}
