#!/usr/bin/env node
// Entry point of the `tsk` command: loads the compiler (TypeScript, stripped by register.js) and runs it.
"use strict";
require("../node/register");
try {
  process.exitCode = require("../src/cli").main(process.argv.slice(2));
} catch (err) {
  console.error(err && err.message ? err.message : String(err));
  process.exitCode = 1;
}
