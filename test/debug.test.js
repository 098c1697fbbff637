// `npm run debug` (scripts/debug.js) driven non-interactively: gdb in batch mode must stop at kmain
// through the hardware breakpoint, and `info line`, `list` and `bt` must speak TypeScript, on the
// native build (gcc's DWARF) and on the JavaScript toolchain's (scripts/lib/jsdwarf.js).
"use strict";
const assert = require("assert");
const fs = require("fs");
const path = require("path");
const { spawnSync } = require("child_process");
const { build, which, ROOT } = require("../scripts/lib/build");
const { kernelImage, DIR } = require("./lib/images");
const { withSlot } = require("./lib/slots");

/** scripts/debug.js on the build in `dir` with gdb's `commands` (-batch), in an emulator slot. */
function debug(dir, commands, env = process.env) {
  const port = 20000 + (process.pid % 20000);
  return withSlot(async () => spawnSync(process.execPath, ["scripts/debug.js", "--dir", dir, "--port", String(port), "--",
    "-batch", ...commands.flatMap((c) => ["-ex", c])], { cwd: ROOT, encoding: "utf8", timeout: 90000, env }));
}

describe("boot: npm run debug (gdb)", function () {
  this.timeout(180000);
  before(function () {
    if (!which("gdb")) this.skip();
  });

  it("stops at kmain with hbreak; info line, list and bt show kernel/main.ts", async function () {
    const r = await debug(kernelImage().dir, ["info line", "list", "bt"]);
    const out = `${r.stdout}${r.stderr}`;
    assert.strictEqual(r.status, 0, out);
    assert.match(out, /Hardware assisted breakpoint 1 at 0x[0-9a-f]+: file kernel\/main\.ts, line \d+\./, out);
    assert.match(out, /Breakpoint 1, kmain \(bootInfo=4096\) at kernel\/main\.ts:\d+/, out);
    assert.match(out, /Line \d+ of "kernel\/main\.ts" starts at address 0x[0-9a-f]+ <kmain>/, out);
    assert.match(out, /^\d+\s+export function kmain\(bootInfo: u32\): void \{$/m, out);
    assert.match(out, /^#0 {2}kmain \(bootInfo=4096\) at kernel\/main\.ts:\d+$/m, out);
  });

  it("on a JS-toolchain build: kmain at kernel/main.ts with its argument, steps into a .ts callee, bt to entry.asm", async function () {
    const dir = path.join(DIR, "js-kernel");
    build({ dir, toolchain: "js", log: null });
    const r = await debug(dir, ["info line", "list", "bt", "next", "step", "bt", "break getNextPage", "continue", "bt"], { ...process.env, TSK_TOOLCHAIN: "js" });
    const out = `${r.stdout}${r.stderr}`;
    assert.strictEqual(r.status, 0, out);
    assert.doesNotMatch(out, /\[build\] (tsk|gcc|ld) /, "debug.js rebuilt the image natively");
    // kmain's line and the next one (serialInit();), as kernel/main.ts has them today.
    const main = fs.readFileSync(path.join(ROOT, "kernel/main.ts"), "utf8").split("\n");
    const k = main.findIndex((l) => l.startsWith("export function kmain(")) + 1;
    assert.match(main[k], /^\s*serialInit\(\);$/, "kmain's first statement is serialInit();");
    assert.match(out, new RegExp(`Hardware assisted breakpoint 1 at 0x[0-9a-f]+: file kernel/main\\.ts, line ${k}\\.`), out);
    assert.match(out, new RegExp(`Breakpoint 1, kmain \\(bootInfo=4096\\) at kernel/main\\.ts:${k}\\b`), out);
    assert.match(out, new RegExp(`Line ${k} of "kernel/main\\.ts" starts at address 0x[0-9a-f]+ <kmain>`), out);
    assert.match(out, new RegExp(`^${k}\\s+export function kmain\\(bootInfo: u32\\): void \\{$`, "m"), out);
    assert.match(out, new RegExp(`^#0 {2}kmain \\(bootInfo=4096\\) at kernel/main\\.ts:${k}\\n#1 {2}0x[0-9a-f]+ in start \\(\\) at kernel/arch/entry\\.asm:\\d+$`, "m"), out);
    // `next` to serialInit();, `step` into it: the callee's first statement, and its caller.
    assert.match(out, /^serialInit \(\) at kernel\/arch\/serial\.ts:\d+$/m, out);
    assert.match(out, new RegExp(`^#0 {2}serialInit \\(\\) at kernel/arch/serial\\.ts:\\d+\\n#1 {2}0x[0-9a-f]+ in kmain \\(bootInfo=4096\\) at kernel/main\\.ts:${k + 1}$`, "m"), out);
    assert.match(out, /Breakpoint 2, getNextPage \(\) at kernel\/mem\/pages\.ts:\d+/, out);
    assert.match(out, /^#\d {2}0x[0-9a-f]+ in memBoot \(bootInfo=4096, kernelEnd=\d+\) at kernel\/mem\/mem\.ts:\d+$/m, out);
  });
});
