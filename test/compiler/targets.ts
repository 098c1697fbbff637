// The backends (and their machines) the differential suites run against: each target compiles a
// subset module through tsk, runs it natively and prints what Node would print. The corpus and the
// fuzzer iterate TARGETS, so a new backend joins every differential test by adding itself here.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { execFileSync, spawnSync } from "child_process";
import type * as ts from "typescript";
import { compileProgramWith, buildHost } from "../../compiler/src/compile";
import { programFor } from "../../compiler/src/front/program";
import { Backend } from "../../compiler/src/backend/backend";
import { CBackend } from "../../compiler/src/backend/c";
import { i386Command } from "../../scripts/lib/i386-host";
import { I386Backend } from "../../compiler/src/backend/i386";
import { HOST_MAIN } from "../../compiler/src/backend/i386/gen";
import { hostExecutable } from "../../compiler/src/backend/i386/host";

export interface Call {
  fn: string;
  args: number[];
}

export interface Target {
  /** e.g. "c/host": backend, then the machine it runs on. */
  name: string;
  /** Why this target cannot run on this machine (then its tests are skipped, saying so). */
  unavailable(): string | undefined;
  /** Each call's u32 result as JavaScript prints `result >>> 0`, from the module `file` exports. */
  runCalls(file: string, calls: Call[]): string[];
  /** What `tsk run` prints for an entry exporting main(): u32. */
  runMain(file: string): string;
}

function cArg(v: number): string {
  return v < 0 ? `(int32_t)(${v + 0x100000000}u)` : `${v >>> 0}u`;
}

/** Runs `exe`; i386 programs through scripts/lib/i386-host.js (qemu-i386 where the host kernel has
 *  no IA32 emulation). */
function run(exe: string, i386: boolean): string {
  try {
    const [cmd, args] = i386 ? i386Command(exe) : [exe, []];
    return execFileSync(cmd, args, { encoding: "utf8", maxBuffer: 64 << 20 });
  } finally {
    fs.rmSync(path.dirname(exe), { recursive: true, force: true });
  }
}

/** The program's own modules (not TypeScript's library) and their texts when it was made. */
type Snapshot = [file: string, text: string][];
function snapshot(program: ts.Program): Snapshot {
  return program.getSourceFiles().filter((sf) => !program.isSourceFileDefaultLibrary(sf)).map((sf) => [sf.fileName, sf.text]);
}
/** Whether every module still reads as it did (a test may rewrite a module between compiles). */
function current(snap: Snapshot): boolean {
  return snap.every(([file, text]) => {
    try {
      return fs.readFileSync(file, "utf8") === text;
    } catch {
      return false;
    }
  });
}

// The last few programs checked, by entry file: every target compiles the same module, and tsc's
// checking of it (most of a compile) is the same for all of them (compileProgramWith), so a
// program is checked once however many backends then compile it. A handful: a checker holds
// every type it made.
const programs = new Map<string, { program: ts.Program; snap: Snapshot }>();
/** `file`'s checked ts.Program, made once while its modules are unchanged. */
export function programOf(file: string): ts.Program {
  const known = programs.get(file);
  if (known && current(known.snap)) return known.program;
  const program = programFor([file]);
  programs.delete(file);
  programs.set(file, { program, snap: snapshot(program) });
  if (programs.size > 3) programs.delete(programs.keys().next().value!);
  return program;
}

/** The backend's output for `file` through its shared program, or its diagnostics as an error. */
export function compiled<Out>(file: string, backend: Backend<Out>, hostMain: boolean): Out {
  const r = compileProgramWith(programOf(file), [file], backend, hostMain);
  if (r.out === undefined) throw new Error(r.diagnostics.map((d) => `${d.line}:${d.col} ${d.code} ${d.message}`).join("\n"));
  return r.out;
}

// The C of a module is the same for every machine gcc then builds it for (c/host, c/i386): made
// once per file and mode while its modules are unchanged.
const cs = new Map<string, { c: string; snap: Snapshot }>();
function cOf(file: string, hostMain: boolean): string {
  const key = `${hostMain}\0${file}`;
  const known = cs.get(key);
  if (known && current(known.snap)) return known.c;
  const c = compiled(file, new CBackend(hostMain ? "host" : "hostlib"), hostMain);
  cs.delete(key);
  cs.set(key, { c, snap: snapshot(programOf(file)) });
  if (cs.size > 64) cs.delete(cs.keys().next().value!);
  return c;
}

/** The C backend, built by the host's gcc with `flags` (e.g. -m32: the kernel's i386 code). */
function cTarget(name: string, flags: string[]): Target {
  let probe: string | undefined | null = null;
  const i386 = flags.includes("-m32");
  return {
    name,
    unavailable() {
      if (probe !== null) return probe;
      // Can this machine build and execute such a program at all (e.g. i386 binaries on x86-64)?
      const exe = buildHost("int main(void) { return 0; }\n", "probe", flags);
      try {
        const [cmd, args] = i386 ? i386Command(exe) : [exe, []];
        const r = spawnSync(cmd, args);
        probe = r.error || r.status !== 0 ? `this machine cannot run programs built with gcc ${flags.join(" ")} (${r.error?.message ?? `exit ${r.status}`})` : undefined;
      } catch (e) {
        probe = (e as Error).message;
      } finally {
        fs.rmSync(path.dirname(exe), { recursive: true, force: true });
      }
      return probe;
    },
    runCalls(file, calls) {
      const main = ["#include <stdio.h>", "int main(void) {"];
      for (const c of calls) main.push(`  printf("%u\\n", (unsigned)(uint32_t)${c.fn}(${c.args.map(cArg).join(", ")}));`);
      main.push("  return 0;", "}");
      return run(buildHost(cOf(file, false) + main.join("\n") + "\n", "diff", flags), i386).trim().split("\n");
    },
    runMain(file) {
      return run(buildHost(cOf(file, true), "main", flags), i386).trim();
    },
  };
}

/** The i386 backend: its object linked by toolchain/link with a tiny _start into a static i386
 *  executable (no gcc, nasm or ld anywhere), run directly or through qemu-i386. */
function i386Target(): Target {
  let probe: string | undefined | null = null;
  const exeOf = (file: string, calls: { fn: string; args: number[] }[], hostMain: boolean): string => {
    const out = compiled(file, new I386Backend("host"), hostMain);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tsk-i386-"));
    const exe = path.join(dir, "program");
    fs.writeFileSync(exe, hostExecutable(out.object, calls), { mode: 0o755 });
    return exe;
  };
  return {
    name: "i386/static executable",
    unavailable() {
      if (probe !== null) return probe;
      try {
        i386Command("/bin/true");
        probe = undefined;
      } catch (e) {
        probe = (e as Error).message;
      }
      return probe;
    },
    runCalls(file, calls) {
      return run(exeOf(file, calls, false), true).trim().split("\n");
    },
    runMain(file) {
      return run(exeOf(file, [{ fn: HOST_MAIN, args: [] }], true), true).trim();
    },
  };
}

export const TARGETS: Target[] = [cTarget("c/host", []), cTarget("c/i386 (gcc -m32)", ["-m32"]), i386Target()];

/** One target per backend (the first of each), for the fuzzers: fuzzing every machine too would
 *  double their cost. */
export const FUZZ_TARGETS = TARGETS.filter((t, i) => TARGETS.findIndex((u) => u.name.split("/")[0] === t.name.split("/")[0]) === i);

/** What one target made of a program's calls: its results, or what it threw. */
export type Ran = { out?: string[]; error?: unknown };

/** `calls` of the module `file` run on each of `targets` that this machine can run, once: a fuzzer's
 *  seed is compiled and run for every target together, and each target's test then reads its own
 *  results (or throws its own error). */
export function runOnTargets(targets: Target[], file: string, calls: Call[]): Map<Target, Ran> {
  const ran = new Map<Target, Ran>();
  for (const target of targets) {
    if (target.unavailable()) continue;
    try {
      ran.set(target, { out: target.runCalls(file, calls) });
    } catch (error) {
      ran.set(target, { error });
    }
  }
  return ran;
}

/** A mocha `before` for a suite on `target`: skips it, saying why, where the target cannot run. */
export function skipUnavailable(target: Target): (this: Mocha.Context) => void {
  return function () {
    const why = target.unavailable();
    if (why) {
      console.log(`      skipped: ${why}`);
      this.skip();
    }
  };
}

/** A scratch directory for generated modules. */
export function scratch(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}
