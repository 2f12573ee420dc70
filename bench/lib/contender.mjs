// The contender interface of the benchmark harness (types only).
//
// A contender is a module under bench/contenders/ exporting objects of this shape;
// bench/run.mjs lists them in CONTENDERS. For every workload and repetition the harness
// prepares two fresh instances (namespaces + setup): `inst`, timed, and `warm`, a smaller
// identical one for the untimed warm-up, then calls `run(job)`, then checks the kernel
// state of `inst` (workload.verify), then deletes every namespace of both.
//
// Time only the work itself (not process start, not opening sockets, not the warm-up).
// A dump phase is timed `dumps` times in a row in the same process and reports the median
// (a JIT runtime's first large dump also pays for growing its heap; that one is reported
// as `first`).
// Contenders that run code in Node start one child process per phase so that its peak
// RSS (process.resourceUsage().maxRSS) is that contender's alone.

/**
 * @typedef {'seq'|'pipe'} Style
 *   seq: one request, then its answer, then the next; pipe: many requests in flight.
 *   Ratios are taken against the C reference of the same style (dumps: C sequential).
 */

/**
 * @typedef {object} PhaseResult
 * @property {number} seconds          timed part (extrapolated to inst.n when sampled)
 * @property {number} [count]          dumps: messages/objects decoded
 * @property {number|null} [maxRssKiB] peak RSS of the process that did the phase
 * @property {number} [sampled]        items actually timed when extrapolated to inst.n
 * @property {Record<string, number>} [detail]  optional sub-timings (seconds), shown in results.json
 * @property {number} [first]          dumps timed several times in one process: the first of them
 *                                     (seconds is then their median)
 */

/**
 * @typedef {object} RunOutcome
 * @property {Record<string, PhaseResult>} phases
 * @property {number} [done]  items present after the run for verify (default inst.n)
 */

/**
 * @typedef {object} Job
 * @property {import('./workloads.mjs').Workload} w
 * @property {import('./workloads.mjs').Instance} inst
 * @property {import('./workloads.mjs').Instance} warm
 * @property {string[]} phases      the phases to run (subset of w.phases, in order)
 * @property {import('./tools.mjs').Tools} tools
 * @property {boolean} quick
 * @property {number} dumps         a dump phase is timed this many times in its process, after
 *                                  the warm-up; it reports their median (and the first)
 * @property {Record<string, number>} warmPasses  per phase: how many times to run the warm-up
 *                                  copy (workloads.mjs warmPasses(): 1 for adds; GETs and dumps
 *                                  repeat until a JIT has seen enough work)
 */

/**
 * @typedef {object} Contender
 * @property {string} id
 * @property {string} label
 * @property {Style} style
 * @property {string} [note]
 * @property {(w: import('./workloads.mjs').Workload) => string[]|null} phasesFor
 *   the phases this contender runs for a workload (null: not this workload)
 * @property {(ctx: ProbeContext) => Promise<string|null>} probe
 *   null when usable, else the reason it is skipped (printed)
 * @property {(job: Job) => Promise<RunOutcome>} run
 * @property {(w: import('./workloads.mjs').Workload) => string|null} [skipReason]
 *   after probe: why a workload is skipped although phasesFor allows it
 */

/**
 * @typedef {object} ProbeContext
 * @property {import('./tools.mjs').Tools} tools
 * @property {import('./netns.mjs').NsPool} pool
 * @property {boolean} quick
 * @property {boolean} rebuild
 */

export {}
