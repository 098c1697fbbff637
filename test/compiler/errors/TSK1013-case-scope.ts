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
export function g(x: u32): u32 {
  let r: u32 = 0;
  switch (x) {
    case 0:
      let y: u8 = 7;
      r = 1;
    case 1:
      y = 3; //! TSK1013
      r = u32(r + 10);
      break;
  }
  return r;
}
