export function f(a: u32) { //! TSK1025
  return a;
}
