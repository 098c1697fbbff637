// The memory manager's entry points for kmain, in the order of architecture.md §1:
// e820 (read + sanitise) → pat (bitmap) → pages (allocator) → paging → self-test.
import { e820Init } from "./e820";
import { patInit } from "./pat";
import { pagesInit } from "./pages";
import { pagingInit } from "./paging";
import { selftestRun } from "./selftest";

/** Read the map from the boot info at `bootInfo`, build the PAT for a kernel image ending at byte
 *  `kernelEnd`, and make getNextPage/freePage ready. Prints the e820:, pat: and mem: lines. */
export function memInit(bootInfo: u32, kernelEnd: u32): void {
  e820Init(bootInfo);
  patInit(kernelEnd);
  pagesInit();
}

/** memInit, then paging on and the allocator self-test: the whole boot sequence of kernel/mem/,
 *  after which kmain prints `boot: ok`. Panics (with its reason printed) on any failure. */
export function memBoot(bootInfo: u32, kernelEnd: u32): void {
  memInit(bootInfo, kernelEnd);
  pagingInit();
  selftestRun();
}
