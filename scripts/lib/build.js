// The build pipeline as a module: kernel .ts -> C (tsk) -> i386 object (gcc) -> ELF (ld, with the
// entry stub) -> flat binary (objcopy) -> disk image (stage 1 + stage 2 + kernel). scripts/build.js,
// scripts/start.js, the tests and later images (test kernel, benchmarks) all build through here.
// Each step that runs prints one `[build] <step> <from> -> <to>` line; steps whose inputs did not
// change are skipped (scripts/lib/steps.js). A failing step throws a BuildError carrying the tool's
// own output.
"use strict";
const fs = require("fs");
const path = require("path");
const { spawnSync } = require("child_process");
const bootInfo = require("../gen-boot-info");
const lines = require("./lines");
const { Steps, filesUnder, withDirLock } = require("./steps");
const jsbuild = require("./jsbuild");
const jskernel = require("./jskernel");
const { readElf } = require("../../toolchain/dwarf/elf");

/** The C backend's kernel gcc flags (compiler/src/backend/c/flags.ts, loaded as the compiler is). */
function kernelGccFlags() {
  require("../../compiler/node/register");
  return require("../../compiler/src/backend/c/flags").KERNEL_GCC_FLAGS;
}

const ROOT = path.resolve(__dirname, "../..");
/** Debian packages providing each tool, for the error message. */
const PACKAGES = { nasm: "nasm", gcc: "gcc", ld: "binutils", objcopy: "binutils", objdump: "binutils", addr2line: "binutils",
  nm: "binutils", gdb: "gdb", "qemu-system-i386": "qemu-system-x86" };

class BuildError extends Error {}
jsbuild.setErrorClass(BuildError);

/**
 * Which toolchain builds: TSK_TOOLCHAIN=native (tsk's C backend, gcc, nasm, ld, objcopy: the
 * reference) or js (tsk's i386 backend, toolchain/asm, toolchain/link: no native tool). Unset:
 * native where gcc and nasm are on PATH, else js, saying so through `log`.
 */
function chooseToolchain(env = process.env, log = console.log) {
  const asked = env.TSK_TOOLCHAIN;
  if (asked !== undefined && asked !== "") {
    if (asked !== "js" && asked !== "native") throw new BuildError(`TSK_TOOLCHAIN=${asked}: expected js or native`);
    return asked;
  }
  const missing = ["gcc", "nasm"].filter((t) => !which(t, env));
  if (!missing.length) return "native";
  if (log) log(`[build] ${missing.join(" and ")} not on PATH: using the JavaScript toolchain (TSK_TOOLCHAIN=js)`);
  return "js";
}

const rel = (p) => path.relative(ROOT, path.resolve(ROOT, p)) || ".";

/** The plain-number %defines of boot/layout.inc (the loader's constants, shared with NASM). */
function loaderLayout() {
  return jskernel.parseLoaderLayout(fs.readFileSync(path.join(ROOT, "boot/layout.inc"), "utf8"));
}

/** Where `name` is on PATH, or null. */
function which(name, env = process.env) {
  for (const dir of (env.PATH || "").split(path.delimiter)) {
    if (!dir) continue;
    const file = path.join(dir, name);
    try {
      fs.accessSync(file, fs.constants.X_OK);
      if (fs.statSync(file).isFile()) return file;
    } catch {}
  }
  return null;
}

/** Fails naming the first missing tool and the package that provides it. */
function checkTools(names, env = process.env) {
  for (const name of names) {
    if (!which(name, env)) {
      throw new BuildError(
        `missing tool: ${name} is not on PATH; run scripts/setup (or apt-get install ${PACKAGES[name] || name})`);
    }
  }
}

/** Runs a tool; throws with its stderr and stdout when it fails. */
function run(cmd, args, name = path.basename(cmd)) {
  const r = spawnSync(cmd, args, { cwd: ROOT, encoding: "utf8", maxBuffer: 64 << 20 });
  if (r.error) throw new BuildError(`${cmd}: ${r.error.code === "ENOENT" ? "not found on PATH" : r.error.message}`);
  if (r.status !== 0) {
    const output = `${r.stderr || ""}${r.stdout || ""}`.trimEnd();
    throw new BuildError(`${name} failed (${r.signal || `exit ${r.status}`}):\n${output}`);
  }
  return r.stdout;
}

/** gcc's 32-bit libgcc (64-bit division helpers), or null when gcc has none. Asked once per
 *  process: `npm run watch` links again on every edit, and gcc's answer does not change under it. */
let libgcc;
function libgcc32() {
  if (libgcc === undefined) {
    const file = run("gcc", ["-m32", "-print-libgcc-file-name"]).trim();
    libgcc = path.isAbsolute(file) && fs.existsSync(file) ? file : null;
  }
  return libgcc;
}

/** Lays out the disk image from the loader and kernel files (jskernel.diskImage: the checks and
 *  layout the playground's in-page build uses too) and writes it to `out`. */
function makeImage({ stage1, stage2, kernel, out }) {
  const { KERNEL_BASE } = require(bootInfo.SOURCE);
  let r;
  try {
    r = jskernel.diskImage({ layout: loaderLayout(), KERNEL_BASE, stage1: fs.readFileSync(stage1), stage2: fs.readFileSync(stage2),
      kernel: fs.readFileSync(kernel), names: { stage1: rel(stage1), stage2: rel(stage2), kernel: rel(kernel) } });
  } catch (e) {
    throw e instanceof jskernel.JsToolchainError ? new BuildError(e.message) : e;
  }
  fs.writeFileSync(`${out}.tmp`, r.image);
  fs.renameSync(`${out}.tmp`, out);
  return { kernelBytes: r.kernelBytes, kernelEnd: r.kernelEnd, imageBytes: r.imageBytes };
}

const stepLogger = (log) => (name, text) => log && log(`[build] ${name.padEnd(7)} ${text}`);

/** What the kernel header and sizes say, for a build whose image step had nothing to do. */
function imageInfo(kernel, image) {
  const layout = loaderLayout();
  const k = fs.readFileSync(kernel);
  return { kernelBytes: k.length, kernelEnd: k.readUInt32LE(layout.KHDR_END), imageBytes: fs.statSync(image).size };
}

/** The NASM include files every assembly step may read. */
const includes = (dir) => filesUnder([path.join(ROOT, "boot"), dir], (f) => f.endsWith(".inc"));

/** build/boot-info.inc from kernel/boot-info.ts. */
function genBootInfo(dir, steps) {
  const inc = path.join(dir, "boot-info.inc");
  steps.step("gen:boot-info", {
    name: "gen", text: `kernel/boot-info.ts -> ${rel(inc)}`, outputs: [inc],
    inputs: [bootInfo.SOURCE, path.join(ROOT, "scripts/gen-boot-info.js"), path.join(ROOT, "scripts/lib/jskernel.js")],
  }, () => {
    try {
      bootInfo.generate(inc);
    } catch (e) {
      throw new BuildError(`gen-boot-info: ${e.message}`);
    }
  });
}

/** nasm; elf32 objects also get a listing (<dst>.lst), from which the line table names their lines. */
function nasm(src, format, dst, dir, steps) {
  const listing = format === "elf32" ? ["-l", `${dst}.lst`] : [];
  const args = ["-f", format, "-Werror", `-I${dir}/`, "-Iboot/", src, "-o", dst, ...listing];
  steps.step(`nasm:${rel(dst)}`, {
    name: "nasm", text: `${src} -> ${rel(dst)}`, outputs: [dst, ...listing.slice(1)],
    inputs: [path.resolve(ROOT, src), ...includes(dir)], key: args.join(" "),
  }, () => run("nasm", args));
}

/** Assembles stage 1 and stage 2 into `dir` (needs no kernel): {stage1, stage2} paths. */
function buildLoader({ dir = "build", log = console.log } = {}) {
  dir = path.resolve(ROOT, dir);
  const toolchain = chooseToolchain(process.env, log);
  if (toolchain === "native") checkTools(["nasm"]);
  fs.mkdirSync(dir, { recursive: true });
  const steps = new Steps(dir, stepLogger(log));
  genBootInfo(dir, steps);
  return assembleLoader(dir, steps, toolchain);
}

/** nasm, or toolchain/asm on the js toolchain (byte-identical output). */
function assembler(toolchain) {
  return toolchain === "js" ? (src, format, dst, dir, steps) => jsbuild.jsAsm(src, format, dst, dir, steps, includes) : nasm;
}

function assembleLoader(dir, steps, toolchain = "native") {
  const stage1 = path.join(dir, "stage1.bin");
  const stage2 = path.join(dir, "stage2.bin");
  const asm = assembler(toolchain);
  asm("boot/stage1.asm", "bin", stage1, dir, steps);
  asm("boot/stage2.asm", "bin", stage2, dir, steps);
  return { stage1, stage2 };
}

/** gcc flags of the kernel: KERNEL_GCC_FLAGS, those the compiler's C means what it says only with
 *  (-m32, -ffreestanding, -fno-delete-null-pointer-checks...; compiler/src/backend/c/flags.ts),
 *  and the build's own. -fno-omit-frame-pointer and -fno-optimize-sibling-calls: every call leaves
 *  a frame on the ebp chain, so kernel/arch/fault.ts's stack walk (and gdb's backtrace) miss no
 *  caller. -gno-statement-frontiers: without it gcc marks the first instruction of a function as a
 *  statement of every inlined body starting there too, and gdb, stopping at kmain, names whichever
 *  came last (an intrinsic's line in tsk_runtime.h, depending on gcc's scheduling). */
const kernelCflags = () => [...kernelGccFlags(), "-fno-pic", "-fno-pie", "-fno-stack-protector",
  "-fno-asynchronous-unwind-tables", "-fno-omit-frame-pointer", "-fno-optimize-sibling-calls",
  "-O2", "-gdwarf-4", "-gno-statement-frontiers", "-Icompiler/runtime"];

/** The .ts files a kernel entry may compile from (its directory's tree and kernel/) and the
 *  compiler's own files: a superset of what tsk reads, so an edit anywhere in them re-runs tsk;
 *  when the C comes out the same, the chain stops at the next step. */
function tskInputs(entry) {
  const ts = (f) => f.endsWith(".ts");
  return [
    ...filesUnder([path.dirname(path.resolve(ROOT, entry)), path.join(ROOT, "kernel")], ts),
    ...filesUnder(["src", "lib", "runtime", "node"].map((d) => path.join(ROOT, "compiler", d))),
  ];
}

/** kernel .ts -> C, in this process (a `tsk emit` child would load TypeScript a second time). */
function compileKernel(entry, kernelC) {
  const tsk = require("../../compiler/node/api");
  const r = tsk.compile([path.resolve(ROOT, entry)], "kernel", ROOT);
  if (!r.c) throw new BuildError(`tsk found errors in ${rel(entry)} and what it imports:\n${tsk.format(r.diagnostics, ROOT)}`);
  fs.writeFileSync(kernelC, r.c);
}

/**
 * Builds a bootable image from a kernel entry module, incrementally: each step re-runs only when
 * what it reads changed (scripts/lib/steps.js); with nothing changed nothing runs.
 * entry: the .ts module exporting kmain; dir: where intermediate files go; image: the disk image;
 * cSource: use this C file instead of compiling `entry` (tests of the pipeline itself);
 * toolchain: "js" or "native" (default: chooseToolchain's choice: TSK_TOOLCHAIN, else what is installed);
 * log: progress line sink (default: stdout; null for silence).
 * Returns {image, kernelBytes, kernelEnd, imageBytes, upToDate, ran: [step ids]}.
 */
function build(opts = {}) {
  const dir = path.resolve(ROOT, opts.dir || "build");
  fs.mkdirSync(dir, { recursive: true });
  // prepare(): writes the build's own inputs (a generated entry module) under the same lock.
  return withDirLock(dir, () => {
    if (opts.prepare) opts.prepare();
    return buildLocked({ ...opts, dir });
  });
}

function buildLocked({ entry = "kernel/main.ts", dir, image, cSource, toolchain, log = console.log }) {
  image = path.resolve(ROOT, image || path.join(dir, "tsk.img"));
  const out = (name) => path.join(dir, name);
  toolchain = chooseToolchain(toolchain ? { ...process.env, TSK_TOOLCHAIN: toolchain } : process.env, log);
  if (toolchain === "js") {
    if (cSource) throw new BuildError("cSource: a C file can only be built by the native toolchain (TSK_TOOLCHAIN=native)");
    return buildJs({ entry, dir, image, log });
  }
  checkTools(["gcc", "ld", "objcopy", "nasm"]);
  const steps = new Steps(dir, stepLogger(log));

  genBootInfo(dir, steps);
  const kernelC = cSource ? path.resolve(ROOT, cSource) : out("kernel.c");
  if (!cSource) {
    steps.step("tsk", {
      name: "tsk", text: `${rel(entry)} -> ${rel(kernelC)}`, outputs: [kernelC],
      inputs: tskInputs(entry), key: rel(entry),
    }, () => compileKernel(entry, kernelC));
  }
  // -pipe: cc1's assembly (about 0.8 MB, most of it DWARF) goes to `as` through a pipe, as it is
  // made, not through a temporary file read after cc1 ends; the object is the same byte for byte.
  const gccArgs = ["-pipe", ...kernelCflags(), "-c", kernelC, "-o", out("kernel.o")];
  steps.step("gcc", {
    name: "gcc", text: `${rel(kernelC)} -> ${rel(out("kernel.o"))}`, outputs: [out("kernel.o")],
    inputs: [kernelC, ...filesUnder([path.join(ROOT, "compiler/runtime")])], key: gccArgs.join(" "),
  }, () => run("gcc", gccArgs));
  for (const [source, obj] of ASM_OBJECTS) nasm(source, "elf32", out(obj), dir, steps);
  const objects = [...ASM_OBJECTS.map(([, obj]) => out(obj)), out("kernel.o")];
  steps.step("link", {
    name: "ld", text: `${objects.map(rel).join(" ")} + line table -> ${rel(out("kernel.elf"))}, ${rel(out("kernel.bin"))}`,
    outputs: [out("kernel.elf"), out("kernel.bin"), out("lines.bin")],
    inputs: [...objects, path.join(ROOT, "linker/kernel.ld"), path.join(ROOT, "scripts/lib/lines.js"), bootInfo.SOURCE, ...jsbuild.toolchainFiles("dwarf")],
  }, () => link(dir, objects));
  return finishImage({ dir, steps, image, log, toolchain: "native" });
}

/** build() on the JavaScript toolchain (scripts/lib/jsbuild.js): the same step ids as the native
 *  build with the toolchain in their keys, so switching TSK_TOOLCHAIN rebuilds what differs; the
 *  kernel object has its own name (kernel-i386.o), so gcc's kernel.o and its record stay valid. */
function buildJs({ entry, dir, image, log }) {
  const out = (name) => path.join(dir, name);
  fs.mkdirSync(dir, { recursive: true });
  const steps = new Steps(dir, stepLogger(log));
  genBootInfo(dir, steps);
  steps.step("tsk", {
    name: "tsk", text: `${rel(entry)} -> ${rel(out("kernel-i386.o"))} (i386 backend)`,
    outputs: [out("kernel-i386.o"), out("kernel.lines.json")],
    inputs: [...tskInputs(entry), ...jsbuild.toolchainFiles("asm")], key: `js ${rel(entry)}`,
  }, () => jsbuild.compileKernelI386(entry, dir));
  const asm = assembler("js");
  for (const [source, obj] of ASM_OBJECTS) asm(source, "elf32", out(obj), dir, steps);
  const objects = [...ASM_OBJECTS.map(([, obj]) => out(obj)), out("kernel-i386.o")];
  const { KERNEL_BASE } = require(bootInfo.SOURCE);
  steps.step("link", {
    name: "link.js", text: `${objects.map(rel).join(" ")} + line table -> ${rel(out("kernel.elf"))}, ${rel(out("kernel.bin"))}`,
    outputs: [out("kernel.elf"), out("kernel.bin"), out("lines.bin"), out("dwarf.o")],
    inputs: [...objects, ...ASM_OBJECTS.map(([, obj]) => out(`${obj}.rows.json`)), out("kernel.lines.json"), path.join(ROOT, "linker/kernel.ld"), path.join(ROOT, "scripts/lib/lines.js"),
      path.join(ROOT, "scripts/lib/jsbuild.js"), path.join(ROOT, "scripts/lib/jskernel.js"), path.join(ROOT, "scripts/lib/jsdwarf.js"), bootInfo.SOURCE,
      ...jsbuild.toolchainFiles("link"), ...jsbuild.toolchainFiles("asm"), ...jsbuild.toolchainFiles("dwarf")],
    key: `js ${rel(entry)}`,
  }, () => jsbuild.jsLink(dir, objects, KERNEL_BASE, entry));
  return finishImage({ dir, steps, image, log, toolchain: "js" });
}

/** The last steps of either toolchain: the loader, the image, and build()'s result. */
function finishImage({ dir, steps, image, log, toolchain }) {
  const kernel = path.join(dir, "kernel.bin");
  const { stage1, stage2 } = assembleLoader(dir, steps, toolchain);
  let info;
  steps.step(`image:${rel(image)}`, {
    name: "image", text: `stage1 + stage2 + kernel -> ${rel(image)}`, outputs: [image],
    inputs: [stage1, stage2, kernel, path.join(ROOT, "boot/layout.inc")],
  }, () => (info = makeImage({ stage1, stage2, kernel, out: image })));
  if (!steps.ran.length && log) log(`[build] up to date: ${rel(image)}`);
  return { image, toolchain, ...(info || imageInfo(kernel, image)), upToDate: !steps.ran.length, ran: steps.ran };
}

/** The kernel's assembly sources and their objects, in link order (the entry stub first). */
const { ASM_OBJECTS } = jskernel;

/** The assembly objects of a build in `dir` with their nasm listings, for lines.lineTable. */
const asmLineSources = (dir) => ASM_OBJECTS.map(([source, obj]) => ({ source, object: path.join(dir, obj), listing: path.join(dir, `${obj}.lst`) }));

/**
 * ld, the line table from the link's DWARF, objcopy. The table is the last section of the load
 * image (linker/kernel.ld), so its size moves nothing in .text, but it moves what follows it (.bss,
 * __kernel_end): the link that carries it must have reserved its exact size. The first link holds
 * the previous build's table (an empty one the first time): when the new table has the same size
 * (an edit that moves lines, not code, as most edits do), that link is final and the new table's
 * bytes are written over the old ones in kernel.elf, which is what a second link would have given
 * byte for byte (lines.o keeps the old table: the next link assembles it again from lines.bin);
 * else a second link holds the new table (checked to move no code).
 * Returns the number of links run (1 or 2).
 */
function link(dir, objects) {
  const out = (name) => path.join(dir, name);
  const elf = out("kernel.elf");
  const { KERNEL_BASE } = require(bootInfo.SOURCE);
  const libgcc = libgcc32();
  const ld = () => run("ld", ["-m", "elf_i386", "-T", "linker/kernel.ld", "--defsym",
    `KERNEL_BASE=0x${KERNEL_BASE.toString(16)}`, "-o", elf, ...objects, out("lines.o"),
    ...(libgcc ? [libgcc] : [])]);
  const linesBin = out("lines.bin");
  const linesO = out("lines.o");
  const assembleLines = () => {
    fs.writeFileSync(out("lines.asm"), lines.linesAsm(linesBin));
    run("nasm", ["-f", "elf32", "-Werror", out("lines.asm"), "-o", linesO]);
  };
  let linked = Buffer.alloc(0);
  try {
    linked = fs.readFileSync(linesBin);
    if (linked.readUInt32LE(0) !== lines.MAGIC) linked = Buffer.alloc(0);
  } catch {
    linked = Buffer.alloc(0);
  }
  fs.writeFileSync(linesBin, linked);
  // lines.o from the last link holds `linked` already unless something else changed it.
  if (!linesObjectHolds(linesO, out("lines.asm"), lines.linesAsm(linesBin), linked)) assembleLines();
  ld();
  let table;
  try {
    table = lines.lineTable(elf, { root: ROOT, asm: asmLineSources(dir) });
  } catch (e) {
    throw new BuildError(`line table: ${e.message}`);
  }
  fs.writeFileSync(linesBin, table);
  let links = 1;
  const section = readElf(fs.readFileSync(elf), elf).section(".tsk_lines");
  if (section && section.size === table.length && section.data.length === table.length) {
    overwrite(elf, section.offset, table);
    // And lines.o, as nasm would assemble it now (incbin: the bytes, no relocation).
    overwrite(linesO, readElf(fs.readFileSync(linesO), linesO).section(".tsk_lines").offset, table);
  } else {
    const before = lines.textSymbols(elf);
    assembleLines();
    ld();
    links = 2;
    if (lines.textSymbols(elf) !== before) {
      throw new BuildError("the line table moved code: .tsk_lines must stay after .text in linker/kernel.ld");
    }
  }
  run("objcopy", ["-O", "binary", elf, out("kernel.bin")]);
  return links;
}

/** Writes `bytes` over `file` at `offset`, in place. */
function overwrite(file, offset, bytes) {
  const fd = fs.openSync(file, "r+");
  try {
    fs.writeSync(fd, bytes, 0, bytes.length, offset);
  } finally {
    fs.closeSync(fd);
  }
}

/** Whether lines.o is what nasm would make of `asmText` (lines.asm) with `table` in lines.bin. */
function linesObjectHolds(object, asmFile, asmText, table) {
  try {
    if (fs.readFileSync(asmFile, "utf8") !== asmText) return false;
    const sec = readElf(fs.readFileSync(object), object).section(".tsk_lines");
    return Boolean(sec) && sec.size === table.length && Buffer.from(sec.data).equals(table);
  } catch {
    return false;
  }
}

/** The same as build(): every build is incremental now (kept for its callers). */
const buildIfNeeded = (opts = {}) => build(opts);

module.exports = { build, buildIfNeeded, link, ASM_OBJECTS, kernelCflags, asmLineSources, buildLoader, makeImage, checkTools, chooseToolchain, which, loaderLayout, BuildError, ROOT };
