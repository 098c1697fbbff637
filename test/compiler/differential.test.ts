// Differential corpus: each program under programs/ exports main(): u32. `tsk run` (native, host
// gcc) and Node (the same .ts, types stripped) must print the same number.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { execFileSync, spawnSync } from "child_process";
import { buildHost, compile } from "../../compiler/src/compile";
import { i386Command } from "../../scripts/lib/i386-host";

const ROOT = path.resolve(__dirname, "../..");
const DIR = path.join(__dirname, "programs");

describe("compiler: differential corpus (tsk run vs Node)", () => {
  for (const f of fs.readdirSync(DIR).filter((x) => x.endsWith(".ts"))) {
    it(`${f}: native and Node print the same main()`, () => {
      const file = path.join(DIR, f);
      const native = spawnSync(process.execPath, [path.join(ROOT, "compiler/bin/tsk.js"), "run", file], { cwd: ROOT, encoding: "utf8" });
      assert.strictEqual(native.status, 0, native.stderr);
      const node = String(require(file).main() >>> 0);
      assert.match(native.stdout, /^\d+\n$/);
      assert.strictEqual(native.stdout.trim(), node);
      // And as i386 code, what the kernel runs (gcc predefines other names there, e.g. i386).
      const c = compile([file], "host").c!;
      const exe = buildHost(c, "m32", ["-m32"]);
      const [cmd, args] = i386Command(exe);
      assert.strictEqual(execFileSync(cmd, args, { encoding: "utf8" }).trim(), node);
    });
  }

  it("tsk run refuses a module without main(): u32", () => {
    const r = spawnSync(process.execPath, [path.join(ROOT, "compiler/bin/tsk.js"), "run", path.join(DIR, "lib/counter.ts")], { cwd: ROOT, encoding: "utf8" });
    assert.strictEqual(r.status, 1);
    assert.match(r.stderr, /error TSK1001: tsk run needs the module to export function main\(\): u32/);
  });

  it("tsk emit writes C with #line directives naming the .ts lines", () => {
    const out = path.join(require("os").tmpdir(), `tsk-emit-${process.pid}.c`);
    const r = spawnSync(process.execPath, [path.join(ROOT, "compiler/bin/tsk.js"), "emit", "kernel/main.ts", "-o", out], { cwd: ROOT, encoding: "utf8" });
    assert.strictEqual(r.status, 0, r.stderr);
    const c = fs.readFileSync(out, "utf8");
    assert.match(c, /^#line \d+ "kernel\/main\.ts"$/m);
    assert.match(c, /^void kmain\(uint32_t bootInfo\) \{$/m);
    assert.match(c, /static uint32_t mem_pages_getNextPage\(void\)/);
    // @extern: an external C symbol under its own name, for kernel/arch/idt.asm.
    assert.match(c, /^void faultHandler\(uint32_t frame\) \{$/m);
  });
});
