#!/usr/bin/env node
// `npm start`: builds build/tsk.img if needed and boots it in QEMU with the serial console on this
// terminal. QEMU_MACHINE (pc|q35), QEMU_MEM (128M), QEMU_ACCEL (tcg|kvm: kvm only when asked; it is
// nested and slow here). Exits 0 when the kernel reports success, 1 otherwise with the reason.
"use strict";
const { spawnSync } = require("child_process");
const { buildIfNeeded, BuildError, checkTools, ROOT } = require("./lib/build");
const { qemuArgs, optionsFromEnv, timeoutFromEnv, describeExit, QEMU } = require("./lib/qemu");

const USAGE = `usage: npm start
Builds build/tsk.img if anything changed and boots it in QEMU, the serial console on this terminal.
Exit 0 when the kernel reports success, 1 otherwise (saying why).
Environment: QEMU_MACHINE (pc|q35), QEMU_MEM (128M), QEMU_ACCEL (tcg|kvm), QEMU_TIMEOUT (600 s, 0 = none).`;

function main(argv) {
  if (argv.includes("--help") || argv.includes("-h")) {
    console.log(USAGE);
    return 0;
  }
  if (argv.length) {
    console.error(`start: unexpected argument ${argv[0]}\n${USAGE}`);
    return 2;
  }
  let opts;
  let timeout;
  try {
    opts = optionsFromEnv();
    timeout = timeoutFromEnv();
    checkTools([QEMU]);
    buildIfNeeded();
  } catch (e) {
    console.error(e instanceof BuildError ? `[build] error: ${e.message}` : `start: ${e.message}`);
    return 1;
  }
  // A boot that never reports (e.g. q35 with -m 1M, where SeaBIOS itself cannot boot) must not
  // hang the terminal: QEMU_TIMEOUT seconds (default 600; 0 = wait forever).
  const r = spawnSync(QEMU, qemuArgs({ image: "build/tsk.img", ...opts }), { cwd: ROOT, stdio: "inherit", timeout: timeout || undefined, killSignal: "SIGKILL" });
  if (r.error && r.error.code === "ETIMEDOUT") {
    console.error(`start: no verdict from the kernel after ${timeout / 1000} s (QEMU stopped; QEMU_TIMEOUT sets the limit)`);
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

process.exitCode = main(process.argv.slice(2));
