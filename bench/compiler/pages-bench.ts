// @tsk-uses-intrinsics. Host benchmark driver, TypeScript side: the kernel's own allocator (kernel/mem/pages.ts) on a
// 256 MiB machine, built by tsk and run on the host beside bench/ref/pages.c, the same algorithm
// written by hand in C. Driven by bench/ref/driver.c; see bench/compiler.js.
import { store32, load32 } from "../../kernel/arch/cpu";
import { BOOT_INFO_ADDR, BOOT_INFO_MAGIC, BootInfo, BI_E820_ENTRIES, E820_ENTRY_SIZE } from "../../kernel/boot-info";
import { memInit } from "../../kernel/mem/mem";
import { tryGetNextPage, freePage, freePageCount, FREE_OK } from "../../kernel/mem/pages";

/** The benchmark keeps the addresses it holds here, above the simulated RAM. */
const HELD: u32 = 0x40000000;
const MEM_END: u32 = 0x10000000;
let held: u32 = 0;
let rng: u32 = 1;

function entry(i: u32, base: u32, length: u32, type: u32): void {
  const e: u32 = u32(BOOT_INFO_ADDR + BI_E820_ENTRIES + i * E820_ENTRY_SIZE);
  store32(e, base);
  store32(u32(e + 4), 0);
  store32(u32(e + 8), length);
  store32(u32(e + 12), 0);
  store32(u32(e + 16), type);
  store32(u32(e + 20), 1);
}

/** A fresh allocator over QEMU's 256 MiB map, then `percent` % of its free pages taken. */
export function tsSetup(percent: u32): u32 {
  const bi = BootInfo.at(BOOT_INFO_ADDR);
  bi.magic = BOOT_INFO_MAGIC;
  bi.e820Count = 3;
  bi.e820Dropped = 0;
  entry(0, 0, 0x9fc00, 1);
  entry(1, 0x9fc00, 0x400, 2);
  entry(2, 0x100000, u32(MEM_END - 0x100000), 1);
  memInit(BOOT_INFO_ADDR, 0x200000);
  rng = 1;
  const target: u32 = u32(Math.imul(u32(freePageCount() / 100), percent));
  held = 0;
  while (held < target) {
    store32(u32(HELD + held * 4), tryGetNextPage());
    held = u32(held + 1);
  }
  return freePageCount();
}

/** `n` rounds of: take a page, give back a pseudo-randomly chosen held one. Returns a checksum. */
export function tsPairs(n: u32): u32 {
  let sum: u32 = 0;
  for (let i: u32 = 0; i < n; i = u32(i + 1)) {
    const p: u32 = tryGetNextPage();
    if (held === 0) {
      sum = u32(sum + freePage(p));
      continue;
    }
    rng = u32(Math.imul(rng, 1103515245) + 12345);
    const slot: u32 = u32(HELD + u32((rng >>> 8) % held) * 4);
    const q: u32 = load32(slot);
    store32(slot, p);
    if (freePage(q) !== FREE_OK) sum = u32(sum + 0x10000);
    sum = u32(sum ^ p);
  }
  return sum;
}
