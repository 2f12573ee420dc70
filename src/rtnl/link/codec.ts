/**
 * Link messages ↔ typed objects: decodeLink() turns an RTM_NEWLINK into a {@link Link};
 * linkMessage() builds requests from a header and IFLA attributes.
 */
import type { RawAttr } from '../../attr/codec.js'
import { decodeAttrs, encodeAttrs } from '../../attr/table.js'
import { NlWriter } from '../../attr/writer.js'
import { decodeFail } from '../../attr/codec.js'
import type { NlMsg } from '../../netlink/header.js'
import { kindByName, portKindByName } from './kinds/index.js'
import { ARPHRD, IFF, IFINFOMSG_LEN, IFLA, type LinkAttrs, type LinkFlag, type LinkStats, type OperState } from './schema.js'

/**
 * Kind data under the kind's key: options of link.add/set, and what a Link reports
 * (decoded by the kind's IFLA_INFO_DATA table). Field names are in kinds.md.
 */
export interface KindData {
  bridge?: Record<string, unknown>
  vxlan?: Record<string, unknown>
  macvlan?: Record<string, unknown>
  ipvlan?: Record<string, unknown>
  vlan?: Record<string, unknown>
  bond?: Record<string, unknown>
}

/** Port data (IFLA_INFO_SLAVE_DATA) of a link enslaved to a bridge or a bond. */
export interface PortData {
  /** Bridge port settings (IFLA_BRPORT_*). */
  bridgePort?: Record<string, unknown>
  bondPort?: Record<string, unknown>
}

/** A link as the kernel reports it (`ip -d link show`). */
export interface Link extends KindData, PortData {
  /** Interface index. */
  index: number
  name: string
  /** ARPHRD_* hardware type (1 = Ethernet). */
  type: number
  /** The hardware type's name, as `ip -json` prints `link_type` (`'ether'`, `'loopback'`). */
  linkType: string
  /** IFF_* flags by name, e.g. `['BROADCAST', 'MULTICAST', 'UP', 'LOWER_UP']`. */
  flags: LinkFlag[]
  /** Administratively up (IFF_UP). */
  up: boolean
  /** Carrier present (IFF_LOWER_UP). */
  lowerUp: boolean
  operState?: OperState | number
  mtu?: number
  minMtu?: number
  maxMtu?: number
  txQueueLen?: number
  qdisc?: string
  /** MAC address, `'aa:bb:cc:dd:ee:ff'`. */
  address?: string
  broadcast?: string
  permAddress?: string
  alias?: string
  altNames?: string[]
  /** Index of the master (bridge, bond) this link is a port of. */
  master?: number
  /** IFLA_LINK: the lower/peer device's index (in the namespace of linkNetnsId, if set). */
  parentIndex?: number
  /** IFLA_LINK_NETNSID: the namespace (by id) where parentIndex lives, e.g. a veth peer elsewhere. */
  linkNetnsId?: number
  group?: number
  promiscuity?: number
  allmulti?: number
  numTxQueues?: number
  numRxQueues?: number
  carrier?: boolean
  carrierChanges?: number
  carrierUpCount?: number
  carrierDownCount?: number
  protoDown?: boolean
  gsoMaxSize?: number
  gsoMaxSegs?: number
  groMaxSize?: number
  tsoMaxSize?: number
  tsoMaxSegs?: number
  linkMode?: number
  /** Counters (IFLA_STATS64). */
  stats64?: LinkStats
  /** IFLA_INFO_KIND: `'veth'`, `'bridge'`, `'vxlan'`... (absent for physical and loopback devices). */
  kind?: string
  /** IFLA_INFO_SLAVE_KIND: the kind of this link's master (`'bridge'` for bridge ports). */
  portKind?: string
  /** IFLA_INFO_DATA of kinds without a plugin, raw. */
  infoData?: RawAttr[]
  /** Attributes this library does not decode, kept raw. */
  unknown?: RawAttr[]
}

const FLAG_NAMES = Object.entries(IFF) as [LinkFlag, number][]

export function flagsToNames(flags: number): LinkFlag[] {
  const out: LinkFlag[] = []
  for (const [n, v] of FLAG_NAMES) if (flags & v) out.push(n)
  return out
}

/** Decodes an RTM_NEWLINK message (payload from msg.off to msg.end). */
export function decodeLink(msg: NlMsg): Link {
  return decodeLinkAt(msg.buf, msg.off, msg.end)
}

export function decodeLinkAt(buf: Buffer, off: number, end: number): Link {
  if (end - off < IFINFOMSG_LEN) decodeFail('RTM_NEWLINK shorter than struct ifinfomsg', buf, off, 'RTM_NEWLINK')
  const type = buf.readUInt16LE(off + 2)
  const index = buf.readInt32LE(off + 4)
  const flags = buf.readUInt32LE(off + 8)
  const a = decodeAttrs(IFLA, buf, off + IFINFOMSG_LEN, end, 'RTM_NEWLINK') as LinkAttrs & Record<string, unknown>
  const link: Link = {
    index,
    name: a.name ?? '',
    type,
    linkType: ARPHRD[type] ?? String(type),
    flags: flagsToNames(flags),
    up: (flags & IFF.UP) !== 0,
    lowerUp: (flags & IFF.LOWER_UP) !== 0,
  }
  for (const k in a) {
    if (k === 'name' || k === 'linkInfo' || k === 'netnsPid' || k === 'netnsFd' || k === 'extMask' || k === 'stats32' || k === 'xdp' || k === 'afSpec') continue
    const v = a[k]
    if (k === 'master' && v === 0) continue
    ;(link as unknown as Record<string, unknown>)[k] = v
  }
  const info = a.linkInfo
  if (info) {
    if (info.kind !== undefined) link.kind = info.kind
    if (info.slaveKind !== undefined) link.portKind = info.slaveKind
    if (info.data) {
      const plugin = info.kind ? kindByName(info.kind) : undefined
      if (plugin?.data) (link as unknown as Record<string, unknown>)[plugin.key] = info.data
      else link.infoData = (info.data['unknown'] as RawAttr[] | undefined) ?? []
    }
    if (info.slaveData) {
      const plugin = info.slaveKind ? portKindByName(info.slaveKind) : undefined
      ;(link as unknown as Record<string, unknown>)[plugin?.key ?? 'portData'] = info.slaveData
    }
  }
  return link
}

/** The fixed header of a link request. */
export interface IfInfoHeader {
  family?: number
  type?: number
  index?: number
  flags?: number
  change?: number
}

/** Builds a link request: nlmsghdr + ifinfomsg + IFLA attributes. */
export function linkMessage(msgType: number, nlFlags: number, h: IfInfoHeader, attrs: LinkAttrs | Record<string, unknown>): Buffer {
  const w = new NlWriter(256)
  const start = w.beginMessage(msgType, nlFlags)
  const at = w.zeros(IFINFOMSG_LEN)
  const b = w.buf
  b[at] = h.family ?? 0
  b.writeUInt16LE(h.type ?? 0, at + 2)
  b.writeInt32LE(h.index ?? 0, at + 4)
  b.writeUInt32LE((h.flags ?? 0) >>> 0, at + 8)
  b.writeUInt32LE((h.change ?? 0) >>> 0, at + 12)
  encodeAttrs(IFLA, w, attrs)
  w.endMessage(start)
  return w.take()
}
