// Differential harness: runs the same subset module in Node and natively (host gcc) and returns
// both worlds' results for a list of calls, so tests can demand they are identical.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { execFileSync } from "child_process";
import { compile, buildHost } from "../../compiler/src/compile";
import { Diagnostic } from "../../compiler/src/diagnostics";

export interface Call {
  fn: string;
  args: number[];
}

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

function cArg(v: number): string {
  return v < 0 ? `(int32_t)(${v + 0x100000000}u)` : `${v >>> 0}u`;
}

/** Results of `calls` natively: each printed as JavaScript would print `result >>> 0`. */
export function runNative(file: string, calls: Call[]): string[] {
  const r = compile([file], "hostlib");
  if (!r.c) throw new Error(r.diagnostics.map((d) => `${d.line}:${d.col} ${d.code} ${d.message}`).join("\n"));
  const main = ["#include <stdio.h>", "int main(void) {"];
  for (const c of calls) main.push(`  printf("%u\\n", (unsigned)(uint32_t)${c.fn}(${c.args.map(cArg).join(", ")}));`);
  main.push("  return 0;", "}");
  const exe = buildHost(r.c + main.join("\n") + "\n", "diff");
  try {
    return execFileSync(exe, { encoding: "utf8", maxBuffer: 64 << 20 }).trim().split("\n");
  } finally {
    fs.rmSync(path.dirname(exe), { recursive: true, force: true });
  }
}

/** Results of `calls` in Node, through the same module loaded by require(). */
export function runNode(file: string, calls: Call[]): string[] {
  const mod = require(file);
  return calls.map((c) => String(mod[c.fn](...c.args) >>> 0));
}
