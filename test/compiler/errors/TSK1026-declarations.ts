declare function ext(a: u32): u32; //! TSK1026
export function over(a: u32): u32; //! TSK1026
export function over(a: u32): u32 {
  return a;
}
enum Twice {
  A = 1,
}
enum Twice { //! TSK1026
  B = 2,
}
