export function f(a: u8, b: u32): u32 {
  switch (a) {
    case 1:
      return 1;
    case 256: //! TSK1019
      return 2;
    case b: //! TSK1019
      return 3;
    case 1: //! TSK1019
      return 4;
  }
  return 0;
}
