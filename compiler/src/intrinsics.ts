import * as path from "path";

// The machine intrinsics of kernel/arch/cpu.ts and the C each call becomes
// (the functions themselves live in compiler/runtime/tsk_runtime.h).

/** Intrinsic name → the runtime function implementing it. */
export const INTRINSICS: Record<string, string> = {
  load8: "tsk_load8",
  load16: "tsk_load16",
  load32: "tsk_load32",
  store8: "tsk_store8",
  store16: "tsk_store16",
  store32: "tsk_store32",
  fill32: "tsk_fill32",
  inb: "tsk_inb",
  inw: "tsk_inw",
  inl: "tsk_inl",
  outb: "tsk_outb",
  outw: "tsk_outw",
  outl: "tsk_outl",
  cli: "tsk_cli",
  sti: "tsk_sti",
  hlt: "tsk_hlt",
  readCr0: "tsk_read_cr0",
  readCr2: "tsk_read_cr2",
  readCr3: "tsk_read_cr3",
  readCr4: "tsk_read_cr4",
  writeCr0: "tsk_write_cr0",
  writeCr3: "tsk_write_cr3",
  writeCr4: "tsk_write_cr4",
  invlpg: "tsk_invlpg",
  rdtsc: "tsk_rdtsc",
  breakpoint: "tsk_breakpoint",
};

/** Where calling intrinsics is allowed: the arch layer, tests and benchmarks. Judged on the path
 *  inside the project (relative to the working directory), so a checkout under /home/u/test/ does
 *  not open the door for every module. */
export function mayCallIntrinsics(fileName: string): boolean {
  const rel = path.relative(process.cwd(), fileName);
  const f = (rel.startsWith("..") ? fileName : rel).split(path.sep).join("/");
  return /(^|\/)arch\//.test(f) || /\.ktest\.ts$/.test(f) || /(^|\/)(test|bench)\//.test(f);
}
