// mocha's configuration for `npm test`: every test/**/*.test.{js,ts}, in two parallel workers
// (at most two emulators at once across both: test/lib/slots.js). Each worker takes the next file
// when it finishes one, in this list's order, so the slowest files go first: started last, one of
// them would run alone while the other worker sits idle (longest first packs two workers best).
// boot-mem is second so that it starts beside the fuzzer, which boots nothing: it boots two
// machines at a time, and beside another emulator suite it would wait for the slots.
// SLOW_FIRST is measured (docs/testing.md: `TSK_TEST_TIMES=<file> npm test`, then
// test/lib/timing-report.js); every other test file follows in name order. `npx mocha <file>` adds <file> to this list.
"use strict";
const fs = require("fs");
const path = require("path");

const SLOW_FIRST = [
  "test/compiler/fuzz.test.ts",
  "test/boot-mem.test.js",
  "test/playground.test.js",
  "test/boot.test.js",
  "test/watch.test.js",
  "test/compiler/differential.test.ts",
  "test/nodeonly.test.js",
  "test/v86.test.js",
  "test/mem/fixtures.test.ts",
  "test/compiler/module-edges.test.ts",
  "test/compiler/fuzz-modules.test.ts",
  "test/ktest.test.js",
  "test/build.test.js",
  "test/playground-image.test.js",
  "test/ktest-v86.test.js",
  "test/setup.test.js",
  "test/link.test.js",
  "test/compiler/caches.test.ts",
  "test/compiler/layouts-fuzz.test.ts",
  "test/warm-boot.test.js",
  "test/compiler/diagnostics.test.ts",
  "test/mem/property.test.ts",
];

/** Every test file under `dir`, repository-relative with "/" separators. */
function testFiles(dir) {
  const out = [];
  for (const e of fs.readdirSync(path.join(__dirname, dir), { withFileTypes: true })) {
    const rel = `${dir}/${e.name}`;
    if (e.isDirectory()) out.push(...testFiles(rel));
    else if (/\.test\.(js|ts)$/.test(e.name)) out.push(rel);
  }
  return out;
}

const all = testFiles("test").sort();

module.exports = {
  // test/lib/timing.js does nothing unless TSK_TEST_TIMES names a file (docs/testing.md).
  require: ["compiler/node/register.js", "test/global-setup.js", "test/lib/timing.js"],
  spec: [...SLOW_FIRST.filter((f) => all.includes(f)), ...all.filter((f) => !SLOW_FIRST.includes(f))],
  extension: ["ts", "js"],
  parallel: true,
  jobs: 2,
  timeout: 300000,
};
