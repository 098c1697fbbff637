#!/usr/bin/env node
// `npm start`: builds build/tsk.img if needed and boots it in QEMU (or v86: TSK_EMULATOR, and the
// fallback where QEMU is not installed; scripts/lib/emulator.js) with the serial console on this
// terminal. TSK_MEM/QEMU_MEM (128M), TSK_TIMEOUT/QEMU_TIMEOUT, QEMU_MACHINE (pc|q35), QEMU_ACCEL
// (tcg|kvm: kvm only when asked; it is nested and slow here). Exits 0 when the kernel reports
// success, 1 otherwise with the reason.
// With QEMU, QEMU starts first and runs SeaBIOS while the image builds, then boots the built image
// (scripts/lib/warm-qemu.js): after an edit, QEMU's start, the BIOS and the host's page faults on
// the guest's RAM (prealloc) cost no time of their own.
"use strict";
const fs = require("fs");
const path = require("path");
const { buildIfNeeded, BuildError, checkTools, ROOT } = require("./lib/build");
const { QEMU } = require("./lib/qemu");
const { optionsFromEnv, bootCommand, spawnEmulator, awaitBoot, describeExit, emulatorName } = require("./lib/emulator");
const { WarmQemu } = require("./lib/warm-qemu");
// The image's size when there is none yet to go by: the smallest image the build makes.
const { MIN_IMAGE_BYTES } = require("./lib/jskernel");

const IMAGE = path.join(ROOT, "build/tsk.img");
/** 128 + SIGPIPE (13): the status a shell gives a writer whose reader went away. */
const EXIT_SIGPIPE = 141;

const USAGE = `usage: npm start
Builds build/tsk.img if anything changed and boots it, the serial console on this terminal.
Exit 0 when the kernel reports success, 1 otherwise (saying why).
Environment: TSK_EMULATOR (qemu|v86; default qemu where installed, else v86), TSK_MEM (alias
QEMU_MEM, 128M), TSK_TIMEOUT (alias QEMU_TIMEOUT, 600 s, 0 = none), QEMU_MACHINE (pc|q35),
QEMU_ACCEL (tcg|kvm).`;

async function main(argv) {
  if (argv.includes("--help") || argv.includes("-h")) {
    console.log(USAGE);
    return 0;
  }
  if (argv.length) {
    console.error(`start: unexpected argument ${argv[0]}\n${USAGE}`);
    return 2;
  }
  let opts;
  let warm = null;
  try {
    opts = optionsFromEnv();
    if (opts.emulator === "qemu") {
      checkTools([QEMU]);
      let size = MIN_IMAGE_BYTES;
      try {
        size = fs.statSync(IMAGE).size;
      } catch {}
      warm = new WarmQemu({ opts, imageBytes: size, seed: IMAGE, prealloc: true });
      // A boot's emulator dies with this process (spawnEmulator); the warm one's files go too.
      const stop = () => {
        warm.discard();
        process.exit(130);
      };
      process.on("SIGINT", stop);
      process.on("SIGTERM", stop);
    }
    buildIfNeeded();
  } catch (e) {
    if (warm) warm.discard();
    console.error(e instanceof BuildError ? `[build] error: ${e.message}` : `start: ${e.message}`);
    return 1;
  }
  if (opts.note) console.error(`start: ${opts.note}`);
  // A boot that never reports (e.g. q35 with -m 1M, where SeaBIOS itself cannot boot) must not
  // hang the terminal: TSK_TIMEOUT seconds (default 600; 0 = wait forever).
  const limit = opts.timeout;
  const name = emulatorName(opts.emulator);
  const { cmd, args } = bootCommand({ image: "build/tsk.img", ...opts });
  const child = (warm && await warm.go(IMAGE)) || spawnEmulator(cmd, args, { cwd: ROOT });
  // `npm start | head`: once the reader is gone, the boot is stopped and start ends quietly, with
  // the status of a program killed by SIGPIPE (Node ignores the signal and reports EPIPE instead).
  process.stdout.on("error", (e) => {
    if (e.code !== "EPIPE") throw e;
    child.kill("SIGKILL");
    process.exit(EXIT_SIGPIPE);
  });
  const r = await awaitBoot(child, { timeout: limit, onSerial: (d) => process.stdout.write(d) });
  if (r.timedOut) {
    console.error(`start: no verdict from the kernel after ${limit} s (${name} stopped; TSK_TIMEOUT sets the limit)`);
    return 1;
  }
  if (r.error) {
    console.error(`start: cannot run ${cmd}: ${r.error.message}`);
    return 1;
  }
  const why = describeExit(r, opts.emulator);
  if (why) console.error(`start: ${why}`);
  return why ? 1 : 0;
}

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
