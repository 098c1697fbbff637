export function f(a: u32, b?: u32): u32 { //! TSK1020
  return a;
}
export function g(a: u32 = 1): u32 { //! TSK1020
  return a;
}
export function h(...xs: u32[]): u32 { //! TSK1020
  return 0;
}
export function t(this: void, a: u32): u32 { //! TSK1020
  return a;
}
export function v(a: void): u32 { //! TSK1020
  return 0;
}
export function n(a: never): u32 { //! TSK1020
  return 0;
}
export function user(): u32 {
  return t(1);
}
