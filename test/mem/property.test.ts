// Property tests over thousands of random BIOS maps (small memory, so each run is quick): the real
// kernel/mem code on the simulated machine, against the model of the sanitised map computed here
// independently (test/sim/bios.ts usableRanges, helpers.ts expectedLayout).
import * as assert from "assert";
import fc from "fast-check";
import { E820Entry, inRanges, pagesIn, loaderVerdict, usableRanges } from "../sim/bios";
import { mapArb, kernelEndArb, longMapArb } from "./arbitraries";
import { simulate } from "../sim/run";
import { SimMachine } from "../sim/machine";
import { expectedLayout, expectedPaging, allocatable, fields, memreportBatch, ReportCase, Layout } from "./helpers";
import {
  tryGetNextPage,
  freePage,
  freePageCount,
  FREE_OK,
  FREE_UNALIGNED,
  FREE_OUT_OF_RANGE,
  FREE_NOT_RAM,
  FREE_ALREADY_FREE,
} from "../../kernel/mem/pages";
import { patBase, patWords } from "../../kernel/mem/pat";

const bitmapOf = (m: SimMachine) => Buffer.from(m.readBytes(patBase(), patWords() * 4));

/** Boot the map; check it panics exactly when the model has no place for the PAT. */
function bootOrPanic(entries: E820Entry[], kernelEnd: number): { m: SimMachine; layout: Layout; output: string } | null {
  const r = simulate(entries, { kernelEnd });
  const layout = expectedLayout(entries, kernelEnd);
  if (layout.patFirst === null) {
    assert.ok(r.exit && r.exit.reason === "debug-exit" && r.exit.code === 0x11, `expected a panic:\n${r.output}`);
    assert.match(r.output, /\npanic: no (usable memory|room) above 1 MiB/);
    return null;
  }
  assert.strictEqual(r.exit, null, r.output);
  return { m: r.machine, layout, output: r.output };
}

describe("mem: properties over random maps", function () {
  this.timeout(300000);
  const reports: ReportCase[] = [];

  it("alloc-all hands out exactly the usable pages outside low 1 MiB, kernel and PAT, each once, zeroed", function () {
    fc.assert(
      fc.property(mapArb, kernelEndArb, fc.array(fc.nat(), { maxLength: 8 }), (entries, kernelEnd, dirty) => {
        const booted = bootOrPanic(entries, kernelEnd);
        if (!booted) return;
        const { m, layout, output } = booted;
        reports.push({ entries, output, kernelEnd });
        const usable = (p: number) => inRanges(layout.ranges, p);
        let expected = 0;
        for (const [a, b] of layout.ranges) for (let p = a; p < b; p++) if (allocatable(layout, p, usable)) expected++;
        const mem = fields(output, "mem")!;
        assert.strictEqual(mem.usable, pagesIn(layout.ranges));
        assert.strictEqual(mem.free, expected);
        assert.strictEqual(freePageCount(), expected);

        // Dirty some free pages (as a previous owner would have): they must come back zeroed.
        const dirtyPages = new Set<number>();
        for (const d of dirty) {
          if (expected === 0) break;
          let k = d % expected;
          for (const [a, b] of layout.ranges) {
            for (let p = a; p < b && k >= 0; p++) if (allocatable(layout, p, usable) && k-- === 0) dirtyPages.add(p);
          }
        }
        for (const p of dirtyPages) {
          m.poke32(p * 4096, 0x12345678);
          m.poke32(p * 4096 + 4092, 0x9abcdef0);
        }

        const initial = bitmapOf(m);
        const seen = new Set<number>();
        for (let a = tryGetNextPage(); a !== 0; a = tryGetNextPage()) {
          assert.strictEqual(a % 4096, 0);
          const p = a / 4096;
          assert.ok(!seen.has(p), `page 0x${p.toString(16)} handed out twice`);
          assert.ok(allocatable(layout, p, usable), `page 0x${p.toString(16)} is not the allocator's`);
          if (dirtyPages.has(p)) assert.ok(m.peek32(a) === 0 && m.peek32(a + 4092) === 0, "not zeroed");
          seen.add(p);
        }
        assert.strictEqual(seen.size, expected, "every allocatable page handed out");
        assert.strictEqual(freePageCount(), 0);

        for (const p of seen) assert.strictEqual(freePage(p * 4096), FREE_OK);
        assert.strictEqual(freePageCount(), expected);
        for (const p of seen) assert.strictEqual(freePage(p * 4096), FREE_ALREADY_FREE);
        assert.ok(bitmapOf(m).equals(initial), "bitmap after freeing everything differs from the initial one");
      }),
      { numRuns: 1000 },
    );
  });

  it("the oracle agrees with every one of those runs", function () {
    // Batched over the runs of the property above (one Python start, not hundreds); when that
    // test was filtered out (mocha -g) there is nothing to check.
    if (reports.length === 0) this.skip();
    assert.ok(reports.length > 300, `only ${reports.length} maps booted`);
    const problems = memreportBatch(reports);
    problems.forEach((p, i) => assert.deepStrictEqual(p, [], reports[i].output));
  });

  it("freePage of each bad kind returns its status and leaves the bitmap and count unchanged", function () {
    const kinds = fc.constantFrom("unaligned", "range", "low", "kernel", "pat", "hole", "free", "double");
    fc.assert(
      fc.property(mapArb, kernelEndArb, fc.nat({ max: 64 }), kinds, fc.nat(), (entries, kernelEnd, take, kind, pick) => {
        const booted = bootOrPanic(entries, kernelEnd);
        if (!booted) return;
        const { m, layout } = booted;
        const held: number[] = [];
        for (let i = 0; i < take; i++) {
          const a = tryGetNextPage();
          if (a === 0) break;
          held.push(a);
        }
        const usable = (p: number) => inRanges(layout.ranges, p);
        const choose = (pages: number[]) => (pages.length ? pages[pick % pages.length] : null);
        let addr: number | null = null;
        let want = FREE_NOT_RAM;
        const top = layout.top;
        switch (kind) {
          case "unaligned":
            addr = ((choose(held) ?? pick * 4096) + 1 + (pick % 4095)) >>> 0;
            want = FREE_UNALIGNED;
            break;
          case "range":
            addr = top * 4096 + (pick % 64) * 4096;
            want = FREE_OUT_OF_RANGE;
            if (addr > 0xfffff000) addr = null;
            break;
          case "low":
            addr = (pick % 256) * 4096;
            break;
          case "kernel":
            addr = layout.kernelLast > 256 ? (256 + (pick % (layout.kernelLast - 256))) * 4096 : null;
            if (addr !== null && addr >= top * 4096) want = FREE_OUT_OF_RANGE;
            break;
          case "pat":
            addr = (layout.patFirst! + (pick % layout.patPages)) * 4096;
            break;
          case "hole": {
            // A page below top that is not usable RAM (a gap, reserved, or partly usable).
            const holes: number[] = [];
            for (let p = 256; p < top && holes.length < 64; p++) if (!usable(p)) holes.push(p);
            addr = holes.length ? choose(holes)! * 4096 : null;
            break;
          }
          case "free": {
            const held1 = new Set(held.map((a) => a / 4096));
            const free: number[] = [];
            for (const [a, b] of layout.ranges)
              for (let p = a; p < b && free.length < 64; p++) if (allocatable(layout, p, usable) && !held1.has(p)) free.push(p);
            addr = free.length ? choose(free)! * 4096 : null;
            want = FREE_ALREADY_FREE;
            break;
          }
          case "double": {
            const a = choose(held);
            if (a !== null) assert.strictEqual(freePage(a), FREE_OK);
            addr = a;
            want = FREE_ALREADY_FREE;
            break;
          }
        }
        if (addr === null) return;
        const before = bitmapOf(m);
        const count = freePageCount();
        assert.strictEqual(freePage(addr), want, `${kind} 0x${addr.toString(16)}`);
        assert.ok(bitmapOf(m).equals(before), "the bitmap changed");
        assert.strictEqual(freePageCount(), count);
      }),
      { numRuns: 1500 },
    );
  });

  it("any sequence of allocs and frees follows next-fit exactly and never hands out a held page", function () {
    const op = fc.oneof(
      { arbitrary: fc.constant<["alloc", number]>(["alloc", 0]), weight: 3 },
      { arbitrary: fc.nat().map((i): ["free", number] => ["free", i]), weight: 2 },
    );
    fc.assert(
      fc.property(mapArb, kernelEndArb, fc.array(op, { maxLength: 120 }), (entries, kernelEnd, ops) => {
        const booted = bootOrPanic(entries, kernelEnd);
        if (!booted) return;
        const { layout } = booted;
        const usable = (p: number) => inRanges(layout.ranges, p);
        const free = new Set<number>();
        for (const [a, b] of layout.ranges) for (let p = a; p < b; p++) if (allocatable(layout, p, usable)) free.add(p);
        const held: number[] = [];
        let cursorWord = 0;
        for (const [what, i] of ops) {
          if (what === "alloc") {
            // Next-fit by the word: the lowest free page at or after the cursor's word, else wrap.
            let want = 0;
            let best = Infinity;
            let lowest = Infinity;
            for (const p of free) {
              if (p >= cursorWord * 32 && p < best) best = p;
              if (p < lowest) lowest = p;
            }
            const p = best !== Infinity ? best : lowest;
            if (p !== Infinity) {
              want = p * 4096;
              free.delete(p);
              held.push(p);
              cursorWord = p >>> 5;
            }
            assert.strictEqual(tryGetNextPage(), want);
          } else if (held.length) {
            const [p] = held.splice(i % held.length, 1);
            assert.strictEqual(freePage(p * 4096), FREE_OK);
            free.add(p);
          }
          assert.strictEqual(freePageCount(), free.size);
        }
      }),
      { numRuns: 400 },
    );
  });

  it("the boot self-test passes with paging on, and N = free - paging pages", function () {
    fc.assert(
      fc.property(mapArb, kernelEndArb, (entries, kernelEnd) => {
        const layout = expectedLayout(entries, kernelEnd);
        const r = simulate(entries, { kernelEnd, allocAll: true });
        if (layout.patFirst === null) {
          assert.ok(r.exit && r.exit.code === 0x11);
          return;
        }
        const mem = fields(r.output, "mem")!;
        const want = expectedPaging(layout, (p) => inRanges(layout.ranges, p));
        if (mem.free < want.pages) {
          assert.match(r.output, /\npanic: out of memory\n$/); // no room for the page tables
          return;
        }
        assert.strictEqual(r.exit, null, r.output);
        const paging = fields(r.output, "paging")!;
        assert.strictEqual(paging.pages, want.pages);
        assert.strictEqual(paging.mapped, want.mapped * 4096);
        const n = Number(/^selftest: alloc-all (\d+) pages ok$/m.exec(r.output)![1]);
        assert.strictEqual(n, mem.free - paging.pages);
        assert.strictEqual(r.machine.translate(0), null);
        assert.strictEqual(r.machine.translate((layout.top - 1) * 4096 + 5), (layout.top - 1) * 4096 + 5);
        // Holes fault: every page below top that is neither RAM nor the kernel's is not present.
        for (let p = 3; p < layout.top; p++) {
          const kernel = p >= layout.kernelFirst && p < layout.kernelLast;
          if (!kernel && !inRanges(layout.ranges, p)) assert.strictEqual(r.machine.translate(p * 4096), null, `page 0x${p.toString(16)}`);
        }
      }),
      { numRuns: 400 },
    );
  });

  it("maps of any length: no page any entry reserves (dropped ones included) is ever written or handed out", function () {
    fc.assert(
      fc.property(longMapArb, kernelEndArb, (entries, kernelEnd) => {
        // simulate() stops the machine on a write outside usableRanges(entries): RAM by the rule
        // applied to EVERY entry, so a page a dropped entry reserves is never writable. The
        // self-test signs every page it takes, so a reserved page handed out would be written too.
        const r = simulate(entries, { kernelEnd, allocAll: true });
        assert.ok(!r.exit || r.exit.reason === "debug-exit", `stopped: ${r.exit && r.exit.message}\n${r.output}`);
        const verdict = loaderVerdict(entries);
        if (verdict !== null) {
          // Something past the limit may reserve memory: the loader's verdict, nothing built.
          assert.ok(r.exit && r.exit.code === 0x11, r.output);
          assert.strictEqual(r.output, verdict + "\n");
          return;
        }
        const layout = expectedLayout(entries.slice(0, 256), kernelEnd);
        if (r.exit) return; // no room for the PAT or the tables: a panic, already checked elsewhere
        const all = usableRanges(entries);
        for (let p = 0; p < layout.top; p++) {
          if (!inRanges(all, p)) assert.ok(!inRanges(layout.ranges, p), `page 0x${p.toString(16)} reserved by a dropped entry is usable`);
        }
        assert.deepStrictEqual(memreportBatch([{ entries, output: r.output, kernelEnd, maxEntries: 256 }]), [[]], r.output);
      }),
      { numRuns: 60 },
    );
  });
});
