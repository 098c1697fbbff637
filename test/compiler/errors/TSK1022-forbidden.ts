export function f(a: u32): u32 {
  outer: while (a > 0) { //! TSK1022
    break outer;
  }
  let b: u32 = u32(2 ** 3); //! TSK1022
  let c: u32 = (a, 3); //! TSK1022 TS2695
  return 0;
}
