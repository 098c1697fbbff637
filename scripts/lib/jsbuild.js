// The JavaScript toolchain's build steps (TSK_TOOLCHAIN=js; scripts/lib/build.js chooses): the
// kernel .ts -> i386 object by tsk's own i386 backend, .asm -> objects and flat binaries by
// toolchain/asm, the link (twice, for the line table) and flat binary by toolchain/link, the line
// table and the ELF's DWARF (scripts/lib/jsdwarf.js) from the backend's own line map. Everything
// runs in this process: no gcc, nasm, ld, objcopy or binutils, and no libgcc (the backend needs none).
"use strict";
const fs = require("fs");
const path = require("path");
const lines = require("./lines");
const { kernelDwarfObject } = require("./jsdwarf");

const ROOT = path.resolve(__dirname, "../..");
/** The global the i386 backend puts at its object's first code byte (compiler/src/backend/i386). */
const CODE_START = "tsk_code_start";
const rel = (p) => path.relative(ROOT, path.resolve(ROOT, p)) || ".";

/** Why a step failed, as build.js reports it (its BuildError, passed in to avoid a require cycle). */
let BuildError = Error;
function setErrorClass(c) {
  BuildError = c;
}

/**
 * toolchain/asm on one file: like `nasm -f <format> -Werror -I<dir>/ -Iboot/ src -o dst`. For elf32
 * objects it also writes <dst>.rows.json, what nasm's listing gives the native build's line table:
 * each instruction of the file itself (a macro's expansion counts as the invoking line) with its
 * section offset, and each section's labels (where the section landed comes from a global one).
 */
function assembleFile(src, format, dst, dir) {
  const { Assembler } = require("../../toolchain/asm/assemble");
  const file = path.relative(ROOT, path.resolve(ROOT, src)).split(path.sep).join("/");
  let rows = [];
  class Recording extends Assembler {
    pass(n) {
      rows = [];
      return super.pass(n);
    }
    emit(sec, bytes, fixups, st) {
      if (bytes.length && !sec.nobits && st.file === src) rows.push({ section: sec.name, offset: Number(sec.size), end: Number(sec.size) + bytes.length, line: st.line });
      return super.emit(sec, bytes, fixups, st);
    }
  }
  let bytes;
  let a;
  try {
    a = new Recording({ file: src, format, includeDirs: [`${dir}/`, "boot/"], werror: true, cwd: ROOT });
    bytes = a.run();
  } catch (e) {
    throw new BuildError(`asm (JavaScript) failed:\n${e.message}`);
  }
  fs.writeFileSync(`${dst}.tmp`, bytes);
  fs.renameSync(`${dst}.tmp`, dst);
  if (format === "elf32") {
    const labels = [...a.symbols.values()].filter((x) => x.section && x.value !== undefined && !x.extern)
      .map((x) => ({ name: x.name, section: x.section.name, value: Number(x.value), global: !!x.global }));
    fs.writeFileSync(`${dst}.rows.json`, JSON.stringify({ source: file, rows, labels }));
  }
}

/** The code of an assembly object (assembleFile's .rows.json) in the linked kernel: {source,
 *  instructions: [{start, end, line, func}]}; symbols is link()'s map of global addresses. Sections
 *  with no global label are left out. */
function asmInstructions(object, symbols) {
  const { source, rows, labels } = JSON.parse(fs.readFileSync(`${object}.rows.json`, "utf8"));
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
function asmRows({ source, instructions }) {
  const out = [];
  for (const x of instructions) {
    out.push({ start: x.start, chain: [{ file: source, line: x.line, func: x.func }] });
    // Each instruction's end closes its range, unless the next row starts right there.
    out.push({ start: x.end, chain: [], weak: true });
  }
  return out;
}

/** The asm step for the build's Steps (ids distinct from nasm's are not needed: the key differs). */
function jsAsm(src, format, dst, dir, steps, includes) {
  steps.step(`nasm:${rel(dst)}`, {
    name: "asm.js", text: `${src} -> ${rel(dst)}`, outputs: [dst, ...(format === "elf32" ? [`${dst}.rows.json`] : [])],
    inputs: [path.resolve(ROOT, src), ...includes(dir), ...toolchainFiles("asm")], key: `js ${format} ${src}`,
  }, () => assembleFile(src, format, dst, dir));
}

/** The toolchain's own sources (a change in the assembler or linker re-runs its steps). */
function toolchainFiles(which) {
  const d = path.join(ROOT, "toolchain", which);
  return fs.readdirSync(d).filter((f) => f.endsWith(".js")).sort().map((f) => path.join(d, f));
}

/** kernel .ts -> <dir>/kernel-i386.o (the i386 backend's object), kernel.asm (its text, for reading)
 *  and kernel.lines.json (its line map). */
function compileKernelI386(entry, dir) {
  require("../../compiler/node/register");
  const { compileWith, format } = require("../../compiler/src/compile");
  const { I386Backend } = require("../../compiler/src/backend/i386");
  const r = compileWith([path.resolve(ROOT, entry)], new I386Backend("kernel", ROOT), false);
  if (r.out === undefined) throw new BuildError(`tsk found errors in ${rel(entry)} and what it imports:\n${format(r.diagnostics, ROOT)}`);
  fs.writeFileSync(path.join(dir, "kernel.asm"), r.out.asm);
  fs.writeFileSync(path.join(dir, "kernel.lines.json"), JSON.stringify(r.out.lines));
  fs.writeFileSync(path.join(dir, "kernel-i386.o"), r.out.object);
}

/**
 * The link, as build.js's native link() does it with ld/objcopy: a first link with an empty line
 * table gives the address of the backend's code (tsk_code_start), from which its line map becomes
 * the table and the DWARF (dwarf.o: not loaded, so it moves nothing); the second link carries both
 * (the table is the last section of the load image: checked that nothing before it moved). Writes
 * kernel.elf, kernel.bin, lines.bin, dwarf.o. entry: the kernel's entry module (the DWARF unit's name).
 */
function jsLink(dir, objects, KERNEL_BASE, entry = "kernel/main.ts") {
  const { linkFiles } = require("../../toolchain/link/cli");
  const out = (name) => path.join(dir, name);
  const linesBin = out("lines.bin");
  const assembleLines = () => {
    fs.writeFileSync(out("lines.asm"), lines.linesAsm(linesBin));
    assembleFile(out("lines.asm"), "elf32", out("lines.o"), dir);
  };
  const ld = (extra = []) => {
    try {
      return linkFiles({ script: path.join(ROOT, "linker/kernel.ld"), scriptName: "linker/kernel.ld", objects: [...objects, out("lines.o"), ...extra],
        defsyms: { KERNEL_BASE: `0x${KERNEL_BASE.toString(16)}` }, elf: out("kernel.elf"), binary: out("kernel.bin") });
    } catch (e) {
      throw new BuildError(`link (JavaScript) failed: ${e.message}`);
    }
  };
  fs.writeFileSync(linesBin, Buffer.alloc(0));
  assembleLines();
  const first = ld();
  const base = first.symbols.get(CODE_START);
  if (base === undefined) throw new BuildError(`link: no ${CODE_START} in the kernel (is ${rel(out("kernel-i386.o"))} the i386 backend's?)`);
  const map = JSON.parse(fs.readFileSync(out("kernel.lines.json"), "utf8"));
  const asm = objects.filter((o) => fs.existsSync(`${o}.rows.json`)).map((o) => asmInstructions(o, first.symbols));
  fs.writeFileSync(linesBin, lines.lineTableFromMap(map, Number(base), asm.flatMap(asmRows)));
  assembleLines();
  let dwarf;
  try {
    dwarf = kernelDwarfObject({ compDir: ROOT, map, base: Number(base), entry: rel(entry).split(path.sep).join("/"),
      isGlobal: (name) => first.symbols.has(name), asm, elf: first.elf });
  } catch (e) {
    throw new BuildError(`DWARF (JavaScript) for ${rel(out("kernel.elf"))}: ${e.message}`);
  }
  fs.writeFileSync(out("dwarf.o"), dwarf);
  const second = ld([out("dwarf.o")]);
  if (second.symbols.get("__lines_start") !== first.symbols.get("__lines_start") || second.symbols.get(CODE_START) !== base) {
    throw new BuildError("the line table moved code: .tsk_lines must stay after .text in linker/kernel.ld");
  }
}

module.exports = { jsAsm, compileKernelI386, jsLink, toolchainFiles, setErrorClass, assembleFile };
