// A typed array's length is a constant the compiler knows, 1 element to 64 MiB.
let n: u32 = 4;
const K = 16;
enum Size {
  Big = 1024,
}
const variable = new Uint32Array(n); //! TSK1033
const empty = new Uint8Array(0); //! TSK1033
const huge = new Uint32Array(0x1000001); //! TSK1033
const negative = new Uint8Array(-1); //! TSK1033
const fine = new Uint32Array(K * 2 + Size.Big);
const biggest = new Uint8Array(64 * 1024 * 1024);

export function first(): u32 {
  n = 5;
  return u32(fine[0] + biggest[0]);
}
