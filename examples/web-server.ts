/**
 * Example 3: a web server inside a namespace. An HTTP server runs in a worker thread
 * started inside namespace `site` (so it listens on an address only `site` has) and is
 * fetched from namespace `visitor` across a veth pair.
 *
 * Run: npx tsx examples/web-server.ts   (as root)
 */
import { NetNs } from '../src/index.js'
import { httpGet, isMain, runTag, serveHttp } from './lib/util.js'

export async function main(log: (line: string) => void = console.log): Promise<{ body: string }> {
  const tag = runTag('ex3')
  await using site = await NetNs.create(`${tag}-site`)
  await using visitor = await NetNs.create(`${tag}-visitor`)
  await using rtnl = site.open()
  await rtnl.link.add({ name: 'web0', kind: 'veth', peer: { name: 'eth0', netns: visitor } })
  await rtnl.addr.add({ link: 'web0', address: '10.251.0.1/30' })
  await rtnl.link.set('web0', { up: true })
  await using v = visitor.open()
  await v.addr.add({ link: 'eth0', address: '10.251.0.2/30' })
  await v.link.set('eth0', { up: true })

  const server = await serveHttp(site, '10.251.0.1', 8000, 'site')
  try {
    const body = await httpGet(visitor, 'http://10.251.0.1:8000/')
    log(`visitor fetched: ${body.trim()}`)
    return { body }
  } finally {
    await server.terminate()
  }
}

if (isMain(import.meta.url)) await main()
