import t from 'tap'
import { formatIp, formatPrefix, parseCidr, parseIp, parseMac, formatMac, networkOf, tryParseIp } from '../../src/util/ip.js'
import { ValidationError } from '../../src/errors.js'
import { isIP } from 'node:net'

t.test('IPv4 and IPv6 parse/format round trips', async t => {
  for (const a of ['0.0.0.0', '10.0.0.1', '255.255.255.255', '::', '::1', 'fe80::1', '2001:db8::8:800:200c:417a',
    '2001:db8:0:1:1:1:1:1', '1::', 'ff02::1:ff00:1', '::ffff:10.1.2.3', '2001:db8::1:0:0:1'])
    t.equal(formatIp(parseIp(a).bytes), a, a)
  t.equal(formatIp(parseIp('2001:DB8:0:0:0:0:0:1').bytes), '2001:db8::1', 'RFC 5952 lower case and compression')
  t.equal(formatIp(parseIp('2001:db8:0:0:1:0:0:1').bytes), '2001:db8::1:0:0:1', 'first longest run')
  t.equal(formatIp(parseIp('::10.0.0.1').bytes), '::a00:1')
})

t.test('invalid addresses are refused (agreeing with net.isIP)', async t => {
  for (const a of ['', '1.2.3', '1.2.3.4.5', '256.1.1.1', '01.1.1.1', '1.2.3.-1', ':::', '1::2::3', 'g::1', '1:2:3:4:5:6:7:8:9', 'fe80::1%eth0', ' 1.2.3.4'])
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
