export function f(a: u32): u32 {
  return (a as u32) + 0; //! TSK1017
}
export function g(a: u32): u32 {
  return a!; //! TSK1017
}
