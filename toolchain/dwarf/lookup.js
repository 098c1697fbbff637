// Address -> source lookup over a linked ELF's DWARF, as addr2line -f -i does it (binutils'
// bfd/dwarf2.c): the compile unit whose ranges hold the address; its line program's row for the
// address (the last row at or before it in the sequence holding it); the innermost function
// holding it (the smallest range; on a tie the later DIE); and, for inlined code, the chain of
// functions it was inlined into, each with the file and line of the call. File names are joined
// to their directory and the unit's comp_dir, as addr2line prints them. Where no DWARF function
// holds the address (padding, code of a unit without DIEs for it), addr2line names the nearest
// symbol at or before it in the same section (bfd's _bfd_elf_find_function): so does this.
"use strict";
const path = require("path");
const { readElf } = require("./elf");
const { readLineProgram } = require("./line-reader");
const { readUnits } = require("./info-reader");
const { DwarfError } = require("./errors");

/** The full name of file `index` of a line program, for a unit whose comp_dir is compDir. */
function fileName(program, index, compDir) {
  const f = program.files[index];
  if (!f || !f.name) return undefined;
  if (path.posix.isAbsolute(f.name)) return f.name;
  const dir = program.version >= 5 ? program.dirs[f.dir] : f.dir ? program.dirs[f.dir] : null;
  if (program.version >= 5 && f.dir === 0) return path.posix.join(dir || compDir || "", f.name);
  if (dir && path.posix.isAbsolute(dir)) return path.posix.join(dir, f.name);
  return compDir ? path.posix.join(compDir, dir || "", f.name) : path.posix.join(dir || "", f.name);
}

const contains = (ranges, a) => ranges.some(([lo, hi]) => a >= lo && a < hi);

/** Addresses per bucket of the function index (byte count, a power of two). */
const BUCKET_SHIFT = 8;
/** A range spanning more buckets than this goes to the unit's `wide` list instead. */
const WIDE_BUCKETS = 4096;

/**
 * The function ranges of unit u that may hold `addr`, as [lo, hi, function index, order], in the
 * order chain() must visit them (function order, then range order: on equal sizes the later one
 * wins): the ranges filed under the address's bucket, and any wide range. Built once per unit, so
 * a table of every row address (lines.js) costs a few candidates per address, not every function.
 */
function candidates(u, addr) {
  if (!u.buckets) {
    u.buckets = new Map();
    u.wide = [];
    let order = 0;
    u.functions.forEach((f, i) => {
      for (const [lo, hi] of f.ranges) {
        const entry = [lo, hi, i, order++];
        if (hi <= lo) continue;
        const first = lo >>> BUCKET_SHIFT;
        const last = (hi - 1) >>> BUCKET_SHIFT;
        if (last - first > WIDE_BUCKETS) {
          u.wide.push(entry);
          continue;
        }
        for (let b = first; b <= last; b++) {
          if (!u.buckets.has(b)) u.buckets.set(b, []);
          u.buckets.get(b).push(entry);
        }
      }
    });
  }
  const own = u.buckets.get(addr >>> BUCKET_SHIFT) || [];
  return u.wide.length ? [...own, ...u.wide].sort((x, y) => x[3] - y[3]) : own;
}

class Lookup {
  /** bytes: a linked ELF32 with DWARF; name: how errors call it. */
  constructor(bytes, name = "ELF") {
    const elf = readElf(bytes, name);
    this.elf = elf;
    const data = (n) => (elf.section(n) ? elf.section(n).data : undefined);
    const info = data(".debug_info");
    const line = data(".debug_line");
    if (!info || !line) throw new DwarfError(`${name}: no DWARF (.debug_info and .debug_line) to read lines from`);
    const strs = { str: data(".debug_str"), line_str: data(".debug_line_str") };
    this.units = readUnits({ info, abbrev: data(".debug_abbrev") || Buffer.alloc(0), ranges: data(".debug_ranges"), rnglists: data(".debug_rnglists"), ...strs });
    for (const u of this.units) {
      u.program = u.stmtList === undefined ? null : readLineProgram(line, u.stmtList, strs);
      u.sequences = [];
      if (!u.program) continue;
      for (const rows of u.program.sequences) {
        // Of rows at one address, the last one holds (bfd keeps only it).
        const kept = [];
        for (const r of rows.slice(0, -1)) {
          if (kept.length && kept[kept.length - 1].address === r.address) kept.pop();
          kept.push(r);
        }
        if (kept.length) u.sequences.push({ low: kept[0].address, high: rows[rows.length - 1].address, rows: kept });
      }
      if (!u.ranges.length) u.ranges = u.sequences.map((s) => [s.low, s.high]);
    }
  }

  /** Every address where a row of some line program starts, end_sequence rows included, sorted
   *  and unique (the addresses `objdump --dwarf=decodedline` lists). */
  rowAddresses() {
    const set = new Set();
    for (const u of this.units) if (u.program) for (const rows of u.program.sequences) for (const r of rows) set.add(r.address);
    return [...set].sort((a, b) => a - b);
  }

  /** bfd's _bfd_elf_find_function: the symbol (not a section, file or object) of the section
   *  holding `addr` with the highest value at or below it; on equal values the larger size (a
   *  size of 0 counting as 1), then the first in the table. */
  symbolAt(addr) {
    const sec = this.elf.sections.find((s) => s.index > 0 && (s.flags & 2) && addr >= s.addr && addr < s.addr + s.size);
    if (!sec) return undefined;
    let best;
    for (const s of this.elf.symbols) {
      if (s.shndx !== sec.index || ["SECTION", "FILE", "OBJECT", "TLS"].includes(s.type) || s.value > addr) continue;
      const size = s.size || 1;
      if (!best || s.value > best.value || (s.value === best.value && size > (best.size || 1))) best = s;
    }
    return best && best.name;
  }

  /** fileName() of file `index` of unit u's line program, each made once (a table of every row
   *  address asks for the same few dozen files thousands of times). */
  fileOf(u, index) {
    if (!u.fileNames) u.fileNames = new Map();
    let name = u.fileNames.get(index);
    if (name === undefined && !u.fileNames.has(index)) u.fileNames.set(index, (name = fileName(u.program, index, u.compDir)));
    return name;
  }

  /** The line of `addr` in unit u: {file, line}, or undefined. */
  lineOf(u, addr) {
    const seq = u.sequences.find((s) => addr >= s.low && addr < s.high);
    if (!seq) return undefined;
    let lo = 0;
    let hi = seq.rows.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (seq.rows[mid].address <= addr) lo = mid;
      else hi = mid - 1;
    }
    const row = seq.rows[lo];
    return { file: this.fileOf(u, row.file), line: row.line };
  }

  /**
   * addr2line -f -i for one address: [{func, file, line}], innermost first; func, file may be
   * undefined (addr2line's `??`) and line 0.
   */
  chain(addr) {
    const u = this.units.find((x) => contains(x.ranges, addr));
    if (!u) return [{ func: this.symbolAt(addr), file: undefined, line: 0 }];
    let best = -1;
    let bestLen = Infinity;
    for (const [lo, hi, i] of candidates(u, addr)) {
      if (addr >= lo && addr < hi && hi - lo <= bestLen) {
        best = i;
        bestLen = hi - lo;
      }
    }
    const at = this.lineOf(u, addr);
    const out = [{ func: best >= 0 ? u.functions[best].name : this.symbolAt(addr), file: at && at.file, line: at ? at.line : 0 }];
    for (let f = u.functions[best]; f && f.inlined && f.caller >= 0; f = u.functions[f.caller]) {
      out.push({ func: u.functions[f.caller].name, file: u.program ? this.fileOf(u, f.callFile) : undefined, line: f.callLine });
    }
    return out;
  }
}

module.exports = { Lookup, fileName };
