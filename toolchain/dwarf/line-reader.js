// Reads DWARF .debug_line (versions 2 to 5, 32-bit DWARF): each line-number program's header (its
// directory and file tables) and the rows its state machine produces (DWARF 5 section 6.2). A row
// is {address, file, line, column, isStmt, discriminator, endSequence}; rows come in sequences, each
// ending with an end_sequence row whose address is the first byte after the sequence. This is what
// `objdump --dwarf=decodedline` prints and what addr2line looks addresses up in.
"use strict";
const { Reader } = require("./bytes");
const { DwarfError } = require("./errors");
const form = require("./forms");

const DW_LNS = { copy: 1, advance_pc: 2, advance_line: 3, set_file: 4, set_column: 5, negate_stmt: 6, set_basic_block: 7,
  const_add_pc: 8, fixed_advance_pc: 9, set_prologue_end: 10, set_epilogue_begin: 11, set_isa: 12 };
const DW_LNE = { end_sequence: 1, set_address: 2, define_file: 3, set_discriminator: 4 };
const DW_LNCT = { path: 1, directory_index: 2 };

/** The directory and file tables of a DWARF 5 header: entry formats, then entries. */
function v5Entries(r, strs) {
  const formats = [];
  for (let n = r.u8(); n > 0; n--) formats.push([r.uleb(), r.uleb()]);
  const out = [];
  for (let n = r.uleb(); n > 0; n--) {
    const e = {};
    for (const [type, f] of formats) {
      const v = form.read(r, f, { addressSize: 4, offsetSize: 4, strs });
      if (type === DW_LNCT.path) e.name = v;
      else if (type === DW_LNCT.directory_index) e.dir = v;
    }
    out.push(e);
  }
  return out;
}

/**
 * The program at `offset` of `line` (the .debug_line bytes). strs: {str, line_str} Buffers for
 * DWARF 5's string forms. Returns {offset, end, version, dirs, files, sequences: [[row...]]}, where
 * dirs[i] is a directory name (DWARF 2-4: dirs[0] is null, meaning the unit's comp_dir) and files[i]
 * is {name, dir} with the index the program's set_file uses (DWARF 2-4: files[0] is null, as their
 * file numbers start at 1).
 */
function readLineProgram(line, offset, strs = {}) {
  const r = new Reader(line, ".debug_line", offset);
  const length = r.u32();
  if (length >= 0xfffffff0) throw new DwarfError(`.debug_line: 64-bit DWARF at 0x${offset.toString(16)} is not supported`);
  const end = r.pos + length;
  if (end > line.length) throw new DwarfError(`.debug_line: the program at 0x${offset.toString(16)} runs past the section`);
  const version = r.u16();
  if (version < 2 || version > 5) throw new DwarfError(`.debug_line: version ${version} at 0x${offset.toString(16)} is not supported (2 to 5)`);
  if (version >= 5) {
    const addressSize = r.u8();
    r.u8(); // segment selector size
    if (addressSize !== 4) throw new DwarfError(`.debug_line: address size ${addressSize} (4 expected)`);
  }
  const headerLength = r.u32();
  const programStart = r.pos + headerLength;
  const minInst = r.u8();
  const maxOps = version >= 4 ? r.u8() : 1;
  if (maxOps !== 1) throw new DwarfError(`.debug_line: maximum_operations_per_instruction ${maxOps} (VLIW) is not supported`);
  const defaultIsStmt = r.u8() !== 0;
  const lineBase = r.i8();
  const lineRange = r.u8();
  const opcodeBase = r.u8();
  if (lineRange === 0) throw new DwarfError(".debug_line: line_range 0");
  const opLengths = [0];
  for (let i = 1; i < opcodeBase; i++) opLengths.push(r.u8());
  let dirs;
  let files;
  if (version >= 5) {
    dirs = v5Entries(r, strs).map((d) => d.name);
    files = v5Entries(r, strs).map((f) => ({ name: f.name, dir: f.dir || 0 }));
  } else {
    dirs = [null];
    for (let s = r.cstr(); s !== ""; s = r.cstr()) dirs.push(s);
    files = [null];
    for (let s = r.cstr(); s !== ""; s = r.cstr()) {
      files.push({ name: s, dir: r.uleb() });
      r.uleb(); // mtime
      r.uleb(); // length
    }
  }
  r.pos = programStart;

  const sequences = [];
  let rows = [];
  let st;
  const reset = () => {
    st = { address: 0, file: 1, line: 1, column: 0, isStmt: defaultIsStmt, discriminator: 0 };
  };
  const emit = (endSequence = false) => {
    rows.push({ address: st.address, file: st.file, line: st.line, column: st.column, isStmt: st.isStmt, discriminator: st.discriminator, endSequence });
    st.discriminator = 0;
  };
  reset();
  while (r.pos < end) {
    const op = r.u8();
    if (op >= opcodeBase) {
      const adj = op - opcodeBase;
      st.address = (st.address + Math.floor(adj / lineRange) * minInst) >>> 0;
      st.line += lineBase + (adj % lineRange);
      emit();
    } else if (op === 0) {
      const len = r.uleb();
      const next = r.pos + len;
      const sub = len ? r.u8() : 0;
      if (sub === DW_LNE.end_sequence) {
        emit(true);
        sequences.push(rows);
        rows = [];
        reset();
      } else if (sub === DW_LNE.set_address) {
        st.address = r.uN(len - 1);
      } else if (sub === DW_LNE.define_file) {
        files.push({ name: r.cstr(), dir: r.uleb() });
      } else if (sub === DW_LNE.set_discriminator) {
        st.discriminator = r.uleb();
      }
      r.pos = next;
    } else if (op === DW_LNS.copy) {
      emit();
    } else if (op === DW_LNS.advance_pc) {
      st.address = (st.address + r.uleb() * minInst) >>> 0;
    } else if (op === DW_LNS.advance_line) {
      st.line += r.sleb();
    } else if (op === DW_LNS.set_file) {
      st.file = r.uleb();
    } else if (op === DW_LNS.set_column) {
      st.column = r.uleb();
    } else if (op === DW_LNS.negate_stmt) {
      st.isStmt = !st.isStmt;
    } else if (op === DW_LNS.const_add_pc) {
      st.address = (st.address + Math.floor((255 - opcodeBase) / lineRange) * minInst) >>> 0;
    } else if (op === DW_LNS.fixed_advance_pc) {
      st.address = (st.address + r.u16()) >>> 0;
    } else if (op === DW_LNS.set_basic_block || op === DW_LNS.set_prologue_end || op === DW_LNS.set_epilogue_begin) {
      // flags no reader here needs
    } else {
      // set_isa and opcodes this reader does not know: skip their ULEB128 arguments.
      for (let i = 0; i < opLengths[op]; i++) r.uleb();
    }
  }
  if (rows.length) throw new DwarfError(`.debug_line: the program at 0x${offset.toString(16)} ends inside a sequence (no end_sequence)`);
  return { offset, end, version, dirs, files, sequences };
}

/** Every program in the section, in order. */
function readLinePrograms(line, strs = {}) {
  const out = [];
  for (let off = 0; off < line.length;) {
    const p = readLineProgram(line, off, strs);
    out.push(p);
    off = p.end;
  }
  return out;
}

module.exports = { readLineProgram, readLinePrograms };
