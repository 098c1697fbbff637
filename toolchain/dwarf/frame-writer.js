// Writes .debug_frame (DWARF call frame information, CIE version 1) for i386 functions with the
// cdecl ebp frame tsk's i386 backend gives every function: `push ebp; mov ebp, esp` at its first
// byte, `leave; ret` at its end. The rules: on entry the CFA (the caller's esp before the call) is
// esp + 4 with the return address at CFA - 4; after the push, esp + 8 with ebp saved at CFA - 8;
// after the mov, ebp + 8; at the `ret` (after `leave`), esp + 4 again. With them gdb unwinds from
// any instruction, the first one included (where ebp is still the caller's), and finds
// parameters through DW_OP_call_frame_cfa.
"use strict";
const { Writer } = require("./bytes");

const ESP = 4;
const EBP = 5;
const EIP = 8; // the return address column (DWARF register 8 on i386)
const CFA = { advance_loc: 0x40, offset: 0x80, restore: 0xc0, advance_loc4: 0x04, def_cfa: 0x0c, def_cfa_register: 0x0d, def_cfa_offset: 0x0e };

function pad(w, start) {
  while ((w.length - start) % 4) w.u8(0); // DW_CFA_nop
}

/** fns: [{low, high, ret}] (ret: the address of the function's `ret` instruction, after its
 *  `leave`; undefined when there is none). Returns the section's bytes. */
function writeDebugFrame(fns) {
  const w = new Writer();
  w.u32(0).u32(0xffffffff).u8(1).u8(0); // length (patched), CIE id, version 1, no augmentation
  w.uleb(1).sleb(-4).u8(EIP); // code alignment 1, data alignment -4, return address column
  w.u8(CFA.def_cfa).uleb(ESP).uleb(4);
  w.u8(CFA.offset | EIP).uleb(1); // eip at CFA - 4
  pad(w, 4);
  w.patch32(0, w.length - 4);
  for (const f of fns) {
    const start = w.length;
    w.u32(0).u32(0).u32(f.low).u32(f.high - f.low); // length (patched), the CIE at 0, range
    w.u8(CFA.advance_loc | 1).u8(CFA.def_cfa_offset).uleb(8).u8(CFA.offset | EBP).uleb(2); // after push ebp
    w.u8(CFA.advance_loc | 2).u8(CFA.def_cfa_register).uleb(EBP); // after mov ebp, esp
    if (f.ret !== undefined && f.ret > f.low + 3 && f.ret < f.high) {
      w.u8(CFA.advance_loc4).u32(f.ret - (f.low + 3));
      w.u8(CFA.def_cfa).uleb(ESP).uleb(4).u8(CFA.restore | EBP); // after leave
    }
    pad(w, start + 4);
    w.patch32(start, w.length - start - 4);
  }
  return w.buffer();
}

module.exports = { writeDebugFrame };
