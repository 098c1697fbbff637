// Paging: one page directory and the page tables that identity-map, with 4 KiB pages (present,
// writable), the memory the kernel uses and nothing else:
//   - the sanitised usable runs (e820.ts's run table): all RAM, so every page the allocator hands
//     out, the PAT and the paging structures themselves;
//   - the boot info, which the kernel reads after paging is on (fault reports: the line table's
//     address), whatever the map says of its pages;
//   - the kernel image [1 MiB, kernel end), the run table in its .bss included (stage 2 checked
//     it is RAM; mapped even where a map given to the simulator says otherwise).
// Holes and reserved ranges between runs stay not-present, so a stray access there faults, and a
// sparse machine (RAM just below 4 GiB, 32 MiB in all) spends tables only where it has RAM instead
// of 1,025 pages for [0, 4 GiB). Page 0 stays not-present so a null dereference faults. Every
// structure is a page from getNextPage; a table is taken the first time a page in its 4 MiB needs
// mapping.
import { enablePaging } from "../arch/phys";
import { print, println, printDec, printHex32 } from "../arch/serial";
import { getNextPage } from "./pages";
import { patKernelFirst, patKernelLast } from "./pat";
import { e820RunCount, e820RunFirst, e820RunEnd } from "./e820";
import { BOOT_INFO_ADDR, BI_E820_ENTRIES, E820_MAX, E820_ENTRY_SIZE } from "../boot-info";

/** A page-directory or page-table entry: the frame's address in bits 12-31, flags below. */
const PageEntry = layout(4, 4, { raw: [0, "u32"] });
/** Entries per directory or table (a 4 KiB page of PageEntry). */
const ENTRIES: u32 = u32(4096 / PageEntry.size);

const PRESENT_WRITABLE: u32 = 0x3;
const PRESENT: u32 = 0x1;
/** The boot info's pages: [BOOT_INFO_FIRST, BOOT_INFO_END). */
const BOOT_INFO_FIRST: u32 = BOOT_INFO_ADDR >>> 12;
const BOOT_INFO_END: u32 = u32(u32(BOOT_INFO_ADDR + BI_E820_ENTRIES + E820_MAX * E820_ENTRY_SIZE + 4095) >>> 12);

let directory: u32 = 0;
let tables: u32 = 0;
let mapped: u32 = 0; // pages mapped

/** Entry `index` of the directory or table at `base`. */
function entryAt(base: u32, index: u32): View<typeof PageEntry> {
  return PageEntry.at(u32(base + index * PageEntry.size));
}

/** Identity-map pages [from, to) (page 0 excepted), taking tables as needed; counts new pages. */
function mapRange(from: u32, to: u32): void {
  for (let page: u32 = from === 0 ? 1 : from; page < to; page = u32(page + 1)) {
    const pde = entryAt(directory, page >>> 10);
    if ((pde.raw & PRESENT) === 0) {
      pde.raw = getNextPage() | PRESENT_WRITABLE; // zeroed: all its entries start not-present
      tables = u32(tables + 1);
    }
    const pte = entryAt(u32(pde.raw & 0xfffff000), page & (ENTRIES - 1));
    if ((pte.raw & PRESENT) === 0) {
      pte.raw = u32(page * 4096) | PRESENT_WRITABLE;
      mapped = u32(mapped + 1);
    }
  }
}

/** Build the identity map (patInit and pagesInit first), load CR3, set CR0.PG and CR0.WP, and print
 *  the `paging:` line. Panics `out of memory` if the tables do not fit. */
export function pagingInit(): void {
  tables = 0;
  mapped = 0;
  directory = getNextPage();
  mapRange(BOOT_INFO_FIRST, BOOT_INFO_END);
  mapRange(patKernelFirst(), patKernelLast());
  const runs: u32 = e820RunCount();
  for (let i: u32 = 0; i < runs; i = u32(i + 1)) {
    mapRange(e820RunFirst(i), e820RunEnd(i));
  }
  enablePaging(directory);
  print("paging: on cr3=");
  printHex32(directory);
  print(" mapped=");
  printDec(u32(mapped * 4096));
  print(" pages=");
  printDec(pagingPages());
  println("");
}

/** The page directory's physical address (CR3). */
export function pagingDirectory(): u32 {
  return directory;
}

/** Pages the paging structures took from the allocator: the directory and the tables. */
export function pagingPages(): u32 {
  return directory === 0 ? 0 : u32(tables + 1);
}

/** Pages identity-mapped. */
export function pagingMappedPages(): u32 {
  return mapped;
}
