export function f(a: u32): u32 {
  const g = (x: u32): u32 => x; //! TSK1007
  function inner(): void {} //! TSK1007
  return a;
}
export function h(): u32 {
  let p: u32 = f; //! TSK1007 TS2322
  return 0;
}
