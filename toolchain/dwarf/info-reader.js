// Reads from .debug_info (with .debug_abbrev, .debug_str, .debug_ranges or .debug_rnglists) what a
// line lookup needs: each compile unit's name, comp_dir, line program offset and address ranges,
// and its functions: every subprogram and inlined subroutine with code (address ranges), its name
// (its own, or its abstract origin's), and for an inlined one the function it was inlined into
// and the call's file and line. DWARF 2 to 5, 32-bit DWARF, 4-byte addresses.
"use strict";
const { Reader } = require("./bytes");
const { DwarfError } = require("./errors");
const form = require("./forms");

const TAG = { compile_unit: 0x11, partial_unit: 0x3c, subprogram: 0x2e, inlined_subroutine: 0x1d, entry_point: 0x03 };
const AT = { name: 0x03, stmt_list: 0x10, low_pc: 0x11, high_pc: 0x12, comp_dir: 0x1b, abstract_origin: 0x31,
  specification: 0x47, ranges: 0x55, call_file: 0x58, call_line: 0x59, linkage_name: 0x6e, MIPS_linkage_name: 0x2007 };
const FUNCTION_TAGS = new Set([TAG.subprogram, TAG.inlined_subroutine, TAG.entry_point]);
/** The attributes readUnits keeps. */
const KEPT = new Set(Object.values(AT));
const ADDR_FORM = form.DW_FORM.addr;

/** The abbreviation table at `offset`: code -> {tag, children, attrs: [[at, form, implicit]]}. */
function readAbbrevs(abbrev, offset) {
  const r = new Reader(abbrev, ".debug_abbrev", offset);
  const table = new Map();
  for (let code = r.uleb(); code !== 0; code = r.uleb()) {
    const tag = r.uleb();
    const children = r.u8() !== 0;
    const attrs = [];
    for (;;) {
      const at = r.uleb();
      const f = r.uleb();
      if (at === 0 && f === 0) break;
      attrs.push([at, f, f === form.DW_FORM.implicit_const ? r.sleb() : undefined]);
    }
    table.set(code, { tag, children, attrs });
  }
  return table;
}

/** The address ranges of a DW_AT_ranges value: .debug_ranges (DWARF 2-4) or .debug_rnglists (5). */
function readRanges(sec, offset, base, version) {
  const out = [];
  if (version < 5) {
    const r = new Reader(sec.ranges || Buffer.alloc(0), ".debug_ranges", offset);
    for (;;) {
      const lo = r.u32();
      const hi = r.u32();
      if (lo === 0 && hi === 0) return out;
      if (lo === 0xffffffff) base = hi;
      else if (hi > lo) out.push([(base + lo) >>> 0, (base + hi) >>> 0]);
    }
  }
  const r = new Reader(sec.rnglists || Buffer.alloc(0), ".debug_rnglists", offset);
  for (;;) {
    const kind = r.u8();
    if (kind === 0) return out;
    if (kind === 4) {
      const lo = r.uleb();
      const hi = r.uleb();
      if (hi > lo) out.push([(base + lo) >>> 0, (base + hi) >>> 0]);
    } else if (kind === 5) base = r.u32();
    else if (kind === 6) {
      const lo = r.u32();
      const hi = r.u32();
      if (hi > lo) out.push([lo, hi]);
    } else if (kind === 7) {
      const lo = r.u32();
      const len = r.uleb();
      if (len) out.push([lo, (lo + len) >>> 0]);
    } else throw new DwarfError(`.debug_rnglists: entry kind ${kind} (indexed addresses) at 0x${(r.pos - 1).toString(16)} is not supported`);
  }
}

/** A DIE's address ranges from low_pc/high_pc or DW_AT_ranges, or [] (no code). */
function dieRanges(attrs, sec, base, version) {
  if (attrs.has(AT.ranges)) return readRanges(sec, attrs.get(AT.ranges).value, base, version);
  if (!attrs.has(AT.low_pc)) return [];
  const lo = attrs.get(AT.low_pc).value;
  const high = attrs.get(AT.high_pc);
  if (!high) return [[lo, (lo + 1) >>> 0]];
  const hi = high.form === ADDR_FORM ? high.value : (lo + high.value) >>> 0;
  return hi > lo ? [[lo, hi]] : [];
}

/**
 * sec: {info, abbrev, str, line_str, ranges, rnglists} Buffers (.debug_*; those not in the file
 * undefined). Returns [{offset, version, name, compDir, stmtList, ranges, functions: [{name,
 * ranges, inlined, caller (index in functions, or -1), callFile, callLine}]}], functions in DIE
 * order.
 */
function readUnits(sec) {
  const info = sec.info;
  const units = [];
  const dies = new Map(); // offset -> {name, linkage, origin} for name lookups across units
  const strs = { str: sec.str, line_str: sec.line_str };
  for (let off = 0; off < info.length;) {
    const r = new Reader(info, ".debug_info", off);
    const length = r.u32();
    if (length >= 0xfffffff0) throw new DwarfError(`.debug_info: 64-bit DWARF at 0x${off.toString(16)} is not supported`);
    const end = r.pos + length;
    const version = r.u16();
    if (version < 2 || version > 5) throw new DwarfError(`.debug_info: version ${version} at 0x${off.toString(16)} is not supported (2 to 5)`);
    let unitType = 1;
    let abbrevOff;
    let addressSize;
    if (version >= 5) {
      unitType = r.u8();
      addressSize = r.u8();
      abbrevOff = r.u32();
      if (unitType === 2 || unitType === 6) r.skip(12);
      else if (unitType === 4 || unitType === 5) r.skip(8);
    } else {
      abbrevOff = r.u32();
      addressSize = r.u8();
    }
    if (addressSize !== 4) throw new DwarfError(`.debug_info: address size ${addressSize} in the unit at 0x${off.toString(16)} (4 expected)`);
    const abbrevs = readAbbrevs(sec.abbrev, abbrevOff);
    const ctx = { addressSize, offsetSize: 4, version, unitOffset: off, strs, implicit: undefined };
    const unit = { offset: off, version, name: undefined, compDir: undefined, stmtList: undefined, ranges: [], functions: [] };
    let base = 0;
    const stack = []; // enclosing DIEs: index of their function in unit.functions, or -1
    while (r.pos < end) {
      const dieOff = r.pos;
      const code = r.uleb();
      if (code === 0) {
        stack.pop();
        continue;
      }
      const ab = abbrevs.get(code);
      if (!ab) throw new DwarfError(`.debug_info: abbreviation ${code} at 0x${dieOff.toString(16)} is not in the table at 0x${abbrevOff.toString(16)}`);
      // Only units' and functions' attributes that a lookup uses are kept (KEPT); the others are
      // stepped over without decoding (a kernel's DIEs are mostly variables and types: their
      // names and locations would be strings and blocks made only to be thrown away).
      const isUnit = ab.tag === TAG.compile_unit || ab.tag === TAG.partial_unit;
      const wanted = isUnit || FUNCTION_TAGS.has(ab.tag);
      const attrs = new Map();
      for (const [at, f, implicit] of ab.attrs) {
        ctx.implicit = implicit;
        if (wanted && KEPT.has(at)) attrs.set(at, { form: f, value: form.read(r, f, ctx) });
        else form.skip(r, f, ctx);
      }
      const v = (at) => (attrs.has(at) ? attrs.get(at).value : undefined);
      let fnIndex = -1;
      if (isUnit) {
        unit.name = v(AT.name);
        unit.compDir = v(AT.comp_dir);
        unit.stmtList = v(AT.stmt_list);
        base = v(AT.low_pc) || 0;
        unit.ranges = dieRanges(attrs, sec, base, version);
      }
      if (FUNCTION_TAGS.has(ab.tag)) {
        // Names are looked up from functions through their origins, which are functions too
        // (an inlined subroutine's abstract subprogram, a definition's declaration).
        const origin = v(AT.abstract_origin) || v(AT.specification);
        dies.set(dieOff, { name: v(AT.name), linkage: v(AT.linkage_name) || v(AT.MIPS_linkage_name), origin: origin && origin.ref });
        const ranges = dieRanges(attrs, sec, base, version);
        if (ranges.length) {
          const inlined = ab.tag === TAG.inlined_subroutine;
          let caller = -1;
          if (inlined) for (let i = stack.length - 1; i >= 0 && caller < 0; i--) caller = stack[i];
          fnIndex = unit.functions.length;
          unit.functions.push({ die: dieOff, ranges, inlined, caller, callFile: v(AT.call_file), callLine: v(AT.call_line) || 0 });
        }
      }
      if (ab.children) stack.push(fnIndex >= 0 ? fnIndex : -1);
    }
    if (unitType === 1 || unitType === 3) units.push(unit);
    off = end;
  }
  // Names: a linkage name first, then the DIE's own name, then its origin's (after every unit is
  // read: an origin may come later, or in another unit).
  const nameOf = (offset, depth = 0) => {
    const d = dies.get(offset);
    if (!d || depth > 16) return undefined;
    return d.linkage || d.name || (d.origin !== undefined ? nameOf(d.origin, depth + 1) : undefined);
  };
  for (const u of units) for (const f of u.functions) f.name = nameOf(f.die);
  return units;
}

module.exports = { readUnits, readAbbrevs };
