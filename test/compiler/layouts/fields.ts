// Every field width read and written, stores that wrap (negative, past the width, past 2^32),
// compound stores, ++ and --, views held in locals, passed, returned and at constant addresses, addresses
// that wrap at 2^32. Node runs it on the simulated machine, natively it is host memory.
import { Entry, ENTRY_WORDS, entryAt } from "./lib/entry";
import * as entries from "./lib/entry";

const TABLE: u32 = 0x10000;
const FIRST = Entry.at(TABLE);
const Pair = layout(8, 8, { a: [0, "u32"], b: [4, "u32"] });

let mix: u32 = 0;
function mixIn(x: u32): void {
  mix = u32(Math.imul(mix ^ x, 0x9e3779b1) >>> 0);
}

function sum(e: View<typeof Entry>): u32 {
  return u32(e.lo + e.hi + e.kind + e.flags + (e.delta >>> 0));
}

/** Writes memory while a store's right side is evaluated: the order must be JavaScript's. */
function bump(e: View<typeof Entry>): u32 {
  e.lo = u32(e.lo + 100);
  return 5;
}

/** ++ and -- on fields of every width, at their wrapping edges. */
function e2ViaStep(): void {
  const e = entryAt(TABLE, 5);
  e.kind = 0xff;
  e.kind++;
  e.flags = 0;
  e.flags--;
  e.delta = 0x7fffffff;
  ++e.delta;
  e.hi = 0;
  --e.hi;
  mixIn(sum(e));
}

export function main(): u32 {
  for (let i: u32 = 0; i < 8; i = u32(i + 1)) {
    const e = entryAt(TABLE, i);
    e.lo = u32(Math.imul(i, 0x01000193) >>> 0);
    e.hi = -1 - i;
    e.kind = u32(0x1f0 + i);
    e.flags = i32(-2) - i;
    e.delta = u32(0x7ffffff0 + i * 4);
  }
  for (let i: u32 = 0; i < 8; i = u32(i + 1)) {
    const e = entryAt(TABLE, i);
    mixIn(sum(e));
    mixIn(e.kind);
    mixIn(e.flags);
    if (e.delta < 0) {
      mixIn(1);
    }
  }
  FIRST.kind += 0x20;
  FIRST.flags -= 0x30;
  FIRST.delta ^= -1;
  FIRST.hi >>>= 3;
  FIRST.lo = 0xffffffff + 8;
  FIRST.kind++; // 0xff + 1 wraps to 0 in a u8 field, as in a Uint8Array
  FIRST.flags--;
  e2ViaStep();
  mixIn(sum(FIRST));
  const e2 = entries.Entry.at(u32(TABLE + 2 * entries.Entry.size));
  e2.lo = bump(e2);
  e2.hi += bump(e2);
  mixIn(e2.lo);
  mixIn(e2.hi);
  // The address wraps at 2^32 as JavaScript's `>>> 0` does: field b of a pair at 0xfffffffc is at 0.
  const top = Pair.at(0xfffffffc);
  top.b = 0xabcd;
  mixIn(Pair.at(0).a);
  mixIn(Entry.offsets.delta + Entry.align + ENTRY_WORDS + Pair.size);
  let v = entryAt(TABLE, 3);
  v = entryAt(TABLE, 4);
  mixIn(v.lo);
  return mix;
}
