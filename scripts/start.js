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
  const r = spawnSync(QEMU, qemuArgs({ image: "build/tsk.img", ...opts }), { cwd: ROOT, stdio: "inherit" });
  if (r.error) {
    console.error(`start: cannot run ${QEMU}: ${r.error.message}`);
    return 1;
  }
  const why = describeExit({ exitCode: r.status, signal: r.signal });
  if (why) console.error(`start: ${why}`);
  return why ? 1 : 0;
}

process.exitCode = main();
