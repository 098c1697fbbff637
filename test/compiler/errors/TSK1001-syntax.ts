export function f(a: u32): u32 {
  const { x } = { x: a }; //! TSK1001
  return +a; //! TSK1001
}
export async function g(): Promise<void> {} //! TSK1001 TSK1002
declare const D: u32; //! TSK1001
enum M {
  A,
}
enum M { //! TSK1001
  B = 1,
}
enum P {
  __proto__ = 5, //! TSK1001
  B = 6,
}
