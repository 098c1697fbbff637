// The benchmark image (`npm run bench`, bench/) must keep building and running: build it, boot it
// once on a small machine (QEMU TCG, -m 16M) and check that it prints every result line, well
// formed, with values that make sense. No timing assertions: cycle counts are only checked to be
// there and positive, the rest are counts the allocator's contract fixes.
"use strict";
const assert = require("assert");
const { boot, expectExit } = require("./lib/qemu");
const { buildBenchImage } = require("../bench/image");
const { parseBenchSerial, allocatorFigures, FILLS } = require("../bench/run");

describe("boot: the benchmark image (npm run bench)", function () {
  this.timeout(120000);
  let serial;

  before(async function () {
    // Its own directory (incremental across runs), so a concurrent `npm run bench` never sees
    // half-written files.
    const { image } = buildBenchImage({ dir: "build/test/bench" });
    serial = expectExit(await boot(image, { mem: "16M", timeout: 60000 })).serial;
  });

  it("starts the memory manager as the kernel does (pat: and mem: lines)", function () {
    assert.match(serial, /^pat: base=0x[0-9a-f]{8} pages=\d+ bytes=\d+\r?$/m);
    assert.match(serial, /^mem: usable=\d+ low=\d+ kernel=\d+ pat=\d+ free=\d+\r?$/m);
  });

  it("prints every result line, well formed, with sane values", function () {
    const b = parseBenchSerial(serial); // throws on `bench: FAILED` or a missing line
    const memFree = Number(/^mem: .* free=(\d+)\r?$/m.exec(serial)[1]);
    assert.strictEqual(b.mem.free, memFree);
    assert.strictEqual(b.mem.words, Math.ceil(b.mem.top / 32));
    assert.deepStrictEqual(b.pairs.map((p) => p.fill), FILLS);
    for (const p of b.pairs) {
      assert.strictEqual(p.held, Math.floor(memFree / 100) * p.fill, `held pages at ${p.fill} %`);
      assert.ok(p.pairs > 0 && p.batches > 0);
      assert.ok(p.ts > 0 && p.c > 0, `cycles at ${p.fill} %: ${p.ts} ${p.c}`);
    }
    assert.ok(b.zero.pages > 0 && b.zero.ts > 0 && b.zero.c > 0);
    assert.strictEqual(b.allocAll.pages, memFree, "alloc-all takes every free page");
    assert.ok(b.allocAll.ts > 0 && b.allocAll.c > 0);
    const f = allocatorFigures(b, "16M");
    for (const r of [...f.pairs.map((p) => p.ratio), f.zeroPage.ratio, f.allocAll.ratio]) assert.ok(Number.isFinite(r) && r > 0);
  });
});

describe("boot: the boot phases of npm run bench", function () {
  this.timeout(120000);
  it("stamps every phase of a real boot, in order, and they add up to the whole", async function () {
    const { bootPhases, PHASES } = require("../bench/loop");
    const { kernelImage } = require("./lib/images");
    const { withSlot } = require("./lib/slots");
    // -m 16M: the phases and their order are the claim; the self-test's phase is just shorter.
    const r = await withSlot(() => bootPhases(kernelImage().image, { runs: 1, mem: "16M" }));
    assert.deepStrictEqual(r.phases.map((p) => p.phase), PHASES.map(([name]) => name));
    for (const p of r.phases) assert.ok(Number.isFinite(p.ms) && p.ms >= 0, `${p.phase}: ${p.ms}`);
    const sum = r.phases.reduce((a, p) => a + p.ms, 0);
    assert.ok(Math.abs(sum - r.totalMs) < 1, `phases add up to ${sum}, the boot took ${r.totalMs}`);
  });

  it("boots the same phases with the guest's RAM touched ahead (-mem-prealloc), and passes QEMU its arguments", async function () {
    const { bootPhases, PHASES } = require("../bench/loop");
    const { kernelImage } = require("./lib/images");
    const { withSlot } = require("./lib/slots");
    const r = await withSlot(() => bootPhases(kernelImage().image, { runs: 1, mem: "16M", args: ["-mem-prealloc"] }));
    assert.deepStrictEqual(r.phases.map((p) => p.phase), PHASES.map(([name]) => name));
    // An argument QEMU refuses ends the boot: the arguments do reach QEMU.
    await assert.rejects(withSlot(() => bootPhases(kernelImage().image, { runs: 1, mem: "16M", args: ["-no-such-option"] })), /no-such-option/);
  });
});
