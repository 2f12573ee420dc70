/**
 * Unknown keys in the typed sub-objects of options (kind data, port data, a veth peer, route
 * metrics, multipath entries): a misspelt key would otherwise be dropped without a word.
 * Top-level option objects follow Node's convention and ignore keys they do not know.
 */
import { ValidationError } from '../errors.js'

/**
 * Throws a ValidationError naming the first key of `obj` (with a defined value) that
 * `known` does not have, with the closest known key when one is near.
 */
export function checkKnownKeys(obj: object, known: ReadonlySet<string> | ReadonlyMap<string, unknown>, field: string, list?: readonly string[]): void {
  for (const k in obj) {
    if (known.has(k) || k === 'unknown' || (obj as Record<string, unknown>)[k] === undefined) continue
    const names = list ?? [...known.keys()]
    const near = closest(k, names)
    throw new ValidationError(
      `${field}.${k}: unknown option${near ? ` (did you mean ${near}?)` : ''}; known: ${names.join(', ')}`,
      `${field}.${k}`, (obj as Record<string, unknown>)[k])
  }
}

/** The known name within edit distance 2 of k (case-insensitive), if exactly one is closest. */
function closest(k: string, names: readonly string[]): string | undefined {
  let best: string | undefined
  let bestD = 3
  for (const n of names) {
    const d = distance(k.toLowerCase(), n.toLowerCase(), bestD)
    if (d < bestD) {
      best = n
      bestD = d
    }
  }
  return best
}

/** Levenshtein distance, giving up at `cap`. */
function distance(a: string, b: string, cap: number): number {
  if (Math.abs(a.length - b.length) >= cap) return cap
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i)
  for (let i = 1; i <= a.length; i++) {
    const cur = [i]
    let rowMin = i
    for (let j = 1; j <= b.length; j++) {
      const v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1))
      cur.push(v)
      if (v < rowMin) rowMin = v
    }
    if (rowMin >= cap) return cap
    prev = cur
  }
  return prev[b.length]!
}
