/**
 * Objects whose set of present fields varies from message to message (a decoded Link or
 * Addr): built by one object literal per set of present fields, generated once per set.
 * Each object is allocated at its final size with one hidden class per set, instead of
 * growing its property store field by field (a decoded Link left ~1.7 KB of garbage that
 * way, an address ~300 B).
 *
 * A decoder keeps a presence mask over the optional fields (field index `always + k` is
 * bit k: the low 32 in `lo`, the next in `hi`) and calls `of(lo, hi)` with the values: in
 * a scratch array indexed by field ({@link Shapes}) or as arguments ({@link ArgShapes}).
 */
export type ShapeFactory<T> = (v: unknown[]) => T
/** A factory taking the values as arguments, in field order (see {@link ArgShapes}). */
export type ArgsFactory<T> = (...v: unknown[]) => T

/** false once code generation turned out to be disallowed (--disallow-code-generation-from-strings). */
let codegen = true

/** The factories of one object type by set of present fields, and the last one used. */
abstract class ShapeCache<F> {
  private readonly factories = new Map<number, F>()
  // The last set's mask words, compared as two small integers (a 64-bit key is a double:
  // a heap number per call).
  private lastLo = -1
  private lastHi = -1
  private last: F | undefined

  /**
   * @param fields names in the order the objects list them; only constant identifiers of the
   *   library go into generated code
   * @param always how many leading fields every object has
   */
  constructor(protected readonly fields: readonly string[], private readonly always: number) {
    for (const f of fields) if (!/^[A-Za-z_$][\w$]*$/.test(f)) throw new Error(`Shapes: bad field name ${f}`)
  }

  /** The factory of the objects with these optional fields present. */
  of(lo: number, hi = 0): F {
    if (lo === this.lastLo && hi === this.lastHi) return this.last!
    const key = hi * 0x100000000 + (lo >>> 0)
    let f = this.factories.get(key)
    if (f === undefined) {
      const present: number[] = []
      for (let i = 0; i < this.fields.length; i++) {
        const bit = i - this.always
        if (bit < 0 || (bit < 32 ? (lo >>> bit) & 1 : (hi >>> (bit - 32)) & 1)) present.push(i)
      }
      f = this.factories.size < 512 ? this.generated(present) : undefined
      f ??= this.byField(present)
      this.factories.set(key, f)
    }
    this.lastLo = lo
    this.lastHi = hi
    this.last = f
    return f
  }

  private generated(present: number[]): F | undefined {
    if (!codegen) return undefined
    try {
      return this.compile(present)
    } catch {
      codegen = false // build objects field by field from now on
      return undefined
    }
  }

  protected abstract compile(present: number[]): F
  protected abstract byField(present: number[]): F
}

/** Factories taking the values in an array indexed like `fields`: `of(lo, hi)(vals)`. */
export class Shapes<T> extends ShapeCache<ShapeFactory<T>> {
  /** `v => ({ index: v[0], name: v[1], ... })` for these fields. */
  protected compile(present: number[]): ShapeFactory<T> {
    // eslint-disable-next-line @typescript-eslint/no-implied-eval
    return new Function('v', `return { ${present.map(i => `${this.fields[i]}: v[${i}]`).join(', ')} }`) as ShapeFactory<T>
  }

  protected byField(present: number[]): ShapeFactory<T> {
    const fields = this.fields
    return (v): T => objectOf<T>(fields, present, v)
  }
}

/**
 * Factories taking every field's value as an argument, in field order (absent ones
 * ignored): `of(lo, hi)(family, index, ...)`, for a decoder that holds the fields in locals.
 * A decoder filling a long-lived scratch array stores each new string or object into an
 * old-generation object: V8's write barrier then records the slot, every time (replacing
 * the address decoder's scratch array by locals made a 10,000-address dump ~8% faster).
 */
export class ArgShapes<T> extends ShapeCache<ArgsFactory<T>> {
  /** `(a0, a1, ...) => ({ family: a0, index: a1, ... })` for these fields. */
  protected compile(present: number[]): ArgsFactory<T> {
    const params = this.fields.map((_, i) => `a${i}`)
    // eslint-disable-next-line @typescript-eslint/no-implied-eval
    return new Function(...params, `return { ${present.map(i => `${this.fields[i]}: a${i}`).join(', ')} }`) as ArgsFactory<T>
  }

  protected byField(present: number[]): ArgsFactory<T> {
    const fields = this.fields
    return (...v): T => objectOf<T>(fields, present, v)
  }
}

/** The fallback without code generation: the present fields set one by one. */
function objectOf<T>(fields: readonly string[], present: readonly number[], v: readonly unknown[]): T {
  const o: Record<string, unknown> = {}
  for (const i of present) o[fields[i]!] = v[i]
  return o as T
}
