/**
 * Example 2: a bridge joining two namespaces — the "web / db behind vnet0" recipe:
 * a router namespace holds bridge vnet0 (10.250.0.1/24); web and db each get a veth
 * whose other end is a vnet0 port; addresses, links up, default routes via the bridge
 * address. Written declaratively with Topology; traffic is checked both ways.
 *
 * Run: npx tsx examples/bridge.ts   (as root)
 */
import { Topology, type TopologySpec } from '../src/index.js'
import { httpGet, isMain, runTag, serveHttp } from './lib/util.js'

export function bridgeSpec(tag: string): TopologySpec {
  const host = (name: string, address: string) => ({
    veths: { eth0: { addresses: [address], peer: { name: `veth-${name}`, netns: `${tag}-router`, master: 'vnet0' } } },
    routes: [{ dst: 'default', gateway: '10.250.0.1' }],
  })
  return {
    namespaces: {
      [`${tag}-router`]: { bridges: { vnet0: { addresses: ['10.250.0.1/24'] } } },
      [`${tag}-web`]: host('web', '10.250.0.10/24'),
      [`${tag}-db`]: host('db', '10.250.0.20/24'),
    },
  }
}

export async function main(log: (line: string) => void = console.log): Promise<{ checks: string[] }> {
  const tag = runTag('ex2')
  const topo = new Topology(bridgeSpec(tag))
  try {
    log(String(await topo.plan()))
    await topo.apply()
    const web = topo.netns(`${tag}-web`)
    const db = topo.netns(`${tag}-db`)
    const checks: string[] = []
    const s1 = await serveHttp(web, '10.250.0.10', 80, 'web')
    const s2 = await serveHttp(db, '10.250.0.20', 5432, 'db')
    try {
      checks.push((await httpGet(db, 'http://10.250.0.10:80/')).trim())
      checks.push((await httpGet(web, 'http://10.250.0.20:5432/')).trim())
    } finally {
      await s1.terminate()
      await s2.terminate()
    }
    for (const c of checks) log(`ok: ${c}`)
    return { checks }
  } finally {
    await topo.destroy()
  }
}

if (isMain(import.meta.url)) await main()
