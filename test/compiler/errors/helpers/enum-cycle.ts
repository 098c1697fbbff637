// Imports TSK1015-enum-cycle.ts back: its enum initialiser reads an enum from this cycle.
import { f } from "../TSK1015-enum-cycle";
export const enum D {
  Z = 9,
}
export function g(): u32 {
  return f();
}
