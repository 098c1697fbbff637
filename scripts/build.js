#!/usr/bin/env node
// `npm run build`: builds build/tsk.img from kernel/main.ts (scripts/lib/build.js does the work).
// Options: --entry <file.ts> --dir <build dir> --image <img> (other images, e.g. the test kernel),
// --c <file.c> (skip tsk: build from hand-written C, for testing the pipeline), --if-needed.
// TSK_TOOLCHAIN=js|native picks the toolchain (scripts/lib/build.js's chooseToolchain).
"use strict";
require("./lib/help").helpFromHeader(__filename);
const { build, buildIfNeeded, BuildError } = require("./lib/build");

function parseArgs(argv) {
  const names = { "--entry": "entry", "--dir": "dir", "--image": "image", "--c": "cSource" };
  const opts = {};
  let ifNeeded = false;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--if-needed") ifNeeded = true;
    else if (names[argv[i]] && i + 1 < argv.length) opts[names[argv[i]]] = argv[++i];
    else throw new BuildError(`unknown argument: ${argv[i]} (expected --entry, --dir, --image, --c, --if-needed)`);
  }
  return { opts, ifNeeded };
}

try {
  const { opts, ifNeeded } = parseArgs(process.argv.slice(2));
  (ifNeeded ? buildIfNeeded : build)(opts);
} catch (e) {
  if (!(e instanceof BuildError)) throw e;
  console.error(`[build] error: ${e.message}`);
  process.exit(1);
}
