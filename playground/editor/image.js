// The Boot pipeline in the page: buildImage(vfs, prebuilt) -> the disk image v86 boots, made the way
// scripts/lib/build.js makes build/tsk.img, with the JavaScript toolchain instead of nasm and ld:
//   kernel/boot-info.ts -> boot-info.inc (the module evaluated after TypeScript strips its types)
//   boot/stage1.asm, boot/stage2.asm -> flat binaries        (toolchain/asm, in the page)
//   kernel/arch/entry.asm, idt.asm -> ELF32 objects          (toolchain/asm, in the page)
//   the kernel's .ts modules -> kernel.o + lines.o           (THE SEAM: kernelObjects below)
//   objects + linker/kernel.ld -> kernel.bin                 (toolchain/link, in the page)
//   stage1 + stage2 + kernel.bin -> the image                (makeImage, as build.js lays it out)
import * as ts from "typescript";
import { assemble } from "../../toolchain/asm/assemble";
import { link } from "../../toolchain/link/link";
import { ROOT } from "./vfs";
import { renderDefines } from "../../scripts/lib/boot-info-defines";
import * as prelude from "../../compiler/node/prelude";

const SECTOR = 512;
const MIN_IMAGE_BYTES = 1 << 20;
/** Where the generated include lives, as in the native build (-Ibuild/ -Iboot/). */
const BOOT_INFO_INC = "build/boot-info.inc";
const ASM_OBJECTS = [["kernel/arch/entry.asm", "build/entry.o"], ["kernel/arch/idt.asm", "build/idt.o"]];

/** A kernel .ts module: what only a compiler backend can turn into machine code. */
export const isKernelSource = (rel) => rel.startsWith("kernel/") && rel.endsWith(".ts");

/** Thrown when the kernel's sources changed and no backend can compile them in the page. */
export class NeedsBackendError extends Error {}

/**
 * The seam where the i386 backend plugs in. A kernel backend is
 *   ({ vfs, changed: [repo-relative .ts paths edited], bootInfo }) -> [{ name, bytes }]
 * returning the kernel's ELF32 objects in link order after entry.o and idt.o (today build/kernel.o
 * from gcc and build/lines.o, the address -> line table). registerKernelBackend(fn) installs it;
 * until then the prebuilt objects of the native build are used, and only while no kernel .ts
 * module differs from the sources they were built from.
 */
let kernelBackend = null;
export function registerKernelBackend(fn) { kernelBackend = fn; }
export const hasKernelBackend = () => kernelBackend !== null;

/** The exported u32 constants and layouts of kernel/boot-info.ts, rendered as scripts/gen-boot-info.js
 *  does (the same renderer; the module's layout() calls run the prelude's). */
export function bootInfoInc(vfs) {
  const src = vfs.read("kernel/boot-info.ts");
  if (src === undefined) throw new Error("kernel/boot-info.ts: missing");
  const js = ts.transpileModule(src, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } }).outputText;
  const exports = {};
  new Function("exports", "require", "module", "layout", js)(exports, () => { throw new Error("kernel/boot-info.ts: imports nothing"); }, { exports }, prelude.layout);
  return renderDefines(exports);
}

/** boot/layout.inc's plain-number %defines (build.js's loaderLayout). */
function loaderLayout(vfs) {
  const layout = {};
  for (const m of vfs.read("boot/layout.inc").matchAll(/^%define\s+(\w+)\s+(0x[0-9a-f]+|\d+)\s*$/gim)) layout[m[1]] = Number(m[2]);
  return layout;
}

function asm(vfs, inc, file, format) {
  const readFile = (abs) => {
    if (abs === `${ROOT}/${BOOT_INFO_INC}`) return inc;
    const text = vfs.read(abs);
    if (text === undefined) throw new Error(`${abs}: no such file in the page`);
    return text;
  };
  const readBinary = (abs) => { throw new Error(`${abs}: incbin has no binary files in the page`); };
  return new Uint8Array(assemble({ file, format, includeDirs: ["build/", "boot/"], werror: true, cwd: ROOT, readFile, readBinary }));
}

/** build.js's makeImage on bytes: the same checks, the same layout. */
function makeImage(layout, bootInfo, s1, s2, k) {
  const dv = (b) => new DataView(b.buffer, b.byteOffset, b.byteLength);
  if (k.length > layout.KERNEL_MAX_BYTES) throw new Error(`kernel too big for the loader: ${k.length} bytes, the loader loads at most KERNEL_MAX_BYTES = ${layout.KERNEL_MAX_BYTES}`);
  if (s1.length !== SECTOR || dv(s1).getUint16(510, true) !== 0xaa55) throw new Error("stage1: not a 512-byte boot sector ending in 0x55aa");
  if (s2.length !== layout.STAGE2_SECTORS * SECTOR) throw new Error(`stage2: ${s2.length} bytes, stage 1 loads exactly ${layout.STAGE2_SECTORS} sectors`);
  if (k.length < 16 || dv(k).getUint32(layout.KHDR_MAGIC, true) !== layout.KERNEL_HEADER_MAGIC) throw new Error("kernel.bin: no kernel header at its start");
  const loadEnd = dv(k).getUint32(layout.KHDR_LOAD_END, true);
  if (loadEnd - bootInfo.KERNEL_BASE !== k.length) throw new Error(`kernel.bin: ${k.length} bytes, but its header says ${loadEnd - bootInfo.KERNEL_BASE}`);
  const padded = Math.ceil(k.length / SECTOR) * SECTOR;
  const image = new Uint8Array(Math.max(MIN_IMAGE_BYTES, s1.length + s2.length + padded));
  image.set(s1, 0);
  image.set(s2, s1.length);
  image.set(k, s1.length + s2.length);
  return image;
}

/**
 * vfs: the page's files (edited); original: {rel: text} as served (what the prebuilt objects were
 * built from); prebuilt: [{name, bytes}] (build/kernel.o, build/lines.o).
 * Returns {image, stage1, stage2, kernelBin, kernelFrom, times: {step: ms}}; throws
 * NeedsBackendError when the kernel changed and no backend is registered.
 */
export function buildImage(vfs, { original, prebuilt }) {
  const times = {};
  const timed = (name, fn) => {
    const t0 = performance.now();
    const r = fn();
    times[name] = Math.round((performance.now() - t0) * 10) / 10;
    return r;
  };
  const changed = Object.keys(original).filter((rel) => isKernelSource(rel) && vfs.read(rel) !== original[rel]);
  if (changed.length && !kernelBackend) {
    throw new NeedsBackendError(`rebuilding the kernel in the browser needs the i386 backend (not in this build): ` +
      `you changed ${changed.join(", ")}; the prebuilt kernel was made from the unedited sources, so nothing was booted. ` +
      `Undo the edits (Revert) to boot the prebuilt kernel with the loader assembled here.`);
  }
  const bootInfo = timed("boot-info", () => bootInfoInc(vfs));
  const layout = loaderLayout(vfs);
  const stage1 = timed("asm stage1", () => asm(vfs, bootInfo.text, "boot/stage1.asm", "bin"));
  const stage2 = timed("asm stage2", () => asm(vfs, bootInfo.text, "boot/stage2.asm", "bin"));
  const stubs = timed("asm entry+idt", () => ASM_OBJECTS.map(([src, name]) => ({ name, bytes: asm(vfs, bootInfo.text, src, "elf32") })));
  const kernelFrom = changed.length ? "backend" : "prebuilt";
  const kernel = timed("kernel objects", () => (changed.length ? kernelBackend({ vfs, changed, bootInfo: bootInfo.constants }) : prebuilt));
  const linked = timed("link", () => link({
    script: vfs.read("linker/kernel.ld"), scriptName: "linker/kernel.ld",
    objects: [...stubs, ...kernel].map((o) => ({ name: o.name, bytes: Buffer.from(o.bytes) })),
    defsyms: { KERNEL_BASE: bootInfo.constants.KERNEL_BASE },
  }));
  const kernelBin = new Uint8Array(linked.binary);
  const image = timed("image", () => makeImage(layout, bootInfo.constants, stage1, stage2, kernelBin));
  return { image, stage1, stage2, kernelBin, kernelFrom, changed, times };
}
