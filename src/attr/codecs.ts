/**
 * The attribute codecs a kind plugin's table is written with (`registerKind()`), exported
 * as `codecs`: `attrTable('IFLA_GENEVE', { IFLA_GENEVE_ID: [1, 'id', codecs.u32] })`.
 * Integers are little-endian (host order on the machines Linux netlink runs on) unless
 * named `be*` (network order). `ifindex` is a link's index that link.add/set also take by name.
 */
export { u8, u16, be16, u32, s32, be32, u64, u64big, uint, bool8, bool32, flag, flag8, str, hex, nested, enumOf } from './table.js'
export { ip, ipv4, ipv6, mac } from './types.js'
export { ifindex } from '../rtnl/link/resolve.js'
