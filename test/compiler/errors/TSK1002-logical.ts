export function f(x: u32, b: boolean): u32 {
  if ((x && b) === false) { //! TSK1002
    return 1;
  }
  const t = b || x; //! TSK1002
  if (x !== 0 && b) {
    return 2;
  }
  return 0;
}
