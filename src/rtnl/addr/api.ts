/** Addr verbs (stub: being written). */
import type { NetlinkSocket } from '../../netlink/socket.js'

export class AddrApi {
  constructor(readonly sock: NetlinkSocket) {}
}
