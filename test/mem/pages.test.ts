// The page allocator (pages.ts) and paging (paging.ts) on the simulated machine: next-fit order,
// the wrap, zeroing, out of memory, every freePage status, and the identity map.
import * as assert from "assert";
import { simulate } from "../sim/run";
import { SimMachine } from "../sim/machine";
import { E820Entry } from "../sim/bios";
import { map } from "./helpers";
import {
  getNextPage,
  tryGetNextPage,
  freePage,
  freePageCount,
  FREE_OK,
  FREE_UNALIGNED,
  FREE_OUT_OF_RANGE,
  FREE_NOT_RAM,
  FREE_ALREADY_FREE,
} from "../../kernel/mem/pages";
import { patBase, patWords, patTop, patFirstPage, patPageCount } from "../../kernel/mem/pat";
import { pagingInit, pagingDirectory, pagingPages } from "../../kernel/mem/paging";
import { selftestRun } from "../../kernel/mem/selftest";

const MiB = 0x100000;
const low: Array<[number, number, number]> = [
  [0, 0x9fc00, 1],
  [0x9fc00, 0x400, 2],
  [0xf0000, 0x10000, 2],
];

/** memInit on `entries` with the kernel at [1 MiB, kernelEnd); the machine stays installed. */
function boot(entries: E820Entry[], kernelEnd = 0x110000): SimMachine {
  const r = simulate(entries, { kernelEnd });
  assert.strictEqual(r.exit, null, r.output);
  return r.machine;
}

const bitmapOf = (m: SimMachine) => Buffer.from(m.readBytes(patBase(), patWords() * 4));

describe("mem: page allocator", function () {
  // 8 MiB: kernel 0x100-0x10f, PAT at 0x110 (1 page), free 0x111-0x7ff, a hole at 4 MiB.
  const small = map(...low, [MiB, 3 * MiB, 1], [5 * MiB, 3 * MiB, 1]);

  it("hands out the lowest free page first, in order, zeroed and aligned", function () {
    boot(small);
    assert.strictEqual(patFirstPage(), 0x110);
    assert.strictEqual(patPageCount(), 1);
    assert.strictEqual(freePageCount(), 0x400 - 0x111 + 0x300);
    assert.strictEqual(getNextPage(), 0x111000);
    assert.strictEqual(getNextPage(), 0x112000);
    assert.strictEqual(tryGetNextPage(), 0x113000);
    assert.strictEqual(freePageCount(), 0x400 - 0x111 + 0x300 - 3);
  });

  it("is next-fit: a page freed behind the cursor comes back only after the wrap", function () {
    boot(small);
    const first = getNextPage(); // 0x111: word 8 of the bitmap
    let last = first;
    for (let i = 0; i < 40; i++) last = getNextPage(); // up to 0x139, word 9: the cursor
    assert.strictEqual(freePage(first), FREE_OK);
    assert.strictEqual(getNextPage(), last + 0x1000); // not `first`
    // Take everything else; the last page handed out before the wrap is the top one.
    for (let a = tryGetNextPage(); a !== 0 && a !== first; a = tryGetNextPage()) last = a;
    assert.strictEqual(last, 0x7ff000);
    assert.strictEqual(freePageCount(), 0);
    assert.strictEqual(tryGetNextPage(), 0);
  });

  it("skips full words with one load each", function () {
    const m = boot(small);
    for (let i = 0; i < 0x300 - 0x111 + 0x80; i++) getNextPage(); // up to 0x380; cursor at its word
    for (let i = 0; i < 0x80; i++) freePage(0x111000 + i * 0x1000); // free 0x111-0x190, behind it
    const words = patWords();
    m.stats.loads = 0;
    // The rest of RAM above the cursor, then the wrap: the scan reads each full word once.
    let n = 0;
    while (tryGetNextPage() >= 0x380000) n++;
    assert.strictEqual(n, 0x800 - 0x380 - 0x100 /* the hole */);
    assert.ok(m.stats.loads <= words + n * 2 + 4, `loads ${m.stats.loads} for ${words} words`);
  });

  it("zeroes a page that was dirty when freed", function () {
    const m = boot(small);
    const a = getNextPage();
    for (let off = 0; off < 4096; off += 4) m.poke32(a + off, 0xdeadbeef);
    assert.strictEqual(freePage(a), FREE_OK);
    let b = tryGetNextPage();
    while (b !== a && b !== 0) b = tryGetNextPage();
    assert.strictEqual(b, a);
    for (let off = 0; off < 4096; off += 4) assert.strictEqual(m.peek32(a + off), 0);
  });

  it("getNextPage panics `out of memory` when none is free; tryGetNextPage returns 0", function () {
    const m = boot(small);
    while (tryGetNextPage() !== 0) {}
    assert.strictEqual(tryGetNextPage(), 0);
    assert.throws(() => getNextPage(), /debug-exit 0x11/);
    assert.match(m.serialText(), /\npanic: out of memory\n$/);
  });

  it("freePage: each failure returns its status and changes nothing", function () {
    const m = boot(small);
    const a = getNextPage();
    const before = bitmapOf(m);
    const count = freePageCount();
    const cases: Array<[number, number, string]> = [
      [a + 1, FREE_UNALIGNED, "unaligned"],
      [a + 0x800, FREE_UNALIGNED, "unaligned"],
      [0x800000, FREE_OUT_OF_RANGE, "first page past top"],
      [0xfffff000, FREE_OUT_OF_RANGE, "last page of 4 GiB"],
      [0, FREE_NOT_RAM, "page 0"],
      [0x9f000, FREE_NOT_RAM, "low 1 MiB, reserved"],
      [0x50000, FREE_NOT_RAM, "low 1 MiB, usable"],
      [0x100000, FREE_NOT_RAM, "kernel"],
      [0x10f000, FREE_NOT_RAM, "kernel, last page"],
      [0x110000, FREE_NOT_RAM, "PAT"],
      [0x400000, FREE_NOT_RAM, "the hole"],
      [0x4ff000, FREE_NOT_RAM, "the hole, last page"],
      [0x200000, FREE_ALREADY_FREE, "never allocated"],
    ];
    for (const [addr, want, what] of cases) {
      assert.strictEqual(freePage(addr), want, what);
      assert.deepStrictEqual(bitmapOf(m), before, what);
      assert.strictEqual(freePageCount(), count, what);
    }
    assert.strictEqual(freePage(a), FREE_OK);
    const after = bitmapOf(m);
    assert.strictEqual(freePage(a), FREE_ALREADY_FREE, "double free");
    assert.deepStrictEqual(bitmapOf(m), after);
    assert.strictEqual(freePageCount(), count + 1);
  });

  it("the bits past top in the last word stay used", function () {
    const m = boot(map(...low, [MiB, 0x101000, 1])); // top = 0x201 pages: word 16 has 1 valid bit
    assert.strictEqual(patTop(), 0x201);
    assert.strictEqual(patWords(), 17);
    assert.strictEqual(m.peek32(patBase() + 16 * 4), 0xfffffffe);
  });
});

describe("mem: paging", function () {
  it("identity-maps the RAM runs, the boot info and the kernel; page 0, holes and everything past top not present; CR3, CR0.PG|WP", function () {
    const m = boot(map(...low, [MiB, 4 * MiB, 1], [6 * MiB, 0x2ff000, 1], [0xfec00000, 0x1000, 2]));
    const free = freePageCount();
    pagingInit();
    const top = patTop();
    assert.strictEqual(top, 0x8ff);
    assert.strictEqual(pagingPages(), 1 + 3);
    assert.strictEqual(freePageCount(), free - pagingPages());
    assert.strictEqual(m.readCr(3), pagingDirectory());
    assert.strictEqual((m.readCr(0) & 0x80010000) >>> 0, 0x80010000);
    // [0x1000, 0x9f000) + [1 MiB, 5 MiB) + [6 MiB, 0x8ff000): 0x9e + 0x400 + 0x2ff pages.
    assert.match(m.serialText(), /\npaging: on cr3=0x[0-9a-f]{8} mapped=7983104 pages=4\n$/);
    assert.strictEqual(m.translate(0), null);
    assert.strictEqual(m.translate(0xfff), null);
    for (const a of [0x1000, 0x9e123, 0x100000, 0x4fffff, 0x600000, 0x8fefff]) assert.strictEqual(m.translate(a), a);
    for (const a of [0x9f000, 0xb8000, 0xff000, 0x500000, 0x5fffff]) assert.strictEqual(m.translate(a), null, `hole 0x${a.toString(16)}`);
    assert.strictEqual(m.translate(0x8ff000), null);
    assert.strictEqual(m.translate(0xc00000), null);
    assert.strictEqual(m.translate(0xfec00000), null);
  });

  it("a sparse map with RAM just below 4 GiB: tables only where RAM is (was 1,025 pages)", function () {
    // 31 MiB from 1 MiB, and 1 MiB just below 4 GiB: a 128 KiB bitmap, 8 + 1 tables + directory.
    const m = boot(map(...low, [MiB, 31 * MiB, 1], [0xfff00000, MiB, 1]), 0x101000);
    pagingInit();
    assert.strictEqual(pagingPages(), 1 + 8 + 1);
    assert.match(m.serialText(), /\npaging: on cr3=0x[0-9a-f]{8} mapped=\d+ pages=10\n$/);
    assert.strictEqual(m.translate(0xfff00123), 0xfff00123);
    assert.strictEqual(m.translate(0x2000000), null);
    assert.strictEqual(m.translate(0xc0000000), null);
    // And the machine boots to the end: the self-test takes and checks every free page.
    selftestRun();
    assert.match(m.serialText(), /\nselftest: alloc-all \d+ pages ok\n$/);
  });

  it("panics `out of memory` when the tables do not fit", function () {
    // 33 pages above the kernel, 32 of them for a 4 GiB bitmap, and the last page below 4 GiB: two
    // free pages; three needed (the directory, the tables for 0-4 MiB and for the top 4 MiB).
    const m = boot(map(...low, [MiB + 0x1000, 33 * 4096, 1], [0xfffff000, 0x1000, 1]), 0x101000);
    assert.throws(() => pagingInit(), /debug-exit 0x11/);
    assert.match(m.serialText(), /\npanic: out of memory\n$/);
  });
});
