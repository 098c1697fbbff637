// Signed/unsigned edges: comparisons across signedness, division and modulo by 0, -1 and negatives.
const MIN: i32 = -2147483648;
const MAX: i32 = 2147483647;

function mix(h: u32, v: u32): u32 {
  return u32(Math.imul(u32(h ^ v), 16777619));
}

export function main(): u32 {
  let h: u32 = 2166136261;
  const u: u32 = 0xffffffff;
  const z: u32 = 0;
  let m: i32 = MIN;
  let n: i32 = -1;
  h = mix(h, i32(m / n) < 0 ? 1 : 2);
  h = mix(h, u32(m / n));
  h = mix(h, u32(m % n));
  h = mix(h, u32(u / z));
  h = mix(h, u32(u % z));
  h = mix(h, u32(i32(-7) / 2));
  h = mix(h, u32(i32(-7) % 2));
  h = mix(h, u32(7 % i32(-2)));
  h = mix(h, n < u ? 1 : 0);
  h = mix(h, m < z ? 1 : 0);
  h = mix(h, u32(MAX + 1));
  h = mix(h, u32(i32(MAX + 1)));
  h = mix(h, u32(m - 1));
  h = mix(h, u32(-m));
  h = mix(h, u32(~m));
  h = mix(h, u32(u32(u + u) / 3));
  h = mix(h, u8(-1) === 255 ? 7 : 9);
  h = mix(h, u16(u));
  h = mix(h, u32(i32(u) >> 4));
  h = mix(h, u >>> 31);
  h = mix(h, u32(n >>> 0));
  return h;
}
