// The BIOS memory map: reads the raw E820 entries stage 2 left in the boot info ONCE, prints them,
// refuses a map whose dropped entries may reserve memory, and builds the sanitised table of usable
// runs that the rest of kernel/mem/ reads (pat.ts, pages.ts through patIsRam, paging.ts, the
// self-test). After e820Init nothing reads the raw buffer again. The sanitising rule of
// architecture.md §4 (as Linux's arch/x86/kernel/e820.c, e820__update_table):
//
//   a page is usable only if it lies wholly inside a type-1 (usable) entry and touches no entry of
//   any other type; reserved wins, unknown types are not RAM, gaps are not RAM; entries may be
//   unsorted and overlapping; zero-length entries and entries wrapping past 2^64 are ignored;
//   nothing at or above 4 GiB is reachable (no PAE), so page numbers stop at PAGE_LIMIT = 2^20.
//
// Before and after (each entry becomes a range of pages, rounded *inward* for usable entries, only
// whole pages count, and *outward* for all others, a page any part of which is reserved is not RAM):
//
//   raw, as the BIOS gave it (unsorted, overlapping, unaligned):
//     [0x0000 ........ usable ........ 0x9fc00)
//                              [0x9fc00 reserved 0xa0000)
//     [0x100000 ...................... usable ............................ 0x8000000)
//                 [0x3000000 usable 0x5000000)       (overlaps the entry above: still usable)
//                           [0x4000800 reserved 0x4001000)   (not page-aligned)
//     [0xfffc0000 reserved 0x100000000)
//   sanitised run table, a typed array in the kernel's .bss (page numbers, [first, end), sorted,
//   disjoint, non-adjacent):
//     run 0: [0x0,    0x9f)      <- page 0x9f (0x9f000-0x9ffff) is only partly usable: out
//     run 1: [0x100,  0x4000)    <- page 0x4000 touches the reserved 0x4000800: out
//     run 2: [0x4001, 0x8000)
//
// The table is built by a sweep over entry boundaries: between two consecutive range endpoints the
// answer cannot change, so each segment is asked once (usableAt, one pass over the entries) and
// adjacent usable segments are merged: O(boundaries x entries) = O(entries^2) once at boot, whatever
// the amount of memory. Rounding per entry means two adjacent usable entries that split a page leave
// that page out (test/oracle/memreport.js, the referee, does the same).
//
// Where the table lives: `runs`, a module-level Uint32Array of RUN_TABLE_MAX pairs, which the
// compiler places in the kernel's .bss (in Node, an ordinary typed array). It is inside the kernel
// image, which stage 2 checked is RAM, the PAT already excludes and paging maps; unlike pages taken
// from the allocator or placed after the PAT it changes none of the `mem:` figures, and unlike a
// fixed low address it never writes a page the map may reserve. At most E820_MAX runs come out of
// E820_MAX entries. Every index is proved below runs.length by a guard (docs/subset.md).
//
// Dropped entries (architecture.md §3): stage 2 counts the entries past E820_MAX by kind. Usable
// ones only cost memory and are said; any other one below 4 GiB might reserve memory a kept entry
// calls usable, so e820Init refuses to run, with the same line stage 2 prints when it refuses to
// load the kernel: `panic: e820: N entries past the loader's limit of 256 are not usable RAM: ...`.
// The ACPI 3 extended-attributes dword is not consulted (Linux does not use it either; stage 2
// presets it to 1, "valid", before each call).
import { peek32, poke32 } from "../arch/phys";
import { print, println, printHex, printDec } from "../arch/serial";
import { faultPanicReport } from "../arch/fault";
import { exitQemu, EXIT_FAILURE } from "../arch/qemu";
import { panic } from "../panic";
import { BOOT_INFO_MAGIC, BootInfo, BI_E820_ENTRIES, E820Entry, E820_MAX, RUN_TABLE_MAX } from "../boot-info";

/** Pages below 4 GiB: every page number this module reports is below this. */
export const PAGE_LIMIT: u32 = 0x100000;

const TYPE_USABLE: u32 = 1;

// This module's only state: the run table, run i being runs[2i] (its first page) and runs[2i + 1]
// (its end page, exclusive), and how many runs it holds.
const runs = new Uint32Array(RUN_TABLE_MAX * 2);
let runCount: u32 = 0;

// ---- one raw entry, read through an E820Entry view (only during e820Init) ----

/** Raw entry i of the BIOS's buffer at `entries`. */
function entryAt(entries: u32, i: u32): View<typeof E820Entry> {
  return E820Entry.at(u32(entries + i * E820Entry.size));
}

/** The first page boundary at or above byte address lo (within 32 bits; 0x100000 for the top page). */
function pageCeil(lo: u32): u32 {
  return u32((lo >>> 12) + ((lo & 0xfff) !== 0 ? 1 : 0));
}

function isUsable(e: View<typeof E820Entry>): boolean {
  return e.type === TYPE_USABLE;
}

function isEmpty(e: View<typeof E820Entry>): boolean {
  return e.lengthLo === 0 && e.lengthHi === 0;
}

/** The low 32 bits of base + length. */
function endLo(e: View<typeof E820Entry>): u32 {
  return u32(e.baseLo + e.lengthLo);
}

/** The carry out of the low halves' sum. */
function lowCarry(e: View<typeof E820Entry>): u32 {
  return endLo(e) < e.baseLo ? 1 : 0;
}

/** Bits 32-63 of base + length. */
function endHi(e: View<typeof E820Entry>): u32 {
  return u32(e.baseHi + e.lengthHi + lowCarry(e));
}

/** True when base + length reaches 2^64 or beyond (a 32-bit add a + b + c carries exactly when the
 *  wrapped sum is below a, or equal to it with c = 1). */
function carriesPast64(e: View<typeof E820Entry>): boolean {
  const hi: u32 = endHi(e);
  const baseHi: u32 = e.baseHi;
  return hi < baseHi || (lowCarry(e) === 1 && hi === baseHi);
}

/** False for an entry the sanitiser ignores: zero length, or wrapping past 2^64 (an end of exactly
 *  2^64, the entry running to the last byte, is fine). */
function isValid(e: View<typeof E820Entry>): boolean {
  return !isEmpty(e) && (!carriesPast64(e) || (endLo(e) === 0 && endHi(e) === 0));
}

/** The entry's first page below 4 GiB (usable: rounded up; others: rounded down). */
function firstPage(e: View<typeof E820Entry>): u32 {
  if (e.baseHi !== 0) {
    return PAGE_LIMIT;
  }
  const lo: u32 = e.baseLo;
  return isUsable(e) ? pageCeil(lo) : lo >>> 12;
}

/** The entry's end page below 4 GiB, exclusive (usable: rounded down; others: rounded up). */
function endPage(e: View<typeof E820Entry>): u32 {
  if (carriesPast64(e) || endHi(e) !== 0) {
    return PAGE_LIMIT;
  }
  return isUsable(e) ? endLo(e) >>> 12 : pageCeil(endLo(e));
}

/** Is page q usable by the rule above: inside some usable entry's pages and no other's. */
function usableAt(entries: u32, count: u32, q: u32): boolean {
  let inUsable: boolean = false;
  for (let i: u32 = 0; i < count; i = u32(i + 1)) {
    const e = entryAt(entries, i);
    if (isValid(e) && firstPage(e) <= q && q < endPage(e)) {
      if (!isUsable(e)) {
        return false;
      }
      inUsable = true;
    }
  }
  return inUsable;
}

/** The least endpoint of any entry's page range above q, or PAGE_LIMIT: usableAt is constant on
 *  [q, nextBoundary(q)). */
function nextBoundary(entries: u32, count: u32, q: u32): u32 {
  let b: u32 = PAGE_LIMIT;
  for (let i: u32 = 0; i < count; i = u32(i + 1)) {
    const e = entryAt(entries, i);
    if (isValid(e)) {
      const f: u32 = firstPage(e);
      const l: u32 = endPage(e);
      if (f > q && f < b) {
        b = f;
      }
      if (l > q && l < b) {
        b = l;
      }
    }
  }
  return b;
}

// ---- printing ----

function printType(t: u32): void {
  if (t === 1) {
    print("usable");
  } else if (t === 2) {
    print("reserved");
  } else if (t === 3) {
    print("ACPI data");
  } else if (t === 4) {
    print("ACPI NVS");
  } else if (t === 5) {
    print("unusable");
  } else {
    print("type ");
    printDec(t);
  }
}

function printHex64(hi: u32, lo: u32): void {
  print("0x");
  printHex(hi, 8);
  printHex(lo, 8);
}

/** Print entry e: `e820: [mem 0x…-0x…] <type>` (end inclusive), or why it is ignored. */
function printEntry(e: View<typeof E820Entry>): void {
  const baseLo: u32 = e.baseLo;
  const baseHi: u32 = e.baseHi;
  const type: u32 = e.type;
  if (!isValid(e)) {
    print("e820: ignored [mem ");
    printHex64(baseHi, baseLo);
    print(" length ");
    printHex64(e.lengthHi, e.lengthLo);
    print("] ");
    printType(type);
    println(isEmpty(e) ? ": zero length" : ": wraps past 2^64");
    return;
  }
  const lo: u32 = endLo(e);
  const lastLo: u32 = u32(lo - 1);
  const lastHi: u32 = lo === 0 ? u32(endHi(e) - 1) : endHi(e);
  print("e820: [mem ");
  printHex64(baseHi, baseLo);
  print("-");
  printHex64(lastHi, lastLo);
  print("] ");
  printType(type);
  println("");
}

/** Usable RAM beyond 4 GiB in entry e: we cannot reach it. */
function usableBeyond4G(e: View<typeof E820Entry>): boolean {
  if (!isValid(e) || !isUsable(e)) {
    return false;
  }
  const hi: u32 = endHi(e);
  return carriesPast64(e) || hi > 1 || (hi === 1 && endLo(e) !== 0);
}

/** Stop: dropped entries that may reserve memory. The same line stage 2 prints (boot/stage2.asm
 *  check_dropped), then panic()'s location report and the failure exit. */
function refuseDropped(other: u32): never {
  print("panic: e820: ");
  printDec(other);
  print(" entries past the loader's limit of ");
  printDec(E820_MAX);
  println(" are not usable RAM: what they reserve is unknown");
  faultPanicReport();
  exitQemu(EXIT_FAILURE);
}

/** Say what the dropped entries cost (only usable or harmless ones get here). */
function printDropped(bi: View<typeof BootInfo>, dropped: u32): void {
  print("e820: ");
  printDec(dropped);
  print(" entries past the loader's limit of ");
  printDec(E820_MAX);
  print(" dropped, ");
  printDec(bi.e820DroppedUsable);
  print(" of them usable: up to ");
  printHex64(bi.e820DroppedBytesHi, bi.e820DroppedBytesLo);
  println(" bytes of RAM left unused");
}

// ---- the table ----

/** Sweep the raw entries and write the sanitised runs to the table (see the header). */
function buildTable(entries: u32, count: u32): void {
  runCount = 0;
  let q: u32 = 0;
  while (q < PAGE_LIMIT) {
    const b: u32 = nextBoundary(entries, count, q);
    if (usableAt(entries, count, q)) {
      const n: u32 = runCount;
      // runs[2n - 1] is the last run's end. (n never exceeds RUN_TABLE_MAX; saying so proves the
      // index in range.)
      if (n > 0 && n <= RUN_TABLE_MAX && runs[n * 2 - 1] === q) {
        runs[n * 2 - 1] = b; // adjacent segment: the same run
      } else {
        if (n >= RUN_TABLE_MAX) {
          panic("e820: more usable runs than the run table holds");
        }
        runs[n * 2] = q;
        runs[n * 2 + 1] = b;
        runCount = u32(n + 1);
      }
    }
    q = b;
  }
}

/** Take the map from the boot info at `bootInfo`: refuse it if dropped entries may reserve memory,
 *  print every entry and what is left out, and build the sanitised run table. The raw entries are
 *  not read again after this. */
export function e820Init(bootInfo: u32): void {
  const bi = BootInfo.at(bootInfo);
  if (bi.magic !== BOOT_INFO_MAGIC) {
    panic("boot info: bad magic, no memory map");
  }
  const other: u32 = bi.e820DroppedOther;
  if (other !== 0) {
    refuseDropped(other);
  }
  const entries: u32 = u32(bootInfo + BI_E820_ENTRIES);
  runCount = 0;
  let count: u32 = bi.e820Count;
  if (count > E820_MAX) {
    print("e820: the boot info claims ");
    printDec(count);
    print(" entries; reading the first ");
    printDec(E820_MAX);
    println("");
    count = E820_MAX;
  }
  let unreachable: boolean = false;
  for (let i: u32 = 0; i < count; i = u32(i + 1)) {
    const e = entryAt(entries, i);
    printEntry(e);
    if (usableBeyond4G(e)) {
      unreachable = true;
    }
  }
  const dropped: u32 = bi.e820Dropped;
  if (dropped !== 0) {
    printDropped(bi, dropped);
  }
  if (count === 0) {
    println("e820: the BIOS reported no memory map");
  }
  if (unreachable) {
    println("e820: usable memory at or above 4 GiB is out of reach (no PAE), ignored");
  }
  buildTable(entries, count);
}

/** The number of sanitised usable runs. */
export function e820RunCount(): u32 {
  return runCount;
}

/** Run i's first page (i < e820RunCount(); runs are sorted, disjoint and non-adjacent). */
export function e820RunFirst(i: u32): u32 {
  if (i >= runCount || i >= RUN_TABLE_MAX) return panic("e820: no such run");
  return runs[i * 2];
}

/** Run i's end page, exclusive. */
export function e820RunEnd(i: u32): u32 {
  if (i >= runCount || i >= RUN_TABLE_MAX) return panic("e820: no such run");
  return runs[i * 2 + 1];
}

/** True when page `page` is usable RAM by the sanitised map: a binary search over the runs,
 *  O(log runs) (freePage asks this on every free). */
export function e820PageUsable(page: u32): boolean {
  let lo: u32 = 0;
  let hi: u32 = runCount;
  while (lo < hi) {
    const mid: u32 = u32(lo + hi) >>> 1;
    // mid < hi <= runCount <= RUN_TABLE_MAX: the guard never fires, and proves the index.
    if (mid >= RUN_TABLE_MAX) return panic("e820: run index out of range");
    if (runs[mid * 2 + 1] <= page) {
      lo = u32(mid + 1);
    } else {
      hi = mid;
    }
  }
  return lo < runCount && lo < RUN_TABLE_MAX && runs[lo * 2] <= page;
}
