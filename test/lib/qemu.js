// The QEMU test harness: boots a disk image with the serial console on a pipe, hands each serial
// line to a callback as it arrives (a KTAP parser can follow the run live), and resolves with
// {exitCode, serial, timedOut, signal}. QEMU is killed on timeout. Errors carry the serial log.
// Every boot holds one of the run's two emulator slots (test/lib/slots.js).
"use strict";
const { spawn } = require("child_process");
const { withSlot } = require("./slots");
const { qemuArgs, verdict, describeExit, EXIT_SUCCESS, EXIT_FAILURE, QEMU } = require("../../scripts/lib/qemu");

/**
 * Boots `image`. Options: machine ("pc"), mem ("128M"), cpu, accel ("tcg"; tests never use kvm),
 * timeout (ms, 60000), args (extra QEMU arguments), onLine(line) (each serial line, without "\n").
 */
function boot(image, opts = {}) {
  // The timeout counts from QEMU's start, not from the wait for a slot.
  return withSlot(() => bootNow(image, opts));
}

function bootNow(image, { machine = "pc", mem = "128M", cpu, accel = "tcg", timeout = 60000, args = [], onLine } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(QEMU, qemuArgs({ image, machine, mem, cpu, accel, args }), { stdio: ["ignore", "pipe", "pipe"] });
    let serial = "";
    let stderr = "";
    let partial = "";
    let timedOut = false;
    let callbackError = null;
    const emit = (line) => {
      if (!onLine || callbackError) return;
      try { onLine(line); } catch (e) { callbackError = e; }
    };
    child.stdout.setEncoding("latin1");
    child.stdout.on("data", (chunk) => {
      serial += chunk;
      const lines = (partial + chunk).split("\n");
      partial = lines.pop();
      lines.forEach((l) => emit(l.replace(/\r$/, "")));
    });
    child.stderr.setEncoding("utf8");
    child.stderr.on("data", (chunk) => { stderr += chunk; });
    const timer = setTimeout(() => { timedOut = true; child.kill("SIGKILL"); }, timeout);
    child.on("error", (e) => {
      clearTimeout(timer);
      reject(withLog(new Error(`cannot run ${QEMU}: ${e.message}`), serial));
    });
    child.on("close", (exitCode, signal) => {
      clearTimeout(timer);
      if (partial) emit(partial);
      if (callbackError) return reject(withLog(callbackError, serial));
      resolve({ exitCode, signal: timedOut ? null : signal, timedOut, serial, stderr, timeout });
    });
  });
}

function withLog(error, serial) {
  error.serial = serial;
  // An in-kernel assertion's own diagnostics say it all; attach a log only when there is one.
  if (serial) error.message += `\n--- serial log ---\n${serial}--- end of serial log ---`;
  return error;
}

/** Throws (with the serial log and QEMU's stderr) unless the boot ended with exit code `code`. */
function expectExit(result, code = EXIT_SUCCESS) {
  if (!result.timedOut && !result.signal && result.exitCode === code) return result;
  const why = describeExit(result) || `the kernel reported success (QEMU exit ${EXIT_SUCCESS})`;
  const stderr = result.stderr ? `\n--- QEMU stderr ---\n${result.stderr}` : "";
  throw withLog(new Error(`expected QEMU exit ${code} (${verdict(code)}), but ${why}${stderr}`), result.serial);
}

/** The serial output as lines (trailing "\r" and the empty last line dropped). */
function lines(serial) {
  return serial.split("\n").map((l) => l.replace(/\r$/, "")).filter((l, i, a) => l !== "" || i < a.length - 1);
}

module.exports = { boot, expectExit, verdict, describeExit, lines, withLog, EXIT_SUCCESS, EXIT_FAILURE };
