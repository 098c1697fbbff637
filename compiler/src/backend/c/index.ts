// The C backend: IR to one C translation unit (emit.ts), the C names (names.ts), and what building
// that C depends on: the runtime header, the gcc flags whose semantics the C relies on, and the
// host build behind `tsk run` and the differential tests.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Backend } from "../backend";
import { Program } from "../../ir/ir";
import { Mode, emitC } from "./emit";
import { externalProblem } from "./names";
import { GCC_FLAGS, KERNEL_GCC_FLAGS } from "./flags";

export { Mode };

export const RUNTIME_DIR = path.resolve(__dirname, "../../../runtime");

export { GCC_FLAGS, KERNEL_GCC_FLAGS };

export class CBackend implements Backend<string> {
  readonly name = "c";
  constructor(
    readonly mode: Mode,
    readonly cwd = process.cwd(),
  ) {}

  externalNameProblem(name: string): string | undefined {
    // Host programs have a C main: tsk run's own, or the differential harness's.
    return externalProblem(name, this.mode !== "kernel");
  }

  emit(program: Program): string {
    return emitC(program, this.mode, this.cwd);
  }
}

/** Build `c` into a host executable (for `tsk run` and differential tests); returns its path.
 *  `flags`: more gcc flags, e.g. -m32 to run the kernel's own instruction set. */
export function buildHost(c: string, name = "program", flags: string[] = []): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tsk-run-"));
  const src = path.join(dir, `${name}.c`);
  const exe = path.join(dir, name);
  fs.writeFileSync(src, c);
  // Required here, not at the top: `tsk check` loads this module and never builds.
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const { spawnSync } = require("child_process") as typeof import("child_process");
  const r = spawnSync("gcc", [...GCC_FLAGS, ...flags, "-I", RUNTIME_DIR, "-o", exe, src], { encoding: "utf8" });
  if (r.error) throw new Error(`tsk: cannot run gcc (${r.error.message}); run scripts/setup`);
  if (r.status !== 0) throw new Error(`tsk: gcc rejected the generated C (a tsk bug):\n${r.stderr}`);
  return exe;
}
