// Differential harness: runs the same subset module in Node and natively (host gcc) and returns
// both worlds' results for a list of calls, so tests can demand they are identical.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { execFileSync } from "child_process";
import { compile } from "../../compiler/src/compile";
import { Call, Target, TARGETS } from "./targets";
import { Diagnostic } from "../../compiler/src/front/diagnostics";
import { SimMachine } from "../sim/machine";

export { Call };

let counter = 0;
/** Write `source` as a fresh module file (a new path each time: Node caches modules by path). */
export function writeModule(source: string, name = "prog"): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tsk-diff-"));
  const file = path.join(dir, `${name}${counter++}.ts`);
  fs.writeFileSync(file, source);
  return file;
}

export function diagnosticsOf(file: string): Diagnostic[] {
  return compile([file], "hostlib").diagnostics;
}

/** Results of `calls` natively, on the first target (the host's C backend). */
export function runNative(file: string, calls: Call[], target: Target = TARGETS[0]): string[] {
  return target.runCalls(file, calls);
}

/** require() of a generated module (a fresh path: written once, loaded once, by this process) and
 *  of the generated modules it imports: transpiled as compiler/node/register.js transpiles, but
 *  neither with its inline source map (about half of a transpile of a fuzzer's seed, and no
 *  generated program is debugged) nor with an entry in its disk cache (one per random program, for
 *  nobody). */
function requireGenerated(file: string): any {
  const { transpileUncached } = require("../../compiler/node/register") as { transpileUncached(source: string, filename: string, o: { sourceMap: boolean }): string };
  const exts = require.extensions;
  const register = exts[".ts"];
  exts[".ts"] = (module, filename) => {
    const js = transpileUncached(fs.readFileSync(filename, "utf8"), filename, { sourceMap: false });
    (module as unknown as { _compile(js: string, file: string): void })._compile(js, filename);
  };
  try {
    return require(file);
  } finally {
    exts[".ts"] = register;
  }
}

/** Results of `calls` in Node, through the same module loaded by require(). */
export function runNode(file: string, calls: Call[]): string[] {
  const mod = requireGenerated(file);
  return calls.map((c) => String(mod[c.fn](...c.args) >>> 0));
}

const mains = new Map<string, string>();
/** main() of `file` in Node on a simulated machine of its own (what intrinsics and layout views
 *  read), as a u32; once per file: a module's globals keep their values in Node's module cache. */
export function nodeMainOnMachine(file: string): string {
  if (!mains.has(file)) {
    const g = globalThis as { __tskMachine?: unknown };
    const before = g.__tskMachine;
    g.__tskMachine = new SimMachine();
    try {
      mains.set(file, String(require(file).main() >>> 0));
    } finally {
      g.__tskMachine = before;
    }
  }
  return mains.get(file)!;
}

/** The `tsk` command line (compiler/src/cli.ts's main) run in this process from `cwd`: its exit
 *  status and what it printed. compiler/bin/tsk.js only loads the compiler and calls main; a test
 *  of what a command does need not pay for a Node process loading TypeScript to run it (the
 *  suites run the real `tsk` too, for the commands' start-up). */
export function tskInProcess(argv: string[], cwd: string): { status: number; stdout: string; stderr: string } {
  const out: string[] = [];
  const err: string[] = [];
  const { log, error } = console;
  const dir = process.cwd();
  console.log = (...a: unknown[]) => void out.push(a.join(" ") + "\n");
  console.error = (...a: unknown[]) => void err.push(a.join(" ") + "\n");
  try {
    if (cwd !== dir) process.chdir(cwd);
    const status = (require("../../compiler/src/cli") as typeof import("../../compiler/src/cli")).main(argv);
    return { status, stdout: out.join(""), stderr: err.join("") };
  } finally {
    console.log = log;
    console.error = error;
    if (process.cwd() !== dir) process.chdir(dir);
  }
}
