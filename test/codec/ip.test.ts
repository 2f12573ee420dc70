import t from 'tap'
import { formatIp, formatPrefix, parseCidr, parseIp, parseMac, formatMac, networkOf, tryParseIp } from '../../src/util/ip.js'
import { ValidationError } from '../../src/errors.js'
import { isIP } from 'node:net'
import { execFileSync } from 'node:child_process'
import { xorshift32 } from '../helpers/rng.js'

t.test('IPv4 and IPv6 parse/format round trips', async t => {
  for (const a of ['0.0.0.0', '10.0.0.1', '255.255.255.255', '::', '::1', 'fe80::1', '2001:db8::8:800:200c:417a',
    '2001:db8:0:1:1:1:1:1', '1::', 'ff02::1:ff00:1', '::ffff:10.1.2.3', '2001:db8::1:0:0:1'])
    t.equal(formatIp(parseIp(a).bytes), a, a)
  t.equal(formatIp(parseIp('2001:DB8:0:0:0:0:0:1').bytes), '2001:db8::1', 'RFC 5952 lower case and compression')
  t.equal(formatIp(parseIp('2001:db8:0:0:1:0:0:1').bytes), '2001:db8::1:0:0:1', 'first longest run')
  // An IPv4 tail as ip (inet_ntop) prints it: mapped ::ffff:a.b.c.d, and IPv4-compatible
  // ::a.b.c.d (sit tunnels' addresses) when the seventh group is not zero.
  for (const [a, want] of [['::10.0.0.1', '::10.0.0.1'], ['::a00:1', '::10.0.0.1'], ['::ffff:0', '::255.255.0.0'], ['::1:0', '::0.1.0.0'],
    ['::1', '::1'], ['::ffff', '::ffff'], ['::1:0:0', '::1:0:0'], ['::ffff:0:0', '::ffff:0.0.0.0'], ['1::10.0.0.1', '1::a00:1']])
    t.equal(formatIp(parseIp(a).bytes), want, a)
})

t.test('invalid addresses are refused (agreeing with net.isIP)', async t => {
  for (const a of ['', '1.2.3', '1.2.3.4.5', '256.1.1.1', '01.1.1.1', '1.2.3.-1', ':::', '1::2::3', 'g::1', '1:2:3:4:5:6:7:8:9', 'fe80::1%eth0', ' 1.2.3.4',
    '1.2.3.4::', '1.2.3.4::1', '::1.2.3.4:1', '1:1.2.3.4::', '::1.2.3.4.5', '1:2:3:4:5:6:7:1.2.3.4'])
    t.equal(tryParseIp(a), undefined, JSON.stringify(a))
  for (const a of ['1.2.3.4', '::', 'a:b:c:d:e:f:1:2', '::ffff:1.2.3.4']) t.equal(tryParseIp(a) ? 1 : 0, isIP(a) ? 1 : 0, a)
  t.throws(() => parseIp('nope'), ValidationError)
})

t.test('CIDR prefixes', async t => {
  t.match(parseCidr('10.0.0.1/24'), { family: 2, address: '10.0.0.1', prefixLength: 24 })
  t.match(parseCidr('fe80::1/64'), { family: 10, address: 'fe80::1', prefixLength: 64 })
  t.match(parseCidr('10.0.0.1'), { prefixLength: 32 })
  t.match(parseCidr('::1'), { prefixLength: 128 })
  for (const bad of ['10.0.0.1/33', '10.0.0.1/', '10.0.0.1/-1', 'fe80::1/129', '10.0.0.1/2a', '/24'])
    t.throws(() => parseCidr(bad), ValidationError, bad)
  t.same([...networkOf(parseCidr('10.1.2.3/20').bytes, 20)], [10, 1, 0, 0])
})

t.test('MAC addresses', async t => {
  t.equal(formatMac(parseMac('AA:bb:0c:d:ee:ff')), 'aa:bb:0c:0d:ee:ff')
  t.equal(formatMac(parseMac('aa-bb-cc-dd-ee-ff')), 'aa:bb:cc:dd:ee:ff')
  for (const bad of ['', 'aa:bb:cc:dd:ee:fg', 'aabbccddeeff0', 'aa::bb']) t.throws(() => parseMac(bad), ValidationError, bad)
})

t.test('formatPrefix and formatIp agree with plain formatting, through their caches', async t => {
  let bad = 0
  let x = 12345
  for (let i = 0; i < 20000; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0
    const b = Buffer.alloc(4)
    b.writeUInt32BE(i < 10000 ? x : (0x0a000000 | i) >>> 0) // random, then many sharing their /24
    const len = i % 33
    const plain = [...b].join('.')
    if (formatIp(b) !== plain) bad++
    if (formatPrefix(b, 0, 4, len) !== `${plain}/${len}`) bad++
  }
  t.equal(bad, 0, 'IPv4 addresses and prefixes')
  const v6 = parseIp('2001:db8::1')!.bytes
  t.equal(formatPrefix(v6, 0, 16, 64), '2001:db8::1/64', 'IPv6 goes through formatIp')
  t.equal(formatPrefix(Buffer.from([10, 0, 0, 1]), 0, 4, 40), '10.0.0.1/40', 'an out-of-range length is still printed')
})

// The C library as the oracle (python3's socket.inet_pton/inet_ntop call glibc's; node-gyp
// needs python3, so it is wherever the addon builds): random texts built from valid and
// invalid pieces are accepted or refused alike, and random zero-heavy addresses are written
// alike.
t.test('parse and format agree with inet_pton and inet_ntop', async t => {
  const rnd = xorshift32(20261129)
  const pick = <T>(a: readonly T[]): T => a[rnd() % a.length]!
  const v4parts = ['0', '1', '00', '01', '255', '256', '010', '1a', '', '999', '4294967295', ' 1', '+1', '0x1']
  const v6parts = ['0', '1', 'ffff', 'FFFF', '10000', '00000', 'abcd', 'g', '', '0001', '1.2.3.4', '::', '0.0.0.0']
  const texts: string[] = []
  for (let i = 0; i < 3000; i++) {
    const v6 = i % 3 !== 0
    const n = 1 + rnd() % (v6 ? 10 : 5)
    const a: string[] = []
    for (let j = 0; j < n; j++) a.push(pick(v6 ? v6parts : v4parts))
    texts.push(a.join(v6 ? ':' : '.'))
  }
  const bytes: string[] = []
  for (let i = 0; i < 3000; i++) {
    const b = Buffer.alloc(16)
    for (let g = 0; g < 8; g++) b.writeUInt16BE(pick([0, 0, 0, 0, 0, 0xffff, 1, rnd() & 0xffff]), g * 2)
    bytes.push(b.toString('hex'))
  }
  // Valid spellings (uncompressed, padded, upper case, an IPv4 tail), half of them with one
  // character inserted, deleted or replaced.
  for (let i = 0; i < 3000; i++) {
    let x: string
    if (i % 4 === 0) x = [rnd() & 255, rnd() & 255, rnd() & 255, rnd() & 255].join('.')
    else {
      const g = Buffer.from(pick(bytes), 'hex')
      const words = Array.from({ length: 8 }, (_, k) => g.readUInt16BE(k * 2).toString(16).padStart(rnd() % 5, '0'))
      if (i % 4 === 1) words.splice(6, 2, [...g.subarray(12)].join('.'))
      x = i % 4 === 2 ? formatIp(g) : words.join(':')
      if (rnd() % 2) x = x.toUpperCase()
    }
    if (rnd() % 2) {
      const at = rnd() % (x.length + 1)
      const c = pick([':', '.', '::', 'g', '0', '1', 'f', ''])
      x = rnd() % 2 ? x.slice(0, at) + c + x.slice(at) : x.slice(0, at) + c + x.slice(at + 1)
    }
    texts.push(x)
  }
  const py = `
import json, socket, sys
texts, hexes = json.load(sys.stdin)
def pton(s):
    fam = socket.AF_INET6 if ':' in s else socket.AF_INET
    try: return socket.inet_ntop(fam, socket.inet_pton(fam, s))
    except OSError: return None
print(json.dumps([[pton(s) for s in texts], [socket.inet_ntop(socket.AF_INET6, bytes.fromhex(h)) for h in hexes]]))`
  const [parsed, formatted] = JSON.parse(execFileSync('python3', ['-c', py], { input: JSON.stringify([texts, bytes]) }).toString()) as [(string | null)[], string[]]
  const parseDiff = texts.filter((s, i) => { const p = tryParseIp(s); return (p ? formatIp(p.bytes) : null) !== parsed[i] })
  t.same(parseDiff, [], `${texts.length} texts: accepted, refused and written back alike`)
  const valid = parsed.filter(x => x !== null).length
  t.ok(valid > 1000, `${valid} of them valid`)
  const formatDiff = bytes.filter((h, i) => formatIp(Buffer.from(h, 'hex')) !== formatted[i])
  t.same(formatDiff, [], `${bytes.length} addresses written alike`)
})
