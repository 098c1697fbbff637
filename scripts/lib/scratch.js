// A scratch copy of the repository for whatever must build in a tree of its own (the build, watch
// and Node-only tests, the benchmark's edit loop): every directory a build reads, and the
// repository's node_modules linked in. One list, so a new directory the build needs (toolchain/
// once the line table was read by it) is added once.
"use strict";
const fs = require("fs");
const os = require("os");
const path = require("path");

const ROOT = path.resolve(__dirname, "../..");
/** What a build and the commands read. No package-lock.json: with it (newer than the linked
 *  node_modules) scripts/setup would run `npm ci` through the link and empty the repository's own
 *  node_modules. */
const BUILD_SOURCES = ["boot", "kernel", "linker", "compiler", "scripts", "toolchain", "package.json", "tsconfig.json"];

/** Copies BUILD_SOURCES and `extra` into a new temporary directory named `prefix`…; returns it. */
function scratchCopy(prefix, extra = []) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  for (const p of [...BUILD_SOURCES, ...extra]) fs.cpSync(path.join(ROOT, p), path.join(dir, p), { recursive: true, preserveTimestamps: true });
  fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"));
  return dir;
}

module.exports = { scratchCopy, BUILD_SOURCES };
