// The compiler's API: TypeScript subset in, diagnostics and target code out. The pipeline is
// front (TypeScript's program and checker, module graph) -> check (the subset's rules, producing
// the IR of ir/ir.ts) -> a backend (backend/c today).
import * as ts from "typescript";
import { Diagnostic, Diagnostics, formatDiagnostic } from "./front/diagnostics";
import { load, loadProgram } from "./front/program";
import { checkModules } from "./check/module";
import { Backend } from "./backend/backend";
import { CBackend, Mode, GCC_FLAGS, KERNEL_GCC_FLAGS, RUNTIME_DIR, buildHost } from "./backend/c";
import { Program } from "./ir/ir";

export { GCC_FLAGS, KERNEL_GCC_FLAGS, RUNTIME_DIR, buildHost, Mode, Diagnostic };

export interface Result {
  diagnostics: Diagnostic[];
  /** The C translation unit; undefined when there are diagnostics. */
  c?: string;
}

/** Check `entries` (tsc's rules, then the subset's) and lower them to C for `mode`. */
export function compile(entries: string[], mode: Mode = "kernel", cwd = process.cwd()): Result {
  const backend = new CBackend(mode, cwd);
  const r = compileWith(entries, backend, mode === "host");
  return r.out === undefined ? { diagnostics: r.diagnostics } : { diagnostics: [], c: r.out };
}

/**
 * `tsk check`: the diagnostics compile() would report for `entries` (kernel mode), without lowering
 * the checked program to C: the C of a program without diagnostics is thrown away by a check.
 */
export function check(entries: string[]): Diagnostic[] {
  const diags = new Diagnostics();
  checkModules(load(entries, diags), diags, new CBackend("kernel"), { hostMain: false });
  return diags.list;
}

/** The same through any backend: its output, or the diagnostics. */
export function compileWith<Out>(entries: string[], backend: Backend<Out>, hostMain = false): { diagnostics: Diagnostic[]; out?: Out; ir?: Program } {
  const diags = new Diagnostics();
  const loaded = load(entries, diags);
  const ir = checkModules(loaded, diags, backend, { hostMain });
  if (diags.count) return { diagnostics: diags.list };
  return { diagnostics: [], out: backend.emit(ir), ir };
}

/**
 * compileWith on an existing ts.Program (an editor's, already checked: tsc's diagnostics come from
 * its cache), from `rootFiles` (the entry first): the playground's Boot compiles the program its
 * checker just checked instead of parsing and checking the kernel again. The program should
 * include compiler/lib/prelude.d.ts (PRELUDE in front/program.ts).
 */
export function compileProgramWith<Out>(program: ts.Program, rootFiles: readonly string[], backend: Backend<Out>, hostMain = false): { diagnostics: Diagnostic[]; out?: Out; ir?: Program } {
  const diags = new Diagnostics();
  for (const d of program.getOptionsDiagnostics()) diags.addTs(d);
  for (const d of program.getGlobalDiagnostics()) diags.addTs(d);
  const loaded = loadProgram(program, rootFiles, diags);
  const ir = checkModules(loaded, diags, backend, { hostMain });
  if (diags.count) return { diagnostics: diags.list };
  return { diagnostics: [], out: backend.emit(ir), ir };
}

/**
 * The subset's diagnostics for an existing ts.Program (tsserver's, an editor plugin's): tsc's own
 * diagnostics for the files reached from `rootFiles`, then the subset's rules, each with
 * file/line/col/code/message. `rootFiles`: the entry first, like `tsk check`. The program should
 * include compiler/lib/prelude.d.ts (PRELUDE in front/program.ts) for the subset's types.
 */
export function checkProgram(program: ts.Program, rootFiles: readonly string[], { tsDiagnostics = true } = {}): Diagnostic[] {
  const diags = new Diagnostics();
  const loaded = loadProgram(program, rootFiles, diags, { tsDiagnostics });
  checkModules(loaded, diags, new CBackend("kernel"), { hostMain: false });
  return diags.list;
}

export function format(diagnostics: Diagnostic[], cwd = process.cwd()): string {
  return diagnostics.map((d) => formatDiagnostic(d, cwd)).join("\n");
}
