// The tsk prelude: the integer types and coercions every subset program sees as globals.
// In Node they are installed by compiler/node/prelude.js; natively the compiler lowers them to casts.
// The aliases are plain `number` for tsc; the tsk checker tracks which one each value carries and
// proves every value fits the type it flows into (docs/subset.md).

/** Unsigned 8-bit integer, 0..255. */
type u8 = number;
/** Unsigned 16-bit integer, 0..65535. */
type u16 = number;
/** Unsigned 32-bit integer, 0..0xffffffff. */
type u32 = number;
/** Signed 32-bit integer, -0x80000000..0x7fffffff. */
type i32 = number;
/** A boolean (the same as `boolean`). */
type bool = boolean;

/** Wrap to 0..255 (JavaScript: `x & 0xff`). */
declare function u8(x: number): u8;
/** Wrap to 0..65535 (JavaScript: `x & 0xffff`). */
declare function u16(x: number): u16;
/** Wrap to 0..0xffffffff (JavaScript: `x >>> 0`). */
declare function u32(x: number): u32;
/** Wrap to -0x80000000..0x7fffffff (JavaScript: `x | 0`). */
declare function i32(x: number): i32;

// ---- memory layouts (docs/subset.md "Memory layouts") ----

/** A layout field's width: how many bytes it reads and writes, and how the value is read. */
type LayoutWidth = "u8" | "u16" | "u32" | "i32";
/** A field: its byte offset in the structure and its width. */
type LayoutField = readonly [offset: number, width: LayoutWidth];
/** The fields of a layout, by name. */
type LayoutFields = { readonly [name: string]: LayoutField };
/** The value type a field of width W reads as. */
type LayoutValue<W> = W extends "u8" ? u8 : W extends "u16" ? u16 : W extends "i32" ? i32 : u32;
/** A view's fields: each reads and writes its bytes of memory (a store wraps to the width). */
type LayoutView<F extends LayoutFields> = { -readonly [K in keyof F]: LayoutValue<F[K][1]> };

/** A structure in physical memory, declared once with layout(). */
interface Layout<F extends LayoutFields> {
  /** The structure's size in bytes (a constant). */
  readonly size: u32;
  /** Its alignment in bytes (a constant). */
  readonly align: u32;
  /** Each field's byte offset (constants): for code that addresses the structure by hand. */
  readonly offsets: { readonly [K in keyof F]: u32 };
  /** The structure at physical address `addr`: natively just the address. */
  at(addr: u32): LayoutView<F>;
}

/** The type of a view of layout L, for parameters, results and variables: View<typeof E820Entry>. */
type View<L> = L extends Layout<infer F> ? LayoutView<F> : never;

/** Declare a structure in physical memory: `export const E = layout(24, 4, { type: [16, "u32"] })`.
 *  Only as a module-level const; size, alignment and offsets are constants; fields may not overlap,
 *  pass the size or sit misaligned for their width (the checker proves it). */
declare function layout<const F extends LayoutFields>(size: number, align: number, fields: F): Layout<F>;
