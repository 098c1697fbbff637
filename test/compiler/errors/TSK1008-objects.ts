class Box {} //! TSK1008
export function f(a: u32): u32 {
  const o: u32 = [1, 2][0]; //! TSK1008
  let b: u32 = a;
  b.toString(); //! TSK1018
  return new Box() ? 1 : 0; //! TSK1008
}
