// DWARF attribute forms (DWARF 5 section 7.5.6): how to read a value of each form from .debug_info
// or a DWARF 5 line header. Values: numbers, strings, Buffers (blocks and expressions), and
// {ref: offset in .debug_info} for references. Forms that need tables this reader does not keep
// (.debug_str_offsets, .debug_addr, supplementary files) are an error naming the form.
"use strict";
const { DwarfError } = require("./errors");

const DW_FORM = {
  addr: 0x01, block2: 0x03, block4: 0x04, data2: 0x05, data4: 0x06, data8: 0x07, string: 0x08, block: 0x09, block1: 0x0a,
  data1: 0x0b, flag: 0x0c, sdata: 0x0d, strp: 0x0e, udata: 0x0f, ref_addr: 0x10, ref1: 0x11, ref2: 0x12, ref4: 0x13,
  ref8: 0x14, ref_udata: 0x15, indirect: 0x16, sec_offset: 0x17, exprloc: 0x18, flag_present: 0x19, data16: 0x1e,
  line_strp: 0x1f, ref_sig8: 0x20, implicit_const: 0x21,
};

function str(buf, off, what) {
  if (!buf) throw new DwarfError(`${what} is referenced but missing`);
  const end = buf.indexOf(0, off);
  if (off >= buf.length || end < 0) throw new DwarfError(`${what}: no string at offset 0x${off.toString(16)}`);
  return buf.toString("utf8", off, end);
}

/**
 * The value of form `f` at r's position. ctx: {addressSize, offsetSize, version, unitOffset (where
 * the unit starts, for unit-relative references), strs: {str, line_str}, implicit (an
 * implicit_const's value from the abbreviation)}.
 */
function read(r, f, ctx) {
  const block = (n) => {
    r.need(n);
    const b = r.buf.subarray(r.pos, r.pos + n);
    r.pos += n;
    return b;
  };
  const unitRef = (v) => ({ ref: (ctx.unitOffset || 0) + v });
  switch (f) {
    case DW_FORM.addr: return r.uN(ctx.addressSize);
    case DW_FORM.data1: return r.u8();
    case DW_FORM.data2: return r.u16();
    case DW_FORM.data4: return r.u32();
    case DW_FORM.data8: return r.uN(8);
    case DW_FORM.data16: return block(16);
    case DW_FORM.sdata: return r.sleb();
    case DW_FORM.udata: return r.uleb();
    case DW_FORM.string: return r.cstr();
    case DW_FORM.strp: return str(ctx.strs && ctx.strs.str, r.uN(ctx.offsetSize), ".debug_str");
    case DW_FORM.line_strp: return str(ctx.strs && ctx.strs.line_str, r.uN(ctx.offsetSize), ".debug_line_str");
    case DW_FORM.flag: return r.u8() !== 0;
    case DW_FORM.flag_present: return true;
    case DW_FORM.block1: return block(r.u8());
    case DW_FORM.block2: return block(r.u16());
    case DW_FORM.block4: return block(r.u32());
    case DW_FORM.block:
    case DW_FORM.exprloc: return block(r.uleb());
    case DW_FORM.sec_offset: return r.uN(ctx.offsetSize);
    case DW_FORM.ref1: return unitRef(r.u8());
    case DW_FORM.ref2: return unitRef(r.u16());
    case DW_FORM.ref4: return unitRef(r.u32());
    case DW_FORM.ref8: return unitRef(r.uN(8));
    case DW_FORM.ref_udata: return unitRef(r.uleb());
    case DW_FORM.ref_addr: return { ref: r.uN(ctx.version <= 2 ? ctx.addressSize : ctx.offsetSize) };
    case DW_FORM.ref_sig8: return block(8);
    case DW_FORM.implicit_const: return ctx.implicit;
    case DW_FORM.indirect: return read(r, r.uleb(), ctx);
    default:
      throw new DwarfError(`${r.what}: attribute form 0x${f.toString(16)} at offset 0x${r.pos.toString(16)} is not supported`);
  }
}

/** Steps over a value of form `f` at r's position without making it (no string decoded, no block
 *  sliced); the same errors as read() for forms it does not know. */
function skip(r, f, ctx) {
  switch (f) {
    case DW_FORM.string: {
      const end = r.buf.indexOf(0, r.pos);
      if (end < 0) r.cstr(); // the reader's own error for a string without its NUL
      r.pos = end + 1;
      return;
    }
    case DW_FORM.strp:
    case DW_FORM.line_strp:
    case DW_FORM.sec_offset:
      r.need(ctx.offsetSize);
      r.pos += ctx.offsetSize;
      return;
    case DW_FORM.block1: r.skip(r.u8()); return;
    case DW_FORM.block2: r.skip(r.u16()); return;
    case DW_FORM.block4: r.skip(r.u32()); return;
    case DW_FORM.block:
    case DW_FORM.exprloc: r.skip(r.uleb()); return;
    case DW_FORM.indirect: skip(r, r.uleb(), ctx); return;
    default: read(r, f, ctx);
  }
}

module.exports = { read, skip, DW_FORM };
