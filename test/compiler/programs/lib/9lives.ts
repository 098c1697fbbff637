// A module whose name starts with a digit (its C prefix must not).
export function nine(): u32 {
  return 9;
}
