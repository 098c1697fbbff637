// Alignment: a power of two, the size a multiple of it, each field aligned to its width and no
// wider than the stated alignment.
export const A = layout(6, 4, { //! TSK1039
  a: [0, "u32"],
  b: [5, "u8"],
});
export const B = layout(8, 3, { a: [0, "u8"] }); //! TSK1039
export const C = layout(8, 4, {
  a: [2, "u32"], //! TSK1039
  b: [6, "u16"],
});
export const D = layout(4, 2, {
  a: [0, "i32"], //! TSK1039
});
