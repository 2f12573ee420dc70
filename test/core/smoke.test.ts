import t from 'tap'
import { native } from '../../src/native/binding.js'

t.test('native socket opens and binds', t => {
  const b = native()
  const fd = b.socket(0)
  b.bind(fd, 0, 0)
  t.ok(b.getsockname(fd) > 0)
  b.close(fd)
  t.end()
})
