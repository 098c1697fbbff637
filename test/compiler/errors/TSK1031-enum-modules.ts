/// <reference path="./helpers/script-enum.d.ts" />
/// <reference path="./helpers/script.ts" />
import { D } from "./helpers/enum-cycle";
import { Base } from "./helpers/enum-base";
export const enum EC {
  A = 1,
  B = D.Z + 1, //! TSK1031
  C = A + 1,
}
// tsc computes Later = Base.Two + 1 = 3 across modules; Node, compiling this file alone, makes it undefined.
enum Derived {
  First = Base.Two, //! TSK1031
  Later,
}
// An imported enum as a type and by member is fine (Node reads it from the loaded module).
export function pick(b: Base): u32 {
  return b === Base.One ? 1 : 2;
}
export function ghost(): u32 {
  return Ghost.Boo; //! TSK1031
}
export function phantom(): u32 {
  return Phantom.Yes; //! TSK1031
}
export function f(): u32 {
  return 1;
}
