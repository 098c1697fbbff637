// What `fs`, `os` and `child_process` are in the page's bundle. Only the compiler's host build
// (compiler/src/backend/c: buildHost, which runs gcc) and toolchain/asm's default file readers use
// them; the page checks and assembles over its in-memory files, passing its own readers, so any
// call reaching here is a bug, reported as such rather than as a missing-function TypeError.
"use strict";

function unavailable(name) {
  return () => {
    throw new Error(`${name}: Node's file system and processes do not exist in the page (the page passes in-memory files)`);
  };
}

// Every function the compiler and toolchain/asm call on these modules.
const NAMES = ["readFileSync", "writeFileSync", "unlinkSync", "mkdtempSync", "existsSync", "statSync", "mkdirSync",
  "readdirSync", "tmpdir", "spawnSync"];
module.exports = Object.fromEntries(NAMES.map((n) => [n, unavailable(n)]));
