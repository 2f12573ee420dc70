#!/usr/bin/env node
// Builds the prebuilt native helpers shipped in the npm package (prebuilds/<platform>-<arch>/),
// so users whose npm blocks dependency install scripts still get a working addon:
// linux-x64 always, linux-arm64 when Debian's cross compiler (gcc-aarch64-linux-gnu) is installed.
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, rmSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const prebuildify = join(root, 'node_modules', '.bin', 'prebuildify')
const run = (args, env = {}) =>
  execFileSync(prebuildify, ['--napi', '--strip', ...args], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, ...env } })

rmSync(join(root, 'prebuilds'), { recursive: true, force: true })
run([])
console.log('prebuilds/linux-x64 built')
const cross = spawnSync('aarch64-linux-gnu-gcc', ['--version'], { stdio: 'ignore' }).status === 0
if (process.arch === 'x64' && cross) {
  run(['--arch', 'arm64'], {
    CC: 'aarch64-linux-gnu-gcc', CXX: 'aarch64-linux-gnu-g++', LINK: 'aarch64-linux-gnu-gcc',
    PREBUILD_STRIP_BIN: 'aarch64-linux-gnu-strip',
  })
  console.log('prebuilds/linux-arm64 built')
} else console.log('prebuilds/linux-arm64 skipped: install gcc-aarch64-linux-gnu to cross-compile it')
// prebuildify leaves build/ with the last (possibly foreign-arch) build: rebuild the local one.
if (existsSync(join(root, 'build'))) {
  execFileSync(join(root, 'node_modules', '.bin', 'node-gyp'), ['rebuild'], { cwd: root, stdio: 'ignore' })
}
