// Writes one DWARF 4 line-number program (.debug_line; DWARF 5 section 6.2, version 4 header):
// a file table and, for each sequence of contiguous code, the rows address -> file and line that
// gdb, readelf and addr2line read back. Rows use special opcodes where the address and line
// advance fit one (line_base -5, line_range 14, opcode_base 13: gcc's choice), else the explicit
// advance_pc / advance_line / copy. Every row is a statement (is_stmt 1).
"use strict";
const { Writer } = require("./bytes");
const { DwarfError } = require("./errors");

const LINE_BASE = -5;
const LINE_RANGE = 14;
const OPCODE_BASE = 13;
/** Arguments of standard opcodes 1..12 (DWARF 4). */
const STANDARD_LENGTHS = [0, 1, 1, 1, 1, 0, 0, 0, 1, 0, 0, 1];
const DW_LNS_copy = 1;
const DW_LNS_advance_pc = 2;
const DW_LNS_advance_line = 3;
const DW_LNS_set_file = 4;
const DW_LNE_end_sequence = 1;
const DW_LNE_set_address = 2;

/**
 * files: file names (relative to the unit's comp_dir, or absolute), numbered from 1 in rows;
 * sequences: [{rows: [{address, file (1-based), line}], end}], each sequence's rows in address
 * order and `end` the first address after its code. Returns the program's bytes.
 */
function writeLineProgram(files, sequences) {
  const w = new Writer();
  w.u32(0); // unit_length, patched below
  w.u16(4); // version
  const headerLengthAt = w.length;
  w.u32(0); // header_length, patched below
  w.u8(1); // minimum_instruction_length
  w.u8(1); // maximum_operations_per_instruction
  w.u8(1); // default_is_stmt
  w.u8(LINE_BASE & 0xff);
  w.u8(LINE_RANGE);
  w.u8(OPCODE_BASE);
  for (const n of STANDARD_LENGTHS) w.u8(n);
  w.u8(0); // include_directories: none (every file is relative to comp_dir)
  for (const f of files) w.cstr(f).uleb(0).uleb(0).uleb(0); // directory 0, no time, no length
  w.u8(0);
  w.patch32(headerLengthAt, w.length - headerLengthAt - 4);

  for (const seq of sequences) {
    if (!seq.rows.length) continue;
    let address = seq.rows[0].address;
    let line = 1;
    let file = 1;
    w.u8(0).uleb(5).u8(DW_LNE_set_address).u32(address);
    for (const row of seq.rows) {
      if (row.address < address) throw new DwarfError(`line rows out of order at 0x${row.address.toString(16)}`);
      if (!(row.file >= 1 && row.file <= files.length)) throw new DwarfError(`line row at 0x${row.address.toString(16)}: no file ${row.file}`);
      if (row.file !== file) {
        w.u8(DW_LNS_set_file).uleb(row.file);
        file = row.file;
      }
      let dAddr = row.address - address;
      const dLine = row.line - line;
      const fitsLine = dLine >= LINE_BASE && dLine < LINE_BASE + LINE_RANGE;
      if (fitsLine) {
        if ((dLine - LINE_BASE) + LINE_RANGE * dAddr + OPCODE_BASE > 255) {
          w.u8(DW_LNS_advance_pc).uleb(dAddr);
          dAddr = 0;
        }
        w.u8((dLine - LINE_BASE) + LINE_RANGE * dAddr + OPCODE_BASE);
      } else {
        if (dLine) w.u8(DW_LNS_advance_line).sleb(dLine);
        if (dAddr) w.u8(DW_LNS_advance_pc).uleb(dAddr);
        w.u8(DW_LNS_copy);
      }
      address = row.address;
      line = row.line;
    }
    if (seq.end < address) throw new DwarfError(`sequence ends at 0x${seq.end.toString(16)}, before its last row`);
    if (seq.end > address) w.u8(DW_LNS_advance_pc).uleb(seq.end - address);
    w.u8(0).uleb(1).u8(DW_LNE_end_sequence);
  }
  w.patch32(0, w.length - 4);
  return w.buffer();
}

module.exports = { writeLineProgram };
