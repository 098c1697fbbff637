// How tsk boots in v86 (npm `v86`, an x86 PC emulator in wasm), made to look like QEMU to its
// callers: scripts/v86-boot.js runs one machine in its own Node process, writes COM1's bytes to
// stdout and exits with the code QEMU's isa-debug-exit would give (33 success, 35 failure), so the
// harness, `npm start` and ktest treat both emulators alike (scripts/lib/emulator.js). What v86
// lacks is made up here: the BIOS (bios/bios.bin, SeaBIOS from Debian) and the exit device (a
// write handler on port 0xf4). Ends that QEMU has no code for get codes of their own (below).
"use strict";
const path = require("path");

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

// Measured (bios/bios.bin, this kernel): v86 runs 1 MiB (the loader's "no RAM at 1 MiB" panic, as
// on QEMU) to 4095 MiB; at 4096 MiB it fails inside v86 ("RangeError: offset is out of bounds":
// guest RAM plus v86's own state must fit wasm32's 4 GiB). v86's SeaBIOS reports at most
// 0x7ffe0000 bytes from 1 MiB, so above 2 GiB the guest sees no more RAM (the sizes still boot).
const MIN_MIB = 1;
const MAX_MIB = 4095;

/**
 * Bytes of RAM for a size written as QEMU takes it ("128M", "2G", or a plain number of MiB);
 * throws an Error saying why when v86 cannot boot that size.
 */
function v86MemBytes(mem) {
  const m = /^([1-9][0-9]*)([MG]?)$/.exec(String(mem));
  if (!m) throw new Error(`${mem} is not a memory size: use e.g. 128M or 1G (a plain number means MiB)`);
  const mib = Number(m[1]) * (m[2] === "G" ? 1024 : 1);
  if (mib < MIN_MIB || mib > MAX_MIB) {
    throw new Error(`v86 cannot boot ${mem} of RAM: it runs ${MIN_MIB} MiB to ${MAX_MIB} MiB ` +
      "(at 4 GiB and above v86's own wasm memory overflows). " +
      "QEMU boots the other sizes (TSK_EMULATOR=qemu)");
  }
  return mib * 1024 * 1024;
}

/** The command line that boots `image` in v86 (node, the runner and its arguments). */
function v86Args({ image, mem = "128M" }) {
  return [RUNNER, "--mem", String(mem), image];
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
