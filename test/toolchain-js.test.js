// The JavaScript toolchain (TSK_TOOLCHAIN=js: tsk's i386 backend, toolchain/asm, toolchain/link;
// scripts/lib/jsbuild.js): the kernel and the in-kernel test image it builds boot in QEMU (in v86:
// test/nodeonly.test.js), every in-kernel test passes there, a fault report names its .ts line
// through the line table made from the backend's own map, and without gcc or nasm on PATH the build
// chooses it by itself (a whole build from scratch that way, with only Node: test/nodeonly.test.js's
// `npm start`). The differential suites (test/compiler) check the backend's arithmetic against Node
// and gcc.
"use strict";
const assert = require("assert");
const fs = require("fs");
const os = require("os");
const path = require("path");
const { build, chooseToolchain, BuildError, ROOT } = require("../scripts/lib/build");
const { buildKtest, discover, checkExpected } = require("../scripts/lib/ktest");
const { boot, withLog } = require("./lib/emu");
const { EXIT_SUCCESS } = require("../scripts/lib/emulator");
const { DIR } = require("./lib/images");

const TIMEOUT = 120000;
// Every boot here on -m 16M: what is checked is the JS toolchain's image (it boots, its tests pass,
// its fault report), not RAM; the native images at the default 128M are ktest.test.js's and
// boot-mem.test.js's.
const MEM = "16M";
const dir = (name) => path.join(DIR, `js-${name}`);

describe("toolchain: TSK_TOOLCHAIN=js (no gcc, nasm, ld, objcopy or binutils)", function () {
  this.timeout(TIMEOUT + 60000);
  let kernel;
  let ktest;
  before(() => {
    kernel = build({ dir: dir("kernel"), toolchain: "js", log: null });
    ktest = buildKtest({ dir: dir("ktest-all"), toolchain: "js", log: null });
  });

  it("refuses a TSK_TOOLCHAIN it does not know, saying what it takes", () => {
    assert.throws(() => chooseToolchain({ ...process.env, TSK_TOOLCHAIN: "llvm" }, null), (e) => e instanceof BuildError && /TSK_TOOLCHAIN=llvm: expected js or native/.test(e.message));
  });

  it("chooses js where gcc or nasm is missing, and says so", () => {
    const said = [];
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), "tsk-nopath-"));
    try {
      assert.strictEqual(chooseToolchain({ PATH: empty }, (l) => said.push(l)), "js");
    } finally {
      fs.rmSync(empty, { recursive: true, force: true });
    }
    assert.match(said.join("\n"), /gcc and nasm not on PATH: using the JavaScript toolchain/);
  });

  it("a second build with nothing changed runs no step", () => {
    const again = build({ dir: dir("kernel"), toolchain: "js", log: null });
    assert.strictEqual(again.upToDate, true, `ran: ${again.ran.join(", ")}`);
  });

  it("the kernel boots to boot: ok in QEMU", async () => {
    const r = await boot(kernel.image, { mem: MEM, timeout: TIMEOUT });
    assert.strictEqual(r.exitCode, EXIT_SUCCESS, withLog(new Error(`exit ${r.exitCode}`), r.serial).message);
    assert.match(r.serial, /^boot: ok$/m);
  });

  // In v86 the same two images (js toolchain, v86's default 128M) boot in test/nodeonly.test.js:
  // its `npm start` must reach boot: ok and its `npm run ktest` must pass every in-kernel test, on a
  // machine where the build chooses this toolchain by itself. Booting them here again would prove
  // nothing more (and costs two v86 boots).
  it("every in-kernel test passes in qemu", async () => {
    const r = await boot(ktest.image, { emulator: "qemu", mem: MEM, timeout: TIMEOUT });
    assert.doesNotMatch(r.serial, /^\s*not ok/m, r.serial);
    assert.match(r.serial, /^# ktest: all suites passed$/m, r.serial);
    assert.strictEqual(r.exitCode, EXIT_SUCCESS, r.serial);
    // Every ordinary test reported ok (the expecting ones run in their own boots).
    for (const s of ktest.suites) for (const t of s.tests) assert.match(r.serial, new RegExp(`^\\s*ok \\d+ ${t.name}\\b`, "m"), `${s.suite}/${t.name}`);
  });

  it("a page fault's report names the .ts line and the stack walk ends at the entry stub", async () => {
    const s = discover().find((x) => x.suite === "arch/fault");
    const t = s.tests.find((x) => x.name === "test_expect_fault_14_null_read");
    const img = buildKtest({ dir: dir("ktest-fault14"), toolchain: "js", only: { suite: s.suite, test: t.name }, log: null });
    const r = await boot(img.image, { mem: MEM, timeout: TIMEOUT });
    const problem = checkExpected(s, t, r.serial, r.exitCode);
    assert.strictEqual(problem, null, withLog(new Error(problem || ""), r.serial).message);
    assert.match(r.serial, /^ {2}#\d+ 0x[0-9a-f]{8} kernel\/arch\/entry\.asm:\d+ \(start\)$/m, r.serial);
  });
});
