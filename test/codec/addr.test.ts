// Address codec: bytes per <linux/if_addr.h>, decode and re-encode.
import t from 'tap'
import { AddrApi, addrMessage, decodeAddrAt, plainAddMessage } from '../../src/rtnl/addr/api.js'
import { ifaddrmsg, RTM_NEWADDR } from '../../src/rtnl/addr/schema.js'
import { DecodeError } from '../../src/errors.js'

const hex = (s: TemplateStringsArray) => Buffer.from(s.join('').replace(/#.*$/gm, '').replace(/[^0-9a-f]/gi, ''), 'hex')

// As the kernel reports `ip addr add 10.0.0.1/24 brd + label eth0:1 dev eth0` (ifindex 5)
const v4 = hex`
  02 18 80 00 05 00 00 00            # ifaddrmsg: AF_INET /24, flags PERMANENT, scope universe, ifindex 5
  08 00 01 00 0a 00 00 01            # IFA_ADDRESS 10.0.0.1
  08 00 02 00 0a 00 00 01            # IFA_LOCAL 10.0.0.1
  08 00 04 00 0a 00 00 ff            # IFA_BROADCAST 10.0.0.255
  0b 00 03 00 65 74 68 30 3a 31 00 00 # IFA_LABEL "eth0:1"
  08 00 08 00 80 00 00 00            # IFA_FLAGS PERMANENT
  14 00 06 00 ff ff ff ff ff ff ff ff 10 27 00 00 10 27 00 00   # IFA_CACHEINFO forever, forever, 10000, 10000
`

t.test('IPv4 address with broadcast, label, cacheinfo', async t => {
  const a = decodeAddrAt(v4, 0, v4.length)
  t.same(a, {
    family: 'inet', index: 5, address: '10.0.0.1', prefixLength: 24, cidr: '10.0.0.1/24', scope: 'universe', flags: ['permanent'],
    broadcast: '10.0.0.255', label: 'eth0:1', preferredLifetime: Infinity, validLifetime: Infinity,
    cacheInfo: { preferred: 0xffffffff, valid: 0xffffffff, created: 10000, updated: 10000 },
  })
  const m = addrMessage(RTM_NEWADDR, 0, { family: 2, prefixlen: 24, flags: 0x80, scope: 0, index: 5 },
    { address: '10.0.0.1', local: '10.0.0.1', label: 'eth0:1', broadcast: '10.0.0.255', cacheInfo: a.cacheInfo!, flags: 0x80 })
  t.same(m.subarray(16), Buffer.concat([v4.subarray(0, 24), v4.subarray(32, 44), v4.subarray(24, 32), v4.subarray(52, 72), v4.subarray(44, 52)]), 're-encoded in table order')
  t.same(ifaddrmsg.decode(v4, 0), { family: 2, prefixlen: 24, flags: 0x80, scope: 0, index: 5 })
})

t.test('IPv6 with lifetimes and a peer', async t => {
  const v6 = hex`
    0a 40 02 fd 07 00 00 00                                  # AF_INET6 /64, flags NODAD, scope link, ifindex 7
    14 00 01 00 fe 80 00 00 00 00 00 00 00 00 00 00 00 00 00 02  # IFA_ADDRESS fe80::2 (the peer)
    14 00 02 00 fe 80 00 00 00 00 00 00 00 00 00 00 00 00 00 01  # IFA_LOCAL fe80::1
    14 00 06 00 08 07 00 00 10 0e 00 00 00 00 00 00 00 00 00 00  # IFA_CACHEINFO preferred 1800 valid 3600
  `
  t.match(decodeAddrAt(v6, 0, v6.length), { family: 'inet6', address: 'fe80::1', peer: 'fe80::2', scope: 'link', flags: ['nodad'], preferredLifetime: 1800, validLifetime: 3600 })
})

t.test('decoded addresses hold exactly the fields present, in the kernel\'s order; flags are the caller\'s', async t => {
  const a = decodeAddrAt(v4, 0, v4.length)
  t.same(Object.keys(a), ['family', 'index', 'address', 'prefixLength', 'cidr', 'scope', 'flags', 'broadcast', 'label',
    'cacheInfo', 'preferredLifetime', 'validLifetime'], 'no keys of absent fields, no peer when IFA_ADDRESS equals IFA_LOCAL')
  const b = decodeAddrAt(v4, 0, v4.length)
  t.not(a.flags, b.flags, 'each address gets its own flags array')
  a.flags.push('secondary')
  t.same(decodeAddrAt(v4, 0, v4.length).flags, ['permanent'], 'changing one does not change the next')
  // A bare address (no label, no cacheinfo), an unknown attribute and no flags at all.
  const bare = hex`
    02 20 00 00 05 00 00 00            # AF_INET /32, no flags, ifindex 5
    08 00 02 00 0a 00 00 07            # IFA_LOCAL 10.0.0.7
    08 00 7f 00 01 02 03 04            # attribute 127 (unknown)
  `
  const c = decodeAddrAt(bare, 0, bare.length)
  t.same(Object.keys(c), ['family', 'index', 'address', 'prefixLength', 'cidr', 'scope', 'flags', 'unknown'])
  t.match(c, { address: '10.0.0.7', cidr: '10.0.0.7/32', flags: [], unknown: [{ type: 127, data: Buffer.from([1, 2, 3, 4]) }] })
  // Local and peer differ (point-to-point IPv4).
  const p2p = hex`
    02 20 00 00 05 00 00 00
    08 00 01 00 0a 00 00 02            # IFA_ADDRESS 10.0.0.2 (peer)
    08 00 02 00 0a 00 00 01            # IFA_LOCAL 10.0.0.1
  `
  t.match(decodeAddrAt(p2p, 0, p2p.length), { address: '10.0.0.1', cidr: '10.0.0.1/32', peer: '10.0.0.2' })
})

t.test('the message of a plain add is byte for byte the general path\'s', async t => {
  const api = new AddrApi(undefined as never) as unknown as { buildAdd(o: object, flag: number): (index: number) => Buffer }
  for (const address of ['10.0.0.1/24', '10.0.0.1', '127.0.0.1/8', '127.255.0.9/32', '0.0.0.0/0', '255.255.255.255/32', '192.168.1.1/1', '1.2.3.4/09'])
    for (const [flag, nl] of [[0x200, 0x600], [0x100, 0x500]] as const) { // EXCL / REPLACE (with CREATE)
      const want = api.buildAdd({ link: 7, address }, flag)(7)
      t.same(plainAddMessage(address, 7, nl), want, `${address} ${flag === 0x100 ? 'replace' : 'add'}`)
    }
  for (const address of ['10.0.0.1/33', '10.0.0.01/24', '10.0.0.1/', '10.0.0.1/024', '10.0.0/24', 'fe80::1/64', '10.0.0.1/2x', ' 10.0.0.1'])
    t.equal(plainAddMessage(address, 7, 0x600), undefined, `${JSON.stringify(address)}: general path`)
})

t.test('malformed', async t => {
  t.throws(() => decodeAddrAt(Buffer.alloc(4), 0, 4), DecodeError)
  const bad = hex`02 18 00 00 05 00 00 00 07 00 02 00 0a 00 00`
  t.throws(() => decodeAddrAt(bad, 0, bad.length), { name: 'DecodeError', path: 'RTM_NEWADDR > IFA_LOCAL' })
  const shortCache = hex`02 18 00 00 05 00 00 00 0c 00 06 00 ff ff ff ff ff ff ff ff`
  t.throws(() => decodeAddrAt(shortCache, 0, shortCache.length), { name: 'DecodeError', path: 'RTM_NEWADDR > IFA_CACHEINFO' }, 'IFA_CACHEINFO shorter than 16 bytes')
})
