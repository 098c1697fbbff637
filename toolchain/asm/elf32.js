// Output format `elf32`: an i386 relocatable object laid out exactly as nasm 2.16 writes one, so the
// bytes compare equal: ELF header padded to 64, section headers right after it, then each
// section's contents at a 16-byte boundary in this order: the user sections (in order of first
// use), .shstrtab, .symtab, .strtab, one .rel<name> per section with relocations; the file padded
// to 16. Symbol table: null, the FILE symbol (the source path as given), one SECTION symbol per
// user section, the local labels, then the globals and externs, each group in order of first
// definition or declaration; .strtab holds the names in that same first-seen order. Addresses of
// symbols defined in this file are relocated against their section's symbol (the addend in the
// field), externs against themselves; a jump within one section needs no relocation.
"use strict";
const { AsmError } = require("./errors");
const { put, checkRange, relative } = require("./fixup");

const SHT_PROGBITS = 1;
const SHT_SYMTAB = 2;
const SHT_STRTAB = 3;
const SHT_NOBITS = 8;
const SHT_REL = 9;
const SHF_WRITE = 1;
const SHF_ALLOC = 2;
const SHF_EXEC = 4;
const R_386_32 = 1;
const R_386_PC32 = 2;

/** NASM's defaults for a section by name. */
function sectionDefaults(name) {
  const base = { nobits: false, alloc: true, exec: false, write: false, align: 1 };
  switch (name) {
    case ".text": return { ...base, exec: true, align: 16 };
    case ".rodata": return { ...base, align: 4 };
    case ".data": return { ...base, write: true, align: 4 };
    case ".bss": return { ...base, nobits: true, write: true, align: 4 };
    default: return base;
  }
}

/** Applies `progbits alloc noexec nowrite align=4` style attributes to a section. */
function parseSectionAttrs(sec, text) {
  for (const word of text.replace(/\s*=\s*/g, "=").split(/\s+/).filter(Boolean)) {
    const w = word.toLowerCase();
    const m = /^align\s*=\s*(\d+)$/.exec(w);
    if (m) {
      const n = Number(m[1]);
      if (!n || (n & (n - 1))) throw new Error(`section alignment ${n} is not a power of two`);
      sec.align = n;
    } else if (w === "progbits") sec.nobits = false;
    else if (w === "nobits") sec.nobits = true;
    else if (w === "alloc" || w === "noalloc") sec.alloc = w === "alloc";
    else if (w === "exec" || w === "noexec") sec.exec = w === "exec";
    else if (w === "write" || w === "nowrite") sec.write = w === "write";
    else throw new Error(`unsupported section attribute \`${word}'`);
  }
}

class StrTab {
  constructor() {
    this.parts = [Buffer.from([0])];
    this.size = 1;
  }

  add(s) {
    const off = this.size;
    const b = Buffer.from(`${s}\0`, "latin1");
    this.parts.push(b);
    this.size += b.length;
    return off;
  }

  bytes() {
    return Buffer.concat(this.parts);
  }
}

function writeElf32({ sections, symbols, file, warn }) {
  // symbol table
  const strtab = new StrTab();
  const fileName = strtab.add(file);
  const nameOff = new Map();
  for (const s of symbols) nameOff.set(s, strtab.add(s.name));
  const isGlobal = (s) => s.extern || s.global;
  const locals = symbols.filter((s) => !isGlobal(s));
  const globals = symbols.filter(isGlobal);
  const symIndex = new Map();
  const entries = [{ name: 0, value: 0n, info: 0, shndx: 0 }, { name: fileName, value: 0n, info: 4, shndx: 0xfff1 }];
  for (const sec of sections) {
    symIndex.set(sec, entries.length);
    entries.push({ name: 0, value: 0n, info: 3, shndx: sec.index });
  }
  const firstGlobal = entries.length + locals.length;
  for (const s of [...locals, ...globals]) {
    symIndex.set(s, entries.length);
    const bind = s.weak ? 2 : isGlobal(s) ? 1 : 0;
    const type = s.type === "func" ? 2 : s.type === "object" ? 1 : 0;
    entries.push({ name: nameOff.get(s), value: s.extern ? 0n : s.value, info: (bind << 4) | type, shndx: s.extern ? 0 : s.section.index });
  }

  // section contents with fields filled in, and relocations
  const rels = [];
  const contents = sections.map((sec) => {
    if (sec.nobits) return null;
    const buf = Buffer.from(sec.data);
    const relocs = [];
    for (const f of sec.fixups) {
      const { val } = f;
      const pos = Number(f.pos);
      let v;
      if (f.pcrel) {
        if (val.base === sec) v = relative(f, val.v - f.end);
        else {
          if (!val.base) throw new AsmError(f.file, f.line, "a relative jump to an absolute address needs a relocation elf32 output cannot express");
          if (f.size !== 4) throw new AsmError(f.file, f.line, `elf32: a ${f.size * 8}-bit relative reference to another section or an external symbol is not supported`);
          v = val.v - (f.end - f.pos);
          relocs.push({ offset: pos, sym: symIndex.get(val.base), type: R_386_PC32 });
        }
      } else if (val.base) {
        if (f.size !== 4) throw new AsmError(f.file, f.line, `elf32: a ${f.size * 8}-bit address (relocation) is not supported; use a dword`);
        v = val.v;
        relocs.push({ offset: pos, sym: symIndex.get(val.base), type: R_386_32 });
      } else {
        v = val.v;
        checkRange(f, v, warn);
      }
      put(buf, pos, f.size, v);
    }
    if (relocs.length) rels.push({ sec, relocs });
    return buf;
  });

  // section header string table
  const shstr = new StrTab();
  const secNames = sections.map((s) => shstr.add(s.name));
  const shstrName = shstr.add(".shstrtab");
  const symtabName = shstr.add(".symtab");
  const strtabName = shstr.add(".strtab");
  const relNames = rels.map((r) => shstr.add(`.rel${r.sec.name}`));

  const nsec = 1 + sections.length + 3 + rels.length;
  const shstrIndex = sections.length + 1;
  const symtabIndex = shstrIndex + 1;
  const strtabIndex = shstrIndex + 2;

  const symtab = Buffer.alloc(entries.length * 16);
  entries.forEach((e, k) => {
    symtab.writeUInt32LE(e.name, k * 16);
    symtab.writeUInt32LE(Number(BigInt.asUintN(32, e.value)), k * 16 + 4);
    symtab.writeUInt32LE(0, k * 16 + 8);
    symtab[k * 16 + 12] = e.info;
    symtab[k * 16 + 13] = 0;
    symtab.writeUInt16LE(e.shndx, k * 16 + 14);
  });
  const relBufs = rels.map(({ relocs }) => {
    const b = Buffer.alloc(relocs.length * 8);
    relocs.forEach((r, k) => {
      b.writeUInt32LE(r.offset, k * 8);
      b.writeUInt32LE(((r.sym << 8) | r.type) >>> 0, k * 8 + 4);
    });
    return b;
  });

  // layout
  const align16 = (n) => (n + 15) & ~15;
  let off = align16(64 + nsec * 40);
  const headers = [{ name: 0, type: 0, flags: 0, offset: 0, size: 0, link: 0, info: 0, align: 0, entsize: 0 }];
  const blobs = [];
  const place = (buf, size) => {
    off = align16(off);
    const at = off;
    if (buf) { blobs.push({ at, buf }); off += buf.length; }
    return { at, size: buf ? buf.length : size };
  };
  sections.forEach((sec, k) => {
    const p = place(contents[k], Number(sec.size));
    const flags = (sec.write ? SHF_WRITE : 0) | (sec.alloc ? SHF_ALLOC : 0) | (sec.exec ? SHF_EXEC : 0);
    headers.push({ name: secNames[k], type: sec.nobits ? SHT_NOBITS : SHT_PROGBITS, flags, offset: p.at, size: p.size, link: 0, info: 0, align: sec.align, entsize: 0 });
  });
  const shstrBytes = shstr.bytes();
  let p = place(shstrBytes);
  headers.push({ name: shstrName, type: SHT_STRTAB, flags: 0, offset: p.at, size: p.size, link: 0, info: 0, align: 1, entsize: 0 });
  p = place(symtab);
  headers.push({ name: symtabName, type: SHT_SYMTAB, flags: 0, offset: p.at, size: p.size, link: strtabIndex, info: firstGlobal, align: 4, entsize: 16 });
  p = place(strtab.bytes());
  headers.push({ name: strtabName, type: SHT_STRTAB, flags: 0, offset: p.at, size: p.size, link: 0, info: 0, align: 1, entsize: 0 });
  rels.forEach((r, k) => {
    const q = place(relBufs[k]);
    headers.push({ name: relNames[k], type: SHT_REL, flags: 0, offset: q.at, size: q.size, link: symtabIndex, info: r.sec.index, align: 4, entsize: 8 });
  });
  const total = align16(off);

  const out = Buffer.alloc(total);
  Buffer.from([0x7f, 0x45, 0x4c, 0x46, 1, 1, 1, 0]).copy(out, 0);
  out.writeUInt16LE(1, 16); // ET_REL
  out.writeUInt16LE(3, 18); // EM_386
  out.writeUInt32LE(1, 20); // EV_CURRENT
  out.writeUInt32LE(0, 24); // entry
  out.writeUInt32LE(0, 28); // phoff
  out.writeUInt32LE(64, 32); // shoff
  out.writeUInt32LE(0, 36); // flags
  out.writeUInt16LE(52, 40); // ehsize
  out.writeUInt16LE(0, 42); // phentsize
  out.writeUInt16LE(0, 44); // phnum
  out.writeUInt16LE(40, 46); // shentsize
  out.writeUInt16LE(nsec, 48);
  out.writeUInt16LE(shstrIndex, 50);
  headers.forEach((h, k) => {
    const b = 64 + k * 40;
    [h.name, h.type, h.flags, 0, h.offset, h.size, h.link, h.info, h.align, h.entsize].forEach((v, j) => out.writeUInt32LE(v >>> 0, b + j * 4));
  });
  for (const { at, buf } of blobs) buf.copy(out, at);
  return out;
}

module.exports = { writeElf32, sectionDefaults, parseSectionAttrs };
