// The boot harness for either emulator (scripts/lib/emulator.js). Boots a disk image with COM1 on a
// pipe, hands each serial line to onLine as it arrives, and resolves {exitCode, serial, stderr,
// timedOut, stopped, signal, timeout, emulator}; the emulator is killed on timeout, or once
// `until(line)` is true (stopped: the caller has seen what it needed). Errors carry the serial
// log. Every boot holds one of the run's two emulator slots (test/lib/slots.js); its timeout counts
// from the emulator's start, not from the wait for a slot.
"use strict";
const { spawn } = require("child_process");
const { bootCommand, describeExit, emulatorName, EXIT_SUCCESS, EXIT_FAILURE } = require("../../scripts/lib/emulator");
const { verdict } = require("../../scripts/lib/qemu");
const { withSlot } = require("./slots");

/**
 * Boots `image`. Options: emulator ("qemu" or "v86"), machine ("pc"), mem ("128M"), cpu, accel
 * ("tcg"; tests never use kvm), timeout (ms, 60000), args (extra QEMU arguments), onLine(line),
 * until(line) (true: kill the emulator after this line; the result has stopped: true).
 */
function boot(image, opts = {}) {
  return withSlot(() => bootNow(image, opts));
}

function bootNow(image, { emulator = "qemu", machine = "pc", mem = "128M", cpu, accel = "tcg", timeout = 60000, args = [], onLine, until } = {}) {
  return new Promise((resolve, reject) => {
    const command = bootCommand({ emulator, image, machine, mem, cpu, accel, args });
    const cmd = command.cmd;
    // v86's command line carries its Node flags (scripts/lib/v86.js: the baseline wasm compiler).
    const child = spawn(cmd, command.args, { stdio: ["ignore", "pipe", "pipe"] });
    let serial = "";
    let stderr = "";
    let partial = "";
    let timedOut = false;
    let stopped = false;
    let callbackError = null;
    const emit = (line) => {
      if (stopped) return;
      if (onLine && !callbackError) {
        try { onLine(line); } catch (e) { callbackError = e; }
      }
      if (until && until(line)) {
        stopped = true;
        child.kill("SIGKILL");
      }
    };
    child.stdout.setEncoding("latin1");
    child.stdout.on("data", (chunk) => {
      serial += chunk;
      const parts = (partial + chunk).split("\n");
      partial = parts.pop();
      parts.forEach((l) => emit(l.replace(/\r$/, "")));
    });
    child.stderr.setEncoding("utf8");
    child.stderr.on("data", (chunk) => { stderr += chunk; });
    const timer = setTimeout(() => { timedOut = true; child.kill("SIGKILL"); }, timeout);
    child.on("error", (e) => {
      clearTimeout(timer);
      reject(withLog(new Error(`cannot run ${cmd}: ${e.message}`), serial));
    });
    child.on("close", (exitCode, signal) => {
      clearTimeout(timer);
      if (partial) emit(partial);
      if (callbackError) return reject(withLog(callbackError, serial));
      resolve({ exitCode, signal: timedOut || stopped ? null : signal, timedOut, stopped, serial, stderr, timeout, emulator });
    });
  });
}

function withLog(error, serial) {
  error.serial = serial;
  // An in-kernel assertion's own diagnostics say it all; attach a log only when there is one.
  if (serial) error.message += `\n--- serial log ---\n${serial}--- end of serial log ---`;
  return error;
}

/** The serial output as lines (trailing "\r" and the empty last line dropped). */
function lines(serial) {
  return serial.split("\n").map((l) => l.replace(/\r$/, "")).filter((l, i, a) => l !== "" || i < a.length - 1);
}

/** Throws (with the serial log and the emulator's stderr) unless the boot ended with exit `code`. */
function expectExit(result, code = EXIT_SUCCESS) {
  if (!result.timedOut && !result.signal && result.exitCode === code) return result;
  const name = emulatorName(result.emulator);
  const why = describeExit(result, result.emulator) || `the kernel reported success (exit ${EXIT_SUCCESS})`;
  const stderr = result.stderr ? `\n--- ${name} stderr ---\n${result.stderr}` : "";
  throw withLog(new Error(`expected ${name} exit ${code} (${verdict(code)}), but ${why}${stderr}`), result.serial);
}

module.exports = { boot, expectExit, lines, withLog, verdict, describeExit, EXIT_SUCCESS, EXIT_FAILURE };
