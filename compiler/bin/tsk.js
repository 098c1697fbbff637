#!/usr/bin/env node
// Entry point of the `tsk` command: loads the compiler (TypeScript, stripped by register.js) and runs it.
"use strict";
try {
  // Before the compiler and TypeScript load: V8's optimizer only when a core is spare (v8-flags.js).
  require("../node/v8-flags").optimizeOnlyWithSpareCore();
  require("../node/register");
  process.exitCode = require("../src/cli").main(process.argv.slice(2));
} catch (err) {
  console.error(err && err.message ? err.message : String(err));
  process.exitCode = 1;
}
