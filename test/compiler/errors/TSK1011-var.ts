var g: u32 = 0; //! TSK1011
export function f(): u32 {
  var a: u32 = 1; //! TSK1011
  return 0;
}
