// Reads an ELF32 little-endian i386 relocatable object (ET_REL) into plain data: its sections (with
// their bytes), its symbols and its REL relocations. Nothing here knows about layout; it only
// checks that the file is what the linker can use and says plainly when it is not.
"use strict";
const { LinkError } = require("./errors");

const SHT = { NULL: 0, PROGBITS: 1, SYMTAB: 2, STRTAB: 3, RELA: 4, NOBITS: 8, REL: 9, GROUP: 17 };
const SHF = { WRITE: 1, ALLOC: 2, EXECINSTR: 4, MERGE: 0x10, STRINGS: 0x20, INFO_LINK: 0x40, GROUP: 0x200 };
const SHN = { UNDEF: 0, ABS: 0xfff1, COMMON: 0xfff2 };
const STB = { LOCAL: 0, GLOBAL: 1, WEAK: 2 };
const STT = { NOTYPE: 0, OBJECT: 1, FUNC: 2, SECTION: 3, FILE: 4 };

/** The NUL-terminated string at `off` of a string table. */
function cstr(buf, off) {
  let end = off;
  while (end < buf.length && buf[end] !== 0) end++;
  return buf.toString("latin1", off, end);
}

/**
 * bytes: a Buffer holding the object; name: how errors call it (its path).
 * Returns {name, sections: [{index, name, type, flags, addralign, entsize, size, data, info, link}],
 * symbols: [{index, name, value, size, bind, type, shndx}], relocs: Map(section index -> [{offset,
 * type, sym}])}. Section 0 and symbol 0 are the null entries, kept so indices match the file.
 */
function readObject(bytes, name) {
  const fail = (msg) => { throw new LinkError(`${name}: ${msg}`); };
  if (bytes.subarray(0, 8).toString("latin1") === "!<arch>\n") {
    fail("archives (.a) are not supported: pass the objects themselves (the kernel needs nothing from libgcc.a)");
  }
  if (bytes.length < 52 || bytes.readUInt32BE(0) !== 0x7f454c46) fail("not an ELF file");
  if (bytes[4] !== 1 || bytes[5] !== 1) fail("not a 32-bit little-endian ELF object (elf32-i386 expected)");
  const type = bytes.readUInt16LE(16);
  const machine = bytes.readUInt16LE(18);
  if (type !== 1) fail(`ELF type ${type} is not a relocatable object (ET_REL)`);
  if (machine !== 3) fail(`machine ${machine} is not i386 (EM_386)`);
  const shoff = bytes.readUInt32LE(32);
  const shentsize = bytes.readUInt16LE(46);
  const shnum = bytes.readUInt16LE(48);
  const shstrndx = bytes.readUInt16LE(50);
  if (shentsize !== 40 || shoff + shnum * 40 > bytes.length) fail("section header table out of bounds");

  const sections = [];
  for (let i = 0; i < shnum; i++) {
    const h = shoff + i * 40;
    const s = {
      index: i, nameOff: bytes.readUInt32LE(h), type: bytes.readUInt32LE(h + 4), flags: bytes.readUInt32LE(h + 8),
      offset: bytes.readUInt32LE(h + 16), size: bytes.readUInt32LE(h + 20), link: bytes.readUInt32LE(h + 24),
      info: bytes.readUInt32LE(h + 28), addralign: bytes.readUInt32LE(h + 32) || 1, entsize: bytes.readUInt32LE(h + 36),
    };
    if (s.type !== SHT.NOBITS && s.type !== SHT.NULL && s.offset + s.size > bytes.length) fail(`section ${i} out of bounds`);
    s.data = s.type === SHT.NOBITS ? null : bytes.subarray(s.offset, s.offset + s.size);
    sections.push(s);
  }
  const shstr = sections[shstrndx] && sections[shstrndx].data;
  if (!shstr) fail("no section name table");
  for (const s of sections) s.name = cstr(shstr, s.nameOff);

  const symtabs = sections.filter((s) => s.type === SHT.SYMTAB);
  if (symtabs.length > 1) fail("more than one symbol table");
  const symbols = [];
  if (symtabs.length) {
    const st = symtabs[0];
    const strtab = sections[st.link] && sections[st.link].data;
    if (!strtab) fail("symbol table without a string table");
    for (let off = 0; off + 16 <= st.size; off += 16) {
      const info = st.data[off + 12];
      symbols.push({
        index: off / 16, name: cstr(strtab, st.data.readUInt32LE(off)), value: st.data.readUInt32LE(off + 4),
        size: st.data.readUInt32LE(off + 8), bind: info >> 4, type: info & 15, shndx: st.data.readUInt16LE(off + 14),
      });
    }
  }
  for (const sym of symbols) {
    if (sym.shndx !== SHN.UNDEF && sym.shndx < 0xff00 && !sections[sym.shndx]) {
      fail(`symbol \`${sym.name}' is defined in section ${sym.shndx}, which does not exist`);
    }
    if (sym.shndx === 0xffff) fail(`symbol \`${sym.name}': extended section indices (SHN_XINDEX) are not supported`);
  }

  const relocs = new Map();
  for (const s of sections) {
    if (s.type === SHT.RELA) fail(`${s.name}: RELA relocations are not used by i386 objects (REL expected)`);
    if (s.type === SHT.GROUP) fail(`${s.name}: section groups (COMDAT) are not supported`);
    if (s.type !== SHT.REL) continue;
    if (!sections[s.info]) fail(`${s.name}: applies to section ${s.info}, which does not exist`);
    const list = [];
    for (let off = 0; off + 8 <= s.size; off += 8) {
      const info = s.data.readUInt32LE(off + 4);
      const sym = info >>> 8;
      if (sym >= symbols.length) fail(`${s.name}: relocation at 0x${off.toString(16)} names symbol ${sym}, beyond the symbol table`);
      list.push({ offset: s.data.readUInt32LE(off), type: info & 0xff, sym });
    }
    relocs.set(s.info, list);
  }
  return { name, sections, symbols, relocs };
}

module.exports = { readObject, SHT, SHF, SHN, STB, STT };
