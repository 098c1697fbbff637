// One timed boot for every section of the benchmark (boot, phases, v86): spawns the emulator on an
// image, stamps each serial line with the ms since the spawn, and resolves when it exits.
"use strict";
const path = require("path");
const { spawn } = require("child_process");
const { bootCommand, emulatorName, EXIT_SUCCESS } = require("../scripts/lib/emulator");
const { ROOT } = require("../scripts/lib/build");

/**
 * Boots `image` in `emulator` (qemu | v86) with `mem` (and QEMU arguments `args`); resolves {serial, ms (spawn to exit), okMs
 * (spawn to the `boot: ok` line), lines: [{ms, text}]}. Rejects when the emulator does not exit
 * with the kernel's success code (the serial output and stderr in the message), or after `timeout`.
 */
function timedBoot({ emulator = "qemu", image, mem = "128M", args: extra = [], timeout = 300000 }) {
  return new Promise((resolve, reject) => {
    const { cmd, args } = bootCommand({ emulator, image, mem, args: extra });
    const t0 = process.hrtime.bigint();
    const now = () => Number(process.hrtime.bigint() - t0) / 1e6;
    const child = spawn(cmd, args, { stdio: ["ignore", "pipe", "pipe"] });
    let serial = "";
    let stderr = "";
    let partial = "";
    let okMs = null;
    const lines = [];
    const timer = setTimeout(() => child.kill("SIGKILL"), timeout);
    child.stdout.setEncoding("latin1");
    child.stdout.on("data", (chunk) => {
      const t = now();
      serial += chunk;
      const parts = (partial + chunk).split("\n");
      partial = parts.pop();
      for (const raw of parts) {
        const text = raw.replace(/\r$/, "");
        lines.push({ ms: t, text });
        if (okMs === null && text === "boot: ok") okMs = t;
      }
    });
    child.stderr.on("data", (chunk) => { stderr += chunk; });
    child.on("error", (e) => { clearTimeout(timer); reject(new Error(`cannot run ${cmd}: ${e.message}`)); });
    child.on("close", (exitCode, signal) => {
      clearTimeout(timer);
      const ms = now();
      if (exitCode !== EXIT_SUCCESS) {
        reject(new Error(`${path.relative(ROOT, image)}: ${emulatorName(emulator)} ended with ${signal || `exit ${exitCode}`}, not ${EXIT_SUCCESS}` +
          `\n--- serial ---\n${serial}--- stderr ---\n${stderr}`));
        return;
      }
      resolve({ serial, ms, okMs, lines });
    });
  });
}

module.exports = { timedBoot };
