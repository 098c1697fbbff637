// The same enum name declared in two modules is two enums (each module's own), with export lists
// (`export { ... }`, `export { x as y }`) and a global initialised from an imported constant.
import { Color as Paint, weigh } from "./lib/colors";
import { nine } from "./lib/9lives";

enum Color {
  Red = 1,
  Green = 2,
  Blue = 3,
}

const BASE: u32 = 100;
let total: u32 = BASE;

function shade(c: Color): u32 {
  switch (c) {
    case Color.Red:
      return 5;
    case Color.Green:
      return 6;
    case Color.Blue:
      return 7;
  }
}

function entry(): u32 {
  total = u32(total + shade(Color.Blue) + weigh(Paint.Green) * 10 + Paint.Red * 100 + nine() * 10000);
  return total;
}

export { entry as main, shade };
