// A module imported by the diagnostics tests.
export function helper(): u32 {
  return 7;
}
