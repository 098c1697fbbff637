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
