// Shared by the kernel/mem tests: where the fixtures and the oracle (test/oracle/memreport.js, the
// independent referee) are, running the oracle on simulator outputs, parsing
// the contract lines, and the expected layout (PAT placement, free pages) computed independently.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { spawnSync } from "child_process";
import { E820Entry, mapToJson, usableRanges } from "../sim/bios";

export const ROOT = path.resolve(__dirname, "../..");
export const FIXTURES = path.join(ROOT, "test/fixtures/e820");
export const ORACLE = path.join(ROOT, "test/oracle/memreport.js");
const oracle = require(ORACLE);

export interface ReportCase {
  entries: E820Entry[];
  output: string;
  kernelEnd: number;
  /** The loader's table size, when the map may be longer (the oracle then applies its verdict). */
  maxEntries?: number;
}

/** The oracle's problems for each case (empty list = agrees). */
export function memreportBatch(cases: ReportCase[]): string[][] {
  return cases.map((c) => oracle.checkReport(c.output, oracle.parseEntries(JSON.parse(mapToJson(c.entries))), { kernelEnd: c.kernelEnd, maxEntries: c.maxEntries }));
}

/** Run the oracle's command line on a map and a log, as a user would. */
export function memreportCli(entries: E820Entry[], output: string, kernelEnd: number): { status: number; stdout: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tsk-mem-"));
  const mapFile = path.join(dir, "map.json");
  const logFile = path.join(dir, "out.log");
  fs.writeFileSync(mapFile, mapToJson(entries));
  fs.writeFileSync(logFile, output);
  const r = spawnSync(process.execPath, [ORACLE, mapFile, logFile, "--kernel-end", "0x" + kernelEnd.toString(16)], { encoding: "utf8" });
  fs.rmSync(dir, { recursive: true, force: true });
  return { status: r.status ?? -1, stdout: r.stdout + r.stderr };
}

/** `key=value` fields of the last line starting with `prefix:` (numbers; hex when 0x…). */
export function fields(output: string, prefix: string): Record<string, number> | null {
  const lines = output.split("\n").filter((l) => l.startsWith(prefix + ":"));
  if (lines.length === 0) return null;
  const out: Record<string, number> = {};
  for (const m of lines[lines.length - 1].matchAll(/(\w+)=(0x[0-9a-f]+|\d+)/g)) out[m[1]] = Number(m[2]);
  return out;
}

export interface Layout {
  ranges: Array<[number, number]>;
  top: number;
  words: number;
  patPages: number;
  kernelFirst: number;
  kernelLast: number;
  /** The PAT's first page, or null when it has no place (the kernel must panic). */
  patFirst: number | null;
}

/** What the memory manager must decide for a map, computed here from the model alone. */
export function expectedLayout(entries: E820Entry[], kernelEnd: number): Layout {
  const ranges = usableRanges(entries);
  const top = ranges.length ? ranges[ranges.length - 1][1] : 0;
  const words = Math.ceil(top / 32);
  const patPages = Math.ceil((words * 4) / 4096);
  const kernelFirst = 256;
  const kernelLast = Math.max(256, Math.ceil(kernelEnd / 4096));
  let patFirst: number | null = null;
  for (const [a, b] of ranges) {
    if (b <= 256) continue;
    let cand = Math.max(a, 256);
    if (cand < kernelLast && cand + patPages > kernelFirst) cand = kernelLast;
    if (cand + patPages <= b) {
      patFirst = cand;
      break;
    }
  }
  return { ranges, top, words, patPages, kernelFirst, kernelLast, patFirst };
}

/** True when page p is one the allocator may hand out under `layout`. */
export function allocatable(layout: Layout, p: number, inUsable: (p: number) => boolean): boolean {
  if (p < 256 || p >= layout.top) return false;
  if (p >= layout.kernelFirst && p < layout.kernelLast) return false;
  if (layout.patFirst !== null && p >= layout.patFirst && p < layout.patFirst + layout.patPages) return false;
  return inUsable(p);
}

/** Entries from compact tuples: [base, length, type] with numbers or bigints. */
export function map(...rows: Array<[number | bigint, number | bigint, number]>): E820Entry[] {
  return rows.map(([b, l, t]) => ({ base: BigInt(b), length: BigInt(l), type: t }));
}

/** What paging must build, counted page by page (the kernel walks runs, the oracle merges
 *  intervals): pages mapped (usable, the boot info's pages 1-2, the kernel image; never page 0) and
 *  paging pages (one table per 4 MiB touched, plus the directory). */
export function expectedPaging(layout: Layout, inUsable: (p: number) => boolean): { mapped: number; pages: number } {
  const regions = new Set<number>();
  let mapped = 0;
  const end = Math.max(layout.top, layout.kernelLast, 3);
  for (let p = 1; p < end; p++) {
    if (inUsable(p) || p < 3 || (p >= layout.kernelFirst && p < layout.kernelLast)) {
      mapped++;
      regions.add(p >>> 10);
    }
  }
  return { mapped, pages: regions.size + 1 };
}
