/**
 * SeqTable: the requests awaiting an answer, by sequence number. A Map allocates as its
 * entries come and go (a shrink on the last delete, a rehash every few inserts over
 * tombstones): one table per request on an awaited loop. Sequence numbers are consecutive,
 * so this table puts each one at `seq & mask` of a Uint32Array (no probing, no allocation);
 * the rare one whose slot is held by an older, still pending request (a timed-out request
 * waiting for its late answer) goes to a small overflow Map. It doubles when a collision
 * finds it half full. Key 0 marks an empty slot: the socket never uses sequence number 0.
 */
export class SeqTable<V> {
  private keys: Uint32Array
  private vals: (V | undefined)[]
  private mask: number
  private overflow: Map<number, V> | undefined
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
    const i = seq & this.mask
    if (this.keys[i] === seq) return this.vals[i]
    const o = this.overflow
    return o === undefined || o.size === 0 ? undefined : o.get(seq)
  }

  has(seq: number): boolean {
    return seq !== 0 && this.get(seq) !== undefined
  }

  /** Adds or replaces; `seq` must not be 0, `v` not undefined. */
  set(seq: number, v: V): void {
    if (seq === 0 || !Number.isInteger(seq) || seq < 0 || seq > 0xffffffff) throw new RangeError(`SeqTable: bad sequence number ${seq}`)
    const i = seq & this.mask
    const k = this.keys[i]
    if (k === seq) {
      this.vals[i] = v
      return
    }
    const o = this.overflow
    if (o !== undefined && o.has(seq)) {
      o.set(seq, v)
      return
    }
    if (k === 0) {
      this.keys[i] = seq
      this.vals[i] = v
      this.size++
      return
    }
    if ((this.size + 1) * 2 > this.keys.length) {
      this.grow()
      this.set(seq, v)
      return
    }
    (this.overflow ??= new Map()).set(seq, v)
    this.size++
  }

  delete(seq: number): boolean {
    if (seq === 0) return false
    const i = seq & this.mask
    if (this.keys[i] === seq) {
      this.keys[i] = 0
      this.vals[i] = undefined
      this.size--
      return true
    }
    if (this.overflow?.delete(seq)) {
      this.size--
      return true
    }
    return false
  }

  /** The values (a copy: the table may change while the caller walks it). */
  values(): V[] {
    const out: V[] = []
    const keys = this.keys
    for (let i = 0; i < keys.length; i++) if (keys[i] !== 0) out.push(this.vals[i]!)
    if (this.overflow) for (const v of this.overflow.values()) out.push(v)
    return out
  }

  clear(): void {
    this.keys.fill(0)
    this.vals.fill(undefined)
    // Only when set: storing into a field V8 has seen only its initial value in marks it
    // mutable, which deoptimizes every compiled caller of get() (seen on the first close()).
    if (this.overflow !== undefined) this.overflow = undefined
    this.size = 0
  }

  private grow(): void {
    const keys = this.keys
    const vals = this.vals
    const over = this.overflow
    const n = keys.length * 2
    this.keys = new Uint32Array(n)
    this.vals = new Array<V | undefined>(n).fill(undefined)
    this.mask = n - 1
    this.overflow = undefined
    this.size = 0
    for (let i = 0; i < keys.length; i++) if (keys[i] !== 0) this.set(keys[i]!, vals[i]!)
    if (over) for (const [k, v] of over) this.set(k, v)
  }
}
