// How a command-line process of the compiler runs (bin/tsk.js, scripts/check.js): V8's optimizer
// only with a spare core (v8-flags.js), the compiler's loader before TypeScript so that both load
// from V8's code cache (register.js, code-cache.js), no source maps (these commands print messages,
// never a stack trace: otherwise Node decodes each module's inline map as it loads it, and the
// compiler's modules would not come from the code cache), and an exit as soon as the output is out.
"use strict";

/**
 * Runs `run()` (returns the exit code) set up as above; an exception becomes onError(err)'s code.
 * Then exits at once, as tsc does (ts.sys.exit): returning to Node's event loop would first tear
 * down the whole heap (TypeScript's program and checker, ~70 MB), ~40 ms of a cold check for
 * nothing. Only once what was written has left the process (pipes are asynchronous on some
 * systems); otherwise Node exits by itself after writing it, with the same code.
 */
function runCommand(run, onError) {
  let code;
  try {
    require("./v8-flags").optimizeOnlyWithSpareCore();
    require("./register");
    process.setSourceMapsEnabled(false);
    code = run();
  } catch (err) {
    code = onError(err);
  }
  process.exitCode = code;
  if (!process.stdout.writableLength && !process.stderr.writableLength) process.exit(code);
}

module.exports = { runCommand };
