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
  /** runCalls of several modules at once, where the target can share work between them (one gcc
   *  for all: runBatch below); each item's results, or what it threw. */
  runBatch?(items: Batch): Ran[];
  /** runMain of several entries at once, where the target can share work between them; each
   *  entry's output as `out[0]`, or what it threw. */
  runMains?(files: string[]): Ran[];
}

/** Modules and the calls to run on each, for Target.runBatch. */
export type Batch = { file: string; calls: Call[] }[];

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

/** The C of `file` as the C targets build it (host library mode), made once while its modules are
 *  unchanged; throws tsk's diagnostics. */
export function hostC(file: string): string {
  return cOf(file, false);
}

/** The names a module's C defines at file scope (its functions and globals: the C backend writes
 *  each declaration from the first column, and nothing else there but preprocessor lines). A
 *  function that never returns carries `__attribute__((noreturn))` before its type: its name is
 *  the one after the type, not `__attribute__` (whose #define would fail the whole batch's gcc). */
function fileScopeNames(c: string): string[] {
  const names = new Set<string>();
  for (const m of c.matchAll(/^(?:static\s+)?(?:__attribute__\(\([^()]*\)\)\s*)?(?:const\s+)?[A-Za-z_]\w*\s+\**\s*([A-Za-z_]\w*)\s*[[(=;]/gm)) names.add(m[1]);
  return [...names];
}

/** A main() that prints each call's u32 result on a line, `call` naming the function. */
function callsMain(calls: Call[], call: (fn: string) => string): string[] {
  return calls.map((c) => `  printf("%u\\n", (unsigned)(uint32_t)${call(c.fn)}(${c.args.map(cArg).join(", ")}));`);
}

/** The C backend, built by the host's gcc with `flags` (e.g. -m32: the kernel's i386 code). */
function cTarget(name: string, flags: string[]): Target {
  let probe: string | undefined | null = null;
  const i386 = flags.includes("-m32");
  // Every module's C in one translation unit, so one gcc -O2 process (and one link, one run)
  // builds them all, each with the same flags as alone: a gcc process per module cost as much
  // again as its own code's compiling (its start, its fresh memory, as and ld). Each module's
  // file-scope names get a prefix of its own (#define, #undef after it), so the modules' same names
  // (f0, main, lib_counter_count of two programs importing lib/counter.ts) stay apart; nothing calls
  // across modules, so each function is optimised as alone, and each module's run is a noinline
  // function of its own, as its main() was (gcc's time grows faster than a function's length: one
  // main() of every module's calls cost as much as a gcc per module). The runtime's stand-in
  // machine is made afresh before each module's run (tsk_runtime.h: a new zero-filled mapping for
  // its memory, control registers zero), as a process of its own starts. tsk's diagnostics, a gcc
  // error, a failed run or a missing result run that module (or every module) alone instead, so an
  // error is the module's own, as runCalls or runMain would give it.
  type Item = { c: () => string; run: (prefix: string) => string[]; parse: (printed: string) => string[] | undefined; alone: () => string[] };
  const batch = (items: Item[]): Ran[] => {
    const ran: Ran[] = items.map(() => ({}));
    const alone = (k: number): Ran => {
      try {
        return { out: items[k].alone() };
      } catch (error) {
        return { error };
      }
    };
    const tu = [
      "#define TSK_HOST 1",
      '#include "tsk_runtime.h"',
      "#include <stdio.h>",
      "static void tsk_batch_fresh_machine(void) {",
      "  munmap(tsk_host_mem, TSK_HOST_MEM);",
      "  tsk_host_init();",
      "  memset(tsk_host_cr, 0, sizeof tsk_host_cr);",
      "}",
    ];
    const main = ["int main(void) {"];
    const batched: number[] = [];
    items.forEach((it, k) => {
      let c: string;
      try {
        c = it.c();
      } catch {
        ran[k] = alone(k); // tsk's diagnostics, as runCalls and runMain throw them
        return;
      }
      const names = fileScopeNames(c);
      const prefix = `tsk_batch${k}_`;
      tu.push(...names.map((n) => `#define ${n} ${prefix}${n}`), c, ...names.map((n) => `#undef ${n}`));
      tu.push(`__attribute__((noinline)) static void tsk_batch${k}(void) {`, ...it.run(prefix), "}");
      main.push("  tsk_batch_fresh_machine();", `  tsk_batch${k}();`, "  fflush(stdout);", '  printf("\\n#tsk-batch#\\n");');
      batched.push(k);
    });
    main.push("  return 0;", "}");
    let out: string[] = [];
    try {
      if (batched.length) out = run(buildHost([...tu, ...main].join("\n") + "\n", "batch", flags), i386).split("\n#tsk-batch#\n");
    } catch {
      // Below: each alone, for its own error.
    }
    const parsed = out.length === batched.length + 1 ? batched.map((k, j) => items[k].parse(out[j])) : [];
    const whole = parsed.length === batched.length && parsed.every((x) => x !== undefined);
    batched.forEach((k, j) => (ran[k] = whole ? { out: parsed[j] } : alone(k)));
    return ran;
  };
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
      const main = ["#include <stdio.h>", "int main(void) {", ...callsMain(calls, (fn) => fn), "  return 0;", "}"];
      return run(buildHost(cOf(file, false) + main.join("\n") + "\n", "diff", flags), i386).trim().split("\n");
    },
    runBatch(items) {
      return batch(items.map((it) => ({
        c: () => cOf(it.file, false),
        run: (prefix) => callsMain(it.calls, (fn) => `${prefix}${fn}`),
        // What runCalls reads from a process of its own: a line per call.
        parse: (printed) => {
          const lines = printed.trim() ? printed.trim().split("\n") : [];
          return lines.length === it.calls.length ? lines : undefined;
        },
        alone: () => this.runCalls(it.file, it.calls),
      })));
    },
    runMains(files) {
      // Each entry's own main() (tsk run's: it prints its main's result) under its prefix; what it
      // printed, as runMain reads a process of its own.
      return batch(files.map((file) => ({ c: () => cOf(file, true), run: (prefix) => [`  ${prefix}main();`], parse: (printed) => [printed.trim()], alone: () => [this.runMain(file)] })));
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

/** The calls of several modules run on each of `targets` that this machine can run: a fuzzer's
 *  seeds are compiled and run for every target together (in one batch where the target can:
 *  Target.runBatch), and each target's test then reads its own results (or throws its own error).
 *  One map per item. */
export function runBatchOnTargets(targets: Target[], items: Batch): Map<Target, Ran>[] {
  const ran = items.map(() => new Map<Target, Ran>());
  for (const target of targets) {
    if (target.unavailable()) continue;
    const results = target.runBatch
      ? target.runBatch(items)
      : items.map((it) => {
          try {
            return { out: target.runCalls(it.file, it.calls) };
          } catch (error) {
            return { error };
          }
        });
    results.forEach((r, k) => ran[k].set(target, r));
  }
  return ran;
}

/** Programs made from seeds and run on `targets` together (the fuzzers'): every seed's program is
 *  made (make) at the first get(), then all of them run on each target in one batch
 *  (runBatchOnTargets: one gcc for all their C, which a gcc process per seed cost as much again),
 *  each target's results in the program's `native`; a seed whose making failed throws that error
 *  at its get(). made(): the programs made. */
export function seededOnTargets<P extends { native: Map<Target, Ran> }>(
  targets: Target[], seeds: number[], make: (seed: number) => P, item: (p: P) => Batch[number],
): { get(seed: number): P; made(): P[] } {
  type Made = P | { error: unknown };
  const ok = (x: Made): x is P => !("error" in x);
  let made: Map<number, Made> | undefined;
  return {
    get(seed) {
      if (!made) {
        const all = new Map<number, Made>();
        for (const s of seeds) {
          try {
            all.set(s, make(s));
          } catch (error) {
            all.set(s, { error });
          }
        }
        const progs = [...all.values()].filter(ok);
        runBatchOnTargets(targets, progs.map(item)).forEach((native, k) => (progs[k].native = native));
        made = all;
      }
      const p = made.get(seed)!;
      if (!ok(p)) throw p.error;
      return p;
    },
    made: () => [...(made?.values() ?? [])].filter(ok),
  };
}

/** A function giving runMain of each of `files()` on `target`: for a target that can (runMains), all
 *  of them in one batch made at the first call; each file's output, or its own error, at its call. */
export function mainsOn(target: Target, files: () => string[]): (file: string) => string {
  let made: Map<string, Ran> | undefined;
  return (file) => {
    if (!target.runMains) return target.runMain(file);
    if (!made) {
      const all = files();
      const ran = target.runMains(all);
      made = new Map(all.map((f, k) => [f, ran[k]]));
    }
    const r = made.get(file) ?? { out: [target.runMain(file)] };
    if (r.error !== undefined) throw r.error;
    return r.out![0];
  };
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
