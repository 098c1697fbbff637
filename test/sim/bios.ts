// What the firmware and stage 2 leave for the kernel, for the simulator: BIOS E820 maps (parsed
// from the fixtures' JSON) written into a boot info at BOOT_INFO_ADDR in the layout of
// kernel/boot-info.ts, and an independent model of the sanitised map to check the kernel against.
import * as fs from "fs";
import type { SimMachine } from "./machine";
import { parseJsonStrict } from "./json";
import { BOOT_INFO_ADDR, BOOT_INFO_MAGIC, BootInfo, E820Entry as E820EntryLayout, BI_E820_ENTRIES, E820_ENTRY_SIZE, E820_MAX, KERNEL_BASE } from "../../kernel/boot-info";

/** Field offsets of the boot info and of an E820 entry (the layouts of kernel/boot-info.ts). */
const BI = BootInfo.offsets;
const E820 = E820EntryLayout.offsets;

export interface E820Entry {
  base: bigint;
  length: bigint;
  type: number;
  attrs?: number;
}

export type RawValue = string | number | bigint;
export interface RawEntry {
  base: RawValue;
  length: RawValue;
  type: number;
}

const U64 = (1n << 64n) - 1n;

/** A field as a u64: "0x…" or decimal strings, or numbers that are exact integers. */
function toBig(v: unknown, where: string): bigint {
  if (typeof v === "bigint") return v;
  if (typeof v === "number" && Number.isSafeInteger(v) && v >= 0) return BigInt(v);
  if (typeof v === "string" && /^\s*(0x[0-9a-f]+|[0-9]+)\s*$/i.test(v)) return BigInt(v.trim());
  throw new Error(`${where}: expected a hex string such as "0x100000" or a non-negative integer, got ${JSON.stringify(v)}`);
}

/** A map as the fixtures write it (hex strings, or numbers) to entries; a malformed one is an
 *  error naming the entry and field, never a guess. */
export function parseMap(rows: unknown): E820Entry[] {
  if (!Array.isArray(rows)) throw new Error(`the map must be a JSON array of {"base", "length", "type"} entries, got ${rows === null ? "null" : typeof rows}`);
  return rows.map((r, i) => {
    const where = `entry ${i}`;
    if (typeof r !== "object" || r === null) throw new Error(`${where}: expected an object {"base", "length", "type"}`);
    const e = r as Record<string, unknown>;
    for (const k of ["base", "length", "type"]) if (!(k in e)) throw new Error(`${where}: "${k}" is missing`);
    const unknown = Object.keys(e).filter((k) => !["base", "length", "type"].includes(k));
    if (unknown.length) throw new Error(`${where}: unknown field${unknown.length > 1 ? "s" : ""} ${unknown.map((k) => JSON.stringify(k)).join(", ")} (an entry has "base", "length" and "type")`);
    const base = toBig(e.base, `${where}.base`);
    const length = toBig(e.length, `${where}.length`);
    if (base > U64 || length > U64) throw new Error(`${where}: base and length must fit 64 bits`);
    const type = e.type;
    if (typeof type !== "number" || !Number.isInteger(type) || type < 0 || type > 0xffffffff) {
      throw new Error(`${where}.type: expected an E820 type number (1 usable, 2 reserved, 3 ACPI data, 4 ACPI NVS, 5 unusable, ...), got ${JSON.stringify(type)}`);
    }
    return { base, length, type };
  });
}

/** Read a map file; errors name the file, and the line and column for JSON syntax. */
export function loadMapFile(file: string): E820Entry[] {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    throw new Error(`${file}: cannot read: ${(e as Error).message}`);
  }
  try {
    return parseMap(parseJsonStrict(text));
  } catch (e) {
    throw new Error(`${file}: ${(e as Error).message}`);
  }
}

export interface BootInfoOptions {
  kernelEnd?: number;
  /** Override the stored count (to test a corrupt boot info). */
  count?: number;
}

/** What stage 2 makes of the entries past E820_MAX (boot/stage2.asm read_e820): all of them
 *  counted, the usable ones with their bytes (saturating at 2^64 - 1), and any other one that is
 *  not empty and starts below 4 GiB as a danger (then stage 2 refuses to load the kernel). */
export function droppedSummary(entries: E820Entry[]): { dropped: number; usable: number; bytes: bigint; other: number } {
  const rest = entries.slice(E820_MAX);
  const usable = rest.filter((e) => e.type === 1);
  const bytes = usable.reduce((n, e) => n + e.length, 0n);
  const other = rest.filter((e) => e.type !== 1 && e.length > 0n && e.base < 1n << 32n).length;
  return { dropped: rest.length, usable: usable.length, bytes: bytes > U64 ? U64 : bytes, other };
}

/** The line stage 2 prints (and e820Init, given such a boot info) when dropped entries may reserve
 *  memory; null when the map is safe to boot. */
export function loaderVerdict(entries: E820Entry[]): string | null {
  const { other } = droppedSummary(entries);
  return other === 0 ? null : `panic: e820: ${other} entries past the loader's limit of ${E820_MAX} are not usable RAM: what they reserve is unknown`;
}

/** Write a boot info for `entries` at BOOT_INFO_ADDR, as stage 2 and the entry stub would. */
export function writeBootInfo(m: SimMachine, entries: E820Entry[], opts: BootInfoOptions = {}): void {
  const bi = BOOT_INFO_ADDR;
  const stored = Math.min(entries.length, E820_MAX);
  const d = droppedSummary(entries);
  m.poke32(bi + BI.magic, BOOT_INFO_MAGIC);
  m.poke32(bi + BI.e820Count, opts.count ?? stored);
  m.poke32(bi + BI.e820Dropped, d.dropped);
  m.poke32(bi + BI.e820DroppedUsable, d.usable);
  m.poke32(bi + BI.e820DroppedBytesLo, Number(d.bytes & 0xffffffffn));
  m.poke32(bi + BI.e820DroppedBytesHi, Number(d.bytes >> 32n));
  m.poke32(bi + BI.e820DroppedOther, d.other);
  m.poke32(bi + BI.kernelStart, KERNEL_BASE);
  m.poke32(bi + BI.kernelEnd, opts.kernelEnd ?? 0x200000);
  m.poke32(bi + BI.bootDrive, 0x80);
  for (let i = 0; i < stored; i++) {
    const e = entries[i];
    const a = bi + BI_E820_ENTRIES + i * E820_ENTRY_SIZE;
    m.poke32(a + E820.baseLo, Number(e.base & 0xffffffffn));
    m.poke32(a + E820.baseHi, Number((e.base >> 32n) & 0xffffffffn));
    m.poke32(a + E820.lengthLo, Number(e.length & 0xffffffffn));
    m.poke32(a + E820.lengthHi, Number((e.length >> 32n) & 0xffffffffn));
    m.poke32(a + E820.type, e.type >>> 0);
    m.poke32(a + E820.attrs, e.attrs ?? 1);
  }
}

const PAGE = 4096n;
const FOUR_G = 1n << 32n;
export const PAGE_LIMIT = 0x100000;

/** The sanitised usable pages below 4 GiB as sorted, disjoint, non-adjacent [first, end) page
 *  ranges: the rule of docs/architecture.md §4, computed the obvious way (page by page). */
export function usableRanges(entries: E820Entry[]): Array<[number, number]> {
  const good = entries.filter((e) => e.length > 0n && e.base + e.length <= 1n << 64n);
  let ranges: Array<[number, number]> = [];
  for (const e of good.filter((e) => e.type === 1)) {
    const first = (e.base + PAGE - 1n) / PAGE;
    const end = (e.base + e.length < FOUR_G ? e.base + e.length : FOUR_G) / PAGE;
    if (first < end) ranges.push([Number(first), Number(end)]);
  }
  ranges.sort((a, b) => a[0] - b[0]);
  const merged: Array<[number, number]> = [];
  for (const [a, b] of ranges) {
    const last = merged[merged.length - 1];
    if (last && a <= last[1]) last[1] = Math.max(last[1], b);
    else merged.push([a, b]);
  }
  ranges = merged;
  for (const e of good.filter((e) => e.type !== 1)) {
    const first = Number(e.base / PAGE < BigInt(PAGE_LIMIT) ? e.base / PAGE : BigInt(PAGE_LIMIT));
    const endB = e.base + e.length < FOUR_G ? e.base + e.length : FOUR_G;
    const end = Number((endB + PAGE - 1n) / PAGE);
    if (first >= end) continue;
    const next: Array<[number, number]> = [];
    for (const [a, b] of ranges) {
      if (b <= first || a >= end) next.push([a, b]);
      else {
        if (a < first) next.push([a, first]);
        if (b > end) next.push([end, b]);
      }
    }
    ranges = next;
  }
  return ranges;
}

/** The number of pages of `ranges` inside [lo, hi). */
export function pagesIn(ranges: Array<[number, number]>, lo = 0, hi = PAGE_LIMIT): number {
  let n = 0;
  for (const [a, b] of ranges) n += Math.max(0, Math.min(b, hi) - Math.max(a, lo));
  return n;
}

/** True when page p is in `ranges`. */
export function inRanges(ranges: Array<[number, number]>, p: number): boolean {
  let lo = 0;
  let hi = ranges.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ranges[mid][1] <= p) lo = mid + 1;
    else hi = mid;
  }
  return lo < ranges.length && ranges[lo][0] <= p;
}

/** The map as fixture JSON (hex strings), for the oracle. */
export function mapToJson(entries: E820Entry[]): string {
  return JSON.stringify(entries.map((e) => ({ base: "0x" + e.base.toString(16), length: "0x" + e.length.toString(16), type: e.type })));
}
