// Node implementations of the prelude (compiler/lib/prelude.d.ts): exactly JavaScript's own
// conversions, which the native lowering reproduces.
"use strict";
const prelude = {
  u8: (x) => x & 0xff,
  u16: (x) => x & 0xffff,
  u32: (x) => x >>> 0,
  i32: (x) => x | 0,
};
for (const [name, fn] of Object.entries(prelude)) {
  if (!(name in globalThis)) Object.defineProperty(globalThis, name, { value: fn, writable: false });
}
module.exports = prelude;
