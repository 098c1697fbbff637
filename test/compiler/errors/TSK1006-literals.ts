export function f(): u32 {
  let a: u32 = 1.5; //! TSK1006
  let b: u32 = 0x100000000; //! TSK1006
  let c: i32 = -2147483648;
  let d: u32 = 10n; //! TSK1006 TS2322
  return 0;
}
