// A view's address must be a u32.
export const E = layout(4, 4, { a: [0, "u32"] });
export function f(base: u32, i: u32, k: i32): u32 {
  const x = E.at(base + i); //! TSK1045
  const y = E.at(k); //! TSK1045
  const z = E.at(u32(base + i));
  const w = E.at(u32(base / 2)); // coerced at once: fine
  return u32(z.a + w.a);
}
