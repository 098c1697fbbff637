export function f(a: u32): u32 {
  if (a === 0) throw 1; //! TSK1010
  try { //! TSK1010
    a = 1;
  } finally {
  }
  return a;
}
