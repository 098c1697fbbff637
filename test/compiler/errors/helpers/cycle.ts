// Imports TSK1015-order.ts back: an import cycle, for the initialisation-order rule.
import { X } from "../TSK1015-order";
export const Y: u32 = 6;
export function use(): u32 {
  return X;
}
