#!/usr/bin/env node
// `npm run ktest`: builds the in-kernel test image (scripts/lib/ktest.js; `--only <suite>:<test>`
// for one test) and boots it with the KTAP output on this terminal. Exits 0 when every suite
// passed (QEMU 33), 1 otherwise. `npm test` runs the same tests through mocha, one by one.
"use strict";
const { spawnSync } = require("child_process");
const { buildKtest } = require("./lib/ktest");
const { BuildError, checkTools, ROOT } = require("./lib/build");
const { qemuArgs, optionsFromEnv, describeExit, QEMU } = require("./lib/qemu");

function main(argv) {
  let opts;
  let image;
  try {
    opts = optionsFromEnv();
    checkTools([QEMU]);
    const i = argv.indexOf("--only");
    const only = i >= 0 && argv[i + 1] ? { suite: argv[i + 1].split(":")[0], test: argv[i + 1].split(":")[1] } : undefined;
    image = buildKtest({ dir: only ? "build/ktest-only" : "build/ktest", only }).image;
  } catch (e) {
    console.error(e instanceof BuildError ? `[build] error: ${e.message}` : `ktest: ${e.message}`);
    return 1;
  }
  const r = spawnSync(QEMU, qemuArgs({ image, ...opts }), { cwd: ROOT, stdio: "inherit" });
  if (r.error) {
    console.error(`ktest: cannot run ${QEMU}: ${r.error.message}`);
    return 1;
  }
  const why = describeExit({ exitCode: r.status, signal: r.signal });
  if (why) console.error(`ktest: ${why}`);
  return why ? 1 : 0;
}

process.exitCode = main(process.argv.slice(2));
