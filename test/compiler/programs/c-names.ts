// TypeScript names that C already means, or that meet in C: a local and a renamed local, a
// parameter named like a global's C name, libc functions and macros, gcc's predefined macros (linux,
// unix, i386 under -m32), a module whose file name starts with a digit.
import { nine } from "./lib/9lives";

let g: u32 = 7;

function f(c_names_g: u32): u32 {
  return u32(g + c_names_g);
}

export function index(): u32 {
  return 3;
}

function random(linux: u32, unix: u32, i386: u32): u32 {
  return u32(linux + unix * 2 + i386 * 3);
}

export function main(): u32 {
  let char: u8 = 1;
  const be32toh: u32 = 4; // a glibc macro (endian.h): the local must not be expanded by it
  let r: u32 = 0;
  {
    let char_: u8 = 2;
    r = u32(char + char_ * 10);
  }
  return u32(r + f(1) * 100 + index() * 1000 + random(1, 2, 3) * 10000 + nine() + be32toh * 100000);
}
