// Two fields of a layout may not share a byte.
export const Overlap = layout(8, 4, {
  a: [0, "u32"],
  b: [2, "u16"], //! TSK1037
  c: [4, "u32"],
  d: [7, "u8"], //! TSK1037
  e: [1, "u8"], //! TSK1037
});
