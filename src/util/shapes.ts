/**
 * Objects whose set of present fields varies from message to message (a decoded Link or
 * Addr): built by one object literal per set of present fields, generated once per set.
 * Each object is allocated at its final size with one hidden class per set, instead of
 * growing its property store field by field (a decoded Link left ~1.7 KB of garbage that
 * way, an address ~300 B).
 *
 * A decoder fills a scratch array by field index and a presence mask over the optional
 * fields (field index `always + k` is bit k: the low 32 in `lo`, the next in `hi`), then
 * calls `of(lo, hi)(vals)`.
 */
export type ShapeFactory<T> = (v: unknown[]) => T

/** false once code generation turned out to be disallowed (--disallow-code-generation-from-strings). */
let codegen = true

export class Shapes<T> {
  private readonly factories = new Map<number, ShapeFactory<T>>()
  // The last set's mask words, compared as two small integers (a 64-bit key is a double:
  // a heap number per call).
  private lastLo = -1
  private lastHi = -1
  private last: ShapeFactory<T> | undefined

  /**
   * @param fields names in the order the objects list them; only constant identifiers of the
   *   library go into generated code
   * @param always how many leading fields every object has
   */
  constructor(private readonly fields: readonly string[], private readonly always: number) {
    for (const f of fields) if (!/^[A-Za-z_$][\w$]*$/.test(f)) throw new Error(`Shapes: bad field name ${f}`)
  }

  /** The factory of the objects with these optional fields present. */
  of(lo: number, hi = 0): ShapeFactory<T> {
    if (lo === this.lastLo && hi === this.lastHi) return this.last!
    const key = hi * 0x100000000 + (lo >>> 0)
    let f = this.factories.get(key)
    if (f === undefined) {
      const present: number[] = []
      for (let i = 0; i < this.fields.length; i++) {
        const bit = i - this.always
        if (bit < 0 || (bit < 32 ? (lo >>> bit) & 1 : (hi >>> (bit - 32)) & 1)) present.push(i)
      }
      f = this.factories.size < 512 ? this.compile(present) : undefined
      f ??= this.byField(present)
      this.factories.set(key, f)
    }
    this.lastLo = lo
    this.lastHi = hi
    this.last = f
    return f
  }

  /** `v => ({ index: v[0], name: v[1], ... })` for these fields. */
  private compile(present: number[]): ShapeFactory<T> | undefined {
    if (!codegen) return undefined
    try {
      // eslint-disable-next-line @typescript-eslint/no-implied-eval
      return new Function('v', `return { ${present.map(i => `${this.fields[i]}: v[${i}]`).join(', ')} }`) as ShapeFactory<T>
    } catch {
      codegen = false // build objects field by field from now on
      return undefined
    }
  }

  private byField(present: number[]): ShapeFactory<T> {
    const fields = this.fields
    return (v): T => {
      const o: Record<string, unknown> = {}
      for (const i of present) o[fields[i]!] = v[i]
      return o as T
    }
  }
}
