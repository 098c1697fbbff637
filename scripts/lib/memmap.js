// The picture of physical memory: who owns each 4 KiB page (low 1 MiB, kernel, PAT, page tables,
// reserved or hole, free, allocated), worked out from what the kernel prints on COM1 (the e820:,
// pat:, mem:, paging: lines) and what it leaves in memory (the PAT bitmap at the address the pat:
// line prints; the page directory at cr3). The playground's page (bundled by esbuild) and
// `npm run simulate -- --svg` (scripts/lib/memsvg.js) share it, so the browser and the SVG draw
// the same picture. Plain JavaScript with no Node modules: it must run in the browser too.
//
// Owners follow kernel/mem/pat.ts's counting, so the legend's counts equal the mem: line: a page
// is usable only by the sanitising rule of architecture.md §4 (wholly inside a usable entry,
// touching no entry of another type); low = usable pages below 1 MiB; kernel = usable pages of
// [1 MiB, kernel end); pat = the bitmap's own pages; free + page tables + allocated = mem: free.
"use strict";

const PAGE = 4096;
const LOW_PAGES = 256; // 1 MiB
const KERNEL_BASE = 0x100000;

/** Owner codes (indexes into OWNERS). */
const OWNER = { LOW: 0, KERNEL: 1, PAT: 2, TABLES: 3, RESERVED: 4, FREE: 5, ALLOCATED: 6 };
const OWNERS = [
  { key: "low", label: "low 1 MiB", colour: "#5b7fa3" },
  { key: "kernel", label: "kernel", colour: "#b05fd0" },
  { key: "pat", label: "PAT", colour: "#ff9f1c" },
  { key: "tables", label: "page tables", colour: "#ffe14d" },
  { key: "reserved", label: "reserved or hole", colour: "#3a3a3a" },
  { key: "free", label: "free", colour: "#1f7a3d" },
  { key: "allocated", label: "allocated", colour: "#ff4d6d" },
];

const TYPE_CODES = { usable: 1, reserved: 2, "ACPI data": 3, "ACPI NVS": 4, unusable: 5 };

/** A fresh state for parseLine. */
function newState() {
  return { entries: [], pat: null, mem: null, paging: null, selftest: null, bootOk: false, kernelEnd: null };
}

/**
 * Reads one serial line into `state` (the lines architecture.md §4 calls contracts); returns true
 * when the line said something the picture uses. Lines it does not know are ignored.
 */
function parseLine(state, line) {
  line = line.replace(/\r$/, "");
  let m = /^e820: \[mem 0x([0-9a-f]{16})-0x([0-9a-f]{16})\] (.*)$/.exec(line);
  if (m) {
    const t = /^type (\d+)$/.exec(m[3]);
    const base = BigInt(`0x${m[1]}`);
    state.entries.push({ base, length: BigInt(`0x${m[2]}`) - base + 1n, type: TYPE_CODES[m[3]] ?? (t ? Number(t[1]) : 0) });
    return true;
  }
  if ((m = /^pat: base=0x([0-9a-f]{8}) pages=(\d+) bytes=(\d+)$/.exec(line))) {
    state.pat = { base: parseInt(m[1], 16), pages: Number(m[2]), bytes: Number(m[3]) };
    return true;
  }
  if ((m = /^mem: usable=(\d+) low=(\d+) kernel=(\d+) pat=(\d+) free=(\d+)$/.exec(line))) {
    state.mem = { usable: Number(m[1]), low: Number(m[2]), kernel: Number(m[3]), pat: Number(m[4]), free: Number(m[5]) };
    return true;
  }
  if ((m = /^paging: on cr3=0x([0-9a-f]{8}) mapped=(\d+) pages=(\d+)$/.exec(line))) {
    state.paging = { cr3: parseInt(m[1], 16), mapped: Number(m[2]), pages: Number(m[3]) };
    return true;
  }
  if ((m = /^selftest: alloc-all (\d+) pages ok$/.exec(line))) {
    state.selftest = Number(m[1]);
    return true;
  }
  if (line === "boot: ok") {
    state.bootOk = true;
    return true;
  }
  return false;
}

/** Pages the picture covers: the PAT's (0 to the top of usable memory), or before the pat: line
 *  the end of the highest usable entry below 4 GiB. */
function pageCount(state) {
  if (state.pat) return state.pat.pages;
  let top = 0n;
  for (const e of state.entries) {
    if (e.type !== 1 || e.length === 0n) continue;
    const end = e.base + e.length < 1n << 32n ? e.base + e.length : 1n << 32n;
    if (end > top) top = end;
  }
  return Number(top / BigInt(PAGE));
}

/** One flag per page of [0, pages): 1 where the sanitised map has usable RAM. */
function usablePages(entries, pages) {
  const usable = new Uint8Array(pages);
  const P = BigInt(PAGE);
  const limit = BigInt(pages);
  const clip = (v) => Number(v < 0n ? 0n : v > limit ? limit : v);
  // Zero-length entries and entries wrapping past 2^64 are ignored, as the kernel does.
  const good = entries.filter((e) => e.length > 0n && e.base + e.length <= 1n << 64n);
  for (const e of good) {
    if (e.type === 1) usable.fill(1, clip((e.base + P - 1n) / P), clip((e.base + e.length) / P));
  }
  for (const e of good) {
    if (e.type !== 1) usable.fill(0, clip(e.base / P), clip((e.base + e.length + P - 1n) / P));
  }
  return usable;
}

/** The pages of the paging structures: the directory at cr3 and each present 4 KiB-page table.
 *  `dir` is the directory's 4096 bytes. */
function tablePages(cr3, dir) {
  const out = [cr3 >>> 12];
  const view = new DataView(dir.buffer, dir.byteOffset, dir.byteLength);
  for (let i = 0; i < 1024; i++) {
    const pde = view.getUint32(i * 4, true);
    if ((pde & 1) && !(pde & 0x80)) out.push(pde >>> 12);
  }
  return out;
}

/**
 * Who owns each page. opts: state (parseLine's), kernelEnd (byte after the kernel image),
 * bitmap (the PAT's bytes, bit set = used; null before it exists), tables (page numbers of the
 * paging structures, or []), usable (usablePages' result, to reuse between frames).
 * Returns {owners: Uint8Array (an OWNER code per page), counts: {key: pages}, pages}.
 */
function classify({ state, kernelEnd, bitmap = null, tables = [], usable = null }) {
  const pages = pageCount(state);
  usable = usable && usable.length === pages ? usable : usablePages(state.entries, pages);
  const owners = new Uint8Array(pages);
  const kFirst = KERNEL_BASE / PAGE;
  const kLast = Math.max(kFirst, Math.ceil(kernelEnd / PAGE));
  const pFirst = state.pat ? state.pat.base / PAGE : 0;
  const pLast = state.pat ? pFirst + Math.ceil(state.pat.bytes / PAGE) : 0;
  const isTable = new Uint8Array(pages);
  for (const t of tables) if (t < pages) isTable[t] = 1;
  const counts = new Array(OWNERS.length).fill(0);
  for (let p = 0; p < pages; p++) {
    let o;
    if (!usable[p]) o = OWNER.RESERVED;
    else if (p < LOW_PAGES) o = OWNER.LOW;
    else if (p >= kFirst && p < kLast) o = OWNER.KERNEL;
    else if (p >= pFirst && p < pLast) o = OWNER.PAT;
    else if (isTable[p]) o = OWNER.TABLES;
    else if (bitmap && (bitmap[p >>> 3] >>> (p & 7)) & 1) o = OWNER.ALLOCATED;
    else o = OWNER.FREE;
    owners[p] = o;
    counts[o]++;
  }
  return { owners, counts: Object.fromEntries(OWNERS.map((d, i) => [d.key, counts[i]])), pages, usable };
}

/**
 * Why the picture's counts do not add up to the kernel's mem: line (null when they do): low,
 * kernel and pat equal; free + page tables + allocated = free (the pages handed out since).
 */
function checkCounts(counts, mem) {
  if (!mem) return "no mem: line yet";
  const bad = [];
  for (const k of ["low", "kernel", "pat"]) if (counts[k] !== mem[k]) bad.push(`${k} ${counts[k]} != ${mem[k]}`);
  const free = counts.free + counts.tables + counts.allocated;
  if (free !== mem.free) bad.push(`free+page tables+allocated ${free} != free ${mem.free}`);
  const usable = counts.low + counts.kernel + counts.pat + free;
  if (usable !== mem.usable) bad.push(`usable ${usable} != ${mem.usable}`);
  return bad.length ? bad.join("; ") : null;
}

/** "0x0011f000-0x0011ffff PAT": what hovering page `p` shows. */
function describePage(p, owner) {
  const hex = (v) => `0x${(v >>> 0).toString(16).padStart(8, "0")}`;
  return `${hex(p * PAGE)}-${hex(p * PAGE + PAGE - 1)} ${OWNERS[owner].label}`;
}

module.exports = { OWNER, OWNERS, PAGE, LOW_PAGES, newState, parseLine, pageCount, usablePages, tablePages, classify, checkCounts, describePage };
