/** Link verbs (stub: being written). */
import type { NetlinkSocket } from '../../netlink/socket.js'

export class LinkApi {
  constructor(readonly sock: NetlinkSocket) {}
}
