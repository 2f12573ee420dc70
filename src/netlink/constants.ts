/**
 * Netlink protocol constants, named as in <linux/netlink.h> and <linux/rtnetlink.h>.
 * The core (src/netlink) knows message types only by number; families register
 * names and header sizes with {@link registerMessageType}.
 */

// Protocols (socket(AF_NETLINK, SOCK_RAW, protocol))
export const NETLINK_ROUTE = 0

// Socket options, level SOL_NETLINK
export const SOL_SOCKET = 1
export const SOL_NETLINK = 270
export const SO_SNDBUF = 7
export const SO_RCVBUF = 8
export const SO_SNDBUFFORCE = 32
export const SO_RCVBUFFORCE = 33
export const NETLINK_ADD_MEMBERSHIP = 1
export const NETLINK_DROP_MEMBERSHIP = 2
export const NETLINK_PKTINFO = 3
export const NETLINK_BROADCAST_ERROR = 4
export const NETLINK_NO_ENOBUFS = 5
export const NETLINK_LISTEN_ALL_NSID = 8
export const NETLINK_LIST_MEMBERSHIPS = 9
export const NETLINK_CAP_ACK = 10
export const NETLINK_EXT_ACK = 11
export const NETLINK_GET_STRICT_CHK = 12

// struct nlmsghdr flags
export const NLM_F_REQUEST = 0x01
export const NLM_F_MULTI = 0x02
export const NLM_F_ACK = 0x04
export const NLM_F_ECHO = 0x08
export const NLM_F_DUMP_INTR = 0x10
export const NLM_F_DUMP_FILTERED = 0x20
// Modifiers to GET request
export const NLM_F_ROOT = 0x100
export const NLM_F_MATCH = 0x200
export const NLM_F_ATOMIC = 0x400
export const NLM_F_DUMP = NLM_F_ROOT | NLM_F_MATCH
// Modifiers to NEW request
export const NLM_F_REPLACE = 0x100
export const NLM_F_EXCL = 0x200
export const NLM_F_CREATE = 0x400
export const NLM_F_APPEND = 0x800
// Modifiers to DELETE request
export const NLM_F_NONREC = 0x100
export const NLM_F_BULK = 0x200
// Flags for ACK message
export const NLM_F_CAPPED = 0x100
export const NLM_F_ACK_TLVS = 0x200

// Control message types
export const NLMSG_NOOP = 0x1
export const NLMSG_ERROR = 0x2
export const NLMSG_DONE = 0x3
export const NLMSG_OVERRUN = 0x4
export const NLMSG_MIN_TYPE = 0x10

// #define NLMSG_ALIGNTO 4U
export const NLMSG_ALIGNTO = 4
// #define NLMSG_HDRLEN ((int) NLMSG_ALIGN(sizeof(struct nlmsghdr)))
export const NLMSG_HDRLEN = 16

// enum nlmsgerr_attrs
export const NLMSGERR_ATTR_MSG = 1
export const NLMSGERR_ATTR_OFFS = 2
export const NLMSGERR_ATTR_COOKIE = 3
export const NLMSGERR_ATTR_POLICY = 4
export const NLMSGERR_ATTR_MISS_TYPE = 5
export const NLMSGERR_ATTR_MISS_NEST = 6

// struct nlattr
export const NLA_F_NESTED = 1 << 15
export const NLA_F_NET_BYTEORDER = 1 << 14
export const NLA_TYPE_MASK = ~(NLA_F_NESTED | NLA_F_NET_BYTEORDER) & 0xffff
export const NLA_HDRLEN = 4

/** Names of nlmsghdr flags for a request of the given kind, for messages and logs. */
export function flagNames(flags: number, kind: 'new' | 'get' | 'del' | 'other' = 'other'): string[] {
  const out: string[] = []
  if (flags & NLM_F_REQUEST) out.push('REQUEST')
  if (flags & NLM_F_MULTI) out.push('MULTI')
  if (flags & NLM_F_ACK) out.push('ACK')
  if (flags & NLM_F_ECHO) out.push('ECHO')
  if (flags & NLM_F_DUMP_INTR) out.push('DUMP_INTR')
  if (kind === 'new') {
    if (flags & NLM_F_REPLACE) out.push('REPLACE')
    if (flags & NLM_F_EXCL) out.push('EXCL')
    if (flags & NLM_F_CREATE) out.push('CREATE')
    if (flags & NLM_F_APPEND) out.push('APPEND')
  } else if (kind === 'get') {
    if ((flags & NLM_F_DUMP) === NLM_F_DUMP) out.push('DUMP')
    else {
      if (flags & NLM_F_ROOT) out.push('ROOT')
      if (flags & NLM_F_MATCH) out.push('MATCH')
    }
    if (flags & NLM_F_ATOMIC) out.push('ATOMIC')
  } else if (kind === 'del') {
    if (flags & NLM_F_NONREC) out.push('NONREC')
    if (flags & NLM_F_BULK) out.push('BULK')
  } else if (flags & 0xf00) out.push(`0x${(flags & 0xf00).toString(16)}`)
  return out
}
