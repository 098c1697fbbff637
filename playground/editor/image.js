// The Boot pipeline in the page: buildImage(vfs, checker) -> the disk image v86 boots, made by the
// JavaScript toolchain's own steps (scripts/lib/jskernel.js, which the Node build TSK_TOOLCHAIN=js
// runs too, so an unedited kernel gives that build's image byte for byte), over the page's edited files:
//   the kernel's .ts modules -> tsc and tsk's checks -> IR -> i386 object + line map
//                               (compileProgramWith on the checker's program, tsk's i386 backend)
//   kernel/boot-info.ts -> boot-info.inc  (the module evaluated after TypeScript strips its types)
//   boot/stage1.asm, boot/stage2.asm -> flat binaries; kernel/arch/entry.asm, idt.asm -> objects
//                               (toolchain/asm)
//   objects + linker/kernel.ld -> kernel.bin, twice around the line table (toolchain/link)
//   stage1 + stage2 + kernel.bin -> the image
// A kernel tsc or tsk rejects gives its diagnostics instead (KernelDiagnostics): nothing is built.
import * as ts from "typescript";
import { compileProgramWith } from "../../compiler/src/compile";
import { I386Backend } from "../../compiler/src/backend/i386";
import { assembleSource, linkKernel, renderBootInfo, parseLoaderLayout, diskImage, ASM_OBJECTS } from "../../scripts/lib/jskernel";
import { ROOT } from "./vfs";
import * as prelude from "../../compiler/node/prelude";
import { ENTRY, relativeDiagnostics } from "./check";

/** Where the generated include lives, as in the Node build's directory (-I<dir>/ -Iboot/). */
const BOOT_INFO_INC = "build/boot-info.inc";

/** A kernel .ts module: what the i386 backend compiles. */
export const isKernelSource = (rel) => rel.startsWith("kernel/") && rel.endsWith(".ts");

/** The kernel has diagnostics (tsc's or tsk's): `diagnostics` as the checker gives them. */
export class KernelDiagnostics extends Error {
  constructor(diagnostics) {
    super(`tsk found ${diagnostics.length} error(s) in kernel/main.ts and what it imports: nothing was built or booted`);
    this.diagnostics = diagnostics;
  }
}

/** The exported u32 constants and layouts of kernel/boot-info.ts and the include rendered from them
 *  (the module's layout() calls run the prelude's). */
export function bootInfoInc(vfs) {
  const src = vfs.read("kernel/boot-info.ts");
  if (src === undefined) throw new Error("kernel/boot-info.ts: missing");
  const js = ts.transpileModule(src, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } }).outputText;
  const exports = {};
  new Function("exports", "require", "module", "layout", js)(exports, () => { throw new Error("kernel/boot-info.ts: imports nothing"); }, { exports }, prelude.layout);
  return { text: renderBootInfo(exports), constants: exports };
}

function asm(vfs, inc, file, format) {
  const readFile = (abs) => {
    if (abs === `${ROOT}/${BOOT_INFO_INC}`) return inc;
    const text = vfs.read(abs);
    if (text === undefined) throw new Error(`${abs}: no such file in the page`);
    return text;
  };
  const readBinary = (abs) => { throw new Error(`${abs}: incbin has no binary files in the page`); };
  return assembleSource({ file, format, includeDirs: ["build/", "boot/"], cwd: ROOT, readFile, readBinary });
}

/**
 * vfs: the page's files (edited); checker: the page's Checker (its program is reused when nothing
 * changed since its last check). Returns {image, stage1, stage2, kernelBin, kernelAsm, times:
 * {step: ms}}; throws KernelDiagnostics when tsc or tsk rejects the kernel, and an Error saying
 * which step failed otherwise.
 */
export function buildImage(vfs, checker) {
  const times = {};
  const timed = (name, fn) => {
    const t0 = performance.now();
    const r = fn();
    times[name] = Math.round((performance.now() - t0) * 10) / 10;
    return r;
  };
  const program = timed("program", () => checker.program([ENTRY]));
  // The backend's emit (IR -> NASM text -> toolchain/asm -> object) timed apart from the checks.
  const backend = new I386Backend("kernel", ROOT);
  const emit = backend.emit.bind(backend);
  backend.emit = (ir) => timed("i386 backend", () => emit(ir));
  const compiled = timed("check", () => compileProgramWith(program, [ENTRY], backend));
  if (times["i386 backend"] !== undefined) times.check = Math.round((times.check - times["i386 backend"]) * 10) / 10;
  if (compiled.out === undefined) throw new KernelDiagnostics(relativeDiagnostics(compiled.diagnostics));
  const bootInfo = timed("boot-info", () => bootInfoInc(vfs));
  const layout = parseLoaderLayout(vfs.read("boot/layout.inc"));
  const stage1 = timed("asm stage1", () => asm(vfs, bootInfo.text, "boot/stage1.asm", "bin").bytes);
  const stage2 = timed("asm stage2", () => asm(vfs, bootInfo.text, "boot/stage2.asm", "bin").bytes);
  const stubs = timed("asm entry+idt", () => ASM_OBJECTS.map(([src, obj]) => ({ name: `build/${obj}`, ...asm(vfs, bootInfo.text, src, "elf32") })));
  const linked = timed("link", () => linkKernel({
    script: vfs.read("linker/kernel.ld"), objects: [...stubs, { name: "build/kernel-i386.o", bytes: compiled.out.object }],
    KERNEL_BASE: bootInfo.constants.KERNEL_BASE, lineMap: compiled.out.lines, cwd: ROOT,
  }));
  const kernelBin = new Uint8Array(linked.binary);
  const { image } = timed("image", () => diskImage({ layout, KERNEL_BASE: bootInfo.constants.KERNEL_BASE, stage1, stage2, kernel: kernelBin }));
  return { image, stage1: new Uint8Array(stage1), stage2: new Uint8Array(stage2), kernelBin, kernelAsm: compiled.out.asm, times };
}
