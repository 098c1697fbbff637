#!/usr/bin/env node
// Entry point of the `tsk` command: loads the compiler (TypeScript, stripped by register.js) and
// runs it, as compiler/node/command.js runs a command.
"use strict";
require("../node/command").runCommand(() => require("../src/cli").main(process.argv.slice(2)), (err) => {
  console.error(err && err.message ? err.message : String(err));
  return 1;
});
