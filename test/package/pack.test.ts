// The published package works without install scripts (npm 11 blocks dependencies'
// scripts by default): pack it, install the tarball into a scratch project with
// scripts disabled, and open a socket through the prebuilt helper.
import t from 'tap'
import { execFile } from 'node:child_process'
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'

const run = promisify(execFile)
const root = join(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..', '..')

t.test('npm pack → install with scripts blocked → open a socket', { timeout: 300_000 }, async t => {
  const work = mkdtempSync(join(tmpdir(), 'rtnetlink-pack-'))
  t.teardown(() => rmSync(work, { recursive: true, force: true }))
  // Pack from a copy so the build/ and dist/ of the working tree (used by other tests) are untouched.
  const src = join(work, 'src-copy')
  for (const f of ['package.json', 'package-lock.json', 'binding.gyp', 'tsconfig.json', 'tsconfig.build.json', 'README.md', 'LICENSE', 'src', 'scripts'])
    if (existsSync(join(root, f))) cpSync(join(root, f), join(src, f), { recursive: true })
  symlinkSync(join(root, 'node_modules'), join(src, 'node_modules'))
  const env = { ...process.env, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' }
  await run('npm', ['pack', '--pack-destination', work], { cwd: src, env, maxBuffer: 64 << 20 })
  const tgz = readdirSync(work).find(f => f.endsWith('.tgz'))
  t.ok(tgz, 'tarball created')
  const { stdout: listing } = await run('tar', ['tzf', join(work, tgz!)])
  t.match(listing, /package\/prebuilds\/linux-x64\/rtnetlink\.node/, 'x64 prebuild shipped')
  t.match(listing, /package\/dist\/index\.js/)
  t.match(listing, /package\/dist\/index\.d\.ts/)
  t.notMatch(listing, /package\/test\//, 'tests not shipped')

  const app = join(work, 'app')
  cpSync(join(root, 'test', 'package', 'fixture'), app, { recursive: true })
  await run('npm', ['install', '--ignore-scripts', '--prefer-offline', join(work, tgz!)], { cwd: app, env, maxBuffer: 64 << 20 })
  t.notOk(existsSync(join(app, 'node_modules', 'rtnetlink', 'build')), 'no install script ran (no node-gyp build)')
  const { stdout } = await run(process.execPath, ['check.mjs'], { cwd: app, env })
  t.match(JSON.parse(stdout), { lo: 'lo', index: 1 }, 'prebuilt helper loaded; GETLINK answered')

  // The declarations: a strict TypeScript consumer, without skipLibCheck.
  writeFileSync(join(app, 'tsconfig.json'), JSON.stringify({
    compilerOptions: {
      strict: true, noEmit: true, skipLibCheck: false, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022',
      lib: ['es2022', 'esnext.disposable'], types: ['node'], typeRoots: [join(root, 'node_modules', '@types')],
    },
    files: ['consumer.ts'],
  }))
  const tsc = await run(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', app], { cwd: app, env }).catch(e => e)
  t.equal(tsc.code ?? 0, 0, `the shipped .d.ts type-check in a strict consumer${tsc.stdout ? `:\n${tsc.stdout}` : ''}`)
})
