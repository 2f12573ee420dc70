/** Value checks shared by codecs and verbs; each failure is a ValidationError naming the field. */
import { ValidationError } from '../errors.js'

export function isInt(v: unknown, min: number, max: number): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max
}

/** A check for integers in [min, max]. */
export function intIn(min: number, max: number): (v: unknown, field: string) => void {
  return (v, field) => {
    if (!isInt(v, min, max)) throw new ValidationError(`${field}: expected an integer ${min}-${max}`, field, v)
  }
}

/** A 64-bit unsigned value: a bigint, or a number up to 2^53 - 1 (exact). */
export function checkU64(v: unknown, field: string): void {
  if (typeof v === 'bigint' ? v < 0n || v > 0xffffffffffffffffn : !isInt(v, 0, Number.MAX_SAFE_INTEGER))
    throw new ValidationError(`${field}: expected an integer 0-2^64-1 (a bigint above 2^53-1)`, field, v)
}

export function checkBool(v: unknown, field: string): void {
  if (typeof v !== 'boolean') throw new ValidationError(`${field}: expected a boolean`, field, v)
}

/** A string attribute: no NUL inside (the kernel would cut it there), and it fits. */
export function checkString(v: unknown, field: string): void {
  if (typeof v !== 'string') throw new ValidationError(`${field}: expected a string`, field, v)
  if (v.includes('\0')) throw new ValidationError(`${field}: a string without NUL characters`, field, v)
  if (Buffer.byteLength(v) > 0xffff - 5) throw new ValidationError(`${field}: too long for an attribute`, field, v)
}

/**
 * An optional boolean option: undefined or a boolean. `up: 'no'` would otherwise be taken
 * as true.
 */
export function optBool(v: unknown, field: string): void {
  if (v !== undefined) checkBool(v, field)
}

/** An optional integer option in [min, max]. */
export function optInt(v: unknown, field: string, min: number, max: number): void {
  if (v !== undefined && !isInt(v, min, max)) throw new ValidationError(`${field}: expected an integer ${min}-${max}`, field, v)
}

/** Per key of an options object: [min, max, what is expected] (see {@link checkRanges}). */
export type Ranges = Readonly<Record<string, readonly [min: number, max: number, what: string]>>

/**
 * A ValidationError naming `prefix.key` for the first value of `o` (a number whose type its
 * codec has checked) outside its range: the ranges a kernel refuses beyond the wire type's.
 */
export function checkRanges(o: Record<string, unknown>, prefix: string, ranges: Ranges): void {
  for (const [key, [min, max, what]] of Object.entries(ranges)) {
    const v = o[key]
    if (typeof v === 'number' && (v < min || v > max)) throw new ValidationError(`${prefix}.${key}: expected ${what}`, `${prefix}.${key}`, v)
  }
}

/** A ValidationError naming `field` when the number v has any of `bits` set (`why`: which and why). */
export function checkBitsClear(v: unknown, field: string, bits: number, why: string): void {
  if (typeof v === 'number' && (v & bits)) throw new ValidationError(`${field}: ${why}`, field, v)
}

/** A struct attribute given as an object: each of its named fields passes `check`. */
export function checkStruct(v: unknown, field: string, names: readonly string[], check: (v: unknown, field: string) => void): void {
  if (typeof v !== 'object' || v === null) throw new ValidationError(`${field}: expected { ${names.join(', ')} }`, field, v)
  for (const n of names) check((v as Record<string, unknown>)[n], `${field}.${n}`)
}
