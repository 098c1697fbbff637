// A layout is declared once, as a module-level const, with constant size, alignment and offsets
// and literal widths.
let n: u32 = 4;
let Mutable = layout(4, 4, { a: [0, "u32"] }); //! TSK1036
export const Bad = layout(n, 4, { //! TSK1036
  a: [0, "u32"],
  b: [4, ("u32")], //! TSK1036
  c: [n, "u8"], //! TSK1036
  ["d"]: [9, "u8"], //! TSK1036
});
export const Good = layout(8, 4, { a: [0, "u32"], b: [4, "u32"] });
export function f(): u32 {
  const L = layout(4, 4, { a: [0, "u32"] }); //! TSK1036
  n = 5;
  Mutable = Good;
  return Good.at(0x1000).b;
}
