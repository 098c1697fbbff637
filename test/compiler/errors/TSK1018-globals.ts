export function f(a: u32): u32 {
  let b: u32 = Math.max(a, 1); //! TSK1018
  let c: u32 = parseInt("1"); //! TSK1018
  return Math.imul(a, 3) >>> 0;
}
