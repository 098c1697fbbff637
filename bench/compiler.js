#!/usr/bin/env node
// npm run bench:compiler — what TypeScript costs at run time, measured against hand-written C in
// the same run: the kernel's allocator (kernel/mem/pages.ts, compiled by tsk) and bench/ref/pages.c
// (the same algorithm by hand) in one host program built with the same gcc flags, alternated at
// 0/50/90/99 % fill; their code sizes; and the time tsk takes to compile the whole kernel.
// `--json` prints one JSON object instead of the table. Goals (issue #3): time ratio <= 1.05,
// size ratio <= 1.2, kernel compile < 2 s.
"use strict";
require("../scripts/lib/help").helpFromHeader(__filename);
require("../compiler/node/register");
const fs = require("fs");
const os = require("os");
const path = require("path");
const { execFileSync, spawnSync } = require("child_process");
const { compile, GCC_FLAGS, RUNTIME_DIR } = require("../compiler/src/compile");
const { i386Command, i386Runner } = require("../scripts/lib/i386-host");

const ROOT = path.resolve(__dirname, "..");
const json = process.argv.includes("--json");

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
}

function program(extraFlags) {
  const r = compile([path.join(ROOT, "bench/compiler/pages-bench.ts")], "hostlib", ROOT);
  if (!r.c) throw new Error(r.diagnostics.map((d) => `${d.file}(${d.line},${d.col}): ${d.code}: ${d.message}`).join("\n"));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tsk-bench-"));
  const src = path.join(dir, "bench.c");
  const exe = path.join(dir, "bench");
  const ref = fs.readFileSync(path.join(ROOT, "bench/ref/pages.c"), "utf8");
  const driver = fs.readFileSync(path.join(ROOT, "bench/ref/driver.c"), "utf8");
  fs.writeFileSync(src, `${r.c}\n#line 1 "bench/ref/pages.c"\n${ref}\n#line 1 "bench/ref/driver.c"\n${driver}`);
  // -m32: the kernel is i386 code, so that is what is measured.
  execFileSync("gcc", [...GCC_FLAGS, "-m32", ...extraFlags, "-I", RUNTIME_DIR, "-o", exe, src], { stdio: ["ignore", "ignore", "inherit"] });
  return exe;
}

/** Sizes of the allocator's functions on each side, from the symbol table of a no-inline build. */
function codeSizes() {
  const exe = program(["-fno-inline"]);
  const out = execFileSync("nm", ["-S", "--size-sort", exe], { encoding: "utf8" });
  let ts = 0;
  let ref = 0;
  for (const line of out.split("\n")) {
    const m = /^[0-9a-f]+ ([0-9a-f]+) [tT] (\S+)$/.exec(line);
    if (!m) continue;
    const size = parseInt(m[1], 16);
    if (/(^|_)mem_pages_(tryGetNextPage|freePage|take|lowestClear)$/.test(m[2])) ts += size;
    if (/^(ref_try_get_next_page|ref_free_page|take|lowest_clear)$/.test(m[2])) ref += size;
  }
  return { ts, ref };
}

function compileTime() {
  const times = [];
  for (let i = 0; i < 5; i++) {
    const t0 = process.hrtime.bigint();
    const r = compile([path.join(ROOT, "kernel/main.ts")], "kernel", ROOT);
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    if (!r.c) throw new Error("the kernel does not compile");
  }
  const cli = [];
  for (let i = 0; i < 3; i++) {
    const t0 = process.hrtime.bigint();
    const p = spawnSync(process.execPath, [path.join(ROOT, "compiler/bin/tsk.js"), "emit", "kernel/main.ts", "-o", path.join(os.tmpdir(), "tsk-bench-kernel.c")], { cwd: ROOT });
    if (p.status !== 0) throw new Error(String(p.stderr));
    cli.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return { inProcessMs: median(times), cliMs: median(cli) };
}

function main() {
  const exe = program([]);
  const [cmd, args] = i386Command(exe);
  const run = spawnSync(cmd, args, { encoding: "utf8", maxBuffer: 64 << 20 });
  if (run.status !== 0) throw new Error(`benchmark program failed: ${run.stderr}`);
  const fills = [];
  for (const line of run.stderr.split("\n")) {
    const m = /^RESULT (\d+) ([\d.]+) ([\d.]+) (\d+) (\d+)$/.exec(line);
    if (!m) continue;
    if (m[4] !== m[5]) throw new Error(`at ${m[1]}% fill the two allocators behaved differently (checksums ${m[4]} vs ${m[5]})`);
    fills.push({ fill: Number(m[1]), tsNs: Number(m[2]), refNs: Number(m[3]), ratio: Number(m[2]) / Number(m[3]) });
  }
  const size = codeSizes();
  const kc = compileTime();
  const result = {
    machine: `${os.cpus()[0].model}, ${os.cpus().length} cores`,
    i386Runner: i386Runner(),
    gccFlags: [...GCC_FLAGS, "-m32"].join(" "),
    allocator: fills,
    worstTimeRatio: Math.max(...fills.map((f) => f.ratio)),
    codeBytes: { ts: size.ts, ref: size.ref, ratio: size.ts / size.ref },
    kernelCompileMs: kc,
  };
  if (json) {
    console.log(JSON.stringify(result, null, 2));
    return;
  }
  console.log(`bench:compiler on ${result.machine}; i386 code runs ${result.i386Runner}`);
  console.log("getNextPage+freePage pair, ns (median of 7), TypeScript via tsk vs hand-written C:");
  console.log("  fill    ts      C       ts/C");
  for (const f of fills) console.log(`  ${String(f.fill).padStart(3)}%  ${f.tsNs.toFixed(1).padStart(6)}  ${f.refNs.toFixed(1).padStart(6)}  ${f.ratio.toFixed(3)}`);
  const met = (ok) => (ok ? "met" : "NOT met");
  console.log(`allocator code (no inlining): ts ${size.ts} bytes, C ${size.ref} bytes, ratio ${result.codeBytes.ratio.toFixed(3)} (goal <= 1.2: ${met(result.codeBytes.ratio <= 1.2)})`);
  console.log(`compile kernel/main.ts: ${kc.inProcessMs.toFixed(0)} ms in process, ${kc.cliMs.toFixed(0)} ms for \`tsk emit\` from a cold node (goal < 2000 ms: ${met(kc.cliMs < 2000)})`);
  console.log(`worst time ratio ${result.worstTimeRatio.toFixed(3)} (goal <= 1.05: ${met(result.worstTimeRatio <= 1.05)}; host timings move a few percent from run to run)`);
}

module.exports = { codeSizes, compileTime, median };

if (require.main === module) {
  try {
    main();
  } catch (e) {
    console.error(`bench:compiler: ${e.message}`);
    process.exitCode = 1;
  }
}
