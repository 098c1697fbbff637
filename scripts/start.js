#!/usr/bin/env node
// `npm start`: builds build/tsk.img if needed and boots it in QEMU with the serial console on this
// terminal. QEMU_MACHINE (pc|q35), QEMU_MEM (128M), QEMU_ACCEL (tcg|kvm: kvm only when asked; it is
// nested and slow here). Exits 0 when the kernel reports success, 1 otherwise with the reason.
"use strict";
const { spawnSync } = require("child_process");
const { buildIfNeeded, BuildError, checkTools, ROOT } = require("./lib/build");
const { qemuArgs, optionsFromEnv, describeExit, QEMU } = require("./lib/qemu");

function main() {
  let opts;
  try {
    opts = optionsFromEnv();
    checkTools([QEMU]);
    buildIfNeeded();
  } catch (e) {
    console.error(e instanceof BuildError ? `[build] error: ${e.message}` : `start: ${e.message}`);
    return 1;
  }
  // A boot that never reports (e.g. q35 with -m 1M, where SeaBIOS itself cannot boot) must not
  // hang the terminal: QEMU_TIMEOUT seconds (default 600; 0 = wait forever).
  const limit = process.env.QEMU_TIMEOUT === undefined ? 600 : Number(process.env.QEMU_TIMEOUT);
  if (!Number.isFinite(limit) || limit < 0) {
    console.error(`start: QEMU_TIMEOUT must be a number of seconds (0 = no limit), not '${process.env.QEMU_TIMEOUT}'`);
    return 1;
  }
  const r = spawnSync(QEMU, qemuArgs({ image: "build/tsk.img", ...opts }), { cwd: ROOT, stdio: "inherit", timeout: limit * 1000 || undefined, killSignal: "SIGKILL" });
  if (r.error && r.error.code === "ETIMEDOUT") {
    console.error(`start: no verdict from the kernel after ${limit} s (QEMU stopped; QEMU_TIMEOUT sets the limit)`);
    return 1;
  }
  if (r.error) {
    console.error(`start: cannot run ${QEMU}: ${r.error.message}`);
    return 1;
  }
  const why = describeExit({ exitCode: r.status, signal: r.signal });
  if (why) console.error(`start: ${why}`);
  return why ? 1 : 0;
}

process.exitCode = main();
