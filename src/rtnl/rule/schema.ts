/**
 * Routing policy rules: struct fib_rule_hdr + FRA_* attributes, as in <linux/fib_rules.h>
 * (Linux 6.18; FRA_DSCP and later come after the Debian 12 header this machine has).
 */
import BufferLayout from 'buffer-layout'
import type { StructLayout } from '../../netlink/header.js'
import { decodeFail } from '../../attr/codec.js'
import { attrTable, be32, str, u16, u32, u8, type AttrsOf, type Codec } from '../../attr/table.js'
import { ip } from '../../attr/types.js'
import { registerMessageType } from '../../netlink/registry.js'
import { rd16, rd32 } from '../../util/le.js'

export const RTM_NEWRULE = 32
export const RTM_DELRULE = 33
export const RTM_GETRULE = 34

/** struct fib_rule_hdr { u8 family, dst_len, src_len, tos, table, res1, res2, action; u32 flags; } — 12 bytes. */
export const fibRuleHdr: StructLayout = BufferLayout.struct([
  BufferLayout.u8('family'),
  BufferLayout.u8('dstLen'),
  BufferLayout.u8('srcLen'),
  BufferLayout.u8('tos'),
  BufferLayout.u8('table'),
  BufferLayout.u8('res1'),
  BufferLayout.u8('res2'),
  BufferLayout.u8('action'),
  BufferLayout.u32('flags'),
], 'fib_rule_hdr')
export const FIB_RULE_HDR_LEN = 12

/** A range of two numbers: struct fib_rule_uid_range (u32) or fib_rule_port_range (u16). */
export interface Range { start: number; end: number }

function range(kind: string, size: 2 | 4): Codec<Range> {
  return {
    kind,
    decode(buf, off, len, path) {
      if (len < size * 2) decodeFail(`${kind} needs ${size * 2} bytes`, buf, off, path)
      return size === 4 ? { start: rd32(buf, off), end: rd32(buf, off + 4) } : { start: rd16(buf, off), end: rd16(buf, off + 2) }
    },
    encode(w, t, v) {
      const b = Buffer.alloc(size * 2)
      if (size === 4) {
        b.writeUInt32LE(v.start >>> 0, 0)
        b.writeUInt32LE(v.end >>> 0, 4)
      } else {
        b.writeUInt16LE(v.start, 0)
        b.writeUInt16LE(v.end, 2)
      }
      w.attrBytes(t, b)
    },
  }
}

/** A tunnel id: be64 on the wire. */
const be64: Codec<bigint> = {
  kind: 'be64',
  decode(buf, off, len, path) {
    if (len < 8) decodeFail('be64 needs 8 bytes', buf, off, path)
    return buf.readBigUInt64BE(off)
  },
  encode(w, t, v) {
    const b = Buffer.alloc(8)
    b.writeBigUInt64BE(BigInt(v))
    w.attrBytes(t, b)
  },
}

export const FRA = attrTable('FRA', {
  FRA_DST: [1, 'dst', ip],
  FRA_SRC: [2, 'src', ip],
  FRA_IIFNAME: [3, 'iif', str],
  FRA_GOTO: [4, 'goto', u32],
  FRA_PRIORITY: [6, 'priority', u32],
  FRA_FWMARK: [10, 'fwmark', u32],
  FRA_FLOW: [11, 'flow', u32],                      // realms: source in the high 16 bits, destination in the low
  FRA_TUN_ID: [12, 'tunId', be64],
  FRA_SUPPRESS_IFGROUP: [13, 'suppressIfgroup', u32],
  FRA_SUPPRESS_PREFIXLEN: [14, 'suppressPrefixLength', u32],
  FRA_TABLE: [15, 'table', u32],
  FRA_FWMASK: [16, 'fwmask', u32],
  FRA_OIFNAME: [17, 'oif', str],
  FRA_L3MDEV: [19, 'l3mdev', u8],
  FRA_UID_RANGE: [20, 'uidRange', range('fib_rule_uid_range', 4)],
  FRA_PROTOCOL: [21, 'protocol', u8],
  FRA_IP_PROTO: [22, 'ipProto', u8],
  FRA_SPORT_RANGE: [23, 'sport', range('fib_rule_port_range', 2)],
  FRA_DPORT_RANGE: [24, 'dport', range('fib_rule_port_range', 2)],
  FRA_DSCP: [25, 'dscp', u8],
  FRA_FLOWLABEL: [26, 'flowlabel', be32],
  FRA_FLOWLABEL_MASK: [27, 'flowlabelMask', be32],
  FRA_SPORT_MASK: [28, 'sportMask', u16],
  FRA_DPORT_MASK: [29, 'dportMask', u16],
  FRA_DSCP_MASK: [30, 'dscpMask', u8],
})
export type RuleAttrs = AttrsOf<typeof FRA>

for (const [type, name, kind] of [[RTM_NEWRULE, 'RTM_NEWRULE', 'new'], [RTM_DELRULE, 'RTM_DELRULE', 'del'], [RTM_GETRULE, 'RTM_GETRULE', 'get']] as const)
  registerMessageType(type, { name, kind, headerSize: FIB_RULE_HDR_LEN, attrs: FRA })

/** FR_ACT_*: what a matching rule does. `'table'` (FR_ACT_TO_TBL) looks the route up in its table. */
export const FR_ACT = { table: 1, goto: 2, nop: 3, blackhole: 6, unreachable: 7, prohibit: 8 } as const
export type RuleAction = keyof typeof FR_ACT

/** FIB_RULE_* flags of fib_rule_hdr.flags. */
export const FIB_RULE = { permanent: 0x1, invert: 0x2, unresolved: 0x4, iifDetached: 0x8, oifDetached: 0x10, findSaddr: 0x10000 } as const
export type RuleFlag = keyof typeof FIB_RULE

/** IP protocol numbers by the names `ip rule ... ipproto` takes most. */
export const IP_PROTOS = { icmp: 1, igmp: 2, tcp: 6, udp: 17, gre: 47, esp: 50, ah: 51, 'ipv6-icmp': 58, sctp: 132, udplite: 136 } as const
