/**
 * SeqTable: the requests awaiting an answer, by sequence number. A Map allocates as its
 * entries come and go (a shrink on the last delete, a rehash every few inserts with
 * tombstones): one table per request on an awaited loop. This open-addressing table over a
 * Uint32Array allocates only when it grows. Linear probing from `seq & mask` (sequence
 * numbers are consecutive, so they rarely collide) and backward-shift deletion (no
 * tombstones). Key 0 marks an empty slot: the socket never uses sequence number 0.
 */
export class SeqTable<V> {
  private keys: Uint32Array
  private vals: (V | undefined)[]
  private mask: number
  /** Entries in the table. */
  size = 0

  constructor(capacity = 64) {
    let n = 8
    while (n < capacity) n *= 2
    this.keys = new Uint32Array(n)
    this.vals = new Array<V | undefined>(n).fill(undefined)
    this.mask = n - 1
  }

  get(seq: number): V | undefined {
    const keys = this.keys
    const mask = this.mask
    let i = seq & mask
    for (;;) {
      const k = keys[i]!
      if (k === seq) return this.vals[i]
      if (k === 0) return undefined
      i = (i + 1) & mask
    }
  }

  has(seq: number): boolean {
    return seq !== 0 && this.get(seq) !== undefined
  }

  /** Adds or replaces; `seq` must not be 0, `v` not undefined. */
  set(seq: number, v: V): void {
    if (seq === 0 || !Number.isInteger(seq) || seq < 0 || seq > 0xffffffff) throw new RangeError(`SeqTable: bad sequence number ${seq}`)
    if ((this.size + 1) * 2 > this.keys.length) this.grow()
    const keys = this.keys
    const mask = this.mask
    let i = seq & mask
    for (;;) {
      const k = keys[i]!
      if (k === seq) {
        this.vals[i] = v
        return
      }
      if (k === 0) break
      i = (i + 1) & mask
    }
    keys[i] = seq
    this.vals[i] = v
    this.size++
  }

  delete(seq: number): boolean {
    if (seq === 0) return false
    const keys = this.keys
    const vals = this.vals
    const mask = this.mask
    let i = seq & mask
    for (;;) {
      const k = keys[i]!
      if (k === seq) break
      if (k === 0) return false
      i = (i + 1) & mask
    }
    // Backward shift: pull later entries of the probe run into the hole when their home
    // slot is not between the hole and where they are.
    let j = i
    for (;;) {
      j = (j + 1) & mask
      const k = keys[j]!
      if (k === 0) break
      const home = k & mask
      if (((j - home) & mask) >= ((j - i) & mask)) {
        keys[i] = k
        vals[i] = vals[j]
        i = j
      }
    }
    keys[i] = 0
    vals[i] = undefined
    this.size--
    return true
  }

  /** The values, in slot order (a copy: the table may change while the caller walks it). */
  values(): V[] {
    const out: V[] = []
    const keys = this.keys
    for (let i = 0; i < keys.length; i++) if (keys[i] !== 0) out.push(this.vals[i]!)
    return out
  }

  clear(): void {
    this.keys.fill(0)
    this.vals.fill(undefined)
    this.size = 0
  }

  private grow(): void {
    const oldKeys = this.keys
    const oldVals = this.vals
    const n = oldKeys.length * 2
    this.keys = new Uint32Array(n)
    this.vals = new Array<V | undefined>(n).fill(undefined)
    this.mask = n - 1
    this.size = 0
    for (let i = 0; i < oldKeys.length; i++) if (oldKeys[i] !== 0) this.set(oldKeys[i]!, oldVals[i]!)
  }
}
