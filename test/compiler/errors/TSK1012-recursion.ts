export function fact(n: u32): u32 {
  return n === 0 ? 1 : u32(Math.imul(n, fact(u32(n - 1)))); //! TSK1012
}
function even(n: u32): boolean {
  return n === 0 ? true : odd(u32(n - 1)); //! TSK1012
}
function odd(n: u32): boolean {
  return n === 0 ? false : even(u32(n - 1)); //! TSK1012
}
