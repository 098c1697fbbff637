#!/usr/bin/env node
// The repository's own referee for the memory report: what the `pat:`, `mem:` (and, when printed,
// `selftest:`) lines must say for a BIOS E820 map, computed from the map alone.
//
// It deliberately uses a different method from the kernel (kernel/mem/e820.ts sweeps every entry
// boundary over the raw map; pat.ts walks bits): here the map becomes sorted, merged page
// intervals and the rules are interval algebra:
//
//   usable pages = union(type-1 entries, rounded inward) − union(other entries, rounded outward),
//                  clipped at 4 GiB
//   low = |usable ∩ [0, 256)|     kernel = |usable ∩ [256, ⌈kernelEnd/4K⌉)|
//   top = end of the last usable interval; the PAT covers pages [0, top)
//
// Usage: node test/oracle/memreport.js MAP.json LOG [--kernel-end 0xADDR] [--max-entries N]
//   prints each problem, then "ok" or "N problem(s)"; exit 0 when the log holds for the map.
// --max-entries (default: no limit) keeps only the first N entries, as a loader with a bounded
// table would (docs/architecture.md §3 says what the loader does with longer maps).
"use strict";
const fs = require("fs");

const PAGE = 4096n;
const FOUR_G_PAGES = 1n << 20n;
const TWO64 = 1n << 64n;
const LOW_PAGES = 256n;

/** Entries as {base, length, type} bigints from the fixture JSON (hex strings or safe integers). */
function parseEntries(rows) {
  if (!Array.isArray(rows)) throw new Error("the map must be a JSON array of {base, length, type}");
  const big = (v, where) => {
    if (typeof v === "string" && /^(0x[0-9a-f]+|[0-9]+)$/i.test(v.trim())) return BigInt(v.trim());
    if (typeof v === "number" && Number.isSafeInteger(v) && v >= 0) return BigInt(v);
    throw new Error(`${where}: not a non-negative integer: ${JSON.stringify(v)}`);
  };
  return rows.map((r, i) => ({ base: big(r.base, `entry ${i}.base`), length: big(r.length, `entry ${i}.length`), type: Number(r.type) }));
}

/** Sorted, merged [start, end) bigint intervals. */
function union(intervals) {
  const sorted = intervals.filter(([a, b]) => a < b).sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
  const out = [];
  for (const [a, b] of sorted) {
    const last = out[out.length - 1];
    if (last && a <= last[1]) last[1] = last[1] > b ? last[1] : b;
    else out.push([a, b]);
  }
  return out;
}

/** a − b for two merged interval lists. */
function subtract(a, b) {
  const out = [];
  for (const [s, e] of a) {
    let cur = s;
    for (const [bs, be] of b) {
      if (be <= cur || bs >= e) continue;
      if (bs > cur) out.push([cur, bs]);
      cur = be > cur ? be : cur;
      if (cur >= e) break;
    }
    if (cur < e) out.push([cur, e]);
  }
  return out;
}

const size = (list) => list.reduce((n, [a, b]) => n + (b - a), 0n);
const clip = (list, lo, hi) => list.map(([a, b]) => [a > lo ? a : lo, b < hi ? b : hi]).filter(([a, b]) => a < b);
const minB = (a, b) => (a < b ? a : b);

/** The usable page intervals of a map (the rule of docs/architecture.md §4). */
function usableIntervals(entries) {
  const good = entries.filter((e) => e.length > 0n && e.base + e.length <= TWO64);
  const ram = [];
  const notRam = [];
  for (const { base, length, type } of good) {
    const end = base + length;
    if (type === 1) ram.push([(base + PAGE - 1n) / PAGE, minB(end / PAGE, FOUR_G_PAGES)]);
    else notRam.push([base / PAGE, minB((end + PAGE - 1n) / PAGE, FOUR_G_PAGES)]);
  }
  return subtract(union(ram), union(notRam));
}

/** The report a map requires: every figure the pat:/mem: lines carry, as Numbers (pages). */
function expectedReport(entries, kernelEnd) {
  const usable = usableIntervals(entries);
  const top = usable.length ? usable[usable.length - 1][1] : 0n;
  const kernelPages = kernelEnd === undefined ? undefined : (BigInt(kernelEnd) + PAGE - 1n) / PAGE;
  return {
    intervals: usable,
    usable: Number(size(usable)),
    low: Number(size(clip(usable, 0n, LOW_PAGES))),
    kernel: kernelPages === undefined ? undefined : Number(size(clip(usable, LOW_PAGES, kernelPages))),
    top: Number(top),
    patBytes: Number((top + 7n) / 8n),
    patWordBytes: Number(((top + 31n) / 32n) * 4n),
  };
}

/** `key=value` fields of the last line starting with `prefix:`. */
function lineFields(text, prefix) {
  const found = text.split(/\r?\n/).filter((l) => l.startsWith(prefix + ":"));
  if (!found.length) return null;
  const out = {};
  for (const m of found[found.length - 1].matchAll(/(\w+)=(\S+)/g)) out[m[1]] = m[2];
  return out;
}

/** Problems with LOG's pat:/mem:/selftest: lines for the map (an empty list means they hold). */
function checkReport(text, entries, { kernelEnd } = {}) {
  const want = expectedReport(entries, kernelEnd);
  const problems = [];
  const mem = lineFields(text, "mem");
  if (!mem) return ["no mem: line"];
  const n = (k) => (/^\d+$/.test(mem[k] || "") ? Number(mem[k]) : undefined);
  for (const k of ["usable", "low"]) if (n(k) !== want[k]) problems.push(`${k}=${mem[k]} want ${want[k]}`);
  if (want.kernel !== undefined && n("kernel") !== want.kernel) problems.push(`kernel=${mem.kernel} want ${want.kernel}`);
  const pat = lineFields(text, "pat");
  if (!pat) problems.push("no pat: line");
  else {
    const pages = Number(pat.pages);
    if (pages !== want.top) problems.push(`pat pages=${pat.pages} want ${want.top}`);
    const bitmapPages = [want.patBytes, want.patWordBytes].map((b) => Math.ceil(b / 4096));
    if (!bitmapPages.includes(n("pat"))) problems.push(`pat=${mem.pat} want ${bitmapPages[0]}`);
    const first = BigInt(parseInt(pat.base, 16)) / PAGE;
    const span = [[first, first + BigInt(n("pat") || 0)]];
    const aligned = /^0x[0-9a-f]+$/.test(pat.base || "") && parseInt(pat.base, 16) % 4096 === 0;
    if (!aligned || first < LOW_PAGES || size(subtract(span, want.intervals)) !== 0n) {
      problems.push(`PAT at ${pat.base} is not page-aligned usable memory above 1 MiB`);
    }
  }
  if (n("free") !== n("usable") - n("low") - n("kernel") - n("pat")) problems.push("free != usable - low - kernel - pat");
  const selftest = /^selftest: alloc-all (\d+) pages ok$/m.exec(text);
  const paging = lineFields(text, "paging");
  if (selftest && paging && Number(selftest[1]) !== n("free") - Number(paging.pages)) {
    problems.push(`selftest alloc-all ${selftest[1]} != free ${mem.free} - paging pages ${paging.pages}`);
  }
  return problems;
}

function main(argv) {
  const args = [...argv];
  const opt = (name) => {
    const i = args.indexOf(name);
    if (i < 0) return undefined;
    const v = args[i + 1];
    args.splice(i, 2);
    if (v === undefined) throw new Error(`${name} needs a value`);
    return v;
  };
  const kernelEnd = opt("--kernel-end");
  const maxEntries = opt("--max-entries");
  if (args.length !== 2) {
    process.stderr.write("usage: node test/oracle/memreport.js MAP.json LOG [--kernel-end 0xADDR] [--max-entries N]\n");
    return 2;
  }
  let entries = parseEntries(JSON.parse(fs.readFileSync(args[0], "utf8")));
  if (maxEntries !== undefined) entries = entries.slice(0, Number(maxEntries));
  const problems = checkReport(fs.readFileSync(args[1], "utf8"), entries, { kernelEnd: kernelEnd === undefined ? undefined : Number(kernelEnd) });
  for (const p of problems) console.log(p);
  console.log(problems.length ? `${problems.length} problem(s)` : "ok");
  return problems.length ? 1 : 0;
}

module.exports = { parseEntries, usableIntervals, expectedReport, checkReport };
if (require.main === module) {
  try {
    process.exitCode = main(process.argv.slice(2));
  } catch (e) {
    console.error(`memreport: ${e.message}`);
    process.exitCode = 2;
  }
}
