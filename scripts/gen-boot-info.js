#!/usr/bin/env node
// Generates build/boot-info.inc (NASM %defines) from kernel/boot-info.ts, the one definition of the
// boot-info layout (its constants and memory layouts, scripts/lib/boot-info-defines.js), so stage 2, the entry stub and the kernel cannot disagree.
// Usage: node scripts/gen-boot-info.js [out.inc]
"use strict";
require("./lib/help").helpFromHeader(__filename);
const fs = require("fs");
const path = require("path");
require("../compiler/node/register");
const { renderBootInfo } = require("./lib/jskernel");

const ROOT = path.resolve(__dirname, "..");
const SOURCE = path.join(ROOT, "kernel/boot-info.ts");

/** The exports of kernel/boot-info.ts (its constants and layouts) as NASM source, rendered as the
 *  playground's in-page build renders them (scripts/lib/jskernel.js, scripts/lib/boot-info-defines.js). */
function render() {
  return renderBootInfo(require(SOURCE));
}

/** Writes the include file; leaves it untouched (mtime too) when nothing changed. */
function generate(out) {
  const text = render();
  if (fs.existsSync(out) && fs.readFileSync(out, "utf8") === text) return;
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, text);
}

module.exports = { render, generate, SOURCE };

if (require.main === module) {
  const out = path.resolve(process.argv[2] || path.join(ROOT, "build/boot-info.inc"));
  try {
    generate(out);
  } catch (e) {
    console.error(`gen-boot-info: ${e.message}`);
    process.exit(1);
  }
}
