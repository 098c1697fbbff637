// A view is natively an address and in Node an object: only its fields mean the same in both.
export const E = layout(8, 4, { a: [0, "u32"], b: [4, "u32"] });
export const F = layout(8, 4, { a: [0, "u32"], b: [4, "u32"] });
export function g(v: View<typeof E>): u32 {
  return v.a;
}
export function f(p: u32, q: u32, c: boolean): u32 {
  const v = E.at(p);
  const w = E.at(q);
  if (v === w) { //! TSK1046
    return 1;
  }
  const u = c ? v : w; //! TSK1046
  const L = E; //! TSK1046
  const m = E.at; //! TSK1046
  const o = E.offsets; //! TSK1046
  if (w) { //! TSK1046
    return 2;
  }
  return u32(g(F.at(p)) + v.b); //! TSK1002
}
