// A machine with Node and no native toolchain or emulator (no gcc, nasm, binutils, QEMU, gdb, apt):
// in a scratch copy of the repository, `npm start`'s commands (scripts/setup, then start.js) build
// with the JavaScript toolchain and boot in v86 to `boot: ok`, and `npm run ktest`'s pass in v86.
"use strict";
const assert = require("assert");
const fs = require("fs");
const os = require("os");
const path = require("path");
const { spawnSync } = require("child_process");
const { ROOT } = require("../scripts/lib/build");
const { withSlot } = require("./lib/slots");

const { scratchCopy } = require("../scripts/lib/scratch");
const NATIVE = /^(gcc.*|cc|c\+\+|g\+\+.*|cpp.*|i686-.*|x86_64-linux-gnu-.*|nasm|ndisasm|ld|ld\..*|objcopy|objdump|nm|addr2line|readelf|strip|as|ar|size|qemu-.*|gdb.*|apt|apt-get|dpkg.*|chromium.*)$/;

describe("boot: with Node alone (no native tools, no QEMU)", function () {
  this.timeout(300000);
  let dir;
  let env;
  before(function () {
    dir = scratchCopy("tsk-nodeonly-", ["bios"]);
    const bin = path.join(dir, ".bin-node-only");
    fs.mkdirSync(bin);
    for (const d of ["/usr/local/bin", "/usr/bin", "/bin"]) {
      if (!fs.existsSync(d)) continue;
      for (const name of fs.readdirSync(d)) {
        if (!NATIVE.test(name) && !fs.existsSync(path.join(bin, name))) fs.symlinkSync(path.join(d, name), path.join(bin, name));
      }
    }
    if (!fs.existsSync(path.join(bin, "node"))) fs.symlinkSync(process.execPath, path.join(bin, "node"));
    env = { ...process.env, PATH: bin };
    for (const k of ["TSK_EMULATOR", "TSK_TOOLCHAIN", "TSK_MEM", "QEMU_MEM", "QEMU_MACHINE", "QEMU_ACCEL"]) delete env[k];
    // v86 on 16 MiB, not the default 128: the claim is what a Node-only machine chooses and builds;
    // v86 at the default size is v86.test.js's -m 128M boot.
    env.TSK_MEM = "16M";
  });
  after(() => dir && fs.rmSync(dir, { recursive: true, force: true }));

  const npmScript = (script) => withSlot(async () =>
    spawnSync("sh", ["-c", `scripts/setup --quiet && node ${script}`], { cwd: dir, env, encoding: "latin1", timeout: 240000 }));

  it("npm start: setup says what it goes on without, the JS toolchain builds, v86 boots to boot: ok, exit 0", async function () {
    const r = await npmScript("scripts/start.js");
    assert.strictEqual(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /setup: note: gcc is not installed and cannot be here; the build uses the JavaScript toolchain/);
    assert.match(r.stdout + r.stderr, /gcc and nasm not on PATH: using the JavaScript toolchain/);
    assert.match(r.stderr, /qemu-system-i386 is not installed: booting in v86/);
    assert.match(r.stdout, /^\[build\] asm\.js +boot\/stage2\.asm/m);
    assert.match(r.stdout, /^boot: ok\r?$/m);
  });

  it("npm run ktest: every in-kernel test passes in v86 on the JS-built test image", async function () {
    const r = await npmScript("scripts/ktest.js");
    assert.strictEqual(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /^ktest: \d+ passed, 0 failed, \d+ skipped/m);
  });
});
