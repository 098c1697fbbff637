// `npm run debug` (scripts/debug.js) driven non-interactively: gdb in batch mode must stop at kmain
// through the hardware breakpoint, and `info line`, `list` and `bt` must speak TypeScript.
"use strict";
const assert = require("assert");
const fs = require("fs");
const os = require("os");
const path = require("path");
const { spawnSync } = require("child_process");
const { which, ROOT } = require("../scripts/lib/build");
const { kernelImage } = require("./lib/images");
const { withSlot } = require("./lib/slots");

describe("boot: npm run debug (gdb)", function () {
  this.timeout(120000);
  let tmp;
  before(function () {
    if (!which("gdb")) this.skip();
    tmp = kernelImage().dir;
  });

  it("stops at kmain with hbreak; info line, list and bt show kernel/main.ts", async function () {
    const port = 20000 + (process.pid % 20000);
    const r = await withSlot(async () => spawnSync(process.execPath, ["scripts/debug.js", "--dir", tmp, "--port", String(port), "--",
      "-batch", "-ex", "info line", "-ex", "list", "-ex", "bt"], { cwd: ROOT, encoding: "utf8", timeout: 90000 }));
    const out = `${r.stdout}${r.stderr}`;
    assert.strictEqual(r.status, 0, out);
    assert.match(out, /Hardware assisted breakpoint 1 at 0x[0-9a-f]+: file kernel\/main\.ts, line \d+\./, out);
    assert.match(out, /Breakpoint 1, kmain \(bootInfo=4096\) at kernel\/main\.ts:\d+/, out);
    assert.match(out, /Line \d+ of "kernel\/main\.ts" starts at address 0x[0-9a-f]+ <kmain>/, out);
    assert.match(out, /^\d+\s+export function kmain\(bootInfo: u32\): void \{$/m, out);
    assert.match(out, /^#0 {2}kmain \(bootInfo=4096\) at kernel\/main\.ts:\d+$/m, out);
  });
});
