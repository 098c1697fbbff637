// Applies the i386 REL relocations of every placed input section to its (copied) bytes, with the
// addend read from the field as REL requires. Types: R_386_NONE, R_386_32, R_386_PC32,
// R_386_PLT32 (a static kernel has no PLT: it is PC32, as ld resolves it), R_386_16, R_386_PC16,
// R_386_8, R_386_PC8 (with ld's overflow checks). Anything else is an error naming the type, the
// object and the symbol. A relocation against a section symbol of a merged string section maps
// the addend through the merge, as bfd's elf_i386_relocate_section does.
"use strict";
const { LinkError } = require("./errors");
const { SHN, STT, STB, SHF } = require("./elf-read");
const { mergedOffset } = require("./merge");

const TYPES = {
  0: { name: "R_386_NONE", size: 0 },
  1: { name: "R_386_32", size: 4, pc: false },
  2: { name: "R_386_PC32", size: 4, pc: true },
  4: { name: "R_386_PLT32", size: 4, pc: true },
  20: { name: "R_386_16", size: 2, pc: false },
  21: { name: "R_386_PC16", size: 2, pc: true },
  22: { name: "R_386_8", size: 1, pc: false },
  23: { name: "R_386_PC8", size: 1, pc: true },
};
const NAMES = { 3: "R_386_GOT32", 5: "R_386_COPY", 6: "R_386_GLOB_DAT", 7: "R_386_JMP_SLOT", 8: "R_386_RELATIVE",
  9: "R_386_GOTOFF", 10: "R_386_GOTPC", 14: "R_386_TLS_TPOFF", 15: "R_386_TLS_IE", 16: "R_386_TLS_GOTIE",
  17: "R_386_TLS_LE", 18: "R_386_TLS_GD", 19: "R_386_TLS_LDM", 43: "R_386_GOT32X" };

function readField(buf, off, size) {
  return size === 4 ? buf.readInt32LE(off) : size === 2 ? buf.readInt16LE(off) : buf.readInt8(off);
}

function writeField(buf, off, size, v) {
  if (size === 4) buf.writeUInt32LE(v >>> 0, off);
  else if (size === 2) buf.writeUInt16LE(v & 0xffff, off);
  else buf[off] = v & 0xff;
}

/** ld's overflow rules: bitfield (absolute: signed or unsigned fits) and signed (pc-relative). */
function fits(v, size, pc) {
  if (size === 4) return true;
  const bits = size * 8;
  const min = -(2 ** (bits - 1));
  const max = pc ? 2 ** (bits - 1) - 1 : 2 ** bits - 1;
  return v >= min && v <= max;
}

/**
 * lay: layout()'s result; globals: resolveSymbols's table. Sets `bytes` (relocated copy) on every
 * placed input section with contents.
 */
function relocate(lay, globals) {
  const toU32 = (v) => v >>> 0;
  for (const inp of lay.inputs) {
    if (!inp.out || inp.gone || !inp.data) continue;
    if (inp.group) { inp.bytes = inp.data; continue; }
    const bytes = Buffer.from(inp.data);
    inp.bytes = bytes;
    const relocs = inp.object.relocs.get(inp.section.index);
    if (!relocs) continue;
    const obj = inp.object;
    const alloc = !!(inp.section.flags & SHF.ALLOC);
    for (const r of relocs) {
      const t = TYPES[r.type];
      const sym = obj.symbols[r.sym];
      // Message parts, built only for an error (thousands of relocations take the happy path).
      const symName = () => (sym.type === STT.SECTION ? `section ${(obj.sections[sym.shndx] || {}).name}` : `\`${sym.name}'`);
      const at = () => `${obj.name}: ${inp.name}+0x${r.offset.toString(16)}`;
      if (!t) {
        throw new LinkError(`${at()}: unsupported relocation type ${NAMES[r.type] || r.type} (${r.type}) against ${symName()}`);
      }
      if (!t.size) continue;
      if (r.offset + t.size > bytes.length) throw new LinkError(`${at()}: relocation beyond the end of the section`);
      let addend = readField(bytes, r.offset, t.size);
      const P = inp.out.addr + inp.offset + r.offset;
      let S;
      if (sym.bind === STB.LOCAL) {
        const target = obj.placed.get(sym.shndx);
        if (sym.shndx !== SHN.ABS && (!target || !target.out)) {
          if (alloc) throw new LinkError(`${at()}: relocation against ${symName()}, which is in a discarded section`);
          // ld's _bfd_clear_contents: debug data about discarded code becomes 0 (1 in .debug_ranges
          // and .debug_loc, where 0 would end the list).
          writeField(bytes, r.offset, t.size, /^\.debug_(ranges|loc)$/.test(inp.name) ? 1 : 0);
          continue;
        }
        if (sym.type === STT.SECTION && target.group) {
          const m = mergedOffset(target, sym.value + addend + (t.pc ? t.size : 0));
          S = m.member.out.addr + m.member.offset + m.offset;
          addend = t.pc ? -t.size : 0;
        } else S = lay.symbolAddress(obj, sym);
      } else {
        const g = globals.get(sym.name);
        if (lay.scriptSyms.has(sym.name)) S = lay.scriptSyms.get(sym.name).value;
        else if (g && (g.sym || g.common)) S = lay.globalAddress(g);
        else S = 0; // weak undefined
      }
      if (S === null) throw new LinkError(`${at()}: relocation against ${symName()}, which has no address`);
      const v = t.pc ? S + addend - P : S + addend;
      if (!fits(v, t.size, t.pc)) {
        throw new LinkError(`${at()}: relocation truncated to fit: ${t.name} against ${symName()} (value 0x${toU32(v).toString(16)})`);
      }
      writeField(bytes, r.offset, t.size, v);
    }
  }
}

module.exports = { relocate };
