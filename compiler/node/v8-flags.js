// The V8 flags a tsk process sets for itself at run time, and why. code-cache.js keys its files by
// them: V8 rejects code cached under other flags, so processes with different flags (the `tsk`
// command, the test workers) keep one cache file each instead of overwriting each other's.
//
// A cold `tsk check` is a one-second process. V8's optimizing compiler (TurboFan) compiles hot
// functions on background threads; with a spare core that is free, but when every core is busy
// those threads take the CPU from the main thread and cost more than the optimized code saves.
// Measured on 2 cores (node 20, `tsk check kernel/main.ts`, medians of 8-18 runs): main-thread CPU
// 0.88 s with the optimizer, 0.92 s without; CPU of the whole process 1.56 s with it, 1.03 s without;
// wall time on the loaded machine (load 5-6) 3.2 s with it, 2.25 s without. So the optimizer stays
// on while the 1-minute load average is below the number of cores and is turned off above it.
// TSK_V8_OPT=on or off overrides that (the tests pin it: the choice must not depend on the load).
"use strict";
const os = require("os");
const v8 = require("v8");

let set = "";

/** Turns V8's optimizing compiler off for this process when no core is spare (see above). Call
 *  before TypeScript is loaded: the code cache's key must already include it. */
function optimizeOnlyWithSpareCore() {
  const setting = process.env.TSK_V8_OPT;
  if (setting !== undefined && setting !== "on" && setting !== "off") throw new Error(`TSK_V8_OPT=${setting}: use on or off (or leave it unset: off only when every core is busy)`);
  const off = setting ? setting === "off" : os.loadavg()[0] >= os.availableParallelism();
  if (off && !set) {
    v8.setFlagsFromString("--no-opt");
    set = "--no-opt";
  }
}

/** The flags set so far by this module (empty: V8's defaults). */
function runtimeFlags() {
  return set;
}

module.exports = { optimizeOnlyWithSpareCore, runtimeFlags };
