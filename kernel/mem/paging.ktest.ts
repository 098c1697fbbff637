// @tsk-uses-intrinsics. In-kernel tests of paging (paging.ts) as the MMU sees it: CR0/CR3 and the identity tables.
import { load32, store32, readCr0, readCr3, invlpg } from "../arch/cpu";
import { expectEq, expectTrue } from "../test/ktap";
import { pagingDirectory, pagingPages, pagingMappedPages } from "./paging";
import { getNextPage, freePage, FREE_OK } from "./pages";
import { patTop, patKernelFirst, patKernelLast } from "./pat";
import { e820PageUsable } from "./e820";

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
  let present: u32 = 0;
  for (let i: u32 = 0; i < 1024; i = u32(i + 1)) {
    present = u32(present + (load32(u32(pagingDirectory() + i * 4)) & 1));
  }
  expectEq(pagingPages(), u32(present + 1), "directory + present tables");
}

/** True when paging.ts must map page p: RAM, the boot info's pages (1, 2), the kernel image. */
function shouldMap(p: u32): boolean {
  return p !== 0 && (e820PageUsable(p) || p < 3 || (p >= patKernelFirst() && p < patKernelLast()));
}

/** [0x1000, top) is identity-mapped present and writable; page 0 and pages past top are not. */
export function test_identity_map(): void {
  expectEq(pte(0) & 1, 0, "page 0 present bit");
  expectEq(pte(0x1000), 0x1003, "PTE of 0x1000");
  expectEq(pte(0x100000), 0x100003, "PTE of the kernel's first page");
  const last: u32 = u32(u32(patTop() - 1) * 4096);
  expectEq(pte(last), u32(last | 3), "PTE of the last page below top");
  expectEq(pte(u32(patTop() * 4096)) & 1, 0, "present bit of the first page past top");
  // 0xa0000 (VGA) is never RAM in QEMU's maps: a hole, not mapped.
  expectEq(e820PageUsable(0xa0) ? 1 : 0, 0, "0xa0000 is not RAM");
  expectEq(pte(0xa0000) & 1, 0, "present bit of the hole at 0xa0000");
}

/** Every page below top is identity-mapped exactly when it is RAM or the kernel's, and the count
 *  is the one the paging: line printed (every page checked). */
export function test_identity_map_is_ram_only(): void {
  let bad: u32 = 0;
  let mapped: u32 = 0;
  for (let page: u32 = 0; page < patTop(); page = u32(page + 1)) {
    const e: u32 = pte(u32(page * 4096));
    if (shouldMap(page)) {
      mapped = u32(mapped + 1);
      if (e !== u32(u32(page * 4096) | 3)) {
        bad = u32(bad + 1);
      }
    } else if ((e & 1) !== 0) {
      bad = u32(bad + 1);
    }
  }
  expectEq(bad, 0, "pages mapped wrongly");
  expectEq(mapped, pagingMappedPages(), "pages mapped");
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
