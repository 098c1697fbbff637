// A module with state, imported by modules.ts.
export let count: u32 = 0;
export const STEP: u32 = 3;

export function bump(): u32 {
  count = u32(count + STEP);
  return count;
}
