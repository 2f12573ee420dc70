// The README's example runs: extracted, pointed at the source tree, given a unique
// namespace name, and run in a child process started inside a throw-away namespace
// (so its "current namespace" writes land there, never in the host's).
import t from 'tap'
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { NetNs } from '../../src/netns/netns.js'

const root = new URL('../../', import.meta.url).pathname

t.test('README example', async t => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8')
  const block = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map(m => m[1]!).find(b => b.includes("from 'rtnetlink'"))!
  t.ok(block, 'found the example')
  const name = `readme-${process.pid}`
  const code = block.replaceAll("from 'rtnetlink'", `from '${join(root, 'src/index.ts')}'`).replaceAll("'blue'", `'${name}'`)
  const dir = mkdtempSync(join(root, 'test', '.readme-'))
  t.teardown(() => { rmSync(dir, { recursive: true, force: true }); try { NetNs.deleteSync(name) } catch { /* deleted by the example */ } })
  const file = join(dir, 'example.ts')
  writeFileSync(file, code)
  const ns = NetNs.unshare()
  t.teardown(() => ns.close())
  const { stdout } = await ns.exec(process.execPath, ['--import', 'tsx', file], { timeout: 60_000 })
  t.match(stdout, /veth0 /)
  t.match(stdout, /IFLA_LINKINFO > IFLA_INFO_DATA > IFLA_VXLAN_ID/)
  t.notOk(NetNs.listSync().includes(name), 'the example deleted its namespace')
})
