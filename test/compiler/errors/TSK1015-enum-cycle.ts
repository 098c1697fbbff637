import { D } from "./helpers/enum-cycle";
export const enum EC {
  A = 1,
  B = D.Z + 1, //! TSK1015
  C = A + 1,
}
export function f(): u32 {
  return 1;
}
