// Minimal typings for buffer-layout 1.2 (the package ships none): the parts used
// to declare fixed kernel structs.
declare module 'buffer-layout' {
  export class Layout<T = any> {
    span: number
    property?: string
    decode(b: Uint8Array, offset?: number): T
    encode(src: T, b: Uint8Array, offset?: number): number
  }
  export class Structure<T = any> extends Layout<T> {
    fields: Layout[]
  }
  export function struct<T = any>(fields: Layout[], property?: string): Structure<T>
  export function u8(property?: string): Layout<number>
  export function u16(property?: string): Layout<number>
  export function u32(property?: string): Layout<number>
  export function s8(property?: string): Layout<number>
  export function s16(property?: string): Layout<number>
  export function s32(property?: string): Layout<number>
  export function u16be(property?: string): Layout<number>
  export function u32be(property?: string): Layout<number>
  export function nu64(property?: string): Layout<number>
  export function ns64(property?: string): Layout<number>
  export function blob(length: number, property?: string): Layout<Uint8Array>
  export function seq<T>(elementLayout: Layout<T>, count: number, property?: string): Layout<T[]>
  const BufferLayout: {
    struct: typeof struct
    u8: typeof u8
    u16: typeof u16
    u32: typeof u32
    s8: typeof s8
    s16: typeof s16
    s32: typeof s32
    u16be: typeof u16be
    u32be: typeof u32be
    nu64: typeof nu64
    ns64: typeof ns64
    blob: typeof blob
    seq: typeof seq
  }
  export default BufferLayout
}
