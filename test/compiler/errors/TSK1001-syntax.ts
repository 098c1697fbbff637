export function f(a: u32): u32 {
  const { x } = { x: a }; //! TSK1001
  return +a; //! TSK1001
}
export async function g(): Promise<void> {} //! TSK1001 TSK1002
declare const D: u32; //! TSK1026
enum M {
  A,
}
enum M { //! TSK1026
  B = 1,
}
enum P {
  __proto__ = 5, //! TSK1028
  B = 6,
}
export function h(a: u32): u32 {
  if (a === null) return 0; //! TSK1001
  return a ?? 1; //! TSK1001
}
