// Imports across modules, module-level state, and JavaScript's left-to-right evaluation order
// where an operand's call changes a global another operand reads.
import { bump, count, STEP } from "./lib/counter";
import * as counter from "./lib/counter";

let g: u32 = 10;

function touch(): u32 {
  g = u32(g * 2 + 1);
  return g;
}

export function main(): u32 {
  let h: u32 = 0;
  h = u32(h + g + touch());
  h = u32(h + touch() + g);
  h = u32(Math.imul(h, 31) + count + bump() + count);
  h = u32(h + counter.bump() + counter.count + STEP);
  return h;
}
