#!/usr/bin/env node
// npm run simulate -- <map.json> [--kernel-end 0xADDR] [--alloc-all]
// Runs the real kernel/mem code in Node on a simulated machine whose BIOS map is the JSON file
// (architecture.md §5) and prints what the kernel prints: the e820:, pat:, mem: lines (and with
// --alloc-all, paging: and selftest:). A panic prints `panic: …` and exits 1.
"use strict";
require("../compiler/node/register");
const path = require("path");
const { simulate } = require("../test/sim/run.ts");
const { loadMapFile } = require("../test/sim/bios.ts");

function usage(msg) {
  if (msg) process.stderr.write(`simulate: ${msg}\n`);
  process.stderr.write("usage: npm run simulate -- <map.json> [--kernel-end 0xADDR] [--alloc-all] [--svg out.svg]\n");
  process.exit(2);
}

const args = process.argv.slice(2);
let mapFile = null;
let kernelEnd = 0x200000;
let allocAll = false;
let svgFile = null; // --svg: the picture of memory after the run (scripts/lib/memsvg.js)
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  if (a === "--alloc-all") allocAll = true;
  else if (a === "--svg") svgFile = args[++i] || usage("--svg needs a file name");
  else if (a === "--kernel-end" || a.startsWith("--kernel-end=")) {
    const v = a.includes("=") ? a.slice(a.indexOf("=") + 1) : args[++i];
    if (v === undefined || !/^(0x[0-9a-f]+|[0-9]+)$/i.test(v)) usage(`bad --kernel-end ${v}`);
    kernelEnd = Number(v);
    if (kernelEnd > 0xffffffff) usage("--kernel-end must be below 4 GiB");
  } else if (a === "-h" || a === "--help") usage();
  else if (a.startsWith("-")) usage(`unknown option ${a}`);
  else if (mapFile === null) mapFile = a;
  else usage(`unexpected argument ${a}`);
}
if (mapFile === null) usage("no map file");

let entries;
try {
  entries = loadMapFile(path.resolve(mapFile));
} catch (e) {
  process.stderr.write(`simulate: ${mapFile}: ${e.message}\n`);
  process.exit(2);
}

let line = [];
const flush = () => {
  if (line.length) process.stdout.write(Buffer.from(line));
  line = [];
};
const result = simulate(entries, {
  kernelEnd,
  allocAll,
  onSerial: (b) => {
    line.push(b);
    if (b === 10) flush();
  },
});
flush();
if (svgFile) {
  try { require("./lib/memsvg").writeSimSvg(svgFile, result, kernelEnd, `tsk: physical memory for ${path.basename(mapFile)}`); }
  catch (e) { process.stderr.write(`simulate: cannot write ${svgFile}: ${e.message}\n`); process.exitCode = 1; }
}
if (result.exit) {
  if (result.exit.reason !== "debug-exit") process.stderr.write(`simulate: ${result.exit.message}\n`);
  process.exitCode = result.exit.reason === "debug-exit" && result.exit.code === 0x10 ? 0 : 1;
}
