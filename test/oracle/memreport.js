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
//   paging maps   usable ∪ boot info [1, 3) ∪ kernel image [256, ⌈kernelEnd/4K⌉), minus page 0;
//                 its tables = the 4 MiB regions those pages touch, plus one directory
//
// Maps longer than the loader's table (--max-entries N, N = 256 for the real loader): the entries
// past N are dropped; if any of them is not usable, not empty and starts below 4 GiB, the verdict
// is the loader's `panic: e820: <count> entries past the loader's limit of N are not usable RAM:
// what they reserve is unknown` and no memory report; otherwise the first N entries are checked,
// plus the line saying how many entries were dropped and how many bytes of usable RAM they held.
//
// Usage: node test/oracle/memreport.js MAP.json LOG [--kernel-end 0xADDR] [--max-entries N]
//   prints each problem, then "ok" or "N problem(s)"; exit 0 when the log holds for the map.
// --max-entries (default: no limit) applies the loader's verdict above (docs/architecture.md §3).
"use strict";
const fs = require("fs");

const PAGE = 4096n;
const FOUR_G_PAGES = 1n << 20n;
const TWO64 = 1n << 64n;
const LOW_PAGES = 256n;
const FOUR_G = 1n << 32n;
const U64 = TWO64 - 1n;
/** Pages of the boot info (0x1000-0x2fff), which paging maps whatever the map says. */
const BOOT_INFO_PAGES = [1n, 3n];
const hex64 = (v) => "0x" + v.toString(16).padStart(16, "0");

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

/** The loader's verdict for a map longer than `max` entries: {panic} (the line the boot must stop
 *  with), or {dropped} (the line saying what was dropped) with the entries kept. */
function loaderVerdict(entries, max) {
  if (max === undefined || entries.length <= max) return { kept: entries };
  const rest = entries.slice(max);
  const other = rest.filter((e) => e.type !== 1 && e.length > 0n && e.base < FOUR_G).length;
  if (other) return { panic: `panic: e820: ${other} entries past the loader's limit of ${max} are not usable RAM: what they reserve is unknown` };
  const usable = rest.filter((e) => e.type === 1);
  let bytes = usable.reduce((n, e) => n + e.length, 0n);
  if (bytes > U64) bytes = U64;
  return {
    kept: entries.slice(0, max),
    dropped: `e820: ${rest.length} entries past the loader's limit of ${max} dropped, ${usable.length} of them usable: up to ${hex64(bytes)} bytes of RAM left unused`,
  };
}

/** What paging must map for a map and a kernel end: {mapped} pages and {tables} (directory
 *  included). */
function expectedPaging(usable, kernelEnd) {
  const kernelPages = (BigInt(kernelEnd) + PAGE - 1n) / PAGE;
  const mapped = subtract(union([...usable.map(([a, b]) => [a, b]), BOOT_INFO_PAGES, [LOW_PAGES, kernelPages]]), [[0n, 1n]]);
  const regions = union(mapped.map(([a, b]) => [a >> 10n, ((b - 1n) >> 10n) + 1n]));
  return { mapped: Number(size(mapped)), tables: Number(size(regions)) + 1 };
}

/** Problems with LOG's pat:/mem:/paging:/selftest: lines for the map (an empty list means they
 *  hold). maxEntries: the loader's table size (see the header). */
function checkReport(text, allEntries, { kernelEnd, maxEntries } = {}) {
  const verdict = loaderVerdict(allEntries, maxEntries);
  const logLines = text.split(/\r?\n/);
  if (verdict.panic) {
    const problems = [];
    if (!logLines.includes(verdict.panic)) problems.push(`no line "${verdict.panic}"`);
    if (logLines.some((l) => /^(pat|mem|paging|selftest|boot):/.test(l))) problems.push("a memory report after the loader's verdict");
    return problems;
  }
  const entries = verdict.kept;
  if (verdict.dropped && !logLines.includes(verdict.dropped)) return [`no line "${verdict.dropped}"`];
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
  if (paging && kernelEnd !== undefined) {
    const p = expectedPaging(want.intervals, kernelEnd);
    if (Number(paging.mapped) !== p.mapped * 4096) problems.push(`paging mapped=${paging.mapped} want ${p.mapped * 4096}`);
    if (Number(paging.pages) !== p.tables) problems.push(`paging pages=${paging.pages} want ${p.tables}`);
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
  const entries = parseEntries(JSON.parse(fs.readFileSync(args[0], "utf8")));
  if (maxEntries !== undefined && !/^\d+$/.test(maxEntries)) throw new Error(`--max-entries: not a count: ${maxEntries}`);
  const problems = checkReport(fs.readFileSync(args[1], "utf8"), entries, {
    kernelEnd: kernelEnd === undefined ? undefined : Number(kernelEnd),
    maxEntries: maxEntries === undefined ? undefined : Number(maxEntries),
  });
  for (const p of problems) console.log(p);
  console.log(problems.length ? `${problems.length} problem(s)` : "ok");
  return problems.length ? 1 : 0;
}

module.exports = { parseEntries, usableIntervals, expectedReport, expectedPaging, loaderVerdict, checkReport };
if (require.main === module) {
  try {
    process.exitCode = main(process.argv.slice(2));
  } catch (e) {
    console.error(`memreport: ${e.message}`);
    process.exitCode = 2;
  }
}
