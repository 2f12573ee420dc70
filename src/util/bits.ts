/**
 * Bit sets → names, for the flags of decoded objects: each distinct value is worked out once
 * and cached (up to `cacheSize` values); every call returns the caller's own array (empty
 * for 0, with no backing store), so changing one object's flags never changes another's.
 */
export function bitNamer<N extends string>(names: readonly (readonly [N, number])[], cacheSize: number): (bits: number) => N[] {
  const cache = new Map<number, N[]>()
  // The last value's names, checked before the Map: a dump's objects mostly repeat one set
  // of flags, and the Map lookup was ~10% of decoding an address.
  let lastBits = 0
  let last: N[] = []
  return (bits: number): N[] => {
    if (bits === 0) return []
    if (bits === lastBits) return last.slice()
    let out = cache.get(bits)
    if (out === undefined) {
      out = []
      for (const [n, v] of names) if (bits & v) out.push(n)
      if (cache.size < cacheSize) cache.set(bits, out)
    }
    lastBits = bits
    last = out
    return out.slice()
  }
}
