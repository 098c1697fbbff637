// Typed arrays are declared at module level, as const, with their length only.
export let grow = new Uint32Array(4); //! TSK1032
const listed = new Uint8Array([1, 2, 3]); //! TSK1032
const viewed = new Uint16Array(new ArrayBuffer(8), 0, 2); //! TSK1032
const fine = new Int32Array(4);

export function local(): u32 {
  const scratch = new Uint32Array(8); //! TSK1032
  return 0;
}

export function use(): i32 {
  return fine[0];
}
