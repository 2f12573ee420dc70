// Debug logging through `debug`: off by default, switched on and off at run time by
// namespace (debug.enable/disable), which the socket follows on its next request.
import t from 'tap'
import createDebug from 'debug'
import { format } from 'node:util'
import { NetlinkSocket } from '../../src/netlink/socket.js'
import { enabledCheck, log } from '../../src/util/log.js'
import { FakeKernel, nlmsg } from '../helpers/fake-kernel.js'

const lines: string[] = []
const savedLog = createDebug.log
const saved = createDebug.disable()
createDebug.log = (...args: unknown[]) => { lines.push(format(...args)) }
t.teardown(() => {
  createDebug.log = savedLog
  createDebug.enable(saved)
})

function getMsg(): Buffer {
  const b = nlmsg(18, 0, 0, 0, Buffer.alloc(16)) // RTM_GETLINK
  return b
}

t.test('socket traces follow debug.enable() and disable() at run time', async t => {
  const s = NetlinkSocket.open({ binding: new FakeKernel().answerInSend() })
  t.teardown(() => s.close())
  await s.request(getMsg())
  t.same(lines, [], 'nothing logged by default')

  createDebug.enable('rtnetlink:socket')
  await s.request(getMsg())
  t.ok(lines.some(l => l.includes('rtnetlink:socket') && /send (RTM_GETLINK|MSG#18) seq=\d+/.test(l)), 'the send is traced')
  t.ok(lines.some(l => /recv NLMSG_ERROR seq=\d+/.test(l)), 'and the answer')
  t.notOk(lines.some(l => l.includes('rtnetlink:hex')), 'not the bytes')

  createDebug.enable('rtnetlink:hex')
  lines.length = 0
  await s.request(getMsg())
  t.ok(lines.some(l => l.includes('rtnetlink:hex') && /send seq=\d+ 20000000120005/.test(l)), 'rtnetlink:hex: the bytes sent')
  t.notOk(lines.some(l => l.includes('rtnetlink:socket')), 'only the namespace enabled')

  createDebug.disable()
  lines.length = 0
  await s.request(getMsg())
  t.same(lines, [], 'off again after disable()')
})

t.test('enabledCheck asks the loggers again only when the enabled namespaces change', async t => {
  const a = log('test-a')
  const check = enabledCheck(a, log('test-b'))
  t.equal(check(), false)
  createDebug.enable('rtnetlink:test-b')
  t.equal(check(), true, 'either logger')
  createDebug.enable('rtnetlink:*,-rtnetlink:test-*')
  t.equal(check(), false, 'skips apply')
  createDebug.enable('rtnetlink:*')
  t.equal(check(), true)
  createDebug.disable()
  t.equal(check(), false)
})
