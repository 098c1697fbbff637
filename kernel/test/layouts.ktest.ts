// In-kernel tests of memory layouts (compiler/src/check/layouts.ts) on the real machine, so each
// toolchain's backend is held to what JavaScript does: every field width loads and stores exactly
// its bytes, stores wrap as typed arrays do, compound stores and ++/-- read the field before the
// right side runs. A second layout over the same bytes reads them back without intrinsics.
import { expectEq, expectTrue } from "./ktap";
import { getNextPage, freePage, FREE_OK } from "../mem/pages";

const Rec = layout(16, 4, {
  tag: [0, "u8"],
  kind: [1, "u8"],
  flags: [2, "u16"],
  word: [4, "u32"],
  delta: [8, "i32"],
  last: [12, "u32"],
});
/** The same 16 bytes, byte by byte at the front and as words after. */
const Raw = layout(16, 4, { b0: [0, "u8"], b1: [1, "u8"], b2: [2, "u8"], b3: [3, "u8"], w1: [4, "u32"], w2: [8, "u32"], w3: [12, "u32"] });

function recAt(page: u32, i: u32): View<typeof Rec> {
  return Rec.at(u32(page + i * Rec.size));
}

/** Writes r.word while a store to it is being evaluated. */
function touch(r: View<typeof Rec>): u32 {
  r.word = 5;
  return 7;
}

export function test_fields_store_exactly_their_bytes_and_wrap(): void {
  const page: u32 = getNextPage();
  const r = recAt(page, 1);
  const raw = Raw.at(u32(page + Rec.size));
  r.tag = 0x1ff;
  r.kind = -2;
  r.flags = 0x12345;
  r.word = -1;
  r.delta = 0xfffffffe;
  expectEq(raw.b0, 0xff, "u8 field: 0x1ff stored as 0xff");
  expectEq(raw.b1, 0xfe, "u8 field: -2 stored as 0xfe");
  expectEq(raw.b2, 0x45, "u16 field, low byte of 0x12345");
  expectEq(raw.b3, 0x23, "u16 field, high byte of 0x12345");
  expectEq(raw.w1, 0xffffffff, "u32 field: -1 stored as 0xffffffff");
  expectEq(raw.w2, 0xfffffffe, "i32 field: 0xfffffffe stored as is");
  expectTrue(r.delta === -2, "i32 field reads back signed (-2)");
  expectEq(raw.w3, 0, "the next field untouched");
  expectEq(Raw.at(page).w3, 0, "the record before untouched");
  expectEq(Raw.at(u32(page + 2 * Rec.size)).w1, 0, "the record after untouched");
  expectEq(freePage(page), FREE_OK, "freePage status");
}

export function test_compound_and_step_stores_read_first_and_wrap(): void {
  const page: u32 = getNextPage();
  const r = recAt(page, 0);
  r.tag = 0xff;
  r.tag++;
  expectEq(r.tag, 0, "u8 0xff + 1 wraps to 0");
  r.flags = 0;
  r.flags--;
  expectEq(r.flags, 0xffff, "u16 0 - 1 wraps to 0xffff");
  r.delta = 0x7fffffff;
  r.delta++;
  expectEq(Raw.at(page).w2, 0x80000000, "i32 0x7fffffff + 1 wraps to -2^31");
  r.word = 0x80000000;
  r.word <<= 1;
  expectEq(r.word, 0, "u32 0x80000000 << 1 wraps to 0");
  r.word = 1;
  r.word += touch(r);
  expectEq(r.word, 8, "r.word += touch(r): the old value (1) is read before touch writes 5");
  r.word = touch(r);
  expectEq(r.word, 7, "r.word = touch(r): the store comes after touch's");
  recAt(page, 1).last = 0xabcd;
  recAt(page, 1).last ^= 0xffff;
  expectEq(Raw.at(u32(page + Rec.size)).w3, 0x5432, "a view returned by a call, compound-stored");
  expectEq(freePage(page), FREE_OK, "freePage status");
}
