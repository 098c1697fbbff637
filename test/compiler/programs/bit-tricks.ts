// Bit manipulation on the values where JavaScript and C part ways: sign bits, shifts >= 32.
function popcount(x: u32): u32 {
  let v: u32 = x;
  v = u32(v - ((v >>> 1) & 0x55555555));
  v = u32((v & 0x33333333) + ((v >>> 2) & 0x33333333));
  v = u32((v + (v >>> 4)) & 0x0f0f0f0f);
  return u32(Math.imul(v, 0x01010101)) >>> 24;
}
function clz(x: u32): u32 {
  if (x === 0) return 32;
  let n: u32 = 0;
  let v: u32 = x;
  while ((v & 0x80000000) === 0) {
    v = u32(v << 1);
    n = u32(n + 1);
  }
  return n;
}
function reverse(x: u32): u32 {
  let r: u32 = 0;
  for (let i: u32 = 0; i < 32; i = u32(i + 1)) r = u32((r << 1) | ((x >>> i) & 1));
  return r;
}
export function main(): u32 {
  const xs0: u32 = 0;
  let h: u32 = 0;
  let x: u32 = 0x12345678;
  for (let i: u32 = 0; i < 64; i = u32(i + 1)) {
    h = u32(h + popcount(x) + clz(x) + reverse(x));
    h = u32(h ^ (x << i) ^ (x >> i) ^ (x >>> i));
    h = u32(h + i32(x << 33) + u32(i32(x) >> 31));
    x = u32(Math.imul(x, 1103515245) + 12345);
  }
  return u32(h + xs0);
}
