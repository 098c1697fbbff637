#!/usr/bin/env node
// Entry point of the `tsk` command: loads the compiler (TypeScript, stripped by register.js) and runs it.
"use strict";
let code;
try {
  // Before the compiler and TypeScript load: V8's optimizer only when a core is spare (v8-flags.js).
  require("../node/v8-flags").optimizeOnlyWithSpareCore();
  require("../node/register");
  // This command prints error messages, never a stack trace, so the compiler's modules need no
  // source maps: without this Node decodes and indexes each module's inline map as it loads it.
  process.setSourceMapsEnabled(false);
  code = require("../src/cli").main(process.argv.slice(2));
} catch (err) {
  console.error(err && err.message ? err.message : String(err));
  code = 1;
}
// Exit now, as tsc does (ts.sys.exit): returning to Node's event loop would first tear down the
// whole heap (TypeScript's program and checker, ~70 MB), ~40 ms of a cold check for nothing. Only
// once what was written has left the process (pipes are asynchronous on some systems); otherwise
// Node exits by itself after writing it, with the same code.
process.exitCode = code;
if (!process.stdout.writableLength && !process.stderr.writableLength) process.exit(code);
