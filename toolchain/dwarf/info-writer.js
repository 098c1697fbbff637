// Writes the DWARF 4 sections that make a linked kernel debuggable from its line programs: for each
// compile unit a .debug_info entry (producer, language, name, comp_dir, its code ranges, its line
// program) with a subprogram per function (name, code range, the CFA as frame base, parameters) and an
// inlined_subroutine per inlined call (its abstract origin, range, call file and line), plus
// .debug_abbrev, .debug_line (line-writer.js), .debug_ranges and .debug_aranges (gdb finds a
// unit by address through it). Addresses are final: the sections need no relocation.
"use strict";
const { Writer } = require("./bytes");
const { writeLineProgram } = require("./line-writer");
const { DwarfError } = require("./errors");

const TAG = { compile_unit: 0x11, subprogram: 0x2e, inlined_subroutine: 0x1d, formal_parameter: 0x05, base_type: 0x24 };
const AT = { location: 0x02, name: 0x03, byte_size: 0x0b, stmt_list: 0x10, low_pc: 0x11, high_pc: 0x12, language: 0x13,
  comp_dir: 0x1b, inline: 0x20, producer: 0x25, abstract_origin: 0x31, decl_file: 0x3a, decl_line: 0x3b, encoding: 0x3e,
  external: 0x3f, frame_base: 0x40, type: 0x49, ranges: 0x55, call_file: 0x58, call_line: 0x59 };
const FORM = { addr: 0x01, data2: 0x05, data4: 0x06, string: 0x08, data1: 0x0b, udata: 0x0f, ref4: 0x13, sec_offset: 0x17,
  exprloc: 0x18, flag_present: 0x19 };
const LANG = { c: 0x0c /* C99 */, asm: 0x8001 /* Mips_Assembler: what gas and nasm call assembly */ };
const DW_INL_inlined = 1;
const DW_ATE = { signed: 0x05, unsigned: 0x08, boolean: 0x02 };
const DW_OP_call_frame_cfa = 0x9c; // the frame base: the CFA, from .debug_frame (frame-writer.js)
const DW_OP_fbreg = 0x91;

/** code -> [tag, children, [[attribute, form]...]] */
const ABBREV = {
  unit: [1, TAG.compile_unit, true, [[AT.producer, FORM.string], [AT.language, FORM.data2], [AT.name, FORM.string],
    [AT.comp_dir, FORM.string], [AT.low_pc, FORM.addr], [AT.ranges, FORM.sec_offset], [AT.stmt_list, FORM.sec_offset]]],
  externFn: [2, TAG.subprogram, true, [[AT.name, FORM.string], [AT.decl_file, FORM.udata], [AT.decl_line, FORM.udata],
    [AT.external, FORM.flag_present], [AT.low_pc, FORM.addr], [AT.high_pc, FORM.data4], [AT.frame_base, FORM.exprloc]]],
  fn: [3, TAG.subprogram, true, [[AT.name, FORM.string], [AT.decl_file, FORM.udata], [AT.decl_line, FORM.udata],
    [AT.low_pc, FORM.addr], [AT.high_pc, FORM.data4], [AT.frame_base, FORM.exprloc]]],
  abstractFn: [4, TAG.subprogram, false, [[AT.name, FORM.string], [AT.inline, FORM.data1]]],
  inlined: [5, TAG.inlined_subroutine, true, [[AT.abstract_origin, FORM.ref4], [AT.low_pc, FORM.addr], [AT.high_pc, FORM.data4],
    [AT.call_file, FORM.udata], [AT.call_line, FORM.udata]]],
  param: [6, TAG.formal_parameter, false, [[AT.name, FORM.string], [AT.type, FORM.ref4], [AT.location, FORM.exprloc]]],
  baseType: [7, TAG.base_type, false, [[AT.name, FORM.string], [AT.byte_size, FORM.data1], [AT.encoding, FORM.data1]]],
};

function writeAbbrevs() {
  const w = new Writer();
  for (const [code, tag, children, attrs] of Object.values(ABBREV)) {
    w.uleb(code).uleb(tag).u8(children ? 1 : 0);
    for (const [at, f] of attrs) w.uleb(at).uleb(f);
    w.uleb(0).uleb(0);
  }
  w.uleb(0);
  return w.buffer();
}

/**
 * compDir: the directory file names are relative to; producer: DW_AT_producer; units: [{name,
 * language: "c" | "asm", files: [name], sequences: [{rows: [{address, file, line}], end}] (see
 * line-writer.js), functions: [{name, low, high, file, line, external, params: [{name, cfaOffset
 * (where it is, from the CFA), type: {name, size, encoding: "signed" | "unsigned" | "boolean"}}], inlined: [{name,
 * file (its own file's name: two functions of one name are told apart by it), low, high, callFile,
 * callLine, inlined: [...]}]}]}]: files are 1-based indices into `files`.
 * Returns {".debug_abbrev", ".debug_info", ".debug_line", ".debug_ranges", ".debug_aranges"}: Buffers.
 */
function writeDebugSections({ compDir, producer, units }) {
  const info = new Writer();
  const line = [];
  let lineBytes = 0;
  const ranges = new Writer();
  const aranges = new Writer();
  for (const unit of units) {
    const unitRanges = [];
    for (const s of unit.sequences) if (s.rows.length) unitRanges.push([s.rows[0].address, s.end]);
    if (!unitRanges.length) continue;
    if (!LANG[unit.language]) throw new DwarfError(`unit ${unit.name}: unknown language ${unit.language}`);
    const program = writeLineProgram(unit.files, unit.sequences);
    const stmtList = lineBytes;
    line.push(program);
    lineBytes += program.length;

    const unitOffset = info.length;
    info.u32(0).u16(4).u32(0).u8(4); // length (patched), version 4, abbrevs at 0, 4-byte addresses
    const die = (a) => info.uleb(a[0]);
    die(ABBREV.unit);
    info.cstr(producer).u16(LANG[unit.language]).cstr(unit.name).cstr(compDir).u32(0).u32(ranges.length).u32(stmtList);
    for (const [lo, hi] of unitRanges) ranges.u32(lo).u32(hi);
    ranges.u32(0).u32(0);

    // Base types of parameters, and abstract instances of inlined functions: written first, so the
    // references to them (unit-relative offsets) are known when the functions are written.
    const typeAt = new Map();
    for (const f of unit.functions) for (const p of f.params || []) {
      const key = `${p.type.name}/${p.type.size}/${p.type.encoding}`;
      if (typeAt.has(key)) continue;
      if (!DW_ATE[p.type.encoding]) throw new DwarfError(`type ${p.type.name}: unknown encoding ${p.type.encoding}`);
      typeAt.set(key, info.length - unitOffset);
      die(ABBREV.baseType);
      info.cstr(p.type.name).u8(p.type.size).u8(DW_ATE[p.type.encoding]);
    }
    const originAt = new Map();
    // One abstract instance per inlined function (two modules may each have a `level`).
    const originKey = (x) => `${x.file || ""}\0${x.name}`;
    const origins = (list) => {
      for (const x of list || []) {
        if (!originAt.has(originKey(x))) {
          originAt.set(originKey(x), info.length - unitOffset);
          die(ABBREV.abstractFn);
          info.cstr(x.name).u8(DW_INL_inlined);
        }
        origins(x.inlined);
      }
    };
    for (const f of unit.functions) origins(f.inlined);

    const inlinedDies = (list) => {
      for (const x of list || []) {
        die(ABBREV.inlined);
        info.u32(originAt.get(originKey(x))).u32(x.low).u32(x.high - x.low).uleb(x.callFile).uleb(x.callLine);
        inlinedDies(x.inlined);
        info.u8(0);
      }
    };
    for (const f of unit.functions) {
      die(f.external ? ABBREV.externFn : ABBREV.fn);
      info.cstr(f.name).uleb(f.file).uleb(f.line).u32(f.low).u32(f.high - f.low);
      info.uleb(1).u8(DW_OP_call_frame_cfa);
      for (const p of f.params || []) {
        die(ABBREV.param);
        const loc = new Writer().u8(DW_OP_fbreg).sleb(p.cfaOffset).buffer();
        info.cstr(p.name).u32(typeAt.get(`${p.type.name}/${p.type.size}/${p.type.encoding}`)).uleb(loc.length);
        for (const b of loc) info.u8(b);
      }
      inlinedDies(f.inlined);
      info.u8(0);
    }
    info.u8(0); // end of the unit's children
    info.patch32(unitOffset, info.length - unitOffset - 4);

    // .debug_aranges: a 12-byte header padded to 16 (tuples are aligned to twice the address size).
    const at = aranges.length;
    aranges.u32(0).u16(2).u32(unitOffset).u8(4).u8(0).u32(0);
    for (const [lo, hi] of unitRanges) aranges.u32(lo).u32(hi - lo);
    aranges.u32(0).u32(0);
    aranges.patch32(at, aranges.length - at - 4);
  }
  return {
    ".debug_abbrev": writeAbbrevs(), ".debug_info": info.buffer(), ".debug_line": Buffer.concat(line),
    ".debug_ranges": ranges.buffer(), ".debug_aranges": aranges.buffer(),
  };
}

module.exports = { writeDebugSections };
