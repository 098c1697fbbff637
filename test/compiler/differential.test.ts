// Differential corpus: each program under programs/ exports main(): u32. Every backend target
// (targets.ts: host gcc, gcc -m32, the i386 backend), `tsk run` and Node (the same .ts, types
// stripped) must print the same number.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { spawnSync } from "child_process";
import { TARGETS, mainsOn, skipUnavailable } from "./targets";
import { tskInProcess } from "./harness";

const ROOT = path.resolve(__dirname, "../..");
const DIR = path.join(__dirname, "programs");

describe("compiler: differential corpus (tsk run vs Node)", () => {
  const programs = fs.readdirSync(DIR).filter((x) => x.endsWith(".ts"));
  // main() once per program: a program's globals keep their values in Node's module cache.
  const nodeResults = new Map<string, string>();
  const nodeMain = (file: string): string => {
    if (!nodeResults.has(file)) nodeResults.set(file, String(require(file).main() >>> 0));
    return nodeResults.get(file)!;
  };
  // `tsk run` is c/host's pipeline (compiler/src/cli.ts: compile(file, "host"), then gcc with no
  // flags), which runs every program below; the command itself is the same for every program, so
  // it runs one (with imports: modules.ts). A `tsk run` per program would add a Node process
  // loading TypeScript (~1.7 s of CPU) each and prove nothing more.
  it("modules.ts: tsk run and Node print the same main()", () => {
    const file = path.join(DIR, "modules.ts");
    const native = spawnSync(process.execPath, [path.join(ROOT, "compiler/bin/tsk.js"), "run", file], { cwd: ROOT, encoding: "utf8" });
    assert.strictEqual(native.status, 0, native.stderr);
    assert.match(native.stdout, /^\d+\n$/);
    assert.strictEqual(native.stdout.trim(), nodeMain(file));
  });

  // Every backend, on every machine it targets (i386: what the kernel runs; gcc predefines other
  // names there, e.g. i386).
  // On a C target every program is built by one gcc at the first test (mainsOn: targets.ts's
  // runMains), each with its own names and main(), as alone; each test reads its program's output.
  for (const target of TARGETS) {
    describe(`on ${target.name}`, () => {
      before(skipUnavailable(target));
      const mainOf = mainsOn(target, () => programs.map((f) => path.join(DIR, f)));
      for (const f of programs) {
        it(`${f}: same main() as Node`, () => {
          const file = path.join(DIR, f);
          assert.strictEqual(mainOf(file), nodeMain(file));
        });
      }
    });
  }

  // The two below in this process (tskInProcess: cli.ts's main, which bin/tsk.js calls): the
  // `tsk run` above is the command's start-up.
  it("tsk run refuses a module without main(): u32", () => {
    const r = tskInProcess(["run", path.join(DIR, "lib/counter.ts")], ROOT);
    assert.strictEqual(r.status, 1);
    assert.match(r.stderr, /error TSK1030: tsk run needs the module to export function main\(\): u32/);
  });

  it("tsk emit writes C with #line directives naming the .ts lines", () => {
    const out = path.join(require("os").tmpdir(), `tsk-emit-${process.pid}.c`);
    const r = tskInProcess(["emit", "kernel/main.ts", "-o", out], ROOT);
    assert.strictEqual(r.status, 0, r.stderr);
    const c = fs.readFileSync(out, "utf8");
    assert.match(c, /^#line \d+ "kernel\/main\.ts"$/m);
    assert.match(c, /^void kmain\(uint32_t bootInfo\) \{$/m);
    assert.match(c, /static uint32_t mem_pages_getNextPage\(void\)/);
    // @extern: an external C symbol under its own name, for kernel/arch/idt.asm.
    assert.match(c, /^void faultHandler\(uint32_t frame\) \{$/m);
  });
});
