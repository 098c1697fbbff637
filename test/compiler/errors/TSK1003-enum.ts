enum E {
  A = 0,
  B = 2,
}
function sc(c: E): u32 {
  switch (c) {
    case E.A:
      return 11;
    case E.B:
      return 33;
  }
}
export function f(x: u32, e: E): u32 {
  let r: u32 = sc(x & 1); //! TSK1003
  r = u32(r + sc(1)); //! TSK1003 TS2345
  r = u32(r + sc(2) + sc(E.A) + sc(e) + sc(x > 3 ? E.A : E.B));
  let v: E = E.B;
  v = 0;
  return r;
}
export function pick(y: u32): E {
  let x = E.A;
  x = y; //! TSK1003
  return x;
}
let g = E.B;
export function setG(y: u32): void {
  g = y; //! TSK1003
}
