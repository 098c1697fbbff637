// A scratch copy of the repository for whatever must build in a tree of its own (the build, watch
// and Node-only tests, the benchmark's edit loop): every directory a build reads, and the
// repository's node_modules linked in. One list, so a new directory the build needs (toolchain/
// once the line table was read by it) is added once.
// compiler/ is linked too, not copied: nothing edits it in a scratch tree, and Node loads modules
// by their real path, so the compiler a scratch build loads is the repository's own files, whose
// transpiled JavaScript compiler/node/register.js has cached (keyed by content and file name). A
// copy is new file names: every scratch build's first process transpiled the compiler again
// (measured: a JS-toolchain build from scratch 4.5-4.9 -> 3.3 s of CPU) and left 27 more files in
// the cache, each run. The images come out byte for byte the same either way (measured, both
// toolchains).
"use strict";
const fs = require("fs");
const os = require("os");
const path = require("path");

const ROOT = path.resolve(__dirname, "../..");
/** What a build and the commands read. No package-lock.json: with it (newer than the linked
 *  node_modules) scripts/setup would run `npm ci` through the link and empty the repository's own
 *  node_modules. */
const BUILD_SOURCES = ["boot", "kernel", "linker", "compiler", "scripts", "toolchain", "package.json", "tsconfig.json"];
/** Linked rather than copied (see the header). */
const LINKED = ["compiler"];

/** Copies BUILD_SOURCES and `extra` (links LINKED) into a new temporary directory named `prefix`…;
 *  returns it. */
function scratchCopy(prefix, extra = []) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  for (const p of [...BUILD_SOURCES, ...extra]) {
    if (LINKED.includes(p)) fs.symlinkSync(path.join(ROOT, p), path.join(dir, p));
    else fs.cpSync(path.join(ROOT, p), path.join(dir, p), { recursive: true, preserveTimestamps: true });
  }
  fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"));
  return dir;
}

module.exports = { scratchCopy, BUILD_SOURCES };
