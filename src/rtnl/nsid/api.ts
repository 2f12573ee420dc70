/**
 * Namespace ids: the numbers a namespace gives its peers (`ip netns set NAME ID`,
 * `ip netns list-id`). A veth whose peer lives in another namespace reports that
 * namespace by this id (IFLA_LINK_NETNSID).
 *
 * Kernel 6.18: there is no RTM_DELNSID handler (the type exists for notifications only);
 * an id lives as long as the peer namespace does.
 *
 * Messages: struct rtgenmsg { unsigned char rtgen_family; } (padded to 4) +
 * NETNSA_* attributes, as in <linux/net_namespace.h>.
 */
import { attrTable, decodeAttrs, encodeAttrs, s32, u32 } from '../../attr/table.js'
import { NlWriter } from '../../attr/writer.js'
import type { NlMsg } from '../../netlink/header.js'
import { ValidationError } from '../../errors.js'
import { registerMessageType } from '../../netlink/registry.js'
import type { NetlinkSocket } from '../../netlink/socket.js'
import { NLM_F_CREATE, NLM_F_EXCL } from '../../netlink/constants.js'
import { closeSync } from 'node:fs'
import { listNames, netnsRef, openNamedFd } from '../../netns/run-dir.js'

export const RTM_NEWNSID = 88
export const RTM_DELNSID = 89
export const RTM_GETNSID = 90
// #define NETNSA_NSID_NOT_ASSIGNED -1
export const NETNSA_NSID_NOT_ASSIGNED = -1

export const NETNSA = attrTable('NETNSA', {
  NETNSA_NSID: [1, 'nsid', s32],
  NETNSA_PID: [2, 'pid', u32],
  NETNSA_FD: [3, 'fd', u32],
  NETNSA_TARGET_NSID: [4, 'targetNsid', s32],
  NETNSA_CURRENT_NSID: [5, 'currentNsid', s32],
})

for (const [type, name, kind] of [[RTM_NEWNSID, 'RTM_NEWNSID', 'new'], [RTM_DELNSID, 'RTM_DELNSID', 'del'], [RTM_GETNSID, 'RTM_GETNSID', 'get']] as const)
  registerMessageType(type, { name, kind, headerSize: 4, attrs: NETNSA })

/**
 * A namespace: a handle with an fd (a NetNs), a raw fd via `{ fd }`, `{ pid }` (the
 * namespace of that process), or a name under /run/netns (as `ip netns set NAME ID`).
 */
export type NsTarget = { readonly fd: number } | { readonly pid: number } | string

/** One id this namespace has assigned to a peer namespace. */
export interface NsIdEntry {
  nsid: number
  /** The namespace's name under /run/netns, when it has one (as `ip netns list-id` shows it). */
  name?: string
  /** Set when the dump was asked for another namespace's view. */
  currentNsid?: number
}

function message(type: number, flags: number, attrs: Record<string, unknown>): Buffer {
  const w = new NlWriter(64)
  const start = w.beginMessage(type, flags)
  w.zeros(4) // rtgenmsg, family AF_UNSPEC
  encodeAttrs(NETNSA, w, attrs)
  w.endMessage(start)
  return w.finish()
}

/** Runs fn with the NETNSA_FD / NETNSA_PID of target; a name's fd is opened for it and closed after. */
async function withTarget<T>(target: NsTarget, fn: (attrs: { fd: number } | { pid: number }) => Promise<T>): Promise<T> {
  const ref = netnsRef(target, 'netns')
  if ('pid' in ref) return fn({ pid: ref.pid })
  try {
    return await fn({ fd: ref.fd })
  } finally {
    if (ref.opened) closeSync(ref.fd)
  }
}

/**
 * Decodes an RTM_NEWNSID (or RTM_DELNSID) message: the id, and the current namespace's id for
 * the peer when the kernel adds it; undefined without an id.
 */
export function decodeNsId(m: NlMsg): NsIdEntry | undefined {
  const a = decodeAttrs(NETNSA, m.buf, m.off + 4, m.end, 'RTM_NEWNSID')
  if (a.nsid === undefined) return undefined
  const e: NsIdEntry = { nsid: a.nsid }
  if (a.currentNsid !== undefined) e.currentNsid = a.currentNsid
  return e
}

/** `rtnl.nsid`: ids of peer namespaces, as seen from the client's namespace. */
export class NsIdApi {
  constructor(/** The socket its requests are sent on (for `rtnl.nsid`, the client's `rtnl.sock`). */ readonly sock: NetlinkSocket) {}

  /**
   * The id the client's namespace uses for `target`, or undefined when none is assigned.
   * Equivalent to reading `ip netns list-id` for that namespace.
   * @example const id = await rtnl.nsid.get(blue)
   */
  async get(target: NsTarget): Promise<number | undefined> {
    return withTarget(target, t => this.getBy(t))
  }

  /** RTM_GETNSID for a target already given as NETNSA_FD / NETNSA_PID. */
  private async getBy(t: { fd: number } | { pid: number }): Promise<number | undefined> {
    const [nsid] = await this.sock.request(message(RTM_GETNSID, 0, t), {
      ack: false,
      what: 'nsid',
      decode: m => decodeAttrs(NETNSA, m.buf, m.off + 4, m.end, 'RTM_NEWNSID').nsid,
    })
    return nsid === undefined || nsid === NETNSA_NSID_NOT_ASSIGNED ? undefined : nsid
  }

  /**
   * Assigns `nsid` to `target` (or lets the kernel pick one when nsid is omitted) and returns it.
   * Equivalent to `ip netns set NAME ID` (`auto` when omitted).
   * @throws {NetlinkError} `EEXIST` when the namespace already has an id or the id is taken.
   * @example await rtnl.nsid.set(blue, 7)
   */
  async set(target: NsTarget, nsid?: number): Promise<number> {
    if (nsid !== undefined && (!Number.isInteger(nsid) || nsid < 0 || nsid > 0x7fffffff))
      throw new ValidationError('nsid: expected a non-negative 32-bit integer', 'nsid', nsid)
    // One target for both requests: a name is opened once.
    const got = await withTarget(target, async t => {
      await this.sock.request(message(RTM_NEWNSID, NLM_F_CREATE | NLM_F_EXCL, { nsid: nsid ?? NETNSA_NSID_NOT_ASSIGNED, ...t }), { what: 'nsid' })
      return this.getBy(t)
    })
    if (got === undefined) throw new ValidationError('nsid: the kernel assigned no id', 'nsid', nsid)
    return got
  }

  /**
   * Ensures `target` has an id and returns it (assigning one when it has none).
   * @example const id = await rtnl.nsid.ensure(blue)
   */
  async ensure(target: NsTarget): Promise<number> {
    return (await this.get(target)) ?? this.set(target)
  }

  /**
   * The ids assigned in the client's namespace, each with the name of its namespace under
   * /run/netns when it has one. Equivalent to `ip netns list-id`, which finds the names the
   * same way: one RTM_GETNSID per named namespace (pipelined).
   * @example for await (const { nsid, name } of rtnl.nsid.list()) console.log(nsid, name ?? '-')
   */
  list(): AsyncIterable<NsIdEntry> {
    const dump = this.sock.dump(message(RTM_GETNSID, 0, {}), decodeNsId)
    const names = (): Promise<Map<number, string>> => this.namesById()
    return {
      async *[Symbol.asyncIterator]() {
        const entries = await dump.toArray()
        const byId = entries.length > 0 ? await names() : new Map<number, string>()
        for (const e of entries) {
          const name = byId.get(e.nsid)
          if (name !== undefined) e.name = name
          yield e
        }
      },
    }
  }

  /**
   * The ids, in the client's namespace, of the namespaces named under /run/netns. A name
   * that is not a namespace (a file left by an unfinished `ip netns add`) is passed over; of
   * two names for one namespace the first listed wins.
   */
  private async namesById(): Promise<Map<number, string>> {
    const names = listNames()
    const ids = await Promise.all(names.map(async name => {
      let fd: number
      try {
        fd = openNamedFd(name)
      } catch {
        return undefined
      }
      try {
        return await this.getBy({ fd })
      } catch {
        return undefined
      } finally {
        closeSync(fd)
      }
    }))
    const out = new Map<number, string>()
    ids.forEach((id, i) => { if (id !== undefined && !out.has(id)) out.set(id, names[i]!) })
    return out
  }
}
