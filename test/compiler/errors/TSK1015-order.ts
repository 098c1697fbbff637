import { Y } from "./helpers/cycle";
export const X: u32 = 5;
const Z: u32 = Y; //! TSK1015
const W: u32 = E.B; //! TSK1015
const enum E {
  A = 3,
  B = 4,
}
const V: u32 = E.A;
export function f(): u32 {
  return u32(Z + W + V + Y);
}
