// Typed arrays of every element type: stores that wrap as JavaScript's typed arrays do (negative
// values, values past 2^32, quotients), compound stores in JavaScript's order, indices proved by
// their range, a mask, a loop condition, an early-return guard, && and ?:. main() folds every
// element into one number, which Node and each native target must agree on.

const ROWS = 5;
const bytes = new Uint8Array(256);
const halves = new Uint16Array(16);
const words = new Uint32Array(ROWS * 2);
const signed = new Int32Array(12);
const one: Uint8Array = new Uint8Array(1);

enum Size {
  Rows = 5,
}

let calls: u32 = 0;
function bump(): u32 {
  calls = u32(calls + 1);
  // Changes the element a compound store is about to read: JavaScript read it first.
  words[0] = u32(words[0] + 1000);
  return 3;
}
function pick(i: u32): u32 {
  calls = u32(calls + 1);
  return i & 7;
}

function mix(h: u32, v: u32): u32 {
  return u32(Math.imul(h ^ v, 16777619));
}

function fillBytes(): void {
  // A loop condition proves i < bytes.length in the body (the step may assign i; the body not).
  for (let i: u32 = 0; i < bytes.length; i++) bytes[i] = i * 7 + 300;
  bytes[0] = -1; // 255
  bytes[1] = 0x1234567; // 0x67
  bytes[2] = bytes[1] === 0x67 ? 9 : 8;
}

function halfStores(k: u32): void {
  halves[k & 15] = k * 40000; // wraps mod 65536
  halves[3] = -2; // 65534
  halves[4] = 0xffffffff + 6; // 2^32 + 5 -> 5
  halves[5] = u32(k * 3) / 2; // a quotient: truncated
  halves[6] += 70000; // compound, wraps
  halves[7] -= 1; // 0 - 1 -> 65535
  halves[8]++;
  halves[9]--;
}

function wordStores(x: u32, y: i32): void {
  words[0] = 7;
  words[0] += bump(); // old 7 read before bump() adds 1000: 10
  words[1] = -1; // 0xffffffff
  words[2] = 0xffffffff * 3 + 20; // > 2^32: 17
  words[3] = y; // an i32 stored as its u32 pattern
  words[4] = x * 3;
  words[pick(5) & 7] ^= 0xff00ff00; // the index evaluated once
  words[6] = y >> 1;
  words[7] = Math.imul(x, 0x9e3779b1);
  words[8] = x % 5;
  words[9] = words[1] >>> 4;
}

function signedStores(x: u32): void {
  signed[0] = 0xffffffff; // -1
  signed[1] = 0x80000000; // -2^31
  signed[2] = -5;
  signed[3] = x; // u32 -> i32 pattern
  signed[4] = signed[2] * 7;
  signed[5] = signed[1] - 1; // -2^31 - 1 wraps to 2^31 - 1
  signed[6] -= 2147483647;
  signed[6] -= 2; // wraps past -2^31
  signed[7] = signed[0] >>> 1;
  signed[8] = x / 3; // truncated quotient
  signed[9] = -x;
}

/** An early-return guard proves the index below the array's length. */
function checked(i: u32, v: u32): u32 {
  if (i >= signed.length) return 99;
  signed[i] = v;
  return 0;
}

/** A guard on an i32 index: both ends. */
function signedIndex(i: i32): u32 {
  if (i < 0 || i >= halves.length) return 0;
  return halves[i];
}

/** A guard in a while condition and && / ?: guards. */
function sumWhile(n: u32): u32 {
  let s: u32 = 0;
  let k: u32 = 0;
  while (k < n) {
    const i: u32 = k;
    k = u32(k + 1);
    s = u32(s + (i < bytes.length ? bytes[i] : 1));
    if (i < words.length && words[i] > 5) s = u32(s + 1);
  }
  return s;
}

/** A u8 index on a 256-element array needs no guard. */
function byByte(b: u8): u32 {
  bytes[b] += 1;
  return bytes[b];
}

export function main(): u32 {
  fillBytes();
  halfStores(3);
  halfStores(12345);
  wordStores(0xdeadbeef, -123456789);
  signedStores(0xfffffff0);
  let h: u32 = 2166136261;
  h = mix(h, checked(11, 0x7fffffff));
  h = mix(h, checked(12, 1));
  h = mix(h, signedIndex(-1));
  h = mix(h, signedIndex(5));
  h = mix(h, signedIndex(16));
  h = mix(h, sumWhile(300));
  h = mix(h, byByte(255));
  h = mix(h, byByte(255));
  one[0] = 256 + 42;
  h = mix(h, one[0] + one.length);
  h = mix(h, calls);
  h = mix(h, Size.Rows + words.length + bytes.length + halves.length + signed.length);
  for (let i: u32 = 0; i < bytes.length; i++) h = mix(h, bytes[i]);
  for (let i: u32 = 0; i < halves.length; i++) h = mix(h, halves[i]);
  for (let i: u32 = 0; i < words.length; i++) h = mix(h, words[i]);
  for (let i: u32 = 0; i < signed.length; i++) h = mix(h, signed[i] >>> 0);
  return h;
}
