// The kernel's line table: which .ts file, line and function every code address belongs to, built
// from the linked ELF's DWARF and embedded in the image, so the kernel's own fault and panic
// reports (kernel/arch/fault.ts) name TypeScript lines with no host tool in the loop: `npm start`,
// the test harness and a QEMU started by hand all print the same report.
//
// Why in the kernel rather than post-processing the serial log on the host with addr2line: a report
// must be readable wherever the kernel runs (a user's own QEMU command, a serial log pasted into an
// issue), and the host would have to find the exact ELF the image came from. The price is a second
// link when the table's size changed (scripts/lib/build.js): the table is the last section of the
// load image (linker/kernel.ld), so its size moves nothing in .text, and the build checks that.
//
// Assembly sources (kernel/arch/entry.asm, idt.asm) have no DWARF from nasm; their rows come from
// nasm's listing (asmRows), so a stack walk names the entry stub's `call kmain` and the fault stubs.
//
// The native build's rows come from the ELF's DWARF, read in JavaScript (toolchain/dwarf, no
// binutils): every address where a line program starts a row (what `objdump --dwarf=decodedline`
// lists), each resolved to its inline chain (innermost first) as `addr2line -f -i` does, which
// matters because tsk's output is inlined heavily at -O2 and because an intrinsic's instructions
// belong to compiler/runtime/tsk_runtime.h, not to the .ts line that called it. Only the .ts levels
// of a chain are kept. Consecutive rows with the same chain make one range. test/dwarf.test.js
// holds this to binutils' answer (test/lib/binutils-lines.js), byte for byte.
//
// Blob layout (little-endian u32s; kernel/arch/symbols.ts reads it):
//   +0 magic 'TSKL' (0x4c4b5354)  +4 number of ranges  +8 ranges offset  +12 chains offset
//   +16 strings offset  +20 total bytes
//   ranges: {start address, chain offset or 0xffffffff (no .ts line)}, sorted by start; a range
//           ends where the next starts (the last one has no chain).
//   chain:  count, then count x {file string offset, line | flags, function string offset},
//           innermost first. Flag bit 31: the frame belongs to the report machinery (MACHINERY
//           below), which a panic or assertion report skips to name its caller.
//   strings: NUL-terminated ASCII.
"use strict";
const fs = require("fs");
const path = require("path");
const { Lookup } = require("../../toolchain/dwarf/lookup");
const { readElf, isCodeSymbol } = require("../../toolchain/dwarf/elf");
const { DwarfError } = require("../../toolchain/dwarf/errors");

const MAGIC = 0x4c4b5354;
const NO_CHAIN = 0xffffffff;
const FLAG_MACHINERY = 0x80000000;
/** Files whose frames a panic or a failed assertion skips to report its caller's line. */
const MACHINERY = ["kernel/panic.ts", "kernel/arch/fault.ts", "kernel/arch/symbols.ts", "kernel/test/ktap.ts"];

/** `mem_pages_tryGetNextPage` (of kernel/mem/pages.ts) -> `tryGetNextPage`: tsk prefixes every
 *  non-entry name with its module path relative to the entry's directory; gcc may add `.part.0`. */
function tsName(cname, file) {
  const base = cname.replace(/\.(part|isra|constprop|cold|lto_priv)\.\d+/g, "").replace(/\.cold$/, "");
  const parts = file.replace(/\.ts$/, "").split("/").map((p) => p.replace(/[^A-Za-z0-9]/g, "_"));
  for (let i = 0; i < parts.length; i++) {
    const prefix = `${parts.slice(i).join("_")}_`;
    const at = base.indexOf(prefix);
    if (at >= 0 && (at === 0 || base[at - 1] === "_")) return base.slice(at + prefix.length);
  }
  return base.replace(/^tsk_/, "");
}

/** The inline chain of every address (addr2line -f -i): [{file, line, func}], the .ts levels only,
 *  files relative to root. */
function resolve(lookup, addrs, root) {
  const chains = new Map();
  // A few dozen files and a few hundred functions name thousands of levels: each computed once;
  // and the chains themselves repeat (every row of one inlined body): one array for each.
  const files = new Map();
  const names = new Map(); // file -> func -> name
  const interned = new Map();
  const fileOf = (f) => {
    if (!files.has(f)) files.set(f, (path.isAbsolute(f) ? path.relative(root, f) : f).split(path.sep).join("/"));
    return files.get(f);
  };
  const nameOf = (func, file) => {
    let byFunc = names.get(file);
    if (!byFunc) names.set(file, (byFunc = new Map()));
    let name = byFunc.get(func);
    if (name === undefined) byFunc.set(func, (name = tsName(func, file)));
    return name;
  };
  for (const a of addrs) {
    const chain = [];
    let key = "";
    for (const level of lookup.chain(a)) {
      if (!level.file || !level.file.endsWith(".ts")) continue;
      const file = fileOf(level.file);
      const func = nameOf(level.func || "??", file);
      chain.push({ file, line: level.line, func });
      key += `${file}\0${level.line}\0${func}\0`;
    }
    if (!interned.has(key)) interned.set(key, chain);
    chains.set(a, interned.get(key));
  }
  return chains;
}

/**
 * Rows for the code of an assembly source, whose object carries no DWARF: from nasm's listing
 * (`-l`), each instruction of the file itself (not of its includes; a macro's expansion counts as
 * the line invoking it) as {start, chain: [{file, line, func}]}, func being the label before it.
 * Where each section of the object landed comes from its labels: the same name in the linked ELF
 * (elfAddrs: linkedAddresses). Without this a stack walk ends in `?` at the entry stub's `call kmain` (and the fault stubs).
 */
function asmRows(elfAddrs, { source, object, listing }) {
  const sections = new Map(); // section -> {base, labels: [{value, name}]}
  const obj = readElf(fs.readFileSync(object), object);
  for (const sym of obj.symbols) {
    // Labels (and functions) of the object's code sections, local or global.
    const owner = sym.shndx > 0 && sym.shndx < 0xff00 ? obj.sections[sym.shndx] : undefined;
    if (!owner || !owner.name.startsWith(".text") || !sym.name || !["NOTYPE", "FUNC"].includes(sym.type) || !["LOCAL", "GLOBAL"].includes(sym.bind)) continue;
    addSectionLabel(sections, elfAddrs, owner.name, sym.value, sym.name);
  }
  return listingRows(listing, sections, source);
}

/** The linked ELF's symbol addresses by name (an ELF from readElf), null for a name it defines more
 *  than once (ambiguous): what asmRows places each assembly object's labels by. */
function linkedAddresses(linked) {
  const elfAddrs = new Map();
  for (const sym of linked.symbols) {
    if (!sym.shndx || !sym.name || sym.type === "SECTION" || sym.type === "FILE") continue;
    elfAddrs.set(sym.name, elfAddrs.has(sym.name) ? null : sym.value);
  }
  return elfAddrs;
}

/** Records label `name` at `value` in `section` of an object (sections: asmRows's map), and the
 *  section's base in the linked ELF from the first label whose address there is unambiguous
 *  (elfAddrs: name -> address, null when the ELF defines the name more than once). */
function addSectionLabel(sections, elfAddrs, section, value, name) {
  if (!sections.has(section)) sections.set(section, { base: null, labels: [] });
  const sec = sections.get(section);
  sec.labels.push({ value, name });
  const at = elfAddrs.get(name);
  if (sec.base === null && at !== undefined && at !== null) sec.base = at - value;
}

/** The rows of nasm's listing `listing` for `source`: sections maps each code section of its object
 *  to {base (where it landed in the linked ELF, or null), labels: [{value, name}]}. */
function listingRows(listing, sections, source) {
  const rows = [];
  let section = ".text";
  let line = 0;
  let continued = false;
  for (const l of fs.readFileSync(listing, "latin1").split("\n")) {
    const m = /^ *(\d+) (<\d+>)? *([0-9A-F]{8})? +(\S.*)?$/.exec(l);
    if (!m) continue;
    if (!m[2]) {
      line = Number(m[1]);
      const sec = /^\s*section\s+(\S+)/i.exec(m[4] || "");
      if (sec) section = sec[1];
    }
    const sec = sections.get(section);
    if (!m[3] || !sec || sec.base === null || !/^[0-9A-F(\[]/.test(m[4] || "")) continue;
    const offset = parseInt(m[3], 16);
    const code = (m[4] || "").split(/\s/)[0];
    const bytes = code.replace(/[^0-9A-F]/g, "").length >> 1;
    const last = rows[rows.length - 1];
    if (continued && last) {
      // nasm breaks a long instruction's bytes over lines ending in "-".
      last.end = sec.base + offset + bytes;
    } else {
      const label = sec.labels.filter((x) => x.value <= offset).sort((a, b) => b.value - a.value)[0];
      rows.push({ start: sec.base + offset, end: sec.base + offset + bytes, chain: [{ file: source, line, func: label ? label.name : "?" }] });
    }
    continued = code.endsWith("-");
  }
  return rows;
}

/** The table for `elf` as a Buffer (see the header for the layout). asm: [{source, object,
 *  listing}] for the assembly objects linked in (asmRows). */
function lineTable(elf, { root = process.cwd(), asm = [] } = {}) {
  let lookup;
  try {
    lookup = new Lookup(fs.readFileSync(elf), elf);
  } catch (e) {
    if (e instanceof DwarfError) throw new Error(`${elf}: ${e.message}`);
    throw e;
  }
  const addrs = lookup.rowAddresses();
  const elfAddrs = linkedAddresses(lookup.elf); // the ELF as the lookup read it, not read again per object
  return composeTable(addrs, resolve(lookup, addrs, root), asm.map((a) => asmRows(elfAddrs, a)));
}

/** The blob from the .ts rows (each row address with its chain) and each assembly object's rows
 *  ({start, end, chain}, asmRows); an assembly row where a .ts row starts is the .ts row's. */
function composeTable(addrs, chains, asmRowLists) {
  const rows = addrs.map((a) => ({ start: a, chain: chains.get(a) || [] }));
  // The end of the last .ts line sequence.
  if (rows.length) rows.push({ start: addrs[addrs.length - 1] + 1, chain: [] });
  const tsStarts = new Set(addrs);
  for (const list of asmRowLists) {
    const own = list.filter((r) => !tsStarts.has(r.start));
    rows.push(...own.map(({ start, chain }) => ({ start, chain })));
    // Each instruction's end closes its range, unless the next row starts right there.
    rows.push(...own.map((r) => ({ start: r.end, chain: [], weak: true })));
  }
  return encodeRows(rows);
}

/** The blob (the header's layout) from rows {start, chain, weak?}: sorted here; a range runs to the
 *  next start, equal neighbouring chains merge, and a weak row (an instruction's end) only ends a
 *  range where no other row starts. */
function encodeRows(rows) {
  rows.sort((x, y) => x.start - y.start || (x.weak ? 1 : 0) - (y.weak ? 1 : 0));
  // A chain's key, made once per chain array (resolve shares one array between equal chains).
  const keys = new Map();
  const keyOf = (chain) => {
    let key = keys.get(chain);
    if (key === undefined) keys.set(chain, (key = JSON.stringify(chain)));
    return key;
  };
  const ranges = [];
  let lastKey = null;
  for (const r of rows) {
    if (ranges.length && ranges[ranges.length - 1].start === r.start) {
      if (r.weak || !r.chain.length) continue;
      ranges.pop();
      lastKey = ranges.length ? keyOf(ranges[ranges.length - 1].chain) : null;
    }
    const key = keyOf(r.chain);
    if (key === lastKey) continue;
    ranges.push({ start: r.start, chain: r.chain });
    lastKey = key;
  }

  const strings = [];
  const stringOff = new Map();
  let stringBytes = 0;
  const str = (s) => {
    if (!stringOff.has(s)) {
      stringOff.set(s, stringBytes);
      strings.push(Buffer.from(`${s.replace(/[^\x20-\x7e]/g, "?")}\0`, "latin1"));
      stringBytes += strings[strings.length - 1].length;
    }
    return stringOff.get(s);
  };
  const chainWords = [];
  const chainOff = new Map();
  const rangeWords = [];
  for (const r of ranges) {
    let off = NO_CHAIN;
    if (r.chain.length) {
      const key = keyOf(r.chain);
      if (!chainOff.has(key)) {
        chainOff.set(key, chainWords.length * 4);
        chainWords.push(r.chain.length);
        for (const e of r.chain) {
          const flags = MACHINERY.includes(e.file) ? FLAG_MACHINERY : 0;
          chainWords.push(str(e.file), ((Math.min(e.line, 0xffffff) | flags) >>> 0), str(e.func));
        }
      }
      off = chainOff.get(key);
    }
    rangeWords.push(r.start, off);
  }
  const HEADER = 24;
  const rangesOff = HEADER;
  const chainsOff = rangesOff + rangeWords.length * 4;
  const stringsOff = chainsOff + chainWords.length * 4;
  const total = (stringsOff + stringBytes + 3) & ~3;
  const buf = Buffer.alloc(total);
  [MAGIC, ranges.length, rangesOff, chainsOff, stringsOff, total].forEach((v, i) => buf.writeUInt32LE(v >>> 0, i * 4));
  rangeWords.forEach((v, i) => buf.writeUInt32LE(v >>> 0, rangesOff + i * 4));
  chainWords.forEach((v, i) => buf.writeUInt32LE(v >>> 0, chainsOff + i * 4));
  Buffer.concat(strings).copy(buf, stringsOff);
  return buf;
}

/**
 * The table from the i386 backend's own line map (compiler/src/backend/i386: rows of {offset, file,
 * line, func} from the object's first code byte, `file` empty where no .ts line is) placed at
 * `base`, the address the linker gave that byte: no DWARF and no binutils (TSK_TOOLCHAIN=js). A
 * row of inlined code carries its callers (`outer`, innermost first) after it in the chain. asmRows: rows of the assembly objects
 * ({start, chain, weak}), as asmRows() makes from nasm's listing on the native path.
 */
function lineTableFromMap(map, base, asmRows = []) {
  const rows = map.map((r) => ({ start: base + r.offset, chain: r.file ? [{ file: r.file, line: r.line, func: r.func }, ...(r.outer || [])] : [] }));
  return encodeRows([...rows, ...asmRows]);
}

/** The NASM source of the object holding `binFile` in section .tsk_lines (linker/kernel.ld). */
function linesAsm(binFile) {
  return `; Generated by scripts/lib/lines.js: the kernel's line table.\n` +
    `section .tsk_lines progbits alloc noexec nowrite align=4\n` +
    `incbin "${binFile}"\n`;
}

/** "address name" of every symbol in code, by address (the build checks a second link moved none). */
function textSymbols(elf) {
  const e = readElf(fs.readFileSync(elf), elf);
  return e.symbols.filter((s) => s.name && isCodeSymbol(e, s)).map((s) => `${s.value.toString(16).padStart(8, "0")} ${s.name}`)
    .sort().join("\n");
}

module.exports = { lineTable, lineTableFromMap, composeTable, encodeRows, linesAsm, listingRows, addSectionLabel, textSymbols, tsName, MAGIC, MACHINERY };
