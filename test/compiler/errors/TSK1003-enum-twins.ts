// Two modules, two enums named Color: one's members are not the other's.
import { Color as Paint } from "../programs/lib/colors";
enum Color {
  Red = 10,
  Green = 20,
}
function shade(c: Color): u32 {
  return c === Color.Red ? 1 : 2;
}
export function f(p: Paint): u32 {
  return shade(p); //! TSK1003
}
