// Imports TSK1031-enum-modules.ts back: its enum initialiser reads an enum from this cycle.
import { f } from "../TSK1031-enum-modules";
export const enum D {
  Z = 9,
}
export function g(): u32 {
  return f();
}
