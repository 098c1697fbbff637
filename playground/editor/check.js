// tsc's and tsk's checkers in the page: a TypeScript program over the page's files (vfs.js) with the
// compiler's own options (COMPILER_OPTIONS), then the compiler's checkProgram (compiler/src/compile.ts)
// for the subset's TSK rules. The previous program is handed back to TypeScript so a keystroke
// re-checks only what changed.
import * as ts from "typescript";
import { checkProgram } from "../../compiler/src/compile";
import { COMPILER_OPTIONS, PRELUDE } from "../../compiler/src/front/program";
import { ROOT } from "./vfs";

export const ENTRY = `${ROOT}/kernel/main.ts`;

export class Checker {
  constructor(vfs) {
    this.vfs = vfs;
    this.old = undefined;
    // The compiler's front end resolves imports through ts.sys: in the page that is this file system.
    ts.setSys(vfs.system());
    this.host = vfs.host(COMPILER_OPTIONS);
  }

  /**
   * Diagnostics ({file, line, col, code, message}) of the kernel from kernel/main.ts, and of `open`
   * (a repo-relative path) too when main.ts does not reach it (a .ktest.ts module): tsc's first
   * (TSnnnn), then the subset's (TSKnnnn). Files are repo-relative in the result.
   */
  check(open) {
    const roots = [ENTRY];
    const extra = open && this.vfs.abs(open);
    if (extra && extra !== ENTRY && extra.endsWith(".ts")) roots.push(extra);
    const program = ts.createProgram([...roots, PRELUDE], COMPILER_OPTIONS, this.host, this.old);
    this.old = program;
    const diags = [];
    for (const d of program.getOptionsDiagnostics()) diags.push(d);
    for (const d of program.getGlobalDiagnostics()) diags.push(d);
    const out = diags.map((d) => ({ file: "", line: 0, col: 0, code: `TS${d.code}`, message: ts.flattenDiagnosticMessageText(d.messageText, " ") }));
    for (const d of checkProgram(program, roots)) out.push(d);
    return out.map((d) => ({ ...d, file: d.file.startsWith(`${ROOT}/`) ? d.file.slice(ROOT.length + 1) : d.file }));
  }
}
