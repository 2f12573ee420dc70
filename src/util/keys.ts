/**
 * Unknown keys in options: a misspelt key would otherwise be dropped without a word, and in
 * this library that changes what is done to the network (`route.add({ gatway })` made a route
 * without its gateway; `route.flush({ tabel: 100, dev })` flushed the main table's routes of
 * that device). Every verb's options, filters and their typed sub-objects (kind data, port
 * data, a veth peer, route metrics, multipath entries) are checked. Keys whose value is
 * undefined pass, so that `{ ...opts, x: undefined }` does.
 */
import { ValidationError } from '../errors.js'

/**
 * The keys of an options type, as a Set for {@link checkOptionKeys}, checked complete when
 * compiled: a key the type has and the list lacks is a type error (`Expected 2 arguments`,
 * naming the missing keys), and so is a key the type does not have. So the check can never
 * refuse a documented option. `optionKeys<RouteOptions>()(['dst', ...])`.
 */
export function optionKeys<T>() {
  return <const K extends readonly (keyof T & string)[]>(keys: K, ..._complete: [Exclude<keyof T & string, K[number]>] extends [never] ? [] : [missing: Exclude<keyof T & string, K[number]>]): ReadonlySet<string> => new Set<string>(keys)
}

/**
 * Throws a ValidationError for the first key of a verb's options (`what`: `'route.add'`)
 * with a defined value that `known` lacks, naming the closest known key when one is near.
 * Not an object: nothing to check (the verb reports that itself).
 */
export function checkOptionKeys(obj: unknown, known: ReadonlySet<string>, what: string): void {
  if (typeof obj !== 'object' || obj === null) return
  const k = unknownKey(obj, known, false)
  if (k === undefined) return
  const names = [...known]
  throw new ValidationError(`${what}: unknown option ${k}${hint(k, names)}`, k, (obj as Record<string, unknown>)[k])
}

/**
 * Throws a ValidationError naming the first key of `obj` (with a defined value) that
 * `known` does not have, with the closest known key when one is near.
 */
export function checkKnownKeys(obj: object, known: ReadonlySet<string> | ReadonlyMap<string, unknown>, field: string, list?: readonly string[]): void {
  const k = unknownKey(obj, known, true)
  if (k === undefined) return
  const names = list ?? [...known.keys()]
  throw new ValidationError(`${field}.${k}: unknown option${hint(k, names)}`, `${field}.${k}`, (obj as Record<string, unknown>)[k])
}

/** The first key of obj with a defined value that `known` lacks (`unknown`, raw attributes, passing where allowed). */
function unknownKey(obj: object, known: { has(k: string): boolean }, rawAllowed: boolean): string | undefined {
  for (const k in obj) {
    if (known.has(k) || (rawAllowed && k === 'unknown') || (obj as Record<string, unknown>)[k] === undefined) continue
    return k
  }
  return undefined
}

/** ` (did you mean NEAR?); known: a, b, ...` for an unknown key. */
function hint(k: string, names: readonly string[]): string {
  const near = closest(k, names)
  return `${near ? ` (did you mean ${near}?)` : ''}; known: ${names.join(', ')}`
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

/**
 * Copies the listed fields of `from` that are defined onto `to` (a decoder's attributes onto
 * the object it returns, or a listed object's fields onto its options): absent stays absent.
 */
export function copyDefined(from: object, to: object, keys: readonly string[]): void {
  const f = from as Record<string, unknown>
  const t = to as Record<string, unknown>
  for (const k of keys) if (f[k] !== undefined) t[k] = f[k]
}
