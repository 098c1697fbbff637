// Every field lies inside the structure, and a structure has at least one byte.
export const Past = layout(8, 4, {
  a: [4, "u32"],
  b: [8, "u8"], //! TSK1038
  c: [-4, "u32"], //! TSK1038
  d: [12, "u32"], //! TSK1038
});
export const Empty = layout(0, 1, {}); //! TSK1038
