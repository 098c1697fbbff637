export function f(a: u32): u32 {
  let x: u32 = 0;
  let y: u32 = (x = a); //! TSK1016
  if ((x = 2) === 2) { //! TSK1016
  }
  return x++; //! TSK1016
}
