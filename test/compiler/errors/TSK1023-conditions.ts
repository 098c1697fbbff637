export function f(a: u32, b: u32): u32 {
  if (a + b) { //! TSK1023
    return 1;
  }
  if (a + b > 3) { //! TSK1023
    return 2;
  }
  if (u32(a + b) > 3 && a) { //! TSK1002
    return 3;
  }
  return 0;
}
