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

/** Results of `calls` in Node, through the same module loaded by require(). */
export function runNode(file: string, calls: Call[]): string[] {
  const mod = require(file);
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
