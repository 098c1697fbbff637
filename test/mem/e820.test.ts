// The sanitising rules of architecture.md §4, one hand-written map per rule, through the real
// kernel/mem code on the simulated machine: the printed lines, the counts against the model in
// test/sim/bios.ts, and the oracle (test/oracle/memreport.js) as the referee.
import * as assert from "assert";
import * as path from "path";
import { E820Entry, loadMapFile, pagesIn } from "../sim/bios";
import { simulate, SimOptions } from "../sim/run";
import { FIXTURES, memreportBatch, fields, expectedLayout, map } from "./helpers";
import { e820PageUsable } from "../../kernel/mem/e820";
import { freePage, FREE_NOT_RAM } from "../../kernel/mem/pages";

const MiB = 0x100000;
const GiB = 0x40000000;
const KEND = 0x200000;

/** Run the map, require success, and check every count against the model and the oracle. */
function check(entries: E820Entry[], opts: SimOptions = {}) {
  const kernelEnd = opts.kernelEnd ?? KEND;
  const r = simulate(entries, { ...opts, kernelEnd });
  assert.strictEqual(r.exit, null, r.output);
  const layout = expectedLayout(entries.slice(0, 256), kernelEnd);
  const mem = fields(r.output, "mem")!;
  const pat = fields(r.output, "pat")!;
  assert.deepStrictEqual(
    { usable: mem.usable, low: mem.low, kernel: mem.kernel, pat: mem.pat, base: pat.base, pages: pat.pages },
    {
      usable: pagesIn(layout.ranges),
      low: pagesIn(layout.ranges, 0, 256),
      kernel: pagesIn(layout.ranges, layout.kernelFirst, layout.kernelLast),
      pat: layout.patPages,
      base: layout.patFirst! * 4096,
      pages: layout.top,
    },
    r.output,
  );
  assert.strictEqual(mem.free, mem.usable - mem.low - mem.kernel - mem.pat);
  assert.deepStrictEqual(memreportBatch([{ entries, output: r.output, kernelEnd, maxEntries: 256 }]), [[]], r.output);
  return { ...r, layout, mem, pat };
}

const lines = (out: string, prefix: string) => out.split("\n").filter((l) => l.startsWith(prefix));
const base = [
  [0, 0x9fc00, 1],
  [0x9fc00, 0x400, 2],
  [0xf0000, 0x10000, 2],
] as Array<[number, number, number]>;

describe("mem: e820 sanitising rules", function () {
  it("unsorted entries give the same result as sorted ones", function () {
    const sorted = loadMapFile(path.join(FIXTURES, "qemu-q35-1G.json"));
    const shuffled = [sorted[5], sorted[3], sorted[0], sorted[7], sorted[1], sorted[6], sorted[4], sorted[2]];
    const a = check(sorted);
    const b = check(shuffled);
    assert.deepStrictEqual(lines(a.output, "pat:"), lines(b.output, "pat:"));
    assert.deepStrictEqual(lines(a.output, "mem:"), lines(b.output, "mem:"));
  });

  it("overlapping usable entries merge; a reserved entry inside usable RAM wins", function () {
    const r = check(map(...base, [MiB, 64 * MiB, 1], [32 * MiB, 64 * MiB, 1], [16 * MiB + 0x800, 0x1000, 2]));
    assert.strictEqual(r.mem.usable, 159 + (96 * MiB - MiB) / 4096 - 2); // 0x1000 bytes at +0x800 touch 2 pages
    assert.ok(!e820PageUsable((16 * MiB) >>> 12) && !e820PageUsable(((16 * MiB) >>> 12) + 1));
    assert.ok(e820PageUsable(((16 * MiB) >>> 12) - 1) && e820PageUsable(((16 * MiB) >>> 12) + 2));
    assert.strictEqual(freePage(16 * MiB), FREE_NOT_RAM);
  });

  it("a reserved entry overlapping the end of a usable one, and a usable one inside a reserved one", function () {
    const r = check(map(...base, [MiB, 8 * MiB, 1], [8 * MiB, 4 * MiB, 2], [10 * MiB, MiB, 1]));
    assert.strictEqual(r.layout.top, (8 * MiB) >>> 12);
    assert.strictEqual(r.mem.usable, 159 + (7 * MiB) / 4096);
  });

  it("unaligned edges: usable rounded in, reserved rounded out", function () {
    const r = check(map(...base, [0x100800, 0x3eff000, 1], [0x2000fff, 2, 3]));
    // usable 0x100800..0x3fff7ff -> pages 0x101..0x3ffe; ACPI data 0x2000fff..0x2001000 -> pages 0x2000, 0x2001
    assert.strictEqual(r.layout.top, 0x3fff);
    assert.strictEqual(r.mem.usable, 159 + (0x3fff - 0x101) - 2);
    assert.match(r.output, /^e820: \[mem 0x0000000000100800-0x0000000003fff7ff\] usable$/m);
    assert.match(r.output, /^e820: \[mem 0x0000000002000fff-0x0000000002001000\] ACPI data$/m);
  });

  it("two usable entries that split a page leave that page out (whole pages of one entry only)", function () {
    const r = check(map(...base, [MiB, 0x1f00800, 1], [0x2000800, 0x1fff800, 1]));
    assert.ok(!e820PageUsable(0x2000));
    assert.strictEqual(r.mem.usable, 159 + (0x4000 - 0x100) - 1);
  });

  it("zero-length entries are ignored, with a line saying so", function () {
    const r = check(map(...base, [MiB, 63 * MiB, 1], [32 * MiB, 0, 2], [0x1234000, 0, 1]));
    assert.deepStrictEqual(lines(r.output, "e820: ignored"), [
      "e820: ignored [mem 0x0000000002000000 length 0x0000000000000000] reserved: zero length",
      "e820: ignored [mem 0x0000000001234000 length 0x0000000000000000] usable: zero length",
    ]);
    assert.strictEqual(r.mem.usable, 159 + (63 * MiB) / 4096);
  });

  it("entries wrapping past 2^64 are ignored; one ending exactly at 2^64 is kept", function () {
    const r = check(
      map(
        ...base,
        [MiB, 63 * MiB, 1],
        // Wraps to end 0x1001000: taken naively it would reserve the low 16 MiB.
        [0xfffffffffffff000n, 0x1002000n, 2],
        [0xffffffffffff0000n, 0x20000n, 1],
        [0xffffffff00000000n, 0x100000000n, 2],
      ),
    );
    assert.deepStrictEqual(lines(r.output, "e820: ignored"), [
      "e820: ignored [mem 0xfffffffffffff000 length 0x0000000001002000] reserved: wraps past 2^64",
      "e820: ignored [mem 0xffffffffffff0000 length 0x0000000000020000] usable: wraps past 2^64",
    ]);
    assert.match(r.output, /^e820: \[mem 0xffffffff00000000-0xffffffffffffffff\] reserved$/m);
    assert.strictEqual(r.mem.usable, 159 + (63 * MiB) / 4096);
    assert.doesNotMatch(r.output, /out of reach/);
  });

  it("an entry straddling 4 GiB counts up to 4 GiB, and says once that the rest is out of reach", function () {
    const r = check(map(...base, [MiB, 15 * MiB, 1], [0xf0000000, 0x20000000, 1], [0x100000000n, 0x100000000n, 1]));
    assert.strictEqual(r.layout.top, 0x100000);
    assert.strictEqual(r.pat.pages, 0x100000);
    assert.strictEqual(r.pat.bytes, 0x20000);
    assert.strictEqual(lines(r.output, "e820: usable memory at or above 4 GiB").length, 1);
  });

  it("a usable entry ending exactly at 4 GiB is all reachable", function () {
    const r = check(map(...base, [MiB, 15 * MiB, 1], [0xfff00000, 0x100000, 1]));
    assert.strictEqual(r.layout.top, 0x100000);
    assert.doesNotMatch(r.output, /out of reach/);
  });

  it("unknown types and types 3-5 are not RAM and are printed by name or number", function () {
    const r = check(
      map(
        ...base,
        [MiB, 127 * MiB, 1],
        [8 * MiB, MiB, 3],
        [16 * MiB, MiB, 4],
        [24 * MiB, MiB, 5],
        [32 * MiB, MiB, 7],
        [40 * MiB, MiB, 0],
        [48 * MiB, MiB, 0xffffffff],
      ),
    );
    assert.deepStrictEqual(
      lines(r.output, "e820: [mem ").slice(4).map((l) => l.replace(/.*\] /, "")),
      ["ACPI data", "ACPI NVS", "unusable", "type 7", "type 0", "type 4294967295"],
    );
    assert.strictEqual(r.mem.usable, 159 + (127 * MiB) / 4096 - 6 * 256);
  });

  it("gaps between entries are not RAM", function () {
    const r = check(map(...base, [MiB, MiB, 1], [4 * MiB, MiB, 1]));
    assert.ok(!e820PageUsable(0x200) && !e820PageUsable(0x3ff) && e820PageUsable(0x400));
    assert.strictEqual(r.mem.usable, 159 + 512);
    assert.strictEqual(freePage(0x300000), FREE_NOT_RAM);
  });

  it("200 fragments, unsorted and unaligned", function () {
    const rows: Array<[number, number, number]> = [...base];
    for (let i = 0; i < 197; i++) {
      const at = 2 * MiB + i * 0x11000 + (i % 3) * 0x321;
      rows.push([at, 0xd000 + (i % 5) * 0x800, i % 4 === 3 ? 2 : 1]);
    }
    rows.reverse();
    const r = check(map(...rows), { kernelEnd: 0x180000 });
    assert.strictEqual(lines(r.output, "e820: [mem ").length, 200);
  });

  it("more than 256 entries, the dropped ones usable: the first 256 are used, what was dropped is said", function () {
    const rows: Array<[number, number, number]> = [...base, [MiB, MiB, 1]];
    for (let i = 0; i < 296; i++) rows.push([4 * MiB + i * 0x10000, 0x8000, 1]);
    const r = check(map(...rows));
    assert.match(r.output, /^e820: 44 entries past the loader's limit of 256 dropped, 44 of them usable: up to 0x0000000000160000 bytes of RAM left unused$/m);
    assert.strictEqual(lines(r.output, "e820: [mem ").length, 256);
  });

  it("a boot info claiming more than 256 entries is read as 256, and says so", function () {
    const r = check(map(...base, [MiB, 15 * MiB, 1]), { count: 1000 });
    assert.match(r.output, /^e820: the boot info claims 1000 entries; reading the first 256$/m);
  });

  it("the PAT goes after the kernel, in the first run with room for it", function () {
    // Pages 0x100-0x180 are kernel; the run ends one page after it; 3 GiB needs a 24-page bitmap.
    const r = check(map(...base, [MiB, 0x81000, 1], [16 * MiB, 3 * GiB - 16 * MiB, 1]), { kernelEnd: 0x180000 });
    assert.strictEqual(r.pat.base, 16 * MiB);
    const s = check(map(...base, [MiB, 0x100000, 1], [16 * MiB, 3 * GiB - 16 * MiB, 1]), { kernelEnd: 0x180000 });
    assert.strictEqual(s.pat.base, 0x180000);
  });
});

describe("mem: e820's run table", function () {
  it("is built once: with the raw entries wiped after init, the allocator, frees and the self-test are unchanged", function () {
    const { BOOT_INFO_ADDR, BI_E820_ENTRIES, E820_ENTRY_SIZE } = require("../../kernel/boot-info");
    const { pagingInit } = require("../../kernel/mem/paging");
    const { selftestRun } = require("../../kernel/mem/selftest");
    const entries = map(...base, [MiB, 15 * MiB, 1], [4 * MiB, 0x1000, 2]);
    const want = simulate(entries, { kernelEnd: KEND, allocAll: true }).output;
    const r = simulate(entries, { kernelEnd: KEND });
    for (let a = BOOT_INFO_ADDR + BI_E820_ENTRIES; a < BOOT_INFO_ADDR + BI_E820_ENTRIES + entries.length * E820_ENTRY_SIZE; a += 4) {
      r.machine.poke32(a, 0xffffffff);
    }
    assert.strictEqual(freePage(4 * MiB), FREE_NOT_RAM);
    assert.ok(!e820PageUsable(0x400) && e820PageUsable(0x3ff) && e820PageUsable(0x401));
    pagingInit();
    selftestRun();
    assert.strictEqual(r.machine.serialText(), want);
  });
});

describe("mem: e820 failures", function () {
  const panics = (entries: E820Entry[], opts: SimOptions, why: RegExp) => {
    const r = simulate(entries, opts);
    assert.ok(r.exit && r.exit.reason === "debug-exit" && r.exit.code === 0x11, r.output);
    assert.match(r.output, why);
    assert.doesNotMatch(r.output, /^mem:/m);
  };

  it("no usable memory above 1 MiB: panic", function () {
    panics(map(...base, [16 * MiB, MiB, 2]), {}, /^panic: no usable memory above 1 MiB$/m);
  });

  it("usable memory above 1 MiB only inside the kernel image: panic", function () {
    panics(map(...base, [MiB, MiB, 1]), { kernelEnd: 0x200000 }, /^panic: no room above 1 MiB outside the kernel for the page bitmap$/m);
  });

  it("an empty map: says so, then panics", function () {
    panics([], {}, /^e820: the BIOS reported no memory map\npanic: no usable memory above 1 MiB$/m);
  });

  it("usable memory only at or above 4 GiB: panic", function () {
    panics(map(...base, [0x100000000n, 0x100000000n, 1]), {}, /out of reach.*\npanic: no usable memory above 1 MiB$/m);
  });

  it("a boot info without the magic: panic", function () {
    const { SimMachine, installMachine } = require("../sim/machine");
    const { memInit } = require("../../kernel/mem/mem");
    const m = new SimMachine();
    installMachine(m);
    assert.throws(() => memInit(0x1000, KEND), /debug-exit 0x11/);
    assert.match(m.serialText(), /^panic: boot info: bad magic, no memory map$/m);
  });
});
