// Link codec without a kernel: requests built per <linux/if_link.h> byte by byte,
// decode ↔ encode round trips for every kind (including those this test kernel
// lacks: dummy, vlan, ipvlan, bond and bond ports).
import t from 'tap'
import { decodeLinkAt, linkMessage } from '../../src/rtnl/link/codec.js'
import { IFLA, ifinfomsg, RTM_NEWLINK } from '../../src/rtnl/link/schema.js'
import { decodeAttrs, uint } from '../../src/attr/table.js'
import { NlWriter } from '../../src/attr/writer.js'
import { DecodeError } from '../../src/errors.js'
import { linkOptions } from '../../src/rtnl/link/listed.js'
import { getLinkRequest } from '../../src/rtnl/link/resolve.js'

const hex = (s: TemplateStringsArray) => Buffer.from(s.join('').replace(/#.*$/gm, '').replace(/[^0-9a-f]/gi, ''), 'hex')
const CREATE_EXCL = 0x600

/** The payload (after nlmsghdr) of a built message. */
const body = (m: Buffer) => m.subarray(16)

t.test('dummy: ip link add d0 type dummy', async t => {
  const m = linkMessage(RTM_NEWLINK, CREATE_EXCL, {}, { name: 'd0', linkInfo: { kind: 'dummy' } })
  t.same(m, hex`
    38 00 00 00 10 00 00 06  00 00 00 00 00 00 00 00   # nlmsghdr: len 56, RTM_NEWLINK, CREATE|EXCL (seq/pid by the socket)
    00 00 00 00 00 00 00 00  00 00 00 00 00 00 00 00   # ifinfomsg: AF_UNSPEC, index 0, flags 0, change 0
    07 00 03 00 64 30 00 00                            # IFLA_IFNAME "d0"
    10 00 12 80                                        # IFLA_LINKINFO (nested)
      0a 00 01 00 64 75 6d 6d 79 00 00 00              #   IFLA_INFO_KIND "dummy"
  `)
  const l = decodeLinkAt(m, 16, m.length)
  t.match(l, { name: 'd0', kind: 'dummy' })
})

t.test('vlan: ip link add link eth0 name vl10 type vlan id 10 protocol 802.1ad', async t => {
  const m = linkMessage(RTM_NEWLINK, CREATE_EXCL, {}, { name: 'vl10', parentIndex: 2, linkInfo: { kind: 'vlan', data: { id: 10, protocol: '802.1ad', flags: { flags: 1, mask: 1 } } } })
  t.same(body(m), hex`
    00 00 00 00 00 00 00 00  00 00 00 00 00 00 00 00   # ifinfomsg
    09 00 03 00 76 6c 31 30 00 00 00 00                # IFLA_IFNAME "vl10"
    08 00 05 00 02 00 00 00                            # IFLA_LINK 2
    30 00 12 80                                        # IFLA_LINKINFO
      09 00 01 00 76 6c 61 6e 00 00 00 00              #   IFLA_INFO_KIND "vlan"
      20 00 02 80                                      #   IFLA_INFO_DATA
        06 00 01 00 0a 00 00 00                        #     IFLA_VLAN_ID 10
        0c 00 02 00 01 00 00 00 01 00 00 00            #     IFLA_VLAN_FLAGS { flags 1 (REORDER_HDR), mask 1 }
        06 00 05 00 88 a8 00 00                        #     IFLA_VLAN_PROTOCOL 0x88a8 (big endian)
  `)
  t.match(decodeLinkAt(m, 16, m.length), { name: 'vl10', parentIndex: 2, kind: 'vlan', vlan: { id: 10, protocol: '802.1ad', flags: { flags: 1, mask: 1 } } })
})

t.test('ipvlan, macvlan, macvtap modes', async t => {
  for (const [kind, key, data] of [
    ['ipvlan', 'ipvlan', { mode: 'l3s', flags: 1 }],
    ['macvlan', 'macvlan', { mode: 'passthru' }],
    ['macvtap', 'macvlan', { mode: 'vepa' }],
  ] as const) {
    const m = linkMessage(RTM_NEWLINK, CREATE_EXCL, {}, { name: 'x', parentIndex: 3, linkInfo: { kind, data } })
    const l = decodeLinkAt(m, 16, m.length) as any
    t.equal(l.kind, kind)
    t.same(l[key], data, `${kind} round trip`)
  }
  const m = linkMessage(RTM_NEWLINK, 0, {}, { linkInfo: { kind: 'ipvlan', data: { mode: 'l3' } } })
  t.ok(body(m).includes(hex`06 00 01 00 01 00 00 00`), 'IFLA_IPVLAN_MODE l3 = 1 as u16')
})

// A port as the kernel reports it: IFLA_INFO_SLAVE_KIND "bond" + IFLA_INFO_SLAVE_DATA
const BOND_PORT = hex`
  00 00 01 00 05 00 00 00  03 18 00 00 00 00 00 00   # ifinfomsg: ether, index 5, UP|BROADCAST|MULTICAST|SLAVE
  09 00 03 00 65 74 68 31 00 00 00 00                # IFLA_IFNAME "eth1"
  08 00 0a 00 04 00 00 00                            # IFLA_MASTER 4
  38 00 12 80                                        # IFLA_LINKINFO
    09 00 04 00 62 6f 6e 64 00 00 00 00              #   IFLA_INFO_SLAVE_KIND "bond"
    28 00 05 80                                      #   IFLA_INFO_SLAVE_DATA
      05 00 01 00 01 00 00 00                        #     IFLA_BOND_SLAVE_STATE backup
      05 00 02 00 00 00 00 00                        #     IFLA_BOND_SLAVE_MII_STATUS up
      08 00 03 00 02 00 00 00                        #     IFLA_BOND_SLAVE_LINK_FAILURE_COUNT 2
      0a 00 04 00 02 00 00 00 00 09 00 00            #     IFLA_BOND_SLAVE_PERM_HWADDR
`

t.test('bond and a bond port', async t => {
  const m = linkMessage(RTM_NEWLINK, CREATE_EXCL, {}, { name: 'bond0', linkInfo: { kind: 'bond', data: { mode: '802.3ad', miimon: 100, minLinks: 2, adActorSystem: '02:00:00:00:00:01' } } })
  t.ok(body(m).includes(hex`05 00 01 00 04 00 00 00`), 'IFLA_BOND_MODE 802.3ad = 4 (u8)')
  t.ok(body(m).includes(hex`08 00 03 00 64 00 00 00`), 'IFLA_BOND_MIIMON 100')
  t.match(decodeLinkAt(m, 16, m.length), { kind: 'bond', bond: { mode: '802.3ad', miimon: 100, minLinks: 2, adActorSystem: '02:00:00:00:00:01' } })
  const l = decodeLinkAt(BOND_PORT, 0, BOND_PORT.length)
  t.match(l, { index: 5, name: 'eth1', master: 4, portKind: 'bond', up: true, bondPort: { state: 'backup', miiStatus: 'up', linkFailureCount: 2, permHwaddr: '02:00:00:00:00:09' } })
  t.same(l.flags, ['UP', 'BROADCAST', 'SLAVE', 'MULTICAST'])
  t.same(ifinfomsg.decode(BOND_PORT, 0), { family: 0, pad: 0, type: 1, index: 5, flags: 0x1803, change: 0 }, 'the straight-line header read matches the ifinfomsg declaration')
  // IFLA_BOND_SLAVE_PRIO is NLA_S32 in the kernel's policy: a negative priority is valid.
  const p = linkMessage(RTM_NEWLINK, 0, { index: 5 }, { linkInfo: { slaveKind: 'bond', slaveData: { prio: -5 } } })
  t.ok(body(p).includes(hex`08 00 09 00 fb ff ff ff`), 'IFLA_BOND_SLAVE_PRIO -5 (s32)')
  t.match(decodeLinkAt(p, 16, p.length), { bondPort: { prio: -5 } })
  // Port state is reported, never taken (bond_slave_policy has the queue id and prio only).
  const q = linkMessage(RTM_NEWLINK, 0, { index: 5 }, { linkInfo: { slaveKind: 'bond', slaveData: { state: 'backup', miiStatus: 'down', queueId: 3 } } })
  t.same(decodeLinkAt(q, 16, q.length).bondPort, { queueId: 3 }, 'read-only port attributes are not sent')
})

t.test('linkOptions: a bond and a bond port as listed, made again (kinds this kernel lacks)', async t => {
  const m = linkMessage(RTM_NEWLINK, 0, { index: 4, flags: 0x1003 }, {
    name: 'bond0', mtu: 9000, master: 2, linkInfo: { kind: 'bond', data: { mode: 'active-backup', miimon: 100, activePort: 5, primary: 5 } },
  })
  const bond = decodeLinkAt(m, 16, m.length)
  t.same(linkOptions(bond), {
    name: 'bond0', kind: 'bond', mtu: 9000, master: 2, up: true, promisc: false, allmulticast: false, multicast: true, arp: true,
    // The active port is chosen among ports a new bond does not have; primary is kept by name.
    bond: { mode: 'active-backup', miimon: 100, primary: 5 },
  })
  const eth1 = decodeLinkAt(BOND_PORT, 0, BOND_PORT.length)
  const listed = { ...eth1, kind: 'veth', bondPort: { ...eth1.bondPort, queueId: 3, prio: -2 } }
  t.same(linkOptions(listed).bondPort, { queueId: 3, prio: -2 }, 'port state left out')
  const { master: _, ...unenslaved } = listed
  t.equal(linkOptions(unenslaved).bondPort, undefined, 'port data only with a master')
})

t.test('veth: the peer is a struct ifinfomsg plus IFLA attributes', async t => {
  const m = linkMessage(RTM_NEWLINK, CREATE_EXCL, {}, { name: 'va', linkInfo: { kind: 'veth', data: { peer: { name: 'vb', netnsFd: 7 } } } })
  t.same(body(m), hex`
    00 00 00 00 00 00 00 00  00 00 00 00 00 00 00 00   # ifinfomsg
    07 00 03 00 76 61 00 00                            # IFLA_IFNAME "va"
    38 00 12 80                                        # IFLA_LINKINFO
      09 00 01 00 76 65 74 68 00 00 00 00              #   IFLA_INFO_KIND "veth"
      28 00 02 80                                      #   IFLA_INFO_DATA
        24 00 01 00                                    #     VETH_INFO_PEER (no NLA_F_NESTED: it starts with a struct)
          00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00  # struct ifinfomsg of the peer
          07 00 03 00 76 62 00 00                      #       IFLA_IFNAME "vb"
          08 00 1c 00 07 00 00 00                      #       IFLA_NET_NS_FD 7
  `)
  t.match(decodeLinkAt(m, 16, m.length), { name: 'va', kind: 'veth' })
})

t.test('bridge and bridge port data round trip; read-only attributes are not sent', async t => {
  const data = { stpState: 1, forwardDelay: 1500, vlanFiltering: true, vlanProtocol: 0x8100, vlanDefaultPvid: 1, multicastSnooping: false, groupAddress: '01:80:c2:00:00:00' }
  const m = linkMessage(RTM_NEWLINK, CREATE_EXCL, {}, { name: 'br0', linkInfo: { kind: 'bridge', data: { ...data, rootId: 'ffff' } } })
  const l = decodeLinkAt(m, 16, m.length)
  t.same(l.bridge, data, 'rootId (read-only) not encoded')
  const p = linkMessage(RTM_NEWLINK, 0, { index: 3 }, { linkInfo: { slaveKind: 'bridge', slaveData: { cost: 100, learning: false, isolated: true, hairpin: true } } })
  t.match(decodeLinkAt(p, 16, p.length), { index: 3, portKind: 'bridge', bridgePort: { cost: 100, learning: false, isolated: true, hairpin: true } })
})

t.test('unknown kinds and attributes are kept raw', async t => {
  const msg = hex`
    00 00 01 00 09 00 00 00  00 00 00 00 00 00 00 00   # ifinfomsg: ether, index 9
    08 00 03 00 67 30 00 00                            # IFLA_IFNAME "g0"
    18 00 12 80                                        # IFLA_LINKINFO
      08 00 01 00 67 74 70 00                          #   IFLA_INFO_KIND "gtp" (no plugin)
      0c 00 02 80 08 00 01 00 2a 00 00 00              #   IFLA_INFO_DATA { attr 1 = 42 }
    08 00 c8 00 01 02 03 04                            # attribute 200: unknown to this library
  `
  const l = decodeLinkAt(msg, 0, msg.length)
  t.equal(l.kind, 'gtp')
  t.same(l.infoData, [{ type: 1, data: Buffer.from([42, 0, 0, 0]) }])
  t.same(l.unknown, [{ type: 200, data: Buffer.from([1, 2, 3, 4]) }])
})

t.test('malformed link messages give DecodeError', async t => {
  t.throws(() => decodeLinkAt(Buffer.alloc(8), 0, 8), DecodeError, 'shorter than ifinfomsg')
  const bad = hex`00 00 01 00 09 00 00 00 00 00 00 00 00 00 00 00  08 00 04 00 01 00`
  t.throws(() => decodeLinkAt(bad, 0, bad.length), DecodeError, 'attribute past the end')
  const shortMtu = hex`00 00 01 00 09 00 00 00 00 00 00 00 00 00 00 00  06 00 04 00 01 00 00 00`
  t.throws(() => decodeLinkAt(shortMtu, 0, shortMtu.length), { name: 'DecodeError', path: 'RTM_NEWLINK > IFLA_MTU' })
})

t.test('fixed-size attributes read in line are length-checked too', async t => {
  // IFLA_OPERSTATE, IFLA_CARRIER (u8), IFLA_HEADROOM (u16), IFLA_GSO_IPV4_MAX_SIZE (u32) with empty payloads
  for (const [type, name] of [[16, 'IFLA_OPERSTATE'], [33, 'IFLA_CARRIER'], [68, 'IFLA_HEADROOM'], [63, 'IFLA_GSO_IPV4_MAX_SIZE']] as const) {
    const m = Buffer.concat([hex`00 00 01 00 09 00 00 00 00 00 00 00 00 00 00 00`, Buffer.from([4, 0, type, 0])])
    t.throws(() => decodeLinkAt(m, 0, m.length), { name: 'DecodeError', path: `RTM_NEWLINK > ${name}` }, name)
  }
})

t.test('newer per-device attributes decode; IFLA_MAP and empty devlink/DPLL nests are not reported', async t => {
  const msg = hex`
    00 00 01 00 09 00 00 00  43 10 01 00 00 00 00 00   # ifinfomsg: ether, index 9, UP|BROADCAST|RUNNING|MULTICAST|LOWER_UP
    08 00 3f 00 00 00 01 00                            # IFLA_GSO_IPV4_MAX_SIZE 65536
    08 00 40 00 00 00 01 00                            # IFLA_GRO_IPV4_MAX_SIZE 65536
    05 00 43 00 01 00 00 00                            # IFLA_NETNS_IMMUTABLE 1
    06 00 44 00 10 00 00 00                            # IFLA_HEADROOM 16
    06 00 45 00 20 00 00 00                            # IFLA_TAILROOM 32
    24 00 0e 00 01 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00   # IFLA_MAP
    04 00 3e 80                                        # IFLA_DEVLINK_PORT (empty nest)
    04 00 41 80                                        # IFLA_DPLL_PIN (empty nest)
  `
  const l = decodeLinkAt(msg, 0, msg.length) as unknown as Record<string, unknown>
  t.match(l, { gsoIpv4MaxSize: 65536, groIpv4MaxSize: 65536, netnsImmutable: true, headroom: 16, tailroom: 32, up: true, lowerUp: true })
  t.same(l['flags'], ['UP', 'BROADCAST', 'RUNNING', 'MULTICAST', 'LOWER_UP'])
  t.notOk('map' in l, 'IFLA_MAP skipped')
  t.notOk('unknown' in l, 'empty IFLA_DEVLINK_PORT and IFLA_DPLL_PIN are not reported')
  // with content (a device that has a devlink port) the nest is kept raw
  const port = Buffer.concat([msg, hex`0c 00 3e 80 08 00 01 00 2a 00 00 00`])
  t.same((decodeLinkAt(port, 0, port.length) as { unknown?: unknown }).unknown, [{ type: 0x803e, data: Buffer.from([8, 0, 1, 0, 42, 0, 0, 0]) }])
  // flag name lists come from a cache: each Link still owns its array
  ;(l['flags'] as string[]).push('X')
  t.same((decodeLinkAt(msg, 0, msg.length) as { flags: string[] }).flags, ['UP', 'BROADCAST', 'RUNNING', 'MULTICAST', 'LOWER_UP'])
})

t.test('request bytes do not depend on the order options were given in', async t => {
  const a = linkMessage(RTM_NEWLINK, CREATE_EXCL, {}, { name: 'x0', mtu: 1400, txQueueLen: 10, linkInfo: { kind: 'dummy' } })
  const b = linkMessage(RTM_NEWLINK, CREATE_EXCL, {}, { linkInfo: { kind: 'dummy' }, txQueueLen: 10, mtu: 1400, name: 'x0' })
  t.same(b, a)
  t.equal(a.length, a.readUInt32LE(0), 'exact-size buffer from the reused writer')
  b[20] = 0xff
  t.equal(a[20], 0, 'each request owns its bytes')
})

t.test('IFLA_STATS64: full struct and the shorter one of older kernels', async t => {
  const hdr = hex`00 00 01 00 09 00 00 00 00 00 00 00 00 00 00 00`
  const stats = (n: number) => {
    const b = Buffer.alloc(4 + n * 8)
    b.writeUInt16LE(4 + n * 8, 0)
    b.writeUInt16LE(23, 2)
    for (let i = 0; i < n; i++) b.writeBigUInt64LE(BigInt(i === 2 ? 2 ** 40 + 7 : i * 1000), 4 + i * 8)
    return b
  }
  const full = Buffer.concat([hdr, stats(25)])
  const s = decodeLinkAt(full, 0, full.length).stats64!
  t.equal(s.rxBytes, 2 ** 40 + 7, 'above 32 bits, exact')
  t.equal(s.txPackets, 1000)
  t.equal(s.rxOtherhostDropped, 24000)
  // The counters are read as 32-bit words where the payload is 4-byte aligned in memory, byte
  // by byte elsewhere: same values at any placement (aligned at 0, aligned inside a
  // sub-buffer, unaligned).
  for (const [pad, shift] of [[0, 0], [8, 4], [1, 0], [3, 2]] as const) {
    const base = Buffer.alloc(full.length + pad + 8)
    const view = base.subarray(shift)
    const at = pad - shift
    full.copy(view, at)
    const v = decodeLinkAt(view, at, at + full.length).stats64!
    t.same(v, s, `placement: ${pad} bytes in, buffer starts ${shift} into its memory`)
  }
  // One buffer decoded from in turn at aligned and unaligned offsets (its view is kept).
  const one = Buffer.alloc(full.length * 2 + 8)
  for (const at of [0, 1, 4, 3, 0]) {
    one.fill(0)
    full.copy(one, at)
    t.same(decodeLinkAt(one, at, at + full.length).stats64, s, `the same buffer, ${at} bytes in`)
  }
  const old = Buffer.concat([hdr, stats(24)])
  const o = decodeLinkAt(old, 0, old.length).stats64!
  t.equal(o.rxNohandler, 23000)
  t.notOk('rxOtherhostDropped' in o, 'absent when the kernel does not send it')
})

t.test('links of different shapes decoded in turn keep only their own fields', async t => {
  const shapes = [
    { name: 'lo', mtu: 65536, address: '00:00:00:00:00:00', txQueueLen: 1000 },
    { name: 'veth0', mtu: 1500 },
    { name: 'br0', address: '02:00:00:00:00:01', master: 7, group: 3 },
    { name: 'x' },
    { name: 'al', alias: 'y'.repeat(100), mtu: 9000 },
  ]
  for (let round = 0; round < 3; round++) {
    for (const [i, a] of shapes.entries()) {
      const m = linkMessage(RTM_NEWLINK, 0, { index: i + 1, flags: 1 }, a)
      const l = decodeLinkAt(m, 16, m.length)
      const own = Object.keys(l).filter(k => !['index', 'name', 'type', 'linkType', 'flags', 'up', 'lowerUp'].includes(k)).sort()
      t.same(own, Object.keys(a).filter(k => k !== 'name').sort(), `${a.name}: exactly its attributes (round ${round})`)
      t.match(l, { ...a, index: i + 1, up: true, flags: ['UP'] })
    }
  }
})

t.test('names and MACs come out right however often they repeat or collide in the caches', async t => {
  const names: string[] = []
  for (let i = 0; i < 3000; i++) names.push(`n${(i * 7919).toString(36)}`.slice(0, 15))
  names.push('é-utf8', 'a', 'x'.repeat(15))
  const macs: string[] = []
  for (let i = 0; i < 3000; i++) {
    const b = Buffer.alloc(6)
    b.writeUInt32BE((i * 2654435761) >>> 0, 0)
    b.writeUInt16BE(i & 0xffff, 4)
    macs.push([...b].map(x => x.toString(16).padStart(2, '0')).join(':'))
  }
  let bad = 0
  for (let round = 0; round < 2; round++) {
    for (let i = 0; i < names.length; i++) {
      const m = linkMessage(RTM_NEWLINK, 0, { index: 1 }, { name: names[i]!, address: macs[i % macs.length]! })
      const l = decodeLinkAt(m, 16, m.length)
      if (l.name !== names[i] || l.address !== macs[i % macs.length]) bad++
    }
  }
  t.equal(bad, 0, 'every decoded name and address equals its source')
})

t.test('vxlan: presence flags, the flow-label policy and the reserved bits, bytes per if_link.h', async t => {
  const m = linkMessage(RTM_NEWLINK, 0, { index: 3 }, {
    linkInfo: { kind: 'vxlan', data: { id: 1, gbp: true, gpe: false, labelPolicy: 'inherit', reservedBits: '0800000000000000' } },
  })
  const nest = hex`
    08 00 01 00 01 00 00 00                          # IFLA_VXLAN_ID 1
    04 00 17 00                                      # IFLA_VXLAN_GBP (flag; gpe: false sends nothing)
    08 00 20 00 01 00 00 00                          # IFLA_VXLAN_LABEL_POLICY inherit
    0c 00 21 00 08 00 00 00 00 00 00 00              # IFLA_VXLAN_RESERVED_BITS
  `
  t.ok(m.includes(nest), 'the IFLA_INFO_DATA attributes, in table order')
  const l = decodeLinkAt(m, 16, m.length)
  t.same(l.vxlan, { id: 1, gbp: true, labelPolicy: 'inherit', reservedBits: '0800000000000000' })
})

t.test('vxlan: the flow label is a be32, ttlInherit a flag on the way in and a u8 on the way out', async t => {
  const m = linkMessage(RTM_NEWLINK, 0, { index: 3 }, { linkInfo: { kind: 'vxlan', data: { label: 0xabcde, ttlInherit: true } } })
  t.ok(m.includes(hex`
    08 00 1a 00 00 0a bc de                          # IFLA_VXLAN_LABEL 0xabcde, network order (nla_get_be32)
    04 00 1c 00                                      # IFLA_VXLAN_TTL_INHERIT: NLA_FLAG in vxlan_policy
  `), 'the bytes iproute2 sends for flowlabel 0xabcde ttl inherit')
  const off = linkMessage(RTM_NEWLINK, 0, { index: 3 }, { linkInfo: { kind: 'vxlan', data: { ttlInherit: false } } })
  t.notOk(off.includes(hex`1c 00`), 'ttlInherit: false sends nothing')
  // As vxlan_fill_info reports them: the label as a be32, ttl inherit as a u8 1.
  const reported = Buffer.concat([hex`00 00 01 00 03 00 00 00 00 00 00 00 00 00 00 00`,
    hex`24 00 12 80 0a 00 01 00 76 78 6c 61 6e 00 00 00 14 00 02 80 08 00 1a 00 00 0a bc de 05 00 1c 00 01 00 00 00`])
  t.match(decodeLinkAt(reported, 0, reported.length).vxlan, { label: 0xabcde, ttlInherit: true })
})

t.test('bridge: IFLA_BR_MULTI_BOOLOPT sets only the options given', async t => {
  const m = linkMessage(RTM_NEWLINK, 0, { index: 3 }, { linkInfo: { kind: 'bridge', data: { boolopts: { noLinkLocalLearn: true, mstEnabled: false } } } })
  // struct br_boolopt_multi: optval = bit 0, optmask = bits 0 and 2
  t.ok(m.includes(hex`0c 00 2e 00 01 00 00 00 05 00 00 00`), 'optval 0x1, optmask 0x5')
  const reported = Buffer.concat([hex`00 00 01 00 03 00 00 00 00 00 00 00 00 00 00 00`,
    hex`28 00 12 80 0b 00 01 00 62 72 69 64 67 65 00 00 18 00 02 80 0c 00 2e 00 02 00 00 00 1f 00 00 00 08 00 30 00 07 00 00 00`])
  t.same(decodeLinkAt(reported, 0, reported.length).bridge, {
    boolopts: { noLinkLocalLearn: false, mcastVlanSnooping: true, mstEnabled: false, mdbOffloadFailNotification: false, fdbLocalVlan0: false },
    fdbLearned: 7,
  })
  const short = hex`
    00 00 01 00 03 00 00 00  00 00 00 00 00 00 00 00    # ifinfomsg, index 3
    1c 00 12 80                                         # IFLA_LINKINFO
      0b 00 01 00 62 72 69 64 67 65 00 00               #   IFLA_INFO_KIND "bridge"
      0c 00 02 80                                       #   IFLA_INFO_DATA
        08 00 2e 00 02 00 00 00                         #     IFLA_BR_MULTI_BOOLOPT cut to 4 bytes
  `
  t.throws(() => decodeLinkAt(short, 0, short.length), { name: 'DecodeError', path: /IFLA_BR_MULTI_BOOLOPT$/ }, 'a truncated br_boolopt_multi')
})


t.test('NLA_UINT attributes (IFLA_MAX_PACING_OFFLOAD_HORIZON): 4 bytes, or 8 when the value needs them', async t => {
  const msg = (payload: Buffer) => Buffer.concat([
    hex`00 00 01 00 07 00 00 00  00 00 00 00 00 00 00 00`,  // ifinfomsg: index 7
    hex`08 00 03 00 78 30 00 00`,                           // IFLA_IFNAME "x0"
    Buffer.from([4 + payload.length, 0, 66, 0]), payload,   // IFLA_MAX_PACING_OFFLOAD_HORIZON
  ])
  const four = msg(hex`40 42 0f 00`)
  const eight = msg(hex`00 00 00 00 05 00 00 00`)
  t.equal(decodeLinkAt(four, 0, four.length).maxPacingOffloadHorizon, 1000000)
  t.equal(decodeLinkAt(eight, 0, eight.length).maxPacingOffloadHorizon, 5 * 2 ** 32, 'all 8 bytes read, not the low 4')
  t.equal(decodeAttrs(IFLA, eight, 16, eight.length, '').maxPacingOffloadHorizon, 5 * 2 ** 32, 'the table codec agrees')
  const w = new NlWriter(16)
  uint.encode(w, 1, 7)
  uint.encode(w, 2, 2 ** 40)
  t.same(w.finish(), hex`08 00 01 00 07 00 00 00  0c 00 02 00 00 00 00 00 00 01 00 00`, 'encoded in 4 bytes when it fits')
})

t.test('getLinkRequest writes every byte (no stale pool memory), by index and by name', async t => {
  // The request as the writer builds it from zeroed memory.
  const ref = (r: number | string, mask: number): Buffer => {
    const w = new NlWriter()
    const m = w.beginMessage(18, 0)
    const h = w.zeros(16)
    if (typeof r === 'number') w.buf.writeInt32LE(r, h + 4)
    else w.attrStr(Buffer.byteLength(r) + 1 > 16 ? 53 : 3, r)
    w.attrU32(29, mask)
    w.endMessage(m)
    return w.finish()
  }
  const refs: (number | string)[] = [1, 0x7fffffff, ...Array.from({ length: 20 }, (_, i) => 'abcdefghijklmnopqrstu'.slice(0, i + 1)), 'é'.repeat(10)]
  for (const r of refs) {
    // Dirty the allocation pool the request comes from.
    for (let i = 0; i < 64; i++) Buffer.allocUnsafe(64).fill(0xa5)
    t.same(getLinkRequest(r, 9).toString('hex'), ref(r, 9).toString('hex'), JSON.stringify(r))
  }
})

t.test('linkType: the ip -json name of the hardware type, or its number, in any order', async t => {
  const want: Array<[number, string]> = [[1, 'ether'], [1, 'ether'], [772, 'loopback'], [9999, '9999'], [65535, 'void'], [0, 'netrom'], [9999, '9999'], [1, 'ether'], [778, 'gre']]
  for (const [type, name] of want) {
    const m = linkMessage(RTM_NEWLINK, 0, { index: 3, type }, { name: 'x' })
    const l = decodeLinkAt(m, 16, m.length)
    t.equal(l.linkType, name, `type ${type}`)
    t.equal(l.type, type)
  }
})

// A tap as tun_fill_info() reports it (drivers/net/tun.c; numbering from <linux/if_link.h>).
t.test('tun/tap data decodes from the kernel\'s bytes', async t => {
  const m = hex`
    00 00 01 00 07 00 00 00  02 10 00 00 00 00 00 00   # ifinfomsg: ether, index 7, BROADCAST|MULTICAST
    09 00 03 00 74 61 70 30 00 00 00 00                # IFLA_IFNAME "tap0"
    58 00 12 80                                        # IFLA_LINKINFO
      08 00 01 00 74 75 6e 00                          #   IFLA_INFO_KIND "tun"
      4c 00 02 80                                      #   IFLA_INFO_DATA
        05 00 03 00 02 00 00 00                        #     IFLA_TUN_TYPE IFF_TAP
        08 00 01 00 e8 03 00 00                        #     IFLA_TUN_OWNER 1000
        08 00 02 00 64 00 00 00                        #     IFLA_TUN_GROUP 100
        05 00 04 00 00 00 00 00                        #     IFLA_TUN_PI 0 (IFF_NO_PI)
        05 00 05 00 01 00 00 00                        #     IFLA_TUN_VNET_HDR 1
        05 00 06 00 01 00 00 00                        #     IFLA_TUN_PERSIST 1
        05 00 07 00 01 00 00 00                        #     IFLA_TUN_MULTI_QUEUE 1
        08 00 08 00 04 00 00 00                        #     IFLA_TUN_NUM_QUEUES 4
        08 00 09 00 01 00 00 00                        #     IFLA_TUN_NUM_DISABLED_QUEUES 1
  `
  const l = decodeLinkAt(m, 0, m.length)
  t.equal(l.kind, 'tun')
  t.same(l.tun, { type: 'tap', owner: 1000, group: 100, pi: false, vnetHdr: true, persist: true, multiQueue: true, numQueues: 4, numDisabledQueues: 1 })
  t.notOk('infoData' in l, 'no raw data left')
})
