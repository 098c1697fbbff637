// The compiler's API: TypeScript subset in, diagnostics and C out, and the host build behind `tsk run`.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { spawnSync } from "child_process";
import { Diagnostic, Diagnostics, formatDiagnostic } from "./diagnostics";
import { Mode, emitProgram } from "./emit";
import { load } from "./program";

export const RUNTIME_DIR = path.resolve(__dirname, "../runtime");

export interface Result {
  diagnostics: Diagnostic[];
  /** The C translation unit; undefined when there are diagnostics. */
  c?: string;
}

/** Check `entries` (tsc's rules, then the subset's) and lower them to C for `mode`. */
export function compile(entries: string[], mode: Mode = "kernel", cwd = process.cwd()): Result {
  const diags = new Diagnostics();
  const loaded = load(entries, diags);
  const tsErrors = diags.count;
  const { c } = emitProgram(loaded, diags, mode, cwd);
  void tsErrors;
  return diags.count ? { diagnostics: diags.list } : { diagnostics: [], c };
}

export function format(diagnostics: Diagnostic[], cwd = process.cwd()): string {
  return diagnostics.map((d) => formatDiagnostic(d, cwd)).join("\n");
}

/** gcc flags shared by every native build (architecture.md §2). */
export const GCC_FLAGS = ["-std=gnu11", "-O2", "-fno-strict-aliasing", "-Wall", "-Wno-unused-function", "-Wno-unused-variable", "-Wno-unused-but-set-variable", "-Wno-parentheses"];

/** Build `c` into a host executable (for `tsk run` and differential tests); returns its path.
 *  `flags`: more gcc flags, e.g. -m32 to run the kernel's own instruction set. */
export function buildHost(c: string, name = "program", flags: string[] = []): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tsk-run-"));
  const src = path.join(dir, `${name}.c`);
  const exe = path.join(dir, name);
  fs.writeFileSync(src, c);
  const r = spawnSync("gcc", [...GCC_FLAGS, ...flags, "-I", RUNTIME_DIR, "-o", exe, src], { encoding: "utf8" });
  if (r.error) throw new Error(`tsk: cannot run gcc (${r.error.message}); run scripts/setup`);
  if (r.status !== 0) throw new Error(`tsk: gcc rejected the generated C (a tsk bug):\n${r.stderr}`);
  return exe;
}
