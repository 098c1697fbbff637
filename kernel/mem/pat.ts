// The page allocation table (PAT): one bit per 4 KiB page, set = used, for pages 0 … top, where
// top is the end of the highest usable page below 4 GiB. It owns the bitmap's placement, its
// initial contents and the "which pages are the allocator's to hand out" question.
//
// Built by starting all-used and clearing only the sanitised usable runs (e820.ts's run table, the
// only map this module reads), then marking
// the low 1 MiB, the kernel image and the bitmap itself used again. Starting all-free instead (as
// the seed did) would hand out the holes between entries. The bitmap is a whole number of 32-bit
// words (the allocator scans a word at a time); the bits past `top` in the last word stay set.
//
// Placement: the first usable run above 1 MiB with room for the bitmap outside the kernel image
// [KERNEL_BASE, kernelEnd): within a run that overlaps the kernel, right after the kernel.
//
// The bitmap is a run of PatWord structures in physical memory whose length and address are known
// only at boot (sized by the map, placed in RAM), so it is read through the PatWord layout at
// bitmap + 4w, not a typed array: a fixed array in the kernel's .bss would have to be sized for
// 4 GiB (128 KiB) and would move the kernel's end and the bitmap's placement that `pat:` reports.
import { fillWords } from "../arch/phys";
import { print, println, printDec, printHex32 } from "../arch/serial";
import { panic } from "../panic";
import { KERNEL_BASE } from "../boot-info";
import { e820RunCount, e820RunFirst, e820RunEnd, e820PageUsable } from "./e820";

/** Pages below 1 MiB: BIOS, boot info, loader; never handed out. */
const LOW_PAGES: u32 = 256;
const ALL_USED: u32 = 0xffffffff;

/** One word of the bitmap: bit b of word w is page 32w + b. */
const PatWord = layout(4, 4, { bits: [0, "u32"] });

let bitmap: u32 = 0; // physical address of word 0
let words: u32 = 0; // bitmap size in 32-bit words
let top: u32 = 0; // pages covered: 0 … top-1
let patFirst: u32 = 0; // the bitmap's own pages: [patFirst, patFirst + patCount)
let patCount: u32 = 0;
let kernelFirst: u32 = 0; // the kernel image's pages: [kernelFirst, kernelLast)
let kernelLast: u32 = 0;

/** Word w of the bitmap (w < words). */
function wordAt(w: u32): View<typeof PatWord> {
  return PatWord.at(u32(bitmap + w * PatWord.size));
}

/** The number of pages of [a, b) ∩ [c, d). */
function overlap(a: u32, b: u32, c: u32, d: u32): u32 {
  const lo: u32 = a > c ? a : c;
  const hi: u32 = b < d ? b : d;
  return hi > lo ? u32(hi - lo) : 0;
}

/** Set (used) or clear (free) the bits of pages [from, to), whole words at a time in the middle. */
function markRange(from: u32, to: u32, used: boolean): void {
  if (from >= to) {
    return;
  }
  const w0: u32 = from >>> 5;
  const w1: u32 = u32(to - 1) >>> 5;
  const head: u32 = u32(ALL_USED << (from & 31)); // bits from & 31 … 31
  const tail: u32 = ALL_USED >>> (31 - (u32(to - 1) & 31)); // bits 0 … (to - 1) & 31
  if (w0 === w1) {
    setBits(w0, u32(head & tail), used);
    return;
  }
  setBits(w0, head, used);
  if (u32(w1 - w0) > 1) {
    fillWords(u32(bitmap + u32(w0 + 1) * 4), used ? ALL_USED : 0, u32(w1 - w0 - 1));
  }
  setBits(w1, tail, used);
}

function setBits(w: u32, mask: u32, used: boolean): void {
  const word = wordAt(w);
  word.bits = used ? u32(word.bits | mask) : u32(word.bits & ~mask);
}

/** The number of set bits of v. */
function popcount(v: u32): u32 {
  let x: u32 = u32(v - ((v >>> 1) & 0x55555555));
  x = u32((x & 0x33333333) + ((x >>> 2) & 0x33333333));
  x = u32((x + (x >>> 4)) & 0x0f0f0f0f);
  return Math.imul(x, 0x01010101) >>> 24;
}

/** Build the bitmap for the sanitised map (e820Init first) and a kernel image ending at byte
 *  `kernelEnd`; print the `pat:` and `mem:` lines. Panics if there is no room above 1 MiB. */
export function patInit(kernelEnd: u32): void {
  kernelFirst = KERNEL_BASE >>> 12;
  kernelLast = u32((kernelEnd >>> 12) + ((kernelEnd & 0xfff) !== 0 ? 1 : 0));
  if (kernelLast < kernelFirst) {
    kernelLast = kernelFirst;
  }

  // Pass 1: the counts of the mem: line, and top.
  const runs: u32 = e820RunCount();
  let usablePages: u32 = 0;
  let lowPages: u32 = 0;
  let kernelPages: u32 = 0;
  top = 0;
  for (let i: u32 = 0; i < runs; i = u32(i + 1)) {
    const s: u32 = e820RunFirst(i);
    const e: u32 = e820RunEnd(i);
    usablePages = u32(usablePages + e - s);
    lowPages = u32(lowPages + overlap(s, e, 0, LOW_PAGES));
    kernelPages = u32(kernelPages + overlap(s, e, kernelFirst, kernelLast));
    top = e;
  }
  words = u32((top + 31) >>> 5);
  patCount = u32(u32(words + 1023) >>> 10);

  // Pass 2: the first run above 1 MiB with room for the bitmap outside the kernel.
  let anyHigh: boolean = false;
  let found: boolean = false;
  for (let i: u32 = 0; i < runs && !found; i = u32(i + 1)) {
    const s: u32 = e820RunFirst(i);
    const e: u32 = e820RunEnd(i);
    if (e > LOW_PAGES) {
      anyHigh = true;
      let cand: u32 = s < LOW_PAGES ? LOW_PAGES : s;
      if (cand < kernelLast && u32(cand + patCount) > kernelFirst) {
        cand = kernelLast;
      }
      if (u32(cand + patCount) <= e) {
        patFirst = cand;
        found = true;
      }
    }
  }
  if (!found) {
    if (!anyHigh) {
      panic("no usable memory above 1 MiB");
    }
    panic("no room above 1 MiB outside the kernel for the page bitmap");
  }
  bitmap = u32(patFirst * 4096);

  // Pass 3: all used, then free the usable runs, then take back what is not ours to hand out.
  fillWords(bitmap, ALL_USED, words);
  for (let i: u32 = 0; i < runs; i = u32(i + 1)) {
    markRange(e820RunFirst(i), e820RunEnd(i), false);
  }
  markRange(0, LOW_PAGES < top ? LOW_PAGES : top, true);
  markRange(kernelFirst, kernelLast < top ? kernelLast : top, true);
  markRange(patFirst, u32(patFirst + patCount), true);

  const free: u32 = patCountFree();
  print("pat: base=");
  printHex32(bitmap);
  print(" pages=");
  printDec(top);
  print(" bytes=");
  printDec(u32(words * 4));
  println("");
  print("mem: usable=");
  printDec(usablePages);
  print(" low=");
  printDec(lowPages);
  print(" kernel=");
  printDec(kernelPages);
  print(" pat=");
  printDec(patCount);
  print(" free=");
  printDec(free);
  println("");
}

/** Physical address of the bitmap's first word. */
export function patBase(): u32 {
  return bitmap;
}

/** The bitmap's size in 32-bit words. */
export function patWords(): u32 {
  return words;
}

/** Pages covered (top): the bitmap describes pages 0 … patTop() - 1. */
export function patTop(): u32 {
  return top;
}

/** The bitmap's first page number and its size in pages. */
export function patFirstPage(): u32 {
  return patFirst;
}
export function patPageCount(): u32 {
  return patCount;
}

/** The kernel image's pages: [patKernelFirst(), patKernelLast()). */
export function patKernelFirst(): u32 {
  return kernelFirst;
}
export function patKernelLast(): u32 {
  return kernelLast;
}

/** True when page `page` is RAM the allocator manages: usable, at or above 1 MiB, not the kernel
 *  image, not the bitmap. Such a page's bit says whether it is free; every other page's bit is set. */
export function patIsRam(page: u32): boolean {
  if (page < LOW_PAGES || page >= top) {
    return false;
  }
  if (page >= kernelFirst && page < kernelLast) {
    return false;
  }
  if (page >= patFirst && page < u32(patFirst + patCount)) {
    return false;
  }
  return e820PageUsable(page);
}

/** True when page `page`'s bit is set (used, or not the allocator's); pages past top read as used. */
export function patIsUsed(page: u32): boolean {
  if (page >= top) {
    return true;
  }
  return (wordAt(page >>> 5).bits & u32(1 << (page & 31))) !== 0;
}

/** Count the clear bits of the whole bitmap (a pass over it, independent of any counter). */
export function patCountFree(): u32 {
  let free: u32 = 0;
  for (let w: u32 = 0; w < words; w = u32(w + 1)) {
    const v: u32 = wordAt(w).bits;
    if (v !== ALL_USED) {
      free = u32(free + 32 - popcount(v));
    }
  }
  return free;
}
