// The emulator-neutral boot layer: which emulator boots the image (QEMU, the default where it is
// installed, or v86 from npm), the settings both take, the command line that runs it, and what its
// exit means. Both emulators end the same way for the caller: COM1 on the child's stdout, exit 33
// when the kernel reports success and 35 on failure (scripts/lib/qemu.js, scripts/lib/v86.js).
//
// Environment: TSK_EMULATOR (qemu|v86; unset = QEMU if qemu-system-i386 is on PATH, else v86),
// TSK_MEM (QEMU_MEM is an alias), TSK_TIMEOUT (seconds; QEMU_TIMEOUT is an alias), and the
// QEMU-only QEMU_MACHINE and QEMU_ACCEL (refused with v86, which emulates one PC, without KVM).
"use strict";
const path = require("path");
const { spawn } = require("child_process");
const qemu = require("./qemu");
const v86 = require("./v86");
const { which } = require("./build");

const EMULATORS = ["qemu", "v86"];

/** The value of a setting given by its neutral name or its QEMU alias; both set must agree. */
function setting(env, name, alias) {
  const a = env[name];
  const b = env[alias];
  if (a !== undefined && b !== undefined && a !== b) {
    throw new Error(`${name}=${a} and ${alias}=${b} disagree (${alias} is an alias of ${name}): set one`);
  }
  return a !== undefined ? { value: a, from: name } : b !== undefined ? { value: b, from: alias } : { value: undefined, from: name };
}

/**
 * The boot settings from the environment, validated; throws an Error saying what is wrong.
 * Returns {emulator, mem, machine, accel, timeout (seconds, 0 = none), note (a line to show the
 * user when the emulator was chosen for them, else null)}. hasQemu: is qemu-system-i386 installed.
 */
function optionsFromEnv(env = process.env, { hasQemu = Boolean(which(qemu.QEMU, env)), defaultTimeout = 600 } = {}) {
  let emulator = env.TSK_EMULATOR;
  let note = null;
  if (emulator === undefined || emulator === "") {
    emulator = hasQemu ? "qemu" : "v86";
    if (!hasQemu) note = `${qemu.QEMU} is not installed: booting in v86 (npm) instead (TSK_EMULATOR=v86 chooses it; scripts/setup installs QEMU as root on Debian)`;
  } else if (!EMULATORS.includes(emulator)) {
    throw new Error(`TSK_EMULATOR=${emulator} is not supported: use qemu or v86`);
  }
  const mem = setting(env, "TSK_MEM", "QEMU_MEM");
  const time = setting(env, "TSK_TIMEOUT", "QEMU_TIMEOUT");
  const timeout = time.value === undefined ? defaultTimeout : Number(time.value);
  if (time.value !== undefined && (time.value.trim() === "" || !Number.isFinite(timeout) || timeout < 0)) {
    throw new Error(`${time.from} must be a number of seconds (0 = no limit), not '${time.value}'`);
  }
  const base = { mem: mem.value || "128M", timeout, note };
  if (emulator === "qemu") {
    // qemu.js validates QEMU_MEM under that name; hand it the size whichever name gave it.
    let opts;
    try {
      opts = qemu.optionsFromEnv({ ...env, QEMU_MEM: base.mem });
    } catch (e) {
      throw new Error(e.message.replace(/^QEMU_MEM=/, `${mem.from}=`));
    }
    return { ...base, ...opts, emulator };
  }
  if (env.QEMU_MACHINE && env.QEMU_MACHINE !== "pc") {
    throw new Error(`QEMU_MACHINE=${env.QEMU_MACHINE} needs QEMU: v86 emulates one PC (i440FX, like QEMU's pc)`);
  }
  if (env.QEMU_ACCEL && env.QEMU_ACCEL !== "tcg") {
    throw new Error(`QEMU_ACCEL=${env.QEMU_ACCEL} needs QEMU: v86 is an emulator in wasm, with no KVM`);
  }
  try {
    v86.v86MemBytes(base.mem);
  } catch (e) {
    throw new Error(`${mem.from}=${base.mem}: ${e.message}`);
  }
  return { ...base, machine: "pc", accel: "tcg", emulator };
}

/** {cmd, args}: the process that boots `image` with COM1 on its stdout. */
function bootCommand({ emulator = "qemu", image, machine = "pc", mem = "128M", accel = "tcg", cpu, args = [] }) {
  if (emulator === "v86") {
    if (machine !== "pc" || accel !== "tcg" || args.length) throw new Error("v86 takes no QEMU machine, accelerator or arguments");
    return { cmd: process.execPath, args: v86.v86Args({ image, mem }) };
  }
  return { cmd: qemu.QEMU, args: qemu.qemuArgs({ image, machine, mem, accel, cpu, args }) };
}

/**
 * Starts an emulator (`cmd`, `args` from bootCommand) with COM1 on its stdout pipe and its stderr on
 * ours. Where util-linux's setpriv is installed (Debian's essential set), the kernel kills the
 * emulator with this process (--pdeathsig): a boot must not run on without whoever reads its serial
 * console and keeps its time limit, even when that process is killed outright (SIGTERM's exit,
 * SIGKILL: no handler runs); Ctrl-C reaches it anyway, through the terminal's process group. A
 * `cmd` that is not there is spawned as it is, so its error is spawn's own ("cannot run ...").
 */
function spawnEmulator(cmd, args, { cwd } = {}) {
  const options = { cwd, stdio: ["ignore", "pipe", "inherit"] };
  const setpriv = which("setpriv");
  if (setpriv && (path.isAbsolute(cmd) || which(cmd))) return spawn(setpriv, ["--pdeathsig", "KILL", "--", cmd, ...args], options);
  return spawn(cmd, args, options);
}

/**
 * Waits for a booting emulator `child` (stdout: COM1, paused or not) to end: every chunk of its
 * serial output to onSerial(chunk) as it comes, SIGKILL after `timeout` seconds (0 = no limit).
 * Resolves {exitCode, signal, timedOut, error} (error: it could not be started), for describeExit.
 * `npm start` and `npm run watch` end every boot, warm or cold, through this.
 */
function awaitBoot(child, { timeout = 0, onSerial = () => {} } = {}) {
  return new Promise((resolve) => {
    let timedOut = false;
    const timer = timeout ? setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, timeout * 1000) : null;
    child.stdout.on("data", onSerial);
    child.stdout.resume();
    child.on("error", (error) => {
      clearTimeout(timer);
      resolve({ exitCode: null, signal: null, timedOut: false, error });
    });
    child.on("close", (exitCode, signal) => {
      clearTimeout(timer);
      resolve({ exitCode, signal: timedOut ? null : signal, timedOut, error: null });
    });
  });
}

/** The emulator's name as the user knows it. */
const emulatorName = (emulator) => (emulator === "v86" ? "v86" : "QEMU");

/** One line on why a boot with this outcome is not a success (null for success). */
function describeExit({ exitCode, signal, timedOut, timeout }, emulator = "qemu") {
  if (emulator !== "v86") return qemu.describeExit({ exitCode, signal, timedOut, timeout });
  if (timedOut) return `timed out after ${timeout} ms without the kernel reporting (v86 stopped)`;
  if (signal) return `v86 killed by ${signal} before the kernel reported`;
  const own = v86.describeV86Exit(exitCode);
  if (own) return own;
  switch (qemu.verdict(exitCode)) {
    case "success": return null;
    case "failure": return `the kernel reported failure (exit ${qemu.EXIT_FAILURE}, as QEMU's)`;
    default: return `v86 exited ${exitCode} without the kernel reporting`;
  }
}

module.exports = { optionsFromEnv, bootCommand, spawnEmulator, awaitBoot, describeExit, emulatorName, EMULATORS, EXIT_SUCCESS: qemu.EXIT_SUCCESS, EXIT_FAILURE: qemu.EXIT_FAILURE };
