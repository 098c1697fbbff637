#!/usr/bin/env node
// `npm run build:test`: finds every kernel/**/*.ktest.ts, generates the test entry
// (build/ktest/main.ts) and builds the test image build/ktest/tsk.img (scripts/lib/ktest.js).
// Options: --dir <dir>, --root <dir> (where to look; repeatable), --only <suite>:<test_name>
// (an image running just that test, as the harness does for tests expecting a fault or panic).
// Boot it with `npm run ktest` (QEMU, the KTAP on this terminal).
"use strict";
require("./lib/help").helpFromHeader(__filename);
const { buildKtest } = require("./lib/ktest");
const { BuildError } = require("./lib/build");

const opts = { roots: [] };
const argv = process.argv.slice(2);
try {
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--dir" && i + 1 < argv.length) opts.dir = argv[++i];
    else if (argv[i] === "--root" && i + 1 < argv.length) opts.roots.push(argv[++i]);
    else if (argv[i] === "--only" && i + 1 < argv.length) {
      const [suite, test] = argv[++i].split(":");
      opts.only = { suite, test };
    } else throw new BuildError(`unknown argument: ${argv[i]} (expected --dir, --root, --only <suite>:<test>)`);
  }
  if (!opts.roots.length) delete opts.roots;
  buildKtest(opts);
} catch (e) {
  console.error(`[build] error: ${e.message}`);
  process.exit(1);
}
