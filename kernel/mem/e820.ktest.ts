// @tsk-uses-intrinsics. In-kernel tests of the sanitised run table (e820.ts) on the real machine: its shape, and that
// nothing reads the BIOS's raw entries once it is built. (Its home, the kernel's .bss, is the
// compiler's: a module-level typed array; test/kernel-image checks the symbol lies there.)
import { load32, store32 } from "../arch/cpu";
import { expectEq, expectTrue } from "../test/ktap";
import { e820RunCount, e820RunFirst, e820RunEnd, e820PageUsable } from "./e820";
import { patIsRam } from "./pat";
import { getNextPage, freePage, FREE_OK, FREE_NOT_RAM } from "./pages";
import { BOOT_INFO_ADDR, BootInfo, BI_E820_ENTRIES, E820_ENTRY_SIZE } from "../boot-info";

/** The runs are non-empty, sorted, disjoint and non-adjacent, and below 4 GiB. */
export function test_runs_are_sorted_disjoint_and_merged(): void {
  expectTrue(e820RunCount() > 0, "at least one run");
  let bad: u32 = 0;
  for (let i: u32 = 0; i < e820RunCount(); i = u32(i + 1)) {
    if (e820RunFirst(i) >= e820RunEnd(i) || e820RunEnd(i) > 0x100000) {
      bad = u32(bad + 1);
    }
    if (i > 0 && e820RunFirst(i) <= e820RunEnd(u32(i - 1))) {
      bad = u32(bad + 1);
    }
  }
  expectEq(bad, 0, "runs out of order, empty, overlapping or touching");
}

/** e820PageUsable's binary search agrees with a walk of the runs at every run's edges. */
export function test_page_usable_matches_the_runs(): void {
  let bad: u32 = 0;
  for (let i: u32 = 0; i < e820RunCount(); i = u32(i + 1)) {
    const f: u32 = e820RunFirst(i);
    const e: u32 = e820RunEnd(i);
    if (!e820PageUsable(f) || !e820PageUsable(u32(e - 1)) || e820PageUsable(e)) {
      bad = u32(bad + 1);
    }
    if (f > 0 && e820PageUsable(u32(f - 1))) {
      bad = u32(bad + 1);
    }
  }
  expectEq(bad, 0, "run edges answered wrongly");
}

/** With the raw BIOS entries overwritten, allocation, frees and the not-RAM check are unchanged:
 *  after e820Init the raw buffer is dead. (Restored afterwards, for the report's sake.) */
export function test_raw_entries_are_dead_after_init(): void {
  const count: u32 = BootInfo.at(BOOT_INFO_ADDR).e820Count;
  const words: u32 = u32(u32(count * E820_ENTRY_SIZE) >>> 2);
  const raw: u32 = u32(BOOT_INFO_ADDR + BI_E820_ENTRIES);
  // Keep the words on a page of our own while the raw buffer is poisoned.
  const save: u32 = getNextPage();
  for (let w: u32 = 0; w < words && w < 1024; w = u32(w + 1)) {
    store32(u32(save + w * 4), load32(u32(raw + w * 4)));
    store32(u32(raw + w * 4), 0xffffffff);
  }
  const a: u32 = getNextPage();
  expectTrue(patIsRam(a >>> 12), "a page handed out is RAM");
  expectEq(freePage(a), FREE_OK, "freePage status");
  expectEq(freePage(0xa0000), FREE_NOT_RAM, "the VGA hole is not RAM");
  expectTrue(e820PageUsable(0x100), "1 MiB is usable");
  for (let w: u32 = 0; w < words && w < 1024; w = u32(w + 1)) {
    store32(u32(raw + w * 4), load32(u32(save + w * 4)));
  }
  expectEq(freePage(save), FREE_OK, "freePage status of the save page");
}
