// tsc's and tsk's checkers in the page: a TypeScript program over the page's files (vfs.js) with the
// compiler's own options (COMPILER_OPTIONS), then the compiler's checkProgram (compiler/src/compile.ts)
// for the subset's TSK rules. The previous program is handed back to TypeScript so a keystroke
// re-checks only what changed, and while no file changed the same program (with tsc's diagnostics
// cached in it) is what Boot compiles (image.js).
import * as ts from "typescript";
import { checkProgram } from "../../compiler/src/compile";
import { COMPILER_OPTIONS, PRELUDE } from "../../compiler/src/front/program";
import { ROOT } from "./vfs";

export const ENTRY = `${ROOT}/kernel/main.ts`;

export class Checker {
  constructor(vfs) {
    this.vfs = vfs;
    this.old = undefined;
    this.oldKey = ""; // the roots and the file system's version this.old was made from
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
    const program = this.program(roots);
    const diags = [];
    for (const d of program.getOptionsDiagnostics()) diags.push(d);
    for (const d of program.getGlobalDiagnostics()) diags.push(d);
    const out = diags.map((d) => ({ file: "", line: 0, col: 0, code: `TS${d.code}`, message: ts.flattenDiagnosticMessageText(d.messageText, " ") }));
    for (const d of checkProgram(program, roots)) out.push(d);
    return relativeDiagnostics(out);
  }

  /** The program of `roots` (absolute paths, the entry first) and the prelude: the last one made
   *  when neither the roots nor any file changed since, else a new one reusing what it can. */
  program(roots) {
    const key = `${roots.join("\n")}\n@${this.vfs.version}`;
    if (this.old && this.oldKey === key) return this.old;
    this.old = ts.createProgram([...roots, PRELUDE], COMPILER_OPTIONS, this.host, this.old);
    this.oldKey = key;
    return this.old;
  }
}

/** The compiler's diagnostics with repo-relative file names (the page's files are under ROOT). */
export function relativeDiagnostics(diags) {
  return diags.map((d) => ({ ...d, file: d.file.startsWith(`${ROOT}/`) ? d.file.slice(ROOT.length + 1) : d.file }));
}
