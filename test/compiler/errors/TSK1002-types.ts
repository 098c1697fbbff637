export function f(a: number): u32 { //! TSK1002
  return 0;
}
export function g(a: u32[]): u32 { //! TSK1002
  return 0;
}
export function h(a: u32): u32 {
  let flag: boolean = a; //! TSK1002 TS2322
  return 0;
}
