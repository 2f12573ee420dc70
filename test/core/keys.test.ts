// checkKnownKeys: misspelt option keys are named, with the nearest known key when one is close.
import t from 'tap'
import { checkKnownKeys } from '../../src/util/keys.js'
import { ValidationError } from '../../src/errors.js'

const known = new Set(['gateway', 'via', 'dev', 'weight', 'onlink'])

t.test('known keys, undefined values and `unknown` (raw attributes) pass', async t => {
  t.doesNotThrow(() => checkKnownKeys({ gateway: '10.0.0.1', dev: 'r0', weight: 2 }, known, 'nh'))
  t.doesNotThrow(() => checkKnownKeys({ gatway: undefined, unknown: [] }, known, 'nh'))
  t.doesNotThrow(() => checkKnownKeys({}, known, 'nh'))
})

t.test('an unknown key: field, value, nearest name', async t => {
  t.throws(() => checkKnownKeys({ gatway: '10.0.0.1' }, known, 'multipath[0]'),
    { name: 'ValidationError', field: 'multipath[0].gatway', value: '10.0.0.1', message: /unknown option \(did you mean gateway\?\); known: gateway, via, dev, weight, onlink$/ })
  t.throws(() => checkKnownKeys({ Weight: 1 }, known, 'nh'), { message: /did you mean weight\?/ }, 'case-insensitive')
  t.throws(() => checkKnownKeys({ onLink: true }, known, 'nh'), { message: /did you mean onlink\?/ })
  const far = (() => { try { checkKnownKeys({ zzzzzz: 1 }, known, 'nh') } catch (e) { return e as ValidationError } })()
  t.type(far, ValidationError)
  t.notMatch(far!.message, /did you mean/, 'no suggestion when nothing is near')
  t.throws(() => checkKnownKeys({ dev: 'r0', mtu: 1 }, known, 'nh', ['dev']), { message: /known: dev$/ }, 'the list shown can be narrower than what passes')
})
