// scripts/lib/emulator.js: which emulator boots, the neutral settings and their QEMU aliases, and
// the command line each emulator gets. Node only (the boots are in v86.test.js and boot*.test.js).
"use strict";
const assert = require("assert");
const { optionsFromEnv, bootCommand, describeExit } = require("../scripts/lib/emulator");
const { V86_EXIT } = require("../scripts/lib/v86");

describe("emulator choice and settings", function () {
  it("QEMU where installed, v86 (with a note) where not, TSK_EMULATOR either way", function () {
    assert.deepStrictEqual(optionsFromEnv({}, { hasQemu: true }), { mem: "128M", timeout: 600, note: null, machine: "pc", accel: "tcg", emulator: "qemu" });
    const fallback = optionsFromEnv({}, { hasQemu: false });
    assert.strictEqual(fallback.emulator, "v86");
    assert.match(fallback.note, /qemu-system-i386 is not installed: booting in v86 \(npm\) instead/);
    assert.strictEqual(optionsFromEnv({ TSK_EMULATOR: "v86" }, { hasQemu: true }).note, null);
    // Asked for QEMU without it: no silent switch (npm start then names the missing tool).
    assert.strictEqual(optionsFromEnv({ TSK_EMULATOR: "qemu" }, { hasQemu: false }).emulator, "qemu");
    assert.throws(() => optionsFromEnv({ TSK_EMULATOR: "bochs" }), /TSK_EMULATOR=bochs is not supported: use qemu or v86/);
  });

  it("TSK_MEM and TSK_TIMEOUT, with QEMU_MEM and QEMU_TIMEOUT as aliases", function () {
    for (const emulator of ["qemu", "v86"]) {
      assert.strictEqual(optionsFromEnv({ TSK_EMULATOR: emulator, QEMU_MEM: "1G" }).mem, "1G");
      assert.strictEqual(optionsFromEnv({ TSK_EMULATOR: emulator, TSK_MEM: "2G", QEMU_MEM: "2G" }).mem, "2G");
      assert.strictEqual(optionsFromEnv({ TSK_EMULATOR: emulator, QEMU_TIMEOUT: "5" }).timeout, 5);
      assert.strictEqual(optionsFromEnv({ TSK_EMULATOR: emulator, TSK_TIMEOUT: "0" }).timeout, 0);
      assert.throws(() => optionsFromEnv({ TSK_EMULATOR: emulator, TSK_TIMEOUT: "1", QEMU_TIMEOUT: "2" }), /TSK_TIMEOUT=1 and QEMU_TIMEOUT=2 disagree/);
      assert.throws(() => optionsFromEnv({ TSK_EMULATOR: emulator, QEMU_TIMEOUT: "-1" }), /QEMU_TIMEOUT must be a number of seconds/);
      assert.throws(() => optionsFromEnv({ TSK_EMULATOR: emulator, TSK_MEM: "lots" }), /TSK_MEM=lots(:| is not)/);
    }
    // QEMU takes 8G; v86 stops at 4095 MiB.
    assert.strictEqual(optionsFromEnv({ TSK_EMULATOR: "qemu", TSK_MEM: "8G" }).mem, "8G");
    assert.strictEqual(optionsFromEnv({ TSK_EMULATOR: "v86", TSK_MEM: "4095M" }).mem, "4095M");
    assert.throws(() => optionsFromEnv({ TSK_EMULATOR: "v86", TSK_MEM: "8G" }), /TSK_MEM=8G: v86 cannot boot 8G of RAM/);
  });

  it("gives each emulator its command line, and names v86's own endings", function () {
    const q = bootCommand({ emulator: "qemu", image: "x.img", mem: "1G" });
    assert.strictEqual(q.cmd, "qemu-system-i386");
    assert.ok(q.args.join(" ").includes("-m 1G"));
    const v = bootCommand({ emulator: "v86", image: "x.img", mem: "1G" });
    assert.strictEqual(v.cmd, process.execPath);
    assert.deepStrictEqual(v.args.slice(1), ["--mem", "1G", "x.img"]);
    // Up to 256 MiB v86 runs on V8's baseline wasm compiler only (scripts/lib/v86.js); above, not.
    const { RUNNER } = require("../scripts/lib/v86");
    assert.deepStrictEqual(bootCommand({ emulator: "v86", image: "x.img", mem: "256M" }).args, ["--liftoff-only", RUNNER, "--mem", "256M", "x.img"]);
    assert.deepStrictEqual(v.args, [RUNNER, "--mem", "1G", "x.img"]);
    assert.deepStrictEqual(bootCommand({ emulator: "v86", image: "x.img", mem: "8G" }).args, [RUNNER, "--mem", "8G", "x.img"]);
    assert.throws(() => bootCommand({ emulator: "v86", image: "x.img", machine: "q35" }), /v86 takes no QEMU machine/);
    assert.strictEqual(describeExit({ exitCode: 33 }, "v86"), null);
    assert.match(describeExit({ exitCode: 35 }, "v86"), /the kernel reported failure/);
    assert.match(describeExit({ exitCode: V86_EXIT.HALT }, "v86"), /halted with interrupts off/);
    assert.match(describeExit({ exitCode: V86_EXIT.CRASH }, "v86"), /v86 crashed/);
    assert.match(describeExit({ timedOut: true, timeout: 5 }, "v86"), /timed out after 5 ms .*v86 stopped/);
    assert.match(describeExit({ exitCode: 0 }, "qemu"), /QEMU exited 0/);
  });
});
