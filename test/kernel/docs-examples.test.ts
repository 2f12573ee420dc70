// The programs in docs/examples/ run (each uses its own throw-away namespace).
import t from 'tap'
import { execFile } from 'node:child_process'
import { readdirSync } from 'node:fs'
import { promisify } from 'node:util'

const run = promisify(execFile)
const dir = new URL('../../docs/examples/', import.meta.url)

for (const f of readdirSync(dir).filter(f => f.endsWith('.ts'))) {
  t.test(f, async t => {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', new URL(f, dir).pathname], { timeout: 60_000 })
    t.ok(stdout.length > 0, 'printed its results')
  })
}
