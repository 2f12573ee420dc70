// The C reference (bench/c/rtnl_ref.c): raw AF_NETLINK sockets opened inside the
// namespaces with setns(), sequential and pipelined (256 requests per sendmsg).
import { runJson } from '../lib/proc.mjs'

/** @typedef {import('../lib/contender.mjs').Contender} Contender */

const PIPE = 256

/** Operation of rtnl_ref for a workload phase. @param {string} w @param {string} phase */
function opFor(w, phase) {
  switch (`${w}/${phase}`) {
    case 'W1/getlink': return 'getlink'
    case 'W2/add': return 'addr-add'
    case 'W2/dump': return 'addr-dump'
    case 'W3/add': return 'route-add'
    case 'W3/dump': return 'route-dump'
    case 'W4/churn': return 'link-churn'
    default: return null
  }
}

/**
 * @param {'seq'|'pipe'} style
 * @returns {Contender}
 */
function make(style) {
  return {
    id: style === 'seq' ? 'c-seq' : 'c-pipe',
    label: style === 'seq' ? 'C reference, sequential' : `C reference, pipelined (${PIPE}/sendmsg)`,
    style,
    note: style === 'pipe' ? `${PIPE} requests per sendmsg, then their ACKs/replies drained; SO_RCVBUFFORCE 32 MiB` : undefined,
    phasesFor(w) {
      const phases = w.phases.filter(p => opFor(w.id, p) && !(style === 'pipe' && p === 'dump'))
      return phases.length ? phases : null
    },
    async probe({ tools }) {
      return tools.ref ? null : tools.refWhy
    },
    async run({ w, inst, warm, phases, tools, dumps }) {
      if (!tools.ref) throw new Error(tools.refWhy)
      /** @type {Record<string, import('../lib/contender.mjs').PhaseResult>} */
      const out = {}
      for (const phase of phases) {
        const op = /** @type {string} */ (opFor(w.id, phase))
        const args = ['--netns', inst.ns[0], '--warm-netns', warm.ns[0], '--warm-count', String(warm.n)]
        if (inst.ns[1]) args.push('--netns2', inst.ns[1], '--warm-netns2', warm.ns[1])
        if (style === 'pipe') args.push('--pipe', String(PIPE))
        args.push(op, '--count', String(inst.n), '--index', String(inst.index), '--dev', inst.dev,
          '--base', inst.base, '--plen', String(inst.plen))
        if (phase === 'dump' && dumps > 1) args.push('--repeat', String(dumps))
        const j = await runJson(tools.ref, args)
        out[phase] = { seconds: j.seconds, count: j.count, maxRssKiB: j.maxrss_kib, first: j.first }
        if (j.phases) out[phase].detail = j.phases
      }
      return { phases: out }
    },
  }
}

export const cSeq = make('seq')
export const cPipe = make('pipe')
