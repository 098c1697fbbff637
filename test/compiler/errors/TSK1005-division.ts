export function f(a: u32, b: u32): u32 {
  let q: u32 = a / b; //! TSK1005
  let r: u32 = u32(a / b) >>> 1;
  let s: u32 = u32((a / b) + 1); //! TSK1005
  let t: u32 = a % 10;
  let m: u32 = a % b; //! TSK1005
  return u32(u32(a + b) / 2) + u32((a + b) / 2); //! TSK1005
}
