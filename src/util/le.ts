/**
 * Little-endian reads by byte arithmetic for the decoders' hot loops. Node 20's
 * Buffer#readUInt16LE/readUInt32LE are not fully inlined by the optimiser and cost a few
 * nanoseconds each, which adds up to a third of an attribute walk. Callers check bounds
 * first (as every decoder does before reading a field); these do not.
 */

/** Unsigned 16-bit little-endian at o. */
export function rd16(b: Uint8Array, o: number): number {
  return b[o]! | (b[o + 1]! << 8)
}

/** Unsigned 32-bit little-endian at o. */
export function rd32(b: Uint8Array, o: number): number {
  return (b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16)) + b[o + 3]! * 0x1000000
}

/** Signed 32-bit little-endian at o. */
export function rdS32(b: Uint8Array, o: number): number {
  return b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16) | (b[o + 3]! << 24)
}

/** Stores an unsigned 16-bit little-endian value (caller checks range and bounds). */
export function wr16(b: Uint8Array, o: number, v: number): void {
  b[o] = v
  b[o + 1] = v >>> 8
}

/** Stores an unsigned 32-bit little-endian value (caller checks range and bounds). */
export function wr32(b: Uint8Array, o: number, v: number): void {
  b[o] = v
  b[o + 1] = v >>> 8
  b[o + 2] = v >>> 16
  b[o + 3] = v >>> 24
}
