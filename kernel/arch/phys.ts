// @tsk-uses-intrinsics. Physical memory and paging control for kernel/mem/: thin wrappers over the intrinsics of cpu.ts.
// Only kernel/arch/ may touch the machine directly (TSK1014); the memory manager goes through these
// few named operations instead, so everything it does to the machine is listed in one place.
import { load8, load32, store8, store32, fill32, readCr0, readCr3, writeCr0, writeCr3 } from "./cpu";

/** CR0.PG: paging on. */
const CR0_PG: u32 = 0x80000000;
/** CR0.WP: supervisor writes honour read-only pages (so a later copy-on-write or guard page works). */
const CR0_WP: u32 = 0x00010000;

/** Read the byte at physical `addr`. */
export function peek8(addr: u32): u8 {
  return load8(addr);
}

/** Read the 32-bit word at physical `addr`. */
export function peek32(addr: u32): u32 {
  return load32(addr);
}

/** Write the byte `v` at physical `addr`. */
export function poke8(addr: u32, v: u8): void {
  store8(addr, v);
}

/** Write the 32-bit word `v` at physical `addr`. */
export function poke32(addr: u32, v: u32): void {
  store32(addr, v);
}

/** Write `count` copies of the word `v` from `addr` on (rep stosd). */
export function fillWords(addr: u32, v: u32, count: u32): void {
  fill32(addr, v, count);
}

/** Zero the 4 KiB page at `addr` (page-aligned). */
export function zeroPage(addr: u32): void {
  fill32(addr, 0, 1024);
}

/** Load `directory` (a page directory's physical address) into CR3 and turn on CR0.PG and CR0.WP. */
export function enablePaging(directory: u32): void {
  writeCr3(directory);
  writeCr0(u32(readCr0() | CR0_PG | CR0_WP));
}

/** The current page directory (CR3). */
export function pagingRoot(): u32 {
  return readCr3();
}

/** True when CR0.PG is set. */
export function pagingEnabled(): boolean {
  return (readCr0() & CR0_PG) !== 0;
}
