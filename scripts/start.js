#!/usr/bin/env node
// `npm start`: builds build/tsk.img if needed and boots it in QEMU (or v86: TSK_EMULATOR, and the
// fallback where QEMU is not installed; scripts/lib/emulator.js) with the serial console on this
// terminal. TSK_MEM/QEMU_MEM (128M), TSK_TIMEOUT/QEMU_TIMEOUT, QEMU_MACHINE (pc|q35), QEMU_ACCEL
// (tcg|kvm: kvm only when asked; it is nested and slow here). Exits 0 when the kernel reports
// success, 1 otherwise with the reason.
"use strict";
const { spawnSync } = require("child_process");
const { buildIfNeeded, BuildError, checkTools, ROOT } = require("./lib/build");
const { QEMU } = require("./lib/qemu");
const { optionsFromEnv, bootCommand, describeExit, emulatorName } = require("./lib/emulator");

function main() {
  let opts;
  try {
    opts = optionsFromEnv();
    if (opts.emulator === "qemu") checkTools([QEMU]);
    buildIfNeeded();
  } catch (e) {
    console.error(e instanceof BuildError ? `[build] error: ${e.message}` : `start: ${e.message}`);
    return 1;
  }
  if (opts.note) console.error(`start: ${opts.note}`);
  // A boot that never reports (e.g. q35 with -m 1M, where SeaBIOS itself cannot boot) must not
  // hang the terminal: TSK_TIMEOUT seconds (default 600; 0 = wait forever).
  const limit = opts.timeout;
  const name = emulatorName(opts.emulator);
  const { cmd, args } = bootCommand({ image: "build/tsk.img", ...opts });
  const r = spawnSync(cmd, args, { cwd: ROOT, stdio: "inherit", timeout: limit * 1000 || undefined, killSignal: "SIGKILL" });
  if (r.error && r.error.code === "ETIMEDOUT") {
    console.error(`start: no verdict from the kernel after ${limit} s (${name} stopped; TSK_TIMEOUT sets the limit)`);
    return 1;
  }
  if (r.error) {
    console.error(`start: cannot run ${cmd}: ${r.error.message}`);
    return 1;
  }
  const why = describeExit({ exitCode: r.status, signal: r.signal }, opts.emulator);
  if (why) console.error(`start: ${why}`);
  return why ? 1 : 0;
}

process.exitCode = main();
