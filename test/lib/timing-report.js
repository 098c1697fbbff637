#!/usr/bin/env node
// Summarises a TSK_TEST_TIMES file (test/lib/timing.js): global setup, each test file's wall and
// CPU (its worker's own and its children's) and when it ran on which worker, the emulator slots'
// waits and use, and the slowest tests. Usage: node test/lib/timing-report.js <times.jsonl> [top N]
"use strict";
const fs = require("fs");
const path = require("path");

const [file, topArg] = process.argv.slice(2);
if (!file) {
  console.error("usage: node test/lib/timing-report.js <times.jsonl> [top N]");
  process.exit(2);
}
const rows = fs.readFileSync(file, "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l));
const files = rows.filter((r) => r.kind === "file");
const tests = rows.filter((r) => r.kind === "test");
const slots = rows.filter((r) => r.kind === "slot");
const setup = rows.find((r) => r.kind === "setup");
const t0 = Math.min(...rows.map((r) => r.start ?? r.asked));
const t1 = Math.max(...rows.map((r) => r.end));
const s = (ms) => (ms / 1000).toFixed(1);
const rel = (f) => path.relative(process.cwd(), f || "?");

console.log(`run: ${s(t1 - t0)} s from global setup's start to the last test's end`);
if (setup) console.log(`global setup: ${s(setup.end - setup.start)} s`);

const slotOf = (f) => slots.filter((x) => x.pid === f.pid && x.asked >= f.start && x.end <= f.end);
console.log("\nper file (slowest first): wall s, worker cpu s, children cpu s, slot wait s, slot held s, start..end s, worker");
for (const f of [...files].sort((a, b) => b.end - b.start - (a.end - a.start))) {
  const sl = slotOf(f);
  const wait = sl.reduce((n, x) => n + x.got - x.asked, 0);
  const held = sl.reduce((n, x) => n + x.end - x.got, 0);
  console.log(`  ${s(f.end - f.start).padStart(6)} ${f.cpu.toFixed(1).padStart(6)} ${f.childCpu.toFixed(1).padStart(6)} ${s(wait).padStart(6)} ${s(held).padStart(6)}  ${s(f.start - t0).padStart(5)}..${s(f.end - t0).padEnd(5)} ${String(f.pid).padEnd(7)} ${rel(f.file)}`);
}

console.log("\nworkers: busy s of the run, files in order");
const pids = [...new Set(files.map((f) => f.pid))];
for (const pid of pids) {
  const mine = files.filter((f) => f.pid === pid).sort((a, b) => a.start - b.start);
  const busy = mine.reduce((n, f) => n + f.end - f.start, 0);
  console.log(`  ${pid}: busy ${s(busy)} s, first ${s(mine[0].start - t0)} s, last end ${s(mine[mine.length - 1].end - t0)} s, ${mine.length} files`);
}

const held = slots.reduce((n, x) => n + x.end - x.got, 0);
const waited = slots.reduce((n, x) => n + x.got - x.asked, 0);
console.log(`\nemulator slots: ${slots.length} holds, ${s(held)} s held in all (${((100 * held) / (2 * (t1 - t0))).toFixed(0)}% of 2 slots over the run), ${s(waited)} s waited in all`);

const top = Number(topArg ?? 25);
console.log(`\nslowest ${top} tests: wall s, worker cpu s, children cpu s`);
for (const t of [...tests].sort((a, b) => b.end - b.start - (a.end - a.start)).slice(0, top)) {
  console.log(`  ${s(t.end - t.start).padStart(6)} ${t.cpu.toFixed(1).padStart(6)} ${t.childCpu.toFixed(1).padStart(6)}  ${rel(t.file)}: ${t.title.slice(0, 110)}`);
}
