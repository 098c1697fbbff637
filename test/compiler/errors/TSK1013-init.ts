export function f(a: u32): u32 {
  let x: u32; //! TSK1013
  let y = u32(a + 1); //! TSK1013
  const z = 5;
  return z;
}
