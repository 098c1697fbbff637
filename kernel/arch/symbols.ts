// @tsk-uses-intrinsics. Reading the kernel's line table: code address -> the .ts file, line and function of every inline
// level there, innermost first. The build makes the table from the ELF's DWARF after a first link
// and embeds it (scripts/lib/lines.js has the layout and the reasons); the entry stub leaves its
// address in the boot info (BootInfo.lineTable). Only kernel/arch/fault.ts uses this.
import { load8, load32 } from "./cpu";
import { putc, print, printDec } from "./serial";
import { BOOT_INFO_ADDR, BootInfo } from "../boot-info";

const MAGIC: u32 = 0x4c4b5354; // 'TSKL'
const NO_CHAIN: u32 = 0xffffffff;
/** Set in a chain level's line word when the level is report machinery (lines.js MACHINERY). */
const FLAG_MACHINERY: u32 = 0x80000000;
const LEVEL_BYTES: u32 = 12;

/** The table's address, or 0 when the image has none (a kernel built without it). */
function table(): u32 {
  const t: u32 = BootInfo.at(BOOT_INFO_ADDR).lineTable;
  if (t < 0x100000 || load32(t) !== MAGIC) {
    return 0;
  }
  return t;
}

/** The inline chain of code address `addr` (its address in memory), or 0 if no .ts line is known. */
export function symChain(addr: u32): u32 {
  const t: u32 = table();
  if (t === 0) {
    return 0;
  }
  const n: u32 = load32(u32(t + 4));
  const ranges: u32 = u32(t + load32(u32(t + 8)));
  if (n === 0 || addr < load32(ranges)) {
    return 0;
  }
  // The last range starting at or below addr: binary search over [lo, hi).
  let lo: u32 = 0;
  let hi: u32 = n;
  while (u32(hi - lo) > 1) {
    const mid: u32 = u32(lo + (u32(hi - lo) >>> 1));
    if (load32(u32(ranges + mid * 8)) <= addr) {
      lo = mid;
    } else {
      hi = mid;
    }
  }
  const off: u32 = load32(u32(ranges + lo * 8 + 4));
  if (off === NO_CHAIN) {
    return 0;
  }
  return u32(t + load32(u32(t + 12)) + off);
}

/** The number of inline levels of `chain` (symChain's result, not 0). */
export function symLevels(chain: u32): u32 {
  return load32(chain);
}

function level(chain: u32, i: u32): u32 {
  return u32(chain + 4 + i * LEVEL_BYTES);
}

function strings(): u32 {
  const t: u32 = table();
  return u32(t + load32(u32(t + 16)));
}

/** The .ts line of level `i`. */
export function symLine(chain: u32, i: u32): u32 {
  return load32(u32(level(chain, i) + 4)) & 0xffffff;
}

/** True when level `i` is in the report machinery (panic, fault, ktap): a caller report skips it. */
export function symIsMachinery(chain: u32, i: u32): boolean {
  return (load32(u32(level(chain, i) + 4)) & FLAG_MACHINERY) !== 0;
}

function printString(addr: u32): void {
  let a: u32 = addr;
  let c: u8 = load8(a);
  while (c !== 0) {
    putc(c);
    a = u32(a + 1);
    c = load8(a);
  }
}

/** Print level `i` as `file:line (function)`. */
export function symPrintLevel(chain: u32, i: u32): void {
  const s: u32 = strings();
  printString(u32(s + load32(level(chain, i))));
  print(":");
  printDec(symLine(chain, i));
  print(" (");
  printString(u32(s + load32(u32(level(chain, i) + 8))));
  print(")");
}
