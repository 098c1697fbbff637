export function f(a: u32, b: u32): u32 {
  const small: u32 = u32(a * 4096);
  return u32(a * b); //! TSK1004
}
