// The TypeScript side of the benchmark image (`npm run bench`, bench/run.js). The image's real
// entry is not here: kernel/arch/entry.asm calls `kmain`, which bench/ref/kbench.c defines, and the
// C harness there drives both allocators, the kernel's (kernel/mem/pages.ts, compiled by tsk) and
// the hand-written reference (bench/ref/kpages.c), with the same loops and the same rdtsc reads, so
// the ratio measures the code tsk produced and nothing else.
//
// Why the harness is C: the subset has no way to call a C function (no extern declarations), but
// the exported functions of tsk's *entry module* are external C symbols with their own names. So
// this module exports thin forwards to what the harness needs, and bench/image.js compiles the C
// tsk emits for it together with the two bench/ref files as one translation unit, with the
// kernel's gcc flags (scripts/lib/build.js): each side's allocator is equally inlinable into the
// harness.
import { serialInit, println } from "../../kernel/arch/serial";
import { BOOT_INFO_MAGIC, BootInfo } from "../../kernel/boot-info";
import { e820RunCount, e820RunFirst, e820RunEnd } from "../../kernel/mem/e820";
import { memInit } from "../../kernel/mem/mem";
import { pagesInit, tryGetNextPage, getNextPage, freePage, freePageCount } from "../../kernel/mem/pages";
import { zeroPage } from "../../kernel/arch/phys";
import {
  patBase,
  patWords,
  patTop,
  patFirstPage,
  patPageCount,
  patKernelFirst,
  patKernelLast,
  patCountFree,
} from "../../kernel/mem/pat";
import { panic } from "../../kernel/panic";
import "../../kernel/arch/fault"; // the exception handler idt.asm calls (@extern faultHandler)

/** Serial on, banner, then the memory manager as the kernel starts it (no paging, no self-test):
 *  the e820:, pat: and mem: lines. Returns the number of free pages. */
export function tsBenchInit(bootInfo: u32): u32 {
  serialInit();
  println("tsk: benchmark image booting");
  if (BootInfo.at(bootInfo).magic !== BOOT_INFO_MAGIC) {
    panic("no boot info from the loader (bad magic)");
  }
  memInit(bootInfo, BootInfo.at(bootInfo).kernelEnd);
  return freePageCount();
}

/** Restart the allocator from the bitmap as it is now (the harness has just restored it). */
export function tsPagesInit(): void {
  pagesInit();
}

export function tsTryGetNextPage(): u32 {
  return tryGetNextPage();
}

export function tsGetNextPage(): u32 {
  return getNextPage();
}

export function tsFreePage(addr: u32): u32 {
  return freePage(addr);
}

export function tsFreePageCount(): u32 {
  return freePageCount();
}

/** What getNextPage does to every page it hands out. */
export function tsZeroPage(addr: u32): void {
  zeroPage(addr);
}

/** The PAT's geometry, for the C reference's copy of it and its not-RAM checks. */
export function tsPatBase(): u32 {
  return patBase();
}
export function tsPatWords(): u32 {
  return patWords();
}
export function tsPatTop(): u32 {
  return patTop();
}
export function tsPatFirst(): u32 {
  return patFirstPage();
}
export function tsPatCount(): u32 {
  return patPageCount();
}
export function tsKernelFirst(): u32 {
  return patKernelFirst();
}
export function tsKernelLast(): u32 {
  return patKernelLast();
}
/** The sanitised run table (kernel/mem/e820.ts, a typed array in the kernel's .bss): its runs, for
 *  the C reference to copy into a table of its own. */
export function tsRunCount(): u32 {
  return e820RunCount();
}
export function tsRunFirst(i: u32): u32 {
  return e820RunFirst(i);
}
export function tsRunEnd(i: u32): u32 {
  return e820RunEnd(i);
}
/** Clear bits of the bitmap, counted by a pass over it (independent of the allocator's counter). */
export function tsPatCountFree(): u32 {
  return patCountFree();
}

