// The DWARF of a kernel built by the JavaScript toolchain (TSK_TOOLCHAIN=js), so that gdb (`npm run
// debug`), addr2line and readelf read its ELF as they read gcc's: one compile unit for the i386
// backend's code, made from its line map (every statement's .ts file and line, each function's
// symbol, inlined calls with their call site), and one per assembly object, made from its
// instructions' source lines; and call frame information for the backend's functions (their fixed
// ebp frame), so gdb unwinds from any instruction and finds parameters even at a function's first
// byte, where `hbreak kmain` stops. The sections (toolchain/dwarf) go into an object of their own,
// linked in with the rest on the second link: they are not loaded, so no address moves.
"use strict";
const { writeDebugSections } = require("../../toolchain/dwarf/info-writer");
const { writeDebugFrame } = require("../../toolchain/dwarf/frame-writer");
const { readElf } = require("../../toolchain/dwarf/elf");
const { Assembler } = require("../../toolchain/asm/assemble");

const PRODUCER = "tsk i386 backend (TSK_TOOLCHAIN=js)";

/** A file table: name -> 1-based index, growing as names are met. */
function fileTable() {
  const files = [];
  const index = new Map();
  const at = (name) => {
    if (!index.has(name)) {
      files.push(name);
      index.set(name, files.length);
    }
    return index.get(name);
  };
  return { files, at };
}

/** A row's frames, outermost first: the function's own statement, then each inlined callee. */
const frames = (r) => [r, ...(r.outer || [])].reverse();

/**
 * The inlined calls among a function's rows [{address, r}] (end: where the last row's code ends),
 * at inline depth `k` (1: inlined into the function itself): runs of consecutive rows inside the
 * same call, each with its nested calls.
 */
function inlinedCalls(rows, end, k, at) {
  const out = [];
  for (let i = 0; i < rows.length;) {
    const f = frames(rows[i].r);
    if (f.length <= k) {
      i++;
      continue;
    }
    const key = (r) => {
      const g = frames(r);
      return g.length > k ? JSON.stringify([g[k].func, g[k - 1].file, g[k - 1].line]) : null;
    };
    const k0 = key(rows[i].r);
    let j = i + 1;
    while (j < rows.length && key(rows[j].r) === k0) j++;
    const high = j < rows.length ? rows[j].address : end;
    out.push({ name: f[k].func, file: f[k].file, low: rows[i].address, high, callFile: at(f[k - 1].file), callLine: f[k - 1].line,
      inlined: inlinedCalls(rows.slice(i, j), high, k + 1, at) });
    i = j;
  }
  return out;
}

/** DWARF base types of the backend's representations (a str, a length and a pointer, has none). */
const TYPES = { u8: [1, "unsigned"], u16: [2, "unsigned"], u32: [4, "unsigned"], i32: [4, "signed"], bool: [1, "boolean"] };

/** A function's parameters for DWARF: at [ebp + offset] in the backend's frame, that is at
 *  CFA + offset - 8 (the CFA is ebp + 8 once `push ebp; mov ebp, esp` ran). */
function paramsOf(params = []) {
  return params.filter((p) => TYPES[p.rep]).map((p) => ({ name: p.name, cfaOffset: p.offset - 8,
    type: { name: p.rep === "bool" ? "boolean" : p.rep, size: TYPES[p.rep][0], encoding: TYPES[p.rep][1] } }));
}

/**
 * The unit of the backend's code: map (compiler/src/backend/i386 LineRow[]: offsets from the code's
 * first byte, at `base`), entry (the kernel's entry module, the unit's name), isGlobal(symbol): whether
 * a function's symbol is global (DW_AT_external).
 */
function backendUnit(map, base, entry, isGlobal) {
  const { files, at } = fileTable();
  const sequences = [];
  const functions = [];
  let seq = null;
  let fn = null;
  const closeFn = (end) => {
    if (!fn) return;
    fn.high = end;
    fn.inlined = inlinedCalls(fn.rows, end, 1, at);
    delete fn.rows;
    fn = null;
  };
  for (const r of map) {
    const address = base + r.offset;
    if (!r.file) {
      closeFn(address);
      if (seq) seq.end = address;
      seq = null;
      continue;
    }
    if (!seq) sequences.push((seq = { rows: [], end: address }));
    seq.rows.push({ address, file: at(r.file), line: r.line });
    if (!fn || (r.sym && r.sym !== fn.sym)) {
      closeFn(address);
      const outermost = frames(r)[0];
      fn = { sym: r.sym, name: outermost.func, low: address, file: at(outermost.file), line: outermost.line, external: !!r.sym && isGlobal(r.sym),
        params: paramsOf(r.params), rows: [] };
      functions.push(fn);
    }
    fn.rows.push({ address, r });
  }
  if (seq || fn) throw new Error("the i386 line map has no end row (its last row must have no file)");
  return { name: entry, language: "c", files, sequences, functions };
}

/** The unit of an assembly object: instructions [{start, end, line}] of `source`, in any order. */
function asmUnit(source, instructions) {
  const sequences = [];
  let seq = null;
  for (const x of [...instructions].sort((a, b) => a.start - b.start)) {
    if (!seq || x.start !== seq.end) sequences.push((seq = { rows: [], end: x.start }));
    seq.rows.push({ address: x.start, file: 1, line: x.line });
    seq.end = x.end;
  }
  return { name: source, language: "asm", files: [source], sequences, functions: [] };
}

/** The ELF32 object holding the DWARF sections (non-allocated, as gcc's), assembled by toolchain/asm. */
function dwarfObject(sections) {
  const names = Object.keys(sections).filter((n) => sections[n].length);
  const source = ["; Generated by scripts/lib/jsdwarf.js: the JS-built kernel's DWARF."];
  for (const n of names) source.push(`section ${n} progbits noalloc noexec nowrite align=1`, `incbin "${n}"`);
  const a = new Assembler({ file: "dwarf.asm", format: "elf32", werror: true, cwd: "/",
    readFile: () => `${source.join("\n")}\n`, readBinary: (p) => sections[p.slice(p.lastIndexOf("/") + 1)] });
  return a.run();
}

/**
 * The frames of the backend's functions (frame-writer.js), checked against the linked code: a
 * function gets call frame information only if it starts with `push ebp; mov ebp, esp` (55 89 e5)
 * and its `<symbol>.ret` label holds `leave; ret` (c9 c3); otherwise gdb falls back to its own
 * prologue analysis rather than trusting a wrong rule.
 */
function callFrames(functions, elfBytes) {
  const elf = readElf(elfBytes, "kernel.elf");
  const text = elf.section(".text");
  const byte = (a) => (a >= text.addr && a < text.addr + text.size ? text.data[a - text.addr] : -1);
  const labels = new Map(elf.symbols.map((s) => [s.name, s.value]));
  const out = [];
  for (const f of functions) {
    if (byte(f.low) !== 0x55 || byte(f.low + 1) !== 0x89 || byte(f.low + 2) !== 0xe5) continue;
    const leave = labels.get(`${f.sym}.ret`);
    const ret = leave !== undefined && byte(leave) === 0xc9 && byte(leave + 1) === 0xc3 ? leave + 1 : undefined;
    out.push({ low: f.low, high: f.high, ret });
  }
  return out;
}

/** The DWARF object of a JS-built kernel: {compDir (where gdb finds the sources), map, base, entry,
 *  isGlobal, asm: [{source, instructions}], elf: the first link's ELF (its code and labels)}. */
function kernelDwarfObject({ compDir, map, base, entry, isGlobal, asm = [], elf }) {
  const code = backendUnit(map, base, entry, isGlobal);
  const units = [code, ...asm.map((a) => asmUnit(a.source, a.instructions))];
  const sections = writeDebugSections({ compDir, producer: PRODUCER, units });
  sections[".debug_frame"] = writeDebugFrame(callFrames(code.functions, elf));
  return dwarfObject(sections);
}

module.exports = { kernelDwarfObject, backendUnit, asmUnit, dwarfObject, PRODUCER };
