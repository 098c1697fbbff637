export function f(a: u32, b?: u32): u32 { //! TSK1020
  return a;
}
export function g(a: u32 = 1): u32 { //! TSK1020
  return a;
}
export function h(...xs: u32[]): u32 { //! TSK1020
  return 0;
}
