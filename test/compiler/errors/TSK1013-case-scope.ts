export function f(a: u32): u32 {
  switch (a) {
    case 0:
      const x: u32 = 5;
      return x;
    case 1:
      return x; //! TSK1013 TS2454
  }
  return 0;
}
