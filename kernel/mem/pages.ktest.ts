// @tsk-uses-intrinsics. In-kernel tests of the page allocator (pages.ts) on the real machine, after the boot sequence
// (memBoot: paging on, self-test passed). Each test gives back every page it takes: the runner
// fails a test that changes the free count (kernel/test/ktap.ts).
import { load32, store32, fill32 } from "../arch/cpu";
import { expectEq, expectTrue, expectNe } from "../test/ktap";
import {
  getNextPage,
  tryGetNextPage,
  freePage,
  freePageCount,
  FREE_OK,
  FREE_UNALIGNED,
  FREE_OUT_OF_RANGE,
  FREE_NOT_RAM,
  FREE_ALREADY_FREE,
} from "./pages";
import { patIsRam, patIsUsed, patTop, patCountFree, patKernelFirst } from "./pat";

/** A page is aligned, RAM, marked used, zeroed, and counted; freeing it restores the count. */
export function test_getNextPage_gives_a_zeroed_used_page(): void {
  const before: u32 = freePageCount();
  const a: u32 = getNextPage();
  expectEq(a & 0xfff, 0, "page address low 12 bits");
  expectTrue(patIsRam(a >>> 12), "page is RAM the allocator manages");
  expectTrue(patIsUsed(a >>> 12), "page is marked used");
  expectEq(freePageCount(), u32(before - 1), "free count after one allocation");
  expectEq(patCountFree(), freePageCount(), "bitmap agrees with the free count");
  let acc: u32 = 0;
  for (let off: u32 = 0; off < 4096; off = u32(off + 4)) {
    acc = u32(acc | load32(u32(a + off)));
  }
  expectEq(acc, 0, "OR of the page's words");
  expectEq(freePage(a), FREE_OK, "freePage status");
  expectEq(freePageCount(), before, "free count after freeing");
}

/** A page dirtied and given back comes back zeroed (next-fit returns it: same cursor word). */
export function test_freed_page_comes_back_zeroed(): void {
  const a: u32 = getNextPage();
  fill32(a, 0xdeadbeef, 1024);
  expectEq(freePage(a), FREE_OK, "freePage status");
  const b: u32 = getNextPage();
  expectEq(b, a, "the page freed in the cursor's word is the next one handed out");
  expectEq(load32(b), 0, "first word");
  expectEq(load32(u32(b + 4092)), 0, "last word");
  expectEq(freePage(b), FREE_OK, "freePage status");
}

/** Pages handed out are distinct. */
export function test_pages_are_distinct(): void {
  const a: u32 = getNextPage();
  const b: u32 = getNextPage();
  const c: u32 = getNextPage();
  expectNe(a, b, "first vs second page");
  expectNe(b, c, "second vs third page");
  expectNe(a, c, "first vs third page");
  store32(a, 1);
  store32(b, 2);
  expectEq(load32(a), 1, "first page keeps its own contents");
  expectEq(freePage(c), FREE_OK, "free third");
  expectEq(freePage(b), FREE_OK, "free second");
  expectEq(freePage(a), FREE_OK, "free first");
}

/** Every kind of bad free is refused and changes nothing. */
export function test_freePage_refuses_bad_frees(): void {
  const before: u32 = freePageCount();
  const a: u32 = getNextPage();
  expectEq(freePage(u32(a + 4)), FREE_UNALIGNED, "unaligned address");
  expectEq(freePage(u32(patTop() * 4096)), FREE_OUT_OF_RANGE, "first page past the bitmap");
  expectEq(freePage(0), FREE_NOT_RAM, "page 0");
  expectEq(freePage(u32(patKernelFirst() * 4096)), FREE_NOT_RAM, "the kernel's first page");
  expectEq(freePageCount(), u32(before - 1), "free count unchanged by refused frees");
  expectEq(freePage(a), FREE_OK, "the real free");
  expectEq(freePage(a), FREE_ALREADY_FREE, "double free");
  expectEq(freePageCount(), before, "free count after the double free");
}

/** tryGetNextPage hands out every free page, then 0; all come back. */
export function test_tryGetNextPage_until_exhausted(): void {
  const before: u32 = freePageCount();
  let n: u32 = 0;
  let first: u32 = 0;
  let a: u32 = tryGetNextPage();
  while (a !== 0) {
    if (first === 0) {
      first = a;
    }
    store32(a, 0x7e57a110);
    n = u32(n + 1);
    a = tryGetNextPage();
  }
  expectEq(n, before, "pages handed out before 0");
  expectEq(freePageCount(), 0, "free count when exhausted");
  expectEq(tryGetNextPage(), 0, "tryGetNextPage when exhausted");
  // Give back every page we marked (those the allocator handed out: RAM, marked used).
  let freed: u32 = 0;
  for (let page: u32 = 256; page < patTop(); page = u32(page + 1)) {
    const p: u32 = u32(page * 4096);
    if (patIsRam(page) && patIsUsed(page) && load32(p) === 0x7e57a110) {
      store32(p, 0);
      if (freePage(p) === FREE_OK) {
        freed = u32(freed + 1);
      }
    }
  }
  expectEq(freed, n, "pages given back");
  expectEq(freePageCount(), before, "free count restored");
}

/** getNextPage panics with `out of memory` when nothing is left (its own boot: it ends the run). */
export function test_expect_panic_out_of_memory(): void {
  while (true) {
    getNextPage(); // @ktest-expect-here
  }
}
