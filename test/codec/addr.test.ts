// Address codec: bytes per <linux/if_addr.h>, decode and re-encode.
import t from 'tap'
import { addrMessage, decodeAddrAt } from '../../src/rtnl/addr/api.js'
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

t.test('malformed', async t => {
  t.throws(() => decodeAddrAt(Buffer.alloc(4), 0, 4), DecodeError)
  const bad = hex`02 18 00 00 05 00 00 00 07 00 02 00 0a 00 00`
  t.throws(() => decodeAddrAt(bad, 0, bad.length), { name: 'DecodeError', path: 'RTM_NEWADDR > IFA_LOCAL' })
})
