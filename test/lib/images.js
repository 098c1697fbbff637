// The images the boot suites share, built once per change into build/test/ (the incremental
// build makes a second request, and a second `npm test`, nearly free). test/global-setup.js builds
// them before mocha's parallel workers start, so two workers never build the same directory at once.
"use strict";
const path = require("path");
const { build } = require("../../scripts/lib/build");
const { buildKtest } = require("../../scripts/lib/ktest");

const DIR = "build/test";

/** The real kernel (kernel/main.ts): build()'s result, {image, kernelBytes, kernelEnd, ...}. */
function kernelImage() {
  return { ...build({ dir: path.join(DIR, "kernel"), log: null }), dir: path.join(DIR, "kernel") };
}

/** The real kernel built by the JavaScript toolchain (TSK_TOOLCHAIN=js), in the directory
 *  test/toolchain-js.test.js builds it in: build()'s result with its `dir`. */
function jsKernelImage() {
  const dir = path.join(DIR, "js-kernel");
  return { ...build({ dir, toolchain: "js", log: null }), dir };
}

/** The in-kernel test image with every suite: buildKtest()'s result, and its dir. */
function ktestImage() {
  return { ...buildKtest({ dir: path.join(DIR, "ktest-all"), log: null }), dir: path.join(DIR, "ktest-all") };
}

/** The image that runs only `test` of `suite` (a test that must end the machine). */
function ktestOnlyImage(suite, test) {
  return buildKtest({ dir: path.join(DIR, `ktest-${test}`), only: { suite, test }, log: null });
}

module.exports = { kernelImage, jsKernelImage, ktestImage, ktestOnlyImage, DIR };
