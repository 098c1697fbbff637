// How tsk boots in QEMU: the one command line (shared by `npm start` and the test harness), the
// environment knobs (QEMU_MACHINE, QEMU_MEM, QEMU_ACCEL) and what QEMU's exit code means.
"use strict";
// The size syntax both emulators take (its own file: the playground's page reads it too).
const { memMiB } = require("./v86-mem");

/** isa-debug-exit exits QEMU with (value << 1) | 1: the kernel writes 0x10 or 0x11. */
const EXIT_SUCCESS = 33;
const EXIT_FAILURE = 35;
const MACHINES = ["pc", "q35"];
const ACCELS = ["tcg", "kvm"];

/** The qemu-system-i386 argument list for booting `image`. */
function qemuArgs({ image, machine = "pc", mem = "128M", accel = "tcg", cpu, args = [] }) {
  return [
    "-machine", machine,
    "-accel", accel,
    ...(cpu ? ["-cpu", cpu] : []),
    "-m", String(mem),
    "-display", "none",
    "-serial", "stdio",
    "-no-reboot",
    "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
    // snapshot=on: writes stay in a temporary file, so several QEMUs can share one image.
    "-drive", `format=raw,file=${image},snapshot=on`,
    ...args,
  ];
}

/** Machine options from the environment, validated; throws an Error saying what is wrong. */
function optionsFromEnv(env = process.env) {
  const machine = env.QEMU_MACHINE || "pc";
  const mem = env.QEMU_MEM || "128M";
  const accel = env.QEMU_ACCEL || "tcg";
  if (!MACHINES.includes(machine)) {
    throw new Error(`QEMU_MACHINE=${machine} is not supported: use ${MACHINES.join(" or ")}`);
  }
  if (Number.isNaN(memMiB(mem))) {
    throw new Error(`QEMU_MEM=${mem} is not a memory size: use e.g. 128M or 1G (a plain number means MiB)`);
  }
  if (!ACCELS.includes(accel)) {
    throw new Error(`QEMU_ACCEL=${accel} is not supported: use tcg (default) or kvm`);
  }
  return { machine, mem, accel };
}

/** "success", "failure" (the kernel reported failure) or "crash" (QEMU ended without a report). */
function verdict(exitCode) {
  if (exitCode === EXIT_SUCCESS) return "success";
  if (exitCode === EXIT_FAILURE) return "failure";
  return "crash";
}

/** One line on why a boot with this outcome is not a success (null for success). */
function describeExit({ exitCode, signal, timedOut, timeout }) {
  if (timedOut) return `timed out after ${timeout} ms without the kernel reporting (QEMU killed)`;
  if (signal) return `QEMU killed by ${signal} before the kernel reported`;
  switch (verdict(exitCode)) {
    case "success": return null;
    case "failure": return `the kernel reported failure (QEMU exit ${EXIT_FAILURE})`;
    default:
      return `QEMU exited ${exitCode} without the kernel reporting (a triple fault or a hang ends like this)`;
  }
}

module.exports = { qemuArgs, optionsFromEnv, verdict, describeExit, EXIT_SUCCESS, EXIT_FAILURE, QEMU: "qemu-system-i386" };
