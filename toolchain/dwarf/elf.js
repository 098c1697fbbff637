// Reads what the DWARF reader and the line table need from an ELF32 little-endian file (the linked
// kernel or an object): its sections by name (header fields and bytes) and its symbol table. No
// relocation is applied: the kernel ELF is linked, so its DWARF holds final addresses.
"use strict";
const { DwarfError } = require("./errors");

const SHT_SYMTAB = 2;
const SHT_NOBITS = 8;
const SHF_EXECINSTR = 4;
const STT = ["NOTYPE", "OBJECT", "FUNC", "SECTION", "FILE"];
const STB = ["LOCAL", "GLOBAL", "WEAK"];

function cstr(buf, off) {
  const end = buf.indexOf(0, off);
  return buf.toString("latin1", off, end < 0 ? buf.length : end);
}

/**
 * bytes: the file; name: how errors call it. Returns {sections: [{index, name, type, flags, addr,
 * size, data}], section(name) -> that section or undefined, symbols: [{name, value, size, type,
 * bind, shndx}] (type and bind as names: "FUNC", "GLOBAL"...; symbol 0 left out)}.
 */
function readElf(bytes, name = "ELF") {
  const fail = (msg) => { throw new DwarfError(`${name}: ${msg}`); };
  if (bytes.length < 52 || bytes.readUInt32BE(0) !== 0x7f454c46) fail("not an ELF file");
  if (bytes[4] !== 1 || bytes[5] !== 1) fail("not a 32-bit little-endian ELF file");
  const shoff = bytes.readUInt32LE(32);
  const shnum = bytes.readUInt16LE(48);
  const shstrndx = bytes.readUInt16LE(50);
  if (bytes.readUInt16LE(46) !== 40 || shoff + shnum * 40 > bytes.length) fail("section header table out of bounds");
  const sections = [];
  for (let i = 0; i < shnum; i++) {
    const h = shoff + i * 40;
    const s = { index: i, nameOff: bytes.readUInt32LE(h), type: bytes.readUInt32LE(h + 4), flags: bytes.readUInt32LE(h + 8),
      addr: bytes.readUInt32LE(h + 12), offset: bytes.readUInt32LE(h + 16), size: bytes.readUInt32LE(h + 20), link: bytes.readUInt32LE(h + 24) };
    const stored = s.type === SHT_NOBITS || i === 0 ? 0 : s.size;
    if (s.offset + stored > bytes.length) fail(`section ${i} out of bounds`);
    s.data = bytes.subarray(s.offset, s.offset + stored);
    sections.push(s);
  }
  if (!sections[shstrndx]) fail("no section name table");
  for (const s of sections) s.name = cstr(sections[shstrndx].data, s.nameOff);
  const symbols = [];
  for (const tab of sections.filter((s) => s.type === SHT_SYMTAB)) {
    const strs = sections[tab.link];
    if (!strs) fail(`symbol table ${tab.name}: no string table`);
    for (let off = 16; off + 16 <= tab.data.length; off += 16) {
      const d = tab.data;
      const info = d[off + 12];
      symbols.push({ name: cstr(strs.data, d.readUInt32LE(off)), value: d.readUInt32LE(off + 4), size: d.readUInt32LE(off + 8),
        type: STT[info & 15] || String(info & 15), bind: STB[info >> 4] || String(info >> 4), shndx: d.readUInt16LE(off + 14) });
    }
  }
  const byName = new Map();
  for (const s of sections) if (!byName.has(s.name)) byName.set(s.name, s);
  return { sections, symbols, section: (n) => byName.get(n) };
}

/** Whether a symbol is defined in a code section (nm's `t`/`T`). */
function isCodeSymbol(elf, sym) {
  const s = sym.shndx > 0 && sym.shndx < 0xff00 ? elf.sections[sym.shndx] : undefined;
  return !!s && (s.flags & SHF_EXECINSTR) !== 0 && sym.type !== "SECTION" && sym.type !== "FILE";
}

module.exports = { readElf, isCodeSymbol };
