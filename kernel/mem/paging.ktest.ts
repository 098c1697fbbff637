// @tsk-uses-intrinsics. In-kernel tests of paging (paging.ts) as the MMU sees it: CR0/CR3 and the identity tables.
import { load32, store32, readCr0, readCr3, invlpg } from "../arch/cpu";
import { expectEq, expectTrue } from "../test/ktap";
import { pagingDirectory, pagingPages } from "./paging";
import { getNextPage, freePage, FREE_OK } from "./pages";
import { patTop } from "./pat";

/** The page-table entry mapping virtual address `v` (0 when its table is absent), without the
 *  accessed and dirty bits the MMU sets as it goes: frame | user | writable | present. */
function pte(v: u32): u32 {
  return u32(rawPte(v) & 0xfffff007);
}

function rawPte(v: u32): u32 {
  const pde: u32 = load32(u32(pagingDirectory() + (v >>> 22) * 4));
  if ((pde & 1) === 0) {
    return 0;
  }
  return load32(u32((pde & 0xfffff000) + ((v >>> 12) & 0x3ff) * 4));
}

/** CR0.PG and CR0.WP are set and CR3 holds the directory paging.ts built. */
export function test_paging_is_on(): void {
  expectEq(u32(readCr0() & 0x80000000), 0x80000000, "CR0.PG");
  expectEq(readCr0() & 0x00010000, 0x00010000, "CR0.WP");
  expectEq(readCr3(), pagingDirectory(), "CR3");
  expectEq(pagingPages(), u32(u32(u32(patTop() + 1023) >>> 10) + 1), "directory + tables");
}

/** [0x1000, top) is identity-mapped present and writable; page 0 and pages past top are not. */
export function test_identity_map(): void {
  expectEq(pte(0) & 1, 0, "page 0 present bit");
  expectEq(pte(0x1000), 0x1003, "PTE of 0x1000");
  expectEq(pte(0x100000), 0x100003, "PTE of the kernel's first page");
  const last: u32 = u32(u32(patTop() - 1) * 4096);
  expectEq(pte(last), u32(last | 3), "PTE of the last page below top");
  expectEq(pte(u32(patTop() * 4096)) & 1, 0, "present bit of the first page past top");
}

/** Every page below top maps to itself (checked on a sample of one page in 64). */
export function test_identity_map_everywhere(): void {
  let bad: u32 = 0;
  for (let page: u32 = 1; page < patTop(); page = u32(page + 64)) {
    if (pte(u32(page * 4096)) !== u32(u32(page * 4096) | 3)) {
      bad = u32(bad + 1);
    }
  }
  expectEq(bad, 0, "pages not identity-mapped");
}

/** A write through the mapping lands at the same physical address (and survives a TLB flush). */
export function test_write_through_identity_map(): void {
  const a: u32 = getNextPage();
  store32(u32(a + 8), 0x1234abcd);
  invlpg(a);
  expectEq(load32(u32(a + 8)), 0x1234abcd, "word read back");
  expectTrue((pte(a) & 0xfffff000) === a, "PTE frame is the page itself");
  expectEq(freePage(a), FREE_OK, "freePage status");
}
