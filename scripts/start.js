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

const USAGE = `usage: npm start
Builds build/tsk.img if anything changed and boots it, the serial console on this terminal.
Exit 0 when the kernel reports success, 1 otherwise (saying why).
Environment: TSK_EMULATOR (qemu|v86; default qemu where installed, else v86), TSK_MEM (alias
QEMU_MEM, 128M), TSK_TIMEOUT (alias QEMU_TIMEOUT, 600 s, 0 = none), QEMU_MACHINE (pc|q35),
QEMU_ACCEL (tcg|kvm).`;

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

process.exitCode = main(process.argv.slice(2));
