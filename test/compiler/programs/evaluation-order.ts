// JavaScript evaluates operands and arguments left to right; C does not promise to. Calls that
// change a global, in arguments and operands around reads of that global, must agree natively.
let g: u32 = 1;
function step(k: u32): u32 { g = u32(Math.imul(g, 10) + k); return g; }
function setg(k: u32): u32 { g = k; return 0; }
function f2(a: u32, b: u32): u32 { return u32(a * 1000 + b); }
function f3(a: u32, b: u32, c: u32): u32 { return u32(Math.imul(a, 7) ^ Math.imul(b, 13) ^ c); }
export function main(): u32 {
  let h: u32 = f2(step(1), step(2));
  h = u32(h + f2(setg(3), g));
  h = u32(h ^ f3(step(1), step(2), step(3)));
  h = u32(h + g + step(4));
  g = u32(g + step(5));
  h = u32(h + Math.imul(step(6), g));
  return u32(h + g);
}
