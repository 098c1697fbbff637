// The JavaScript toolchain's build steps on files (TSK_TOOLCHAIN=js; scripts/lib/build.js chooses):
// the kernel .ts -> i386 object by tsk's own i386 backend, .asm -> objects and flat binaries by
// toolchain/asm, the link (twice, for the line table) and flat binary by toolchain/link, the line
// table and the ELF's DWARF (scripts/lib/jsdwarf.js) from the backend's own line map. The steps
// themselves are scripts/lib/jskernel.js's, on bytes, shared with the playground page; this file
// reads and writes the build directory around them. Everything runs in this process: no gcc, nasm,
// ld, objcopy or binutils, and no libgcc.
"use strict";
const fs = require("fs");
const path = require("path");
const jskernel = require("./jskernel");
const { kernelDwarfObject } = require("./jsdwarf");

const ROOT = path.resolve(__dirname, "../..");
const rel = (p) => path.relative(ROOT, path.resolve(ROOT, p)) || ".";

/** Why a step failed, as build.js reports it (its BuildError, passed in to avoid a require cycle). */
let BuildError = Error;
function setErrorClass(c) {
  BuildError = c;
}

/** fn(), a failing toolchain step rethrown as the build's error with the same message. */
function asBuildError(fn) {
  try {
    return fn();
  } catch (e) {
    if (e instanceof jskernel.JsToolchainError) throw new BuildError(e.message);
    throw e;
  }
}

/** Writes `bytes` to `file` whole or not at all. */
function writeAtomic(file, bytes) {
  fs.writeFileSync(`${file}.tmp`, bytes);
  fs.renameSync(`${file}.tmp`, file);
}

/**
 * toolchain/asm on one file: like `nasm -f <format> -Werror -I<dir>/ -Iboot/ src -o dst`. For elf32
 * objects it also writes <dst>.rows.json (jskernel.assembleSource's rows: what nasm's listing gives
 * the native build's line table).
 */
function assembleFile(src, format, dst, dir) {
  const file = path.relative(ROOT, path.resolve(ROOT, src)).split(path.sep).join("/");
  const { bytes, rows } = asBuildError(() => jskernel.assembleSource({ file: src, format, includeDirs: [`${dir}/`, "boot/"], cwd: ROOT }, file));
  writeAtomic(dst, bytes);
  if (rows) fs.writeFileSync(`${dst}.rows.json`, JSON.stringify(rows));
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
 *  and kernel.lines.json (its line map). The playground compiles the same way from its checked
 *  program (compileProgramWith; playground/editor/image.js). */
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

/** jskernel.linkKernel on the build's files, with the DWARF (dwarf.o: not loaded, so it moves
 *  nothing) made from the first link. Writes kernel.elf, kernel.bin, lines.bin, dwarf.o (and
 *  lines.asm, lines.o, as the native link leaves them). entry: the kernel's entry module (the DWARF
 *  unit's name). */
function jsLink(dir, objects, KERNEL_BASE, entry = "kernel/main.ts") {
  const out = (name) => path.join(dir, name);
  const map = JSON.parse(fs.readFileSync(out("kernel.lines.json"), "utf8"));
  const dwarf = ({ first, base, asm }) => {
    let bytes;
    try {
      bytes = kernelDwarfObject({ compDir: ROOT, map, base, entry: rel(entry).split(path.sep).join("/"),
        isGlobal: (name) => first.symbols.has(name), asm, elf: first.elf });
    } catch (e) {
      throw new jskernel.JsToolchainError(`DWARF (JavaScript) for ${rel(out("kernel.elf"))}: ${e.message}`);
    }
    fs.writeFileSync(out("dwarf.o"), bytes);
    return [{ name: out("dwarf.o"), bytes }];
  };
  const r = asBuildError(() => jskernel.linkKernel({
    script: fs.readFileSync(path.join(ROOT, "linker/kernel.ld"), "utf8"), scriptName: "linker/kernel.ld",
    objects: objects.map((o) => ({ name: o, bytes: fs.readFileSync(o), rows: fs.existsSync(`${o}.rows.json`) ? JSON.parse(fs.readFileSync(`${o}.rows.json`, "utf8")) : undefined })),
    KERNEL_BASE, lineMap: map, linesFile: out("lines.bin"), cwd: ROOT, unloaded: dwarf,
  }));
  fs.writeFileSync(out("lines.bin"), r.linesBin);
  fs.writeFileSync(out("lines.asm"), r.linesAsm);
  fs.writeFileSync(out("lines.o"), r.linesObject);
  fs.writeFileSync(`${out("kernel.elf")}.tmp`, r.elf, { mode: 0o755 });
  fs.renameSync(`${out("kernel.elf")}.tmp`, out("kernel.elf"));
  writeAtomic(out("kernel.bin"), r.binary);
}

module.exports = { jsAsm, compileKernelI386, jsLink, toolchainFiles, setErrorClass, assembleFile };
