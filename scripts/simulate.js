#!/usr/bin/env node
// npm run simulate -- <map.json> [--kernel-end 0xADDR] [--kernel-elf FILE] [--alloc-all] [--svg out.svg]
// Runs the real kernel/mem code in Node on a simulated machine whose BIOS map is the JSON file
// (architecture.md §5) and prints what the kernel prints: the e820:, pat:, mem: lines (and with
// --alloc-all, paging: and selftest:). A panic prints `panic: …` and exits 1. A map longer than the
// loader's table gets the loader's verdict (test/sim/bios.ts models stage 2). The kernel image is
// [0x100000, kernel end): by default the end of the built kernel (__kernel_end in build/kernel.elf),
// and what was assumed is said on stderr.
"use strict";
const fs = require("fs");
const path = require("path");
const { readElf } = require("../toolchain/dwarf/elf");

const ROOT = path.resolve(__dirname, "..");
const USAGE = "usage: npm run simulate -- <map.json> [--kernel-end 0xADDR] [--kernel-elf FILE] [--alloc-all] [--svg out.svg]\n";
const FALLBACK_END = 0x200000;

function usage(msg) {
  process.stderr.write(`simulate: ${msg}\n${USAGE}`);
  process.exit(2);
}

/** A --kernel-end value as a number, or the reason it is not acceptable. */
function parseKernelEnd(v) {
  if (v === undefined || v === "") return { error: "--kernel-end needs a value" };
  if (!/^(0x[0-9a-f]+|[0-9]+)$/i.test(v)) return { error: `--kernel-end ${v}: not a number (write 0x… or decimal)` };
  const n = Number(BigInt(v));
  if (BigInt(v) >= 1n << 32n) return { error: `--kernel-end ${v}: must be below 4 GiB (0x100000000)` };
  if (n <= 0x100000) return { error: `--kernel-end ${v}: must be above 1 MiB (0x100000), where the kernel image starts` };
  if (n % 4096 !== 0) return { error: `--kernel-end ${v}: must be page-aligned (a multiple of 0x1000)` };
  return { value: n };
}

/** __kernel_end from an ELF's symbol table (read in JavaScript: no binutils needed), or why not. */
function kernelEndFromElf(elf) {
  if (!fs.existsSync(elf)) return { error: `${path.relative(ROOT, elf) || elf} not built` };
  try {
    const sym = readElf(fs.readFileSync(elf), elf).symbols.find((s) => s.name === "__kernel_end");
    if (!sym) return { error: `no __kernel_end symbol in ${elf}` };
    return { value: sym.value };
  } catch (e) {
    return { error: `cannot read the symbols of ${elf} (${e.message.split("\n")[0]})` };
  }
}

const args = process.argv.slice(2);
let mapFile = null;
let kernelEnd = null;
let kernelElf = path.join(ROOT, "build/kernel.elf");
let allocAll = false;
let svgFile = null; // --svg: the picture of memory after the run (scripts/lib/memsvg.js)
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  const value = () => (a.includes("=") ? a.slice(a.indexOf("=") + 1) : args[++i]);
  if (a === "--alloc-all") allocAll = true;
  else if (a === "--svg") svgFile = args[++i] || usage("--svg needs a file name");
  else if (a === "--kernel-end" || a.startsWith("--kernel-end=")) {
    const k = parseKernelEnd(value());
    if (k.error) usage(k.error);
    kernelEnd = k.value;
  } else if (a === "--kernel-elf" || a.startsWith("--kernel-elf=")) {
    const v = value();
    if (v === undefined || v === "") usage("--kernel-elf needs a value");
    kernelElf = path.resolve(v);
  } else if (a === "-h" || a === "--help") {
    process.stdout.write(USAGE);
    process.exit(0);
  } else if (a.startsWith("-")) usage(`unknown option ${a}`);
  else if (mapFile === null) mapFile = a;
  else usage(`unexpected argument ${a}`);
}
if (mapFile === null) usage("no map file");

const hex = (n) => "0x" + n.toString(16);
if (kernelEnd === null) {
  const k = kernelEndFromElf(kernelElf);
  if (k.value !== undefined && parseKernelEnd(hex(k.value)).value !== undefined) {
    kernelEnd = k.value;
    process.stderr.write(`simulate: kernel image [0x100000, ${hex(kernelEnd)}) from ${path.relative(process.cwd(), kernelElf) || kernelElf}\n`);
  } else {
    kernelEnd = FALLBACK_END;
    const why = k.error || `its __kernel_end ${hex(k.value)} is not a usable kernel end`;
    process.stderr.write(`simulate: kernel image [0x100000, ${hex(kernelEnd)}) assumed: ${why} (npm run build, or pass --kernel-end)\n`);
  }
} else {
  process.stderr.write(`simulate: kernel image [0x100000, ${hex(kernelEnd)}) from --kernel-end\n`);
}

// Only now load the TypeScript (the compiler's Node loader takes a while): usage errors are quick.
require("../compiler/node/register");
const { simulate } = require("../test/sim/run.ts");
const { loadMapFile } = require("../test/sim/bios.ts");

let entries;
try {
  entries = loadMapFile(path.resolve(mapFile));
} catch (e) {
  process.stderr.write(`simulate: ${e.message.startsWith(path.resolve(mapFile)) ? mapFile + e.message.slice(path.resolve(mapFile).length) : e.message}\n`);
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
