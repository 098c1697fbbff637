// npm run bench's v86 section (bench/v86.js) must keep running: one alternating pair of boots of
// the real image in QEMU and in v86, and the figures' shape. No timing assertions: the times are
// only checked to be there and positive. (The browser figure's source, the page's bootOkMs, is
// checked by test/playground.test.js.)
"use strict";
const assert = require("assert");
const { emulatorFigures, describeFigures } = require("../bench/v86");
const { kernelImage } = require("./lib/images");
const { withSlot } = require("./lib/slots");

describe("boot: bench v86 against QEMU", function () {
  this.timeout(180000);

  it("boots the same image to boot: ok in both, alternating, and reports medians and the ratio", async function () {
    const { image } = kernelImage();
    // One emulator at a time (QEMU, then v86): one slot. On 16 MiB: what is checked is that both
    // boot and the figures' shape (npm run bench itself measures the default 128M).
    const e = await withSlot(() => emulatorFigures(image, { runs: 1, warmup: false, mem: "16M" }));
    assert.strictEqual(e.runs, 1);
    assert.strictEqual(e.mem, "16M");
    assert.strictEqual(e.qemuSamplesMs.length, 1);
    assert.strictEqual(e.v86SamplesMs.length, 1);
    assert.ok(e.qemuMs > 0 && e.v86Ms > 0);
    assert.strictEqual(e.ratio, Number((e.v86Ms / e.qemuMs).toFixed(2)));
    assert.strictEqual(e.goal.met, e.ratio <= 2);
    const text = describeFigures(e, { skipped: "not measured here" }).join("\n");
    assert.match(text, /QEMU \d+ ms, v86 \d+ ms, ratio \d+\.\d\d \(goal <= 2x: (met|NOT met)\)/);
  });
});
