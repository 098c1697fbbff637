// Writes the linked image as an ELF32 i386 executable: the ELF header, one PT_LOAD per run of
// contiguous allocated sections (file offsets congruent to addresses modulo the page, as ld lays
// them), PT_GNU_STACK as ld sets it, the output sections (the inputs' .debug_* among them, already
// relocated, so gdb and addr2line map addresses to .ts lines), and .symtab/.strtab with every
// defined symbol: each object's FILE symbol and locals (minus section symbols and locals in merged
// string sections, as ld drops them), then the globals and the script's symbols.
"use strict";
const { SHT, SHF, SHN, STB, STT } = require("./elf-read");
const { mergedOffset } = require("./merge");

const PAGE = 0x1000;
const alignUp = (v, a) => (a > 1 ? Math.ceil(v / a) * a : v);

class StrTab {
  constructor() {
    this.parts = [Buffer.from([0])];
    this.size = 1;
    this.map = new Map();
  }

  add(s) {
    if (!s) return 0;
    if (this.map.has(s)) return this.map.get(s);
    const off = this.size;
    const b = Buffer.from(`${s}\0`, "latin1");
    this.parts.push(b);
    this.size += b.length;
    this.map.set(s, off);
    return off;
  }

  bytes() { return Buffer.concat(this.parts); }
}

/** ld's padding of a gap in a code section (bfd_arch_i386_short_nop_fill): `66 90` pairs, then
 *  one `90` when the gap is odd. Other sections pad with zeros. */
function nopFill(buf, from, to) {
  let p = from;
  for (; to - p >= 2; p += 2) { buf[p] = 0x66; buf[p + 1] = 0x90; }
  if (p < to) buf[p] = 0x90;
}

/** The bytes of one output section (null for NOBITS); binary.js uses it too. */
function sectionBytes(out) {
  if (out.type === SHT.NOBITS) return null;
  const buf = Buffer.alloc(out.size);
  let end = 0;
  for (const m of out.liveMembers) {
    if ((out.flags & SHF.EXECINSTR) && m.offset > end) nopFill(buf, end, m.offset);
    if (m.bytes) m.bytes.copy(buf, m.offset);
    end = Math.max(end, m.offset + m.size);
  }
  if ((out.flags & SHF.EXECINSTR) && out.size > end) nopFill(buf, end, out.size);
  return buf;
}

/**
 * lay: layout()'s result (relocated); objects, globals: as given to layout.
 * Returns the ELF file as a Buffer.
 */
function writeElf(lay, objects, globals) {
  const outs = lay.outputs.filter((o) => o.size > 0 || o.liveMembers.length);
  const alloc = outs.filter((o) => o.flags & SHF.ALLOC);
  const nonAlloc = outs.filter((o) => !(o.flags & SHF.ALLOC));
  outs.forEach((o, i) => { o.shndx = i + 1; });

  // Segments: consecutive allocated sections, a new one where addresses go back, jump a page or
  // more, or where contents follow a NOBITS section (which has no file bytes to keep them aligned).
  const segs = [];
  let seg = null;
  for (const o of alloc) {
    const end = seg ? seg.addr + seg.memsz : 0;
    if (!seg || o.addr < end || o.addr - end >= PAGE || (seg.bss && o.type !== SHT.NOBITS)) {
      seg = { addr: o.addr, memsz: 0, filesz: 0, flags: 4, sections: [], bss: false };
      segs.push(seg);
    }
    seg.sections.push(o);
    seg.memsz = o.addr + o.size - seg.addr;
    if (o.type !== SHT.NOBITS) seg.filesz = seg.memsz;
    else seg.bss = true;
    if (o.flags & SHF.WRITE) seg.flags |= 2;
    if (o.flags & SHF.EXECINSTR) seg.flags |= 1;
  }
  // ld: an object without .note.GNU-stack (nasm's) or with an executable one asks for an
  // executable stack.
  const execStack = objects.some((obj) => {
    const n = obj.sections.find((s) => s.name === ".note.GNU-stack");
    return !n || (n.flags & SHF.EXECINSTR);
  });
  const phnum = segs.length + 1;
  let off = 52 + phnum * 32;
  for (const s of segs) {
    off = alignUp(off, PAGE) + (s.addr % PAGE);
    s.offset = off;
    // NOBITS sections take the offset where file bytes end, as ld writes it.
    for (const o of s.sections) o.fileOffset = o.type === SHT.NOBITS ? s.offset + s.filesz : s.offset + (o.addr - s.addr);
    off = s.offset + s.filesz;
  }
  for (const o of nonAlloc) {
    off = alignUp(off, o.align);
    o.fileOffset = off;
    off += o.size;
  }

  // Symbols.
  const strtab = new StrTab();
  const syms = [{ name: 0, value: 0, size: 0, info: 0, shndx: 0 }];
  const outIndex = (out) => (out && out.shndx ? out.shndx : SHN.ABS);
  const symShndx = (obj, sym) => {
    if (sym.shndx === SHN.ABS) return SHN.ABS;
    if (sym.shndx === SHN.COMMON) return outIndex(globals.get(sym.name).common.input.out);
    const inp = obj.placed.get(sym.shndx);
    if (inp && inp.group) return outIndex(mergedOffset(inp, sym.value).member.out);
    return outIndex(inp && inp.out);
  };
  for (const obj of objects) {
    const file = obj.symbols.find((s) => s.type === STT.FILE);
    if (file) syms.push({ name: strtab.add(file.name), value: 0, size: 0, info: (STB.LOCAL << 4) | STT.FILE, shndx: SHN.ABS });
    for (const sym of obj.symbols) {
      if (sym.bind !== STB.LOCAL || !sym.name || sym.type === STT.SECTION || sym.type === STT.FILE) continue;
      if (sym.shndx === SHN.UNDEF) continue;
      const inp = obj.placed.get(sym.shndx);
      if (sym.shndx !== SHN.ABS && (!inp || !inp.out)) continue; // in a discarded section
      if (inp && inp.group) continue; // ld's default: locals in merged sections are dropped
      syms.push({ name: strtab.add(sym.name), value: lay.symbolAddress(obj, sym), size: sym.size,
        info: (STB.LOCAL << 4) | sym.type, shndx: symShndx(obj, sym) });
    }
  }
  const firstGlobal = syms.length;
  const seen = new Set();
  for (const [name, s] of lay.scriptSyms) {
    seen.add(name);
    syms.push({ name: strtab.add(name), value: s.value, size: 0, info: (STB.GLOBAL << 4) | STT.NOTYPE,
      shndx: s.abs ? SHN.ABS : outIndex(s.out) });
  }
  for (const g of globals.values()) {
    if (seen.has(g.name) || (!g.sym && !g.common)) continue;
    if (g.common) {
      syms.push({ name: strtab.add(g.name), value: lay.globalAddress(g), size: g.common.size,
        info: (STB.GLOBAL << 4) | g.common.type, shndx: outIndex(g.common.input.out) });
    } else {
      const value = lay.symbolAddress(g.object, g.sym);
      if (value === null) continue;
      syms.push({ name: strtab.add(g.name), value, size: g.sym.size, info: (g.sym.bind << 4) | g.sym.type,
        shndx: symShndx(g.object, g.sym) });
    }
  }
  const symtab = Buffer.alloc(syms.length * 16);
  syms.forEach((s, i) => {
    symtab.writeUInt32LE(s.name, i * 16);
    symtab.writeUInt32LE(s.value >>> 0, i * 16 + 4);
    symtab.writeUInt32LE(s.size >>> 0, i * 16 + 8);
    symtab[i * 16 + 12] = s.info;
    symtab.writeUInt16LE(s.shndx, i * 16 + 14);
  });
  const strBytes = strtab.bytes();

  const shstr = new StrTab();
  const headers = [{ name: 0, type: 0, flags: 0, addr: 0, offset: 0, size: 0, link: 0, info: 0, align: 0, entsize: 0 }];
  for (const o of outs) {
    headers.push({ name: shstr.add(o.name), type: o.type, flags: o.flags, addr: o.flags & SHF.ALLOC ? o.addr : 0,
      offset: o.fileOffset, size: o.size, link: 0, info: 0, align: o.align, entsize: o.entsize, data: sectionBytes(o) });
  }
  off = alignUp(off, 4);
  const symtabIdx = headers.length;
  headers.push({ name: shstr.add(".symtab"), type: SHT.SYMTAB, flags: 0, addr: 0, offset: off, size: symtab.length,
    link: symtabIdx + 1, info: firstGlobal, align: 4, entsize: 16, data: symtab });
  off += symtab.length;
  headers.push({ name: shstr.add(".strtab"), type: SHT.STRTAB, flags: 0, addr: 0, offset: off, size: strBytes.length,
    link: 0, info: 0, align: 1, entsize: 0, data: strBytes });
  off += strBytes.length;
  const shstrIdx = headers.length;
  const shstrHeader = { name: shstr.add(".shstrtab"), type: SHT.STRTAB, flags: 0, addr: 0, offset: off, size: 0,
    link: 0, info: 0, align: 1, entsize: 0 };
  headers.push(shstrHeader);
  const shstrBytes = shstr.bytes();
  shstrHeader.size = shstrBytes.length;
  shstrHeader.data = shstrBytes;
  off += shstrBytes.length;
  const shoff = alignUp(off, 4);

  const file = Buffer.alloc(shoff + headers.length * 40);
  // ELF header.
  Buffer.from([0x7f, 0x45, 0x4c, 0x46, 1, 1, 1, 0]).copy(file, 0);
  file.writeUInt16LE(2, 16); // ET_EXEC
  file.writeUInt16LE(3, 18); // EM_386
  file.writeUInt32LE(1, 20);
  file.writeUInt32LE(lay.entry >>> 0, 24);
  file.writeUInt32LE(52, 28);
  file.writeUInt32LE(shoff, 32);
  file.writeUInt32LE(0, 36);
  file.writeUInt16LE(52, 40);
  file.writeUInt16LE(32, 42);
  file.writeUInt16LE(phnum, 44);
  file.writeUInt16LE(40, 46);
  file.writeUInt16LE(headers.length, 48);
  file.writeUInt16LE(shstrIdx, 50);
  // Program headers.
  const ph = (i, type, offset, addr, filesz, memsz, flags, align) => {
    const b = 52 + i * 32;
    [type, offset, addr, addr, filesz, memsz, flags, align].forEach((v, k) => file.writeUInt32LE(v >>> 0, b + k * 4));
  };
  segs.forEach((s, i) => ph(i, 1, s.offset, s.addr, s.filesz, s.memsz, s.flags, PAGE));
  ph(segs.length, 0x6474e551, 0, 0, 0, 0, execStack ? 7 : 6, 16);
  // Section contents and headers.
  headers.forEach((h, i) => {
    if (h.data && h.type !== SHT.NOBITS) h.data.copy(file, h.offset);
    const b = shoff + i * 40;
    [h.name, h.type, h.flags, h.addr, h.offset, h.size, h.link, h.info, h.align, h.entsize]
      .forEach((v, k) => file.writeUInt32LE(v >>> 0, b + k * 4));
  });
  return file;
}

module.exports = { writeElf, sectionBytes };
