export function f(a: u32): u32 {
  const { x } = { x: a }; //! TSK1001
  return +a; //! TSK1001
}
export async function g(): Promise<void> {} //! TSK1001 TSK1002
