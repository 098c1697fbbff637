// Paging: one page directory and the page tables that identity-map [0x1000, top) with 4 KiB pages
// (present, writable), every structure a page from getNextPage. Page 0 stays not-present so a null
// dereference faults. The whole range below top is mapped, holes and reserved pages included: the
// kernel still reaches the BIOS area, VGA text memory and its own boot info through it.
import { poke32, enablePaging } from "../arch/phys";
import { print, println, printDec, printHex32 } from "../arch/serial";
import { getNextPage } from "./pages";
import { patTop } from "./pat";

const PRESENT_WRITABLE: u32 = 0x3;
const ENTRIES: u32 = 1024;

let directory: u32 = 0;
let tables: u32 = 0;

/** Build the identity map of [0x1000, top) (patInit and pagesInit first), load CR3, set CR0.PG and
 *  CR0.WP, and print the `paging:` line. Panics `out of memory` if the tables do not fit. */
export function pagingInit(): void {
  const top: u32 = patTop();
  directory = getNextPage();
  tables = u32(u32(top + ENTRIES - 1) >>> 10);
  for (let t: u32 = 0; t < tables; t = u32(t + 1)) {
    const table: u32 = getNextPage(); // zeroed: entries past top stay not-present
    const firstPage: u32 = u32(t * ENTRIES);
    const left: u32 = u32(top - firstPage);
    const count: u32 = left < ENTRIES ? left : ENTRIES;
    // Page 0 (entry 0 of table 0) stays not-present.
    for (let i: u32 = firstPage === 0 ? 1 : 0; i < count; i = u32(i + 1)) {
      poke32(u32(table + i * 4), u32(u32(u32(firstPage + i) * 4096) | PRESENT_WRITABLE));
    }
    poke32(u32(directory + t * 4), u32(table | PRESENT_WRITABLE));
  }
  enablePaging(directory);
  print("paging: on cr3=");
  printHex32(directory);
  print(" mapped=");
  printDec(top > 0 ? u32(u32(top * 4096) - 4096) : 0);
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
