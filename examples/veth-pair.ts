/**
 * Example 1: two namespaces joined by a veth pair — the classic
 *   ip netns add a; ip netns add b
 *   ip link add veth-a netns a type veth peer name veth-b netns b
 *   ip -n a addr add 10.200.1.1/24 dev veth-a; ip -n b addr add 10.200.1.2/24 dev veth-b
 *   ip -n a link set lo up; ip -n a link set veth-a up; (same in b)
 * then reachability checked with HTTP from b to a server in a. Cleans up after itself.
 *
 * Run: npx tsx examples/veth-pair.ts   (as root)
 */
import { NetNs } from '../src/index.js'
import { httpGet, isMain, runTag, serveHttp } from './lib/util.js'

export async function main(log: (line: string) => void = console.log): Promise<{ reply: string }> {
  const tag = runTag('ex1')
  await using a = await NetNs.create(`${tag}-a`)   // deleted when this scope ends
  await using b = await NetNs.create(`${tag}-b`)
  await using inA = a.open()                        // a netlink socket living in a
  await using inB = b.open()

  await inA.link.add({ name: 'veth-a', kind: 'veth', peer: { name: 'veth-b', netns: b } })
  await inA.addr.add({ link: 'veth-a', address: '10.200.1.1/24' })
  await inB.addr.add({ link: 'veth-b', address: '10.200.1.2/24' })
  for (const [rtnl, link] of [[inA, 'veth-a'], [inB, 'veth-b']] as const) {
    await rtnl.link.set('lo', { up: true })
    await rtnl.link.set(link, { up: true })
  }
  log(`${a.name}: veth-a 10.200.1.1/24  <->  ${b.name}: veth-b 10.200.1.2/24`)

  const server = await serveHttp(a, '10.200.1.1', 8080, a.name!)
  try {
    const reply = await httpGet(b, 'http://10.200.1.1:8080/')
    log(`GET from ${b.name}: ${reply.trim()}`)
    return { reply }
  } finally {
    await server.terminate()
  }
}

if (isMain(import.meta.url)) await main()
