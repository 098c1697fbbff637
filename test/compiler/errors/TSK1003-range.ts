export function f(a: u32, b: u32, c: i32, d: u8): u32 {
  let x: u32 = a + b; //! TSK1003
  let y: u32 = c; //! TSK1003
  let z: u8 = a; //! TSK1003
  let ok: u32 = d + 1;
  let w: u8 = a & 0xff;
  x++; //! TSK1003
  x += 1; //! TSK1003
  w |= 0x80;
  return c; //! TSK1003
}
