// Physical page allocator over the PAT bitmap (pat.ts): hands out and takes back 4 KiB pages, and
// keeps the count of free ones. Like xv6's kalloc.c, but a bitmap instead of a free list, so a
// bad free can be detected and refused instead of corrupting the list.
//
// Allocation is next-fit: the scan starts at the word of the last hit (the words before it were
// just found full), goes to the end and wraps once to the start. A word of 0xffffffff has no free
// page, so the scan tests 32 pages per load. The cursor is a word index, so within that word the
// lowest free page wins: a page freed in the cursor's word comes back before the wrap, one freed
// in an earlier word only after it. Invariant: only RAM the allocator manages (pat.ts
// patIsRam) ever has its bit clear, and `free` is the number of clear bits.
import { peek32, poke32, zeroPage } from "../arch/phys";
import { panic } from "../panic";
import { patBase, patWords, patTop, patIsRam, patCountFree } from "./pat";

/** freePage results. A failed free changes nothing. */
export const FREE_OK: u32 = 0;
/** The address is not page-aligned. */
export const FREE_UNALIGNED: u32 = 1;
/** The page is past the end of memory the bitmap covers. */
export const FREE_OUT_OF_RANGE: u32 = 2;
/** Not RAM the allocator hands out: reserved or a hole, the low 1 MiB, the kernel image, the PAT. */
export const FREE_NOT_RAM: u32 = 3;
/** The page is already free (a double free). */
export const FREE_ALREADY_FREE: u32 = 4;

const FULL: u32 = 0xffffffff;

let bitmap: u32 = 0;
let words: u32 = 0;
let top: u32 = 0;
let cursor: u32 = 0; // word index of the last hit
let free: u32 = 0;

/** Start allocating from the bitmap patInit built. */
export function pagesInit(): void {
  bitmap = patBase();
  words = patWords();
  top = patTop();
  cursor = 0;
  free = patCountFree();
}

/** The index of the lowest clear bit of v (v !== 0xffffffff). */
function lowestClear(v: u32): u32 {
  let x: u32 = u32(~v);
  let n: u32 = 0;
  if ((x & 0xffff) === 0) {
    n = 16;
    x = x >>> 16;
  }
  if ((x & 0xff) === 0) {
    n = u32(n + 8);
    x = x >>> 8;
  }
  if ((x & 0xf) === 0) {
    n = u32(n + 4);
    x = x >>> 4;
  }
  if ((x & 0x3) === 0) {
    n = u32(n + 2);
    x = x >>> 2;
  }
  if ((x & 0x1) === 0) {
    n = u32(n + 1);
  }
  return n;
}

/** Take the lowest free page of word w (whose value v has a clear bit): mark it, zero it. */
function take(w: u32, v: u32): u32 {
  const bit: u32 = lowestClear(v);
  poke32(u32(bitmap + w * 4), u32(v | (1 << bit)));
  cursor = w;
  free = u32(free - 1);
  const addr: u32 = u32(u32(w * 32 + bit) * 4096);
  zeroPage(addr);
  return addr;
}

/** A zeroed free page's physical address, now used; 0 when memory is exhausted (page 0 is never
 *  free, so 0 cannot be a page). */
export function tryGetNextPage(): u32 {
  if (free === 0) {
    return 0;
  }
  for (let w: u32 = cursor; w < words; w = u32(w + 1)) {
    const v: u32 = peek32(u32(bitmap + w * 4));
    if (v !== FULL) {
      return take(w, v);
    }
  }
  for (let w: u32 = 0; w < cursor; w = u32(w + 1)) {
    const v: u32 = peek32(u32(bitmap + w * 4));
    if (v !== FULL) {
      return take(w, v);
    }
  }
  return 0;
}

/** A zeroed free page's physical address, now used; panics `out of memory` when there is none. */
export function getNextPage(): u32 {
  const addr: u32 = tryGetNextPage();
  if (addr === 0) {
    panic("out of memory");
  }
  return addr;
}

/** Give back the page at `addr`: FREE_OK, or why not (then nothing changed). */
export function freePage(addr: u32): u32 {
  if ((addr & 0xfff) !== 0) {
    return FREE_UNALIGNED;
  }
  const page: u32 = addr >>> 12;
  if (page >= top) {
    return FREE_OUT_OF_RANGE;
  }
  const wordAddr: u32 = u32(bitmap + (page >>> 5) * 4);
  const mask: u32 = u32(1 << (page & 31));
  const v: u32 = peek32(wordAddr);
  // Only the allocator's RAM is ever clear, so a clear bit is a double free whatever the page is.
  if ((v & mask) === 0) {
    return FREE_ALREADY_FREE;
  }
  if (!patIsRam(page)) {
    return FREE_NOT_RAM;
  }
  poke32(wordAddr, u32(v & ~mask));
  free = u32(free + 1);
  return FREE_OK;
}

/** The number of free pages. */
export function freePageCount(): u32 {
  return free;
}
