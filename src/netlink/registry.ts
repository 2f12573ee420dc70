/**
 * What the core knows about message types: a name, the size of the fixed
 * family header after nlmsghdr, and the root attribute table — enough to name
 * requests in errors and to map an extended-ACK offset back to an attribute
 * path. Families register their types; the core knows no IFLA_* itself.
 */
import type { AttrTable } from '../attr/table.js'

export interface MessageTypeInfo {
  /** `'RTM_NEWLINK'` */
  name: string
  /** Which nlmsghdr flag meanings apply (NEW: CREATE/EXCL/REPLACE, GET: DUMP, DEL: NONREC). */
  kind: 'new' | 'get' | 'del' | 'other'
  /** Bytes of the fixed header after nlmsghdr (ifinfomsg: 16), already 4-aligned. */
  headerSize: number
  /** Attributes after the fixed header. */
  attrs?: AttrTable
}

const types = new Map<number, MessageTypeInfo>()

export function registerMessageType(type: number, info: MessageTypeInfo): void {
  types.set(type, info)
}

export function messageTypeInfo(type: number): MessageTypeInfo | undefined {
  return types.get(type)
}

export function messageTypeName(type: number): string {
  const info = types.get(type)
  if (info) return info.name
  switch (type) {
    case 1: return 'NLMSG_NOOP'
    case 2: return 'NLMSG_ERROR'
    case 3: return 'NLMSG_DONE'
    case 4: return 'NLMSG_OVERRUN'
    default: return `MSG#${type}`
  }
}
