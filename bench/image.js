// Builds the benchmark image (build/bench/bench.img) for `npm run bench` and test/bench.test.js.
//
// One C translation unit, compiled and linked exactly as the kernel is (scripts/lib/build.js's
// `build` with its `cSource` option: the kernel's gcc flags, kernel/arch/entry.asm, linker/kernel.ld,
// the loader): the C tsk emits for bench/kernel/main.ts (kernel/mem/*.ts and the forwards the
// harness calls), then bench/ref/kpages.c (the hand-written C allocator) and bench/ref/kbench.c (the
// harness, whose kmain is the image's entry). See the headers of those files for why.
"use strict";
require("../compiler/node/register");
const fs = require("fs");
const path = require("path");
const { compile } = require("../compiler/src/compile");
const { build, ROOT } = require("../scripts/lib/build");

const ENTRY = "bench/kernel/main.ts";
const REF = ["bench/ref/kpages.c", "bench/ref/kbench.c"];
const DIR = "build/bench";

/** Builds the image; returns {image, kernelBytes, kernelEnd, imageBytes, cFile}. */
function buildBenchImage({ dir = DIR, log = null } = {}) {
  const absDir = path.resolve(ROOT, dir);
  fs.mkdirSync(absDir, { recursive: true });
  if (log) log(`[bench] tsk     ${ENTRY} + ${REF.join(" + ")} -> ${path.join(dir, "bench.c")}`);
  const r = compile([path.join(ROOT, ENTRY)], "kernel", ROOT);
  if (!r.c) {
    throw new Error(r.diagnostics.map((d) => `${d.file}(${d.line},${d.col}): error ${d.code}: ${d.message}`).join("\n"));
  }
  const parts = [r.c];
  for (const f of REF) parts.push(`#line 1 "${f}"\n${fs.readFileSync(path.join(ROOT, f), "utf8")}`);
  const cFile = path.join(absDir, "bench.c");
  fs.writeFileSync(cFile, parts.join("\n"));
  const result = build({ cSource: cFile, dir: absDir, image: path.join(absDir, "bench.img"), log });
  return { ...result, cFile };
}

module.exports = { buildBenchImage, ENTRY, REF };

if (require.main === module) {
  const r = buildBenchImage({ log: console.log });
  console.log(`[bench] image   ${path.relative(ROOT, r.image)}`);
}
