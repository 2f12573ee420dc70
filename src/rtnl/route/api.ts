/** Route verbs (stub: being written). */
import type { NetlinkSocket } from '../../netlink/socket.js'

export class RouteApi {
  constructor(readonly sock: NetlinkSocket) {}
}
