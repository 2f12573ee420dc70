/**
 * IP tunnels: the GRE family (gre, gretap, erspan and their IPv6 forms: IFLA_GRE_*) and the
 * IP-in-IP family (ipip, sit: IFLA_IPTUN_*; ip6tnl, whose IFLA_IPTUN_FLAGS is a u32 where
 * ipip's and sit's is a u16), <linux/if_tunnel.h>. Not in this test kernel: codec tests
 * check them against the bytes `ip link add ... type gre|ipip|ip6tnl ...` sends.
 *
 * Each kind's `local`/`remote` are of one family, and the kernel reads a fixed size (an IPv6
 * address given to gre would be read as its first 4 bytes): the kinds check the family.
 */
import { attrTable, be16, be32, bool8, enumOf, flag, u16, u32, u8 } from '../../../attr/table.js'
import { ip, ipv4, ipv6 } from '../../../attr/types.js'
import { ValidationError } from '../../../errors.js'
import { AF_INET, AF_INET6, parseIp } from '../../../util/ip.js'
import { ifindex } from '../resolve.js'
import type { LinkKind } from './types.js'

/** TUNNEL_ENCAP_* : a tunnel's own UDP encapsulation (`encap fou|gue|mpls`). */
const encapType = enumOf(u16, { none: 0, fou: 1, gue: 2, mpls: 3 })

export const IFLA_GRE = attrTable('IFLA_GRE', {
  IFLA_GRE_LINK: [1, 'dev', ifindex],                  // underlay device (a name is resolved before sending)
  IFLA_GRE_IFLAGS: [2, 'iflags', be16],                // GRE_CSUM 0x8000, GRE_KEY 0x2000, GRE_SEQ 0x1000 (network order)
  IFLA_GRE_OFLAGS: [3, 'oflags', be16],
  IFLA_GRE_IKEY: [4, 'ikey', be32],                    // with GRE_KEY in iflags
  IFLA_GRE_OKEY: [5, 'okey', be32],
  IFLA_GRE_LOCAL: [6, 'local', ip],                    // IPv4 for gre, gretap, erspan; IPv6 for the ip6 kinds
  IFLA_GRE_REMOTE: [7, 'remote', ip],
  IFLA_GRE_TTL: [8, 'ttl', u8],                        // the hop limit for the ip6 kinds
  IFLA_GRE_TOS: [9, 'tos', u8],
  IFLA_GRE_PMTUDISC: [10, 'pmtudisc', bool8],
  IFLA_GRE_ENCAP_LIMIT: [11, 'encapLimit', u8],        // ip6 kinds
  IFLA_GRE_FLOWINFO: [12, 'flowinfo', be32],           // ip6 kinds: traffic class << 20 | flow label
  IFLA_GRE_FLAGS: [13, 'flags', u32],                  // ip6 kinds: IP6_TNL_F_*
  IFLA_GRE_ENCAP_TYPE: [14, 'encapType', encapType],
  IFLA_GRE_ENCAP_FLAGS: [15, 'encapFlags', u16],       // TUNNEL_ENCAP_FLAG_CSUM 1, _CSUM6 2, _REMCSUM 4
  IFLA_GRE_ENCAP_SPORT: [16, 'encapSport', be16],
  IFLA_GRE_ENCAP_DPORT: [17, 'encapDport', be16],
  IFLA_GRE_COLLECT_METADATA: [18, 'external', flag],   // metadata mode (present = on)
  IFLA_GRE_IGNORE_DF: [19, 'ignoreDf', bool8],
  IFLA_GRE_FWMARK: [20, 'fwmark', u32],
  IFLA_GRE_ERSPAN_INDEX: [21, 'erspanIndex', u32],
  IFLA_GRE_ERSPAN_VER: [22, 'erspanVer', u8],
  IFLA_GRE_ERSPAN_DIR: [23, 'erspanDir', enumOf(u8, { ingress: 0, egress: 1 })],
  IFLA_GRE_ERSPAN_HWID: [24, 'erspanHwid', u16],
})

/** The inner protocol an IP-in-IP tunnel carries (IFLA_IPTUN_PROTO: IPPROTO_*; 0 = any). */
const innerProto = enumOf(u8, { any: 0, ipv4: 4, ipv6: 41, mpls: 137 })

function iptunTable(name: string, flags: typeof u16) {
  return attrTable(name, {
    IFLA_IPTUN_LINK: [1, 'dev', ifindex],
    IFLA_IPTUN_LOCAL: [2, 'local', ip],
    IFLA_IPTUN_REMOTE: [3, 'remote', ip],
    IFLA_IPTUN_TTL: [4, 'ttl', u8],                    // the hop limit for ip6tnl
    IFLA_IPTUN_TOS: [5, 'tos', u8],
    IFLA_IPTUN_ENCAP_LIMIT: [6, 'encapLimit', u8],     // ip6tnl
    IFLA_IPTUN_FLOWINFO: [7, 'flowinfo', be32],        // ip6tnl: traffic class << 20 | flow label
    IFLA_IPTUN_FLAGS: [8, 'flags', flags],             // sit: SIT_ISATAP 1 (u16); ip6tnl: IP6_TNL_F_* (u32)
    IFLA_IPTUN_PROTO: [9, 'proto', innerProto],
    IFLA_IPTUN_PMTUDISC: [10, 'pmtudisc', bool8],
    IFLA_IPTUN_6RD_PREFIX: [11, 'sixrdPrefix', ipv6],  // sit: 6rd
    IFLA_IPTUN_6RD_RELAY_PREFIX: [12, 'sixrdRelayPrefix', ipv4],
    IFLA_IPTUN_6RD_PREFIXLEN: [13, 'sixrdPrefixLen', u16],
    IFLA_IPTUN_6RD_RELAY_PREFIXLEN: [14, 'sixrdRelayPrefixLen', u16],
    IFLA_IPTUN_ENCAP_TYPE: [15, 'encapType', encapType],
    IFLA_IPTUN_ENCAP_FLAGS: [16, 'encapFlags', u16],
    IFLA_IPTUN_ENCAP_SPORT: [17, 'encapSport', be16],
    IFLA_IPTUN_ENCAP_DPORT: [18, 'encapDport', be16],
    IFLA_IPTUN_COLLECT_METADATA: [19, 'external', flag],
    IFLA_IPTUN_FWMARK: [20, 'fwmark', u32],
  })
}

/** ipip and sit: IFLA_IPTUN_FLAGS is a u16. */
export const IFLA_IPTUN = iptunTable('IFLA_IPTUN', u16)
/** ip6tnl: the same attributes, IFLA_IPTUN_FLAGS a u32. */
export const IFLA_IP6TNL = iptunTable('IFLA_IP6TNL', u32)

/** A check that the kind's local and remote addresses are of its family. */
function family(kind: string, key: string, v: 4 | 6): (o: Record<string, unknown>) => void {
  return o => {
    for (const f of ['local', 'remote']) {
      const a = o[f]
      if (typeof a === 'string' && parseIp(a, `${key}.${f}`).family !== (v === 4 ? AF_INET : AF_INET6))
        throw new ValidationError(`${key}.${f}: a ${kind} tunnel's addresses are IPv${v}`, `${key}.${f}`, a)
    }
  }
}

const gre = (kind: string, v: 4 | 6): LinkKind => ({ kind, key: 'gre', data: IFLA_GRE, lower: false, check: family(kind, 'gre', v) })

/** gre, gretap, erspan (IPv4) and ip6gre, ip6gretap, ip6erspan: one table, under the key `gre`. */
export const greKinds: LinkKind[] = [gre('gre', 4), gre('gretap', 4), gre('erspan', 4), gre('ip6gre', 6), gre('ip6gretap', 6), gre('ip6erspan', 6)]

/** ipip and sit under the key `iptun`; ip6tnl under `ip6tnl` (its flags are a u32). */
export const iptunKinds: LinkKind[] = [
  { kind: 'ipip', key: 'iptun', data: IFLA_IPTUN, lower: false, check: family('ipip', 'iptun', 4) },
  { kind: 'sit', key: 'iptun', data: IFLA_IPTUN, lower: false, check: family('sit', 'iptun', 4) },
  { kind: 'ip6tnl', key: 'ip6tnl', data: IFLA_IP6TNL, lower: false, check: family('ip6tnl', 'ip6tnl', 6) },
]
