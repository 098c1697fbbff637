function show(s: string): void {}
export function f(a: u32): u32 {
  show("ok");
  show("caf\u00e9"); //! TSK1009
  show(`x${a}`); //! TSK1009
  let n: u32 = "abc".length; //! TSK1009
  return 0;
}
