// The JavaScript toolchain's steps as pure functions over texts and bytes (no file system, no
// processes): assemble a source and record its line rows, link the kernel twice around its line
// table, render the boot-info include, lay out the disk image. The Node build
// (scripts/lib/jsbuild.js, scripts/lib/build.js: files and incremental steps around them) and the
// playground page (playground/editor/image.js: the same steps over the page's edited files) both
// build through here, so the page's image is the Node JS build's byte for byte.
"use strict";
const lines = require("./lines");
const { renderDefines } = require("./boot-info-defines");
// toolchain/asm and toolchain/link are required where they are used: the native build takes only
// the boot-info and image steps from here.

/** The global the i386 backend puts at its object's first code byte (compiler/src/backend/i386). */
const CODE_START = "tsk_code_start";
const SECTOR = 512;
/** q35 boots (AHCI) only from an image of at least 516,096 bytes; 1 MiB is a round margin. */
const MIN_IMAGE_BYTES = 1 << 20;
/** The kernel's assembly sources and their objects, in link order (the entry stub first). */
const ASM_OBJECTS = [["kernel/arch/entry.asm", "entry.o"], ["kernel/arch/idt.asm", "idt.o"]];

/** A step of the JavaScript toolchain failed; the message says which and why. */
class JsToolchainError extends Error {}

/**
 * toolchain/asm on one source, like `nasm -f <format> -Werror -I... file`. opts: Assembler's
 * ({file, format, includeDirs, cwd, readFile, readBinary}); source: the file's name in the line
 * table (repo-relative). Returns {bytes, rows}: for elf32
 * objects, rows is what nasm's listing gives the native build's line table: each instruction of
 * the file itself (a macro's expansion counts as the invoking line) with its section offset, and
 * each section's labels (where the section landed comes from a global one); asmLineRows reads it.
 */
function assembleSource(opts, source = opts.file) {
  const { Assembler } = require("../../toolchain/asm/assemble");
  let rows = [];
  class Recording extends Assembler {
    pass(n) {
      rows = [];
      return super.pass(n);
    }
    emit(sec, bytes, fixups, st) {
      if (bytes.length && !sec.nobits && st.file === opts.file) rows.push({ section: sec.name, offset: Number(sec.size), end: Number(sec.size) + bytes.length, line: st.line });
      return super.emit(sec, bytes, fixups, st);
    }
  }
  let bytes;
  let a;
  try {
    a = new Recording({ werror: true, ...opts });
    bytes = a.run();
  } catch (e) {
    throw new JsToolchainError(`asm (JavaScript) failed:\n${e.message}`);
  }
  if (opts.format !== "elf32") return { bytes, rows: undefined };
  const labels = [...a.symbols.values()].filter((x) => x.section && x.value !== undefined && !x.extern)
    .map((x) => ({ name: x.name, section: x.section.name, value: Number(x.value), global: !!x.global }));
  return { bytes, rows: { source, rows, labels } };
}

/** The code of an assembly object (assembleSource's rows) in the linked kernel: {source,
 *  instructions: [{start, end, line, func}]}; symbols is link()'s map of global addresses. Sections
 *  with no global label are left out. The line table (asmLineRows) and the DWARF
 *  (scripts/lib/jsdwarf.js) are both made from it. */
function asmInstructions({ source, rows, labels }, symbols) {
  const base = new Map();
  for (const l of labels) {
    const at = l.global ? symbols.get(l.name) : undefined;
    if (at !== undefined && !base.has(l.section)) base.set(l.section, Number(at) - l.value);
  }
  const instructions = [];
  for (const r of rows) {
    if (!base.has(r.section) || !r.section.startsWith(".text")) continue;
    const label = labels.filter((l) => l.section === r.section && l.value <= r.offset && !l.name.startsWith("..")).sort((x, y) => y.value - x.value)[0];
    instructions.push({ start: base.get(r.section) + r.offset, end: base.get(r.section) + r.end, line: r.line, func: label ? label.name : "?" });
  }
  return { source, instructions };
}

/** The line-table rows of an assembly object's instructions (asmInstructions). */
function asmLineRows({ source, instructions }) {
  const out = [];
  for (const x of instructions) {
    out.push({ start: x.start, chain: [{ file: source, line: x.line, func: x.func }] });
    // Each instruction's end closes its range, unless the next row starts right there.
    out.push({ start: x.end, chain: [], weak: true });
  }
  return out;
}

/**
 * The link, as the native build's does it with ld/objcopy: a first link with an empty line table
 * gives the address of the backend's code (tsk_code_start), from which its line map becomes the
 * table; the second link carries the table (the last section of the load image: checked that
 * nothing before it moved).
 *   script: linker/kernel.ld's text; objects: [{name, bytes, rows?}] in link order (rows: an
 *   assembly object's assembleSource rows); lineMap: the i386 backend's line map; linesFile: the
 *   path the table's include names (lines.asm's incbin; the Node build's real file);
 *   unloaded({first, base, asm}): objects the second link adds that load nothing (the Node build's
 *   DWARF, made from the first link: its ELF, the code's base, the assembly's instructions).
 * Returns link()'s result for the final link plus {linesBin, linesAsm, linesObject}.
 */
function linkKernel({ script, scriptName = "linker/kernel.ld", objects, KERNEL_BASE, lineMap, linesFile = "lines.bin", cwd, unloaded = () => [] }) {
  const { link } = require("../../toolchain/link/link");
  const linesAsm = lines.linesAsm(linesFile);
  const linesObject = (table) => assembleSource({ file: "lines.asm", format: "elf32", cwd, readFile: () => linesAsm, readBinary: () => table }).bytes;
  const ld = (linesO, extra = []) => {
    try {
      return link({ script, scriptName, objects: [...objects.map((o) => ({ name: o.name, bytes: o.bytes })), { name: "lines.o", bytes: linesO }, ...extra],
        defsyms: { KERNEL_BASE } });
    } catch (e) {
      throw new JsToolchainError(`link (JavaScript) failed: ${e.message}`);
    }
  };
  const first = ld(linesObject(new Uint8Array(0)));
  const base = first.symbols.get(CODE_START);
  if (base === undefined) throw new JsToolchainError(`link: no ${CODE_START} in the kernel (is its object the i386 backend's?)`);
  const asm = objects.filter((o) => o.rows).map((o) => asmInstructions(o.rows, first.symbols));
  const linesBin = lines.lineTableFromMap(lineMap, Number(base), asm.flatMap(asmLineRows));
  const linesO = linesObject(linesBin);
  const second = ld(linesO, unloaded({ first, base: Number(base), asm }));
  if (second.symbols.get("__lines_start") !== first.symbols.get("__lines_start") || second.symbols.get(CODE_START) !== base) {
    throw new JsToolchainError("the line table moved code: .tsk_lines must stay after .text in linker/kernel.ld");
  }
  return { ...second, linesBin, linesAsm, linesObject: linesO };
}

/** build/boot-info.inc's text from kernel/boot-info.ts's exports (constants and layouts: scripts/lib/boot-info-defines.js). */
function renderBootInfo(exports) {
  try {
    return renderDefines(exports).text;
  } catch (e) {
    throw new JsToolchainError(e.message);
  }
}

/** The plain-number %defines of boot/layout.inc's text (the loader's constants, shared with NASM). */
function parseLoaderLayout(text) {
  const layout = {};
  for (const m of text.matchAll(/^%define\s+(\w+)\s+(0x[0-9a-f]+|\d+)\s*$/gim)) layout[m[1]] = Number(m[2]);
  return layout;
}

/**
 * Lays out the disk: stage 1 (one sector), stage 2 (STAGE2_SECTORS), the kernel from LBA
 * 1 + STAGE2_SECTORS padded to whole sectors, the whole padded to MIN_IMAGE_BYTES. Checks first
 * that the loader can load the kernel and that its header matches its size. Bytes are Uint8Arrays
 * (Buffers too); names: {stage1, stage2, kernel} for the messages. Returns
 * {image, kernelBytes, kernelEnd, imageBytes}.
 */
function diskImage({ layout, KERNEL_BASE, stage1: s1, stage2: s2, kernel: k, names = { stage1: "stage1", stage2: "stage2", kernel: "kernel.bin" } }) {
  const dv = (b) => new DataView(b.buffer, b.byteOffset, b.byteLength);
  if (k.length > layout.KERNEL_MAX_BYTES) {
    throw new JsToolchainError(
      `kernel too big for the loader: ${names.kernel} is ${k.length} bytes (0x${k.length.toString(16)}), ` +
      `the loader loads at most KERNEL_MAX_BYTES = ${layout.KERNEL_MAX_BYTES} bytes ` +
      `(0x${layout.KERNEL_MAX_BYTES.toString(16)}, boot/layout.inc)`);
  }
  if (s1.length !== SECTOR || dv(s1).getUint16(510, true) !== 0xaa55) throw new JsToolchainError(`${names.stage1}: not a 512-byte boot sector ending in 0x55aa`);
  if (s2.length !== layout.STAGE2_SECTORS * SECTOR) throw new JsToolchainError(`${names.stage2}: ${s2.length} bytes, stage 1 loads exactly ${layout.STAGE2_SECTORS} sectors`);
  if (k.length < 16 || dv(k).getUint32(layout.KHDR_MAGIC, true) !== layout.KERNEL_HEADER_MAGIC) {
    throw new JsToolchainError(`${names.kernel}: no kernel header at its start (is .text.entry of kernel/arch/entry.asm first?)`);
  }
  const loadEnd = dv(k).getUint32(layout.KHDR_LOAD_END, true);
  if (loadEnd - KERNEL_BASE !== k.length) {
    throw new JsToolchainError(`${names.kernel}: ${k.length} bytes, but its header says ${loadEnd - KERNEL_BASE} ` +
      `(__kernel_load_end - KERNEL_BASE): a section landed outside linker/kernel.ld's load image`);
  }
  const padded = Math.ceil(k.length / SECTOR) * SECTOR;
  const image = new Uint8Array(Math.max(MIN_IMAGE_BYTES, s1.length + s2.length + padded));
  image.set(s1, 0);
  image.set(s2, s1.length);
  image.set(k, s1.length + s2.length);
  return { image, kernelBytes: k.length, kernelEnd: dv(k).getUint32(layout.KHDR_END, true), imageBytes: image.length };
}

module.exports = { assembleSource, asmInstructions, asmLineRows, linkKernel, renderBootInfo, parseLoaderLayout, diskImage, JsToolchainError, ASM_OBJECTS, CODE_START, MIN_IMAGE_BYTES };
