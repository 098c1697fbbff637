// The boot self-test of the page allocator (architecture.md §4): take every free page with
// tryGetNextPage until it returns 0, check each, give them all back, check the count is restored.
//
// With no arrays there is no list of the pages taken, so the checks are arranged around that:
// - distinct: each page taken gets a signature (its address ^ SIG, then the complement) in its
//   first two words. Giving back walks all RAM for signed pages; a page handed out twice is signed
//   once, so the walk finds fewer pages than were taken. The count, sum and xor of the page numbers
//   taken must also equal those of the clear bits found by a scan of the bitmap beforehand: pages
//   that were not free (the paging structures, say) would change them.
// - inside usable memory: patIsRam (sanitised map, not low 1 MiB, kernel or PAT), and marked used.
// - zeroed: every word of every page, and once more on a page dirtied on purpose and taken again.
import { peek32, poke32, fillWords } from "../arch/phys";
import { print, println, printDec, printHex32 } from "../arch/serial";
import { panic } from "../panic";
import { tryGetNextPage, freePage, freePageCount, FREE_OK } from "./pages";
import { patBase, patWords, patTop, patIsRam, patIsUsed, patCountFree } from "./pat";

/** The signature's low 12 bits (0xe57) are never those of a page-table entry (0x000 or 0x003). */
const SIG: u32 = 0x5e1f7e57;
const LOW_PAGES: u32 = 256;

function fail(why: string, addr: u32): never {
  print("selftest: FAILED: ");
  print(why);
  print(" (");
  printHex32(addr);
  println(")");
  panic("page allocator self-test failed");
}

/** True when all 1024 words of the page at `addr` are zero. */
function pageIsZero(addr: u32): boolean {
  let acc: u32 = 0;
  for (let off: u32 = 0; off < 4096; off = u32(off + 16)) {
    acc = u32(acc | peek32(u32(addr + off)) | peek32(u32(addr + off + 4)));
    acc = u32(acc | peek32(u32(addr + off + 8)) | peek32(u32(addr + off + 12)));
  }
  return acc === 0;
}

// What the bitmap says is free, from a scan of it: count, and sum and xor of the page numbers.
let scanSum: u32 = 0;
let scanXor: u32 = 0;

function scanFree(): u32 {
  const base: u32 = patBase();
  const words: u32 = patWords();
  let count: u32 = 0;
  scanSum = 0;
  scanXor = 0;
  for (let w: u32 = 0; w < words; w = u32(w + 1)) {
    let clear: u32 = u32(~peek32(u32(base + w * 4)));
    let bit: u32 = 0;
    while (clear !== 0) {
      if ((clear & 1) !== 0) {
        const page: u32 = u32(w * 32 + bit);
        count = u32(count + 1);
        scanSum = u32(scanSum + page);
        scanXor = u32(scanXor ^ page);
      }
      clear = clear >>> 1;
      bit = u32(bit + 1);
    }
  }
  return count;
}

/** Run the self-test and print `selftest: alloc-all <N> pages ok`; return N. On any failure,
 *  print `selftest: FAILED: <why> (<address>)` and panic. */
export function selftestRun(): u32 {
  const before: u32 = freePageCount();
  if (scanFree() !== before || patCountFree() !== before) {
    fail("free count differs from the bitmap", before);
  }

  // Take everything.
  let n: u32 = 0;
  let sum: u32 = 0;
  let xor: u32 = 0;
  let addr: u32 = tryGetNextPage();
  while (addr !== 0) {
    const page: u32 = addr >>> 12;
    if ((addr & 0xfff) !== 0) {
      fail("page not aligned", addr);
    }
    if (!patIsRam(page)) {
      fail("page outside usable memory", addr);
    }
    if (!patIsUsed(page)) {
      fail("page handed out but not marked used", addr);
    }
    if (!pageIsZero(addr)) {
      fail("page not zeroed", addr);
    }
    poke32(addr, u32(addr ^ SIG));
    poke32(u32(addr + 4), u32(~(addr ^ SIG)));
    n = u32(n + 1);
    sum = u32(sum + page);
    xor = u32(xor ^ page);
    addr = tryGetNextPage();
  }
  if (n !== before || freePageCount() !== 0 || patCountFree() !== 0) {
    fail("pages taken differ from the free count", n);
  }
  if (sum !== scanSum || xor !== scanXor) {
    fail("pages taken differ from the free pages", sum);
  }

  // Give back every signed page; a page handed out twice would be found once.
  const top: u32 = patTop();
  let freed: u32 = 0;
  for (let page: u32 = LOW_PAGES; page < top; page = u32(page + 1)) {
    const a: u32 = u32(page * 4096);
    // RAM first: reading reserved holes below top (device memory on real machines) is not safe.
    if (patIsRam(page) && peek32(a) === u32(a ^ SIG) && peek32(u32(a + 4)) === u32(~(a ^ SIG))) {
      poke32(a, 0);
      poke32(u32(a + 4), 0);
      const status: u32 = freePage(a);
      if (status !== FREE_OK) {
        fail("freeing a page taken failed", a);
      }
      freed = u32(freed + 1);
    }
  }
  if (freed !== n) {
    fail("a page was handed out twice", freed);
  }
  if (freePageCount() !== before || patCountFree() !== before) {
    fail("free count not restored", freePageCount());
  }

  // Zeroing, on a page that is certainly dirty: fill one, give it back, take again.
  if (before !== 0) {
    const dirty: u32 = tryGetNextPage();
    fillWords(dirty, 0xa5a5a5a5, 1024);
    if (freePage(dirty) !== FREE_OK) {
      fail("freeing a page taken failed", dirty);
    }
    const again: u32 = tryGetNextPage();
    if (again === 0 || !pageIsZero(again)) {
      fail("page not zeroed", again);
    }
    if (freePage(again) !== FREE_OK || freePageCount() !== before) {
      fail("free count not restored", again);
    }
  }

  print("selftest: alloc-all ");
  printDec(n);
  println(" pages ok");
  return n;
}
