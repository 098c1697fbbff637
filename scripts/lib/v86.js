// How tsk boots in v86 (npm `v86`, an x86 PC emulator in wasm), made to look like QEMU to its
// callers: scripts/v86-boot.js runs one machine in its own Node process, writes COM1's bytes to
// stdout and exits with the code QEMU's isa-debug-exit would give (33 success, 35 failure), so the
// harness, `npm start` and ktest treat both emulators alike (scripts/lib/emulator.js). What v86
// lacks is made up here: the BIOS (bios/bios.bin, SeaBIOS from Debian) and the exit device (a
// write handler on port 0xf4). Ends that QEMU has no code for get codes of their own (below).
"use strict";
const path = require("path");
const { v86MemBytes, MIN_MIB, MAX_MIB } = require("./v86-mem");

const ROOT = path.resolve(__dirname, "../..");
const BIOS = path.join(ROOT, "bios/bios.bin");
const RUNNER = path.join(ROOT, "scripts/v86-boot.js");

/** Exit codes of scripts/v86-boot.js that are not the kernel's (the kernel's are always odd). */
const V86_EXIT = {
  /** The emulator itself failed (an exception out of v86's wasm, e.g. an unhandled fault). */
  CRASH: 2,
  /** The CPU stopped with interrupts off (`cli; hlt`): nothing can ever wake it. */
  HALT: 4,
  /** Bad arguments (a size v86 cannot boot, a missing file). */
  USAGE: 8,
};

// Machines up to 256 MiB run on V8's baseline wasm compiler only (--liftoff-only). The optimising
// tier recompiles v86's wasm, and the wasm v86 makes of the guest code, in the background: measured
// on this 2-core machine that doubles the CPU of a 2 MiB boot (1.5 -> 0.55 s) and a 128 MiB one
// (3.7 -> 1.75 s), for boots too short to repay it. The emulator and what it computes are the same;
// only how V8 compiles it differs. Larger machines (seconds of zeroing) keep the optimising tier.
const LIFTOFF_MAX_BYTES = 256 * 1024 * 1024;

/** The command line that boots `image` in v86 (node's arguments: V8 flags, the runner and its own). */
function v86Args({ image, mem = "128M" }) {
  let flags = [];
  try {
    if (v86MemBytes(mem) <= LIFTOFF_MAX_BYTES) flags = ["--liftoff-only"];
  } catch {
    // a size v86 refuses: scripts/v86-boot.js says so itself
  }
  return [...flags, RUNNER, "--mem", String(mem), image];
}

/** One line on why a v86 run that ended with this exit code is not the kernel's own verdict. */
function describeV86Exit(exitCode) {
  switch (exitCode) {
    case V86_EXIT.CRASH: return "v86 crashed (the emulator threw; its error is on stderr)";
    case V86_EXIT.HALT: return "the CPU halted with interrupts off (cli; hlt) without the kernel reporting";
    case V86_EXIT.USAGE: return "v86 was not started (bad arguments; see stderr)";
    default: return null;
  }
}

module.exports = { v86MemBytes, v86Args, describeV86Exit, V86_EXIT, BIOS, RUNNER, MIN_MIB, MAX_MIB };
