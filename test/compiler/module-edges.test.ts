// The edges of the module system and the toolchain, beyond the one-rule fixtures of errors/: what
// tsk does with export lists, names the C backend owns, intrinsics permission declared by the
// module itself wherever tsk runs from, and programs deep enough to break a recursive compiler.
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { spawnSync } from "child_process";
import { compile, compileWith } from "../../compiler/src/compile";
import { CBackend } from "../../compiler/src/backend/c";
import { TARGETS } from "./targets";
import { tskInProcess } from "./harness";
import { LITTLE_STACK, withLittleStack } from "./stack";

const ROOT = path.resolve(__dirname, "../..");

function tmpModules(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tsk-edges-"));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

function codes(file: string, mode: "kernel" | "hostlib" = "kernel"): string[] {
  return compile([file], mode).diagnostics.map((d) => `${path.basename(d.file)}:${d.line}:${d.code}`);
}

describe("compiler: module edges", () => {
  // In this process (cli.ts's main from kernel/arch/: tskInProcess): the `tsk` processes of
  // diagnostics.test.ts (a clean file and a bad one), differential.test.ts and caches.test.ts are
  // the command's own start-up and exit status.
  it("tsk check accepts the real kernel from any directory (intrinsics permission is in the source)", () => {
    const r = tskInProcess(["check", "../main.ts"], path.join(ROOT, "kernel/arch"));
    assert.strictEqual(r.stderr, "");
    assert.strictEqual(r.stdout, "");
    assert.strictEqual(r.status, 0);
  });

  it("a module under a directory named arch/ without the directive may not call intrinsics", () => {
    const dir = tmpModules({});
    const cpu = path.relative(path.join(dir, "arch"), path.join(ROOT, "kernel/arch/cpu")).split(path.sep).join("/");
    Object.entries({
      "arch/driver.ts": `import { outb } from "${cpu}";\nexport function f(): void {\n  outb(0x3f8, 65);\n}\n`,
      "test/ok.ts": `// A test module.\n// @tsk-uses-intrinsics\nimport { outb } from "${cpu}";\nexport function f(): void {\n  outb(0x3f8, 65);\n}\n`,
    }).forEach(([name, text]) => {
      fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
      fs.writeFileSync(path.join(dir, name), text);
    });
    assert.deepStrictEqual(codes(path.join(dir, "arch/driver.ts")), ["driver.ts:3:TSK1014"]);
    assert.deepStrictEqual(codes(path.join(dir, "test/ok.ts")), []);
  });

  it("export lists give the entry's functions external symbols under their exported names", () => {
    const dir = tmpModules({
      "main.ts": "function kmain(bootInfo: u32): void {}\nfunction start(): u32 {\n  return 7;\n}\nexport { kmain, start as go };\n",
    });
    const c = compile([path.join(dir, "main.ts")], "kernel").c!;
    assert.match(c, /^void kmain\(uint32_t bootInfo\) \{$/m);
    assert.match(c, /^uint32_t go\(void\) \{$/m);
    // And the object file defines them, as the boot stub's link needs.
    const cFile = path.join(dir, "main.c");
    fs.writeFileSync(cFile, c);
    const obj = path.join(dir, "main.o");
    const gcc = spawnSync("gcc", ["-m32", "-ffreestanding", "-O2", "-I", path.join(ROOT, "compiler/runtime"), "-c", cFile, "-o", obj], { encoding: "utf8" });
    assert.strictEqual(gcc.status, 0, gcc.stderr);
    const nm = spawnSync("nm", [obj], { encoding: "utf8" });
    assert.match(nm.stdout, / T kmain$/m);
    assert.match(nm.stdout, / T go$/m);
  });

  // On every target: c/host is `tsk run`'s own pipeline (targets.ts), without a Node process
  // loading TypeScript to run it; differential.test.ts runs the command.
  it("tsk run takes main from an export list (export { entry as main }), on every backend", () => {
    const dir = tmpModules({ "p.ts": "function entry(): u32 {\n  return 41 + 1;\n}\nexport { entry as main };\n" });
    for (const t of TARGETS.filter((x) => !x.unavailable())) assert.strictEqual(t.runMain(path.join(dir, "p.ts")), "42", t.name);
  });

  it("an entry export named like another module's C name keeps its name; the other is renamed", () => {
    const dir = tmpModules({
      "lib/a.ts": "export function f(): u32 {\n  return 1;\n}\n",
      "main.ts": 'import { f } from "./lib/a";\nexport function lib_a_f(): u32 {\n  return u32(f() + 10);\n}\n',
    });
    const file = path.join(dir, "main.ts");
    const c = compile([file], "kernel").c!;
    assert.match(c, /^uint32_t lib_a_f\(void\) \{$/m);
    assert.match(c, /^static uint32_t lib_a_f_2\(void\) \{$/m);
    for (const t of TARGETS.filter((x) => !x.unavailable())) assert.deepStrictEqual(t.runCalls(file, [{ fn: "lib_a_f", args: [] }]), ["11"]);
  });

  it("the C toolchain's names: a libc name is an external symbol in the kernel, not on a host", () => {
    const dir = tmpModules({ "m.ts": "export function putc(c: u8): u32 {\n  return c;\n}\n" });
    const file = path.join(dir, "m.ts");
    assert.deepStrictEqual(codes(file, "kernel"), []);
    assert.deepStrictEqual(codes(file, "hostlib"), ["m.ts:1:TSK1029"]);
    // The backend says why, in its own terms.
    const d = compileWith([file], new CBackend("hostlib")).diagnostics[0];
    assert.match(d.message, /'putc' would be the external symbol of 'putc', but the C library already means that name/);
  });

  it("a call chain twice as deep as plain recursion gets compiles (the compiler's graph walks are iterative)", function () {
    this.timeout(120000);
    // Compiled with little stack left (LITTLE_STACK plain frames or a few more, measured where the
    // compiler starts): the chain only has to outgrow what is left, not the whole stack, which took
    // 20,000 functions, twice over (chain and cycle), for the same proof.
    const r = withLittleStack(LITTLE_STACK, (left) => {
      const n = 2 * left;
      const lines: string[] = [];
      for (let i = 0; i < n - 1; i++) lines.push(`function f${i}(x: u32): u32 {\n  return f${i + 1}(x);\n}`);
      lines.push(`function f${n - 1}(x: u32): u32 {\n  return x;\n}`, "export function main(): u32 {\n  return f0(5);\n}");
      const dir = tmpModules({ "chain.ts": lines.join("\n") + "\n" });
      const chain = compile([path.join(dir, "chain.ts")], "kernel").diagnostics;
      // Closing the chain into a cycle is recursion, reported at the call that closes it.
      lines[n - 1] = `function f${n - 1}(x: u32): u32 {\n  return f0(x);\n}`;
      fs.writeFileSync(path.join(dir, "cycle.ts"), lines.join("\n") + "\n");
      const cycle = compile([path.join(dir, "cycle.ts")], "kernel").diagnostics.map((d) => `${d.line}:${d.code}`);
      fs.rmSync(dir, { recursive: true, force: true });
      return { left, n, chain, cycle };
    });
    assert.ok(r.left > 1000, `plain recursion reached only ${r.left} frames: too little stack left to compile in`);
    assert.deepStrictEqual(r.chain, []);
    assert.strictEqual(r.cycle.length, r.n);
    assert.ok(r.cycle.every((x) => x.endsWith(":TSK1012")));
  });

  it("an import chain of 2,000 modules compiles (TypeScript's own loader is fed them in dependency order)", function () {
    this.timeout(120000);
    const n = 2000;
    const files: Record<string, string> = {};
    for (let i = 0; i < n - 1; i++) files[`m${i}.ts`] = `import { f${i + 1} } from "./m${i + 1}";\nexport function f${i}(x: u32): u32 {\n  return f${i + 1}(x);\n}\n`;
    files[`m${n - 1}.ts`] = `export function f${n - 1}(x: u32): u32 {\n  return u32(x + 1);\n}\n`;
    const dir = tmpModules(files);
    const r = compile([path.join(dir, "m0.ts")], "kernel");
    assert.deepStrictEqual(r.diagnostics, []);
    assert.match(r.c!, /^uint32_t f0\(uint32_t x\) \{$/m);
  });

  it("no diagnostic names TypeScript's internal syntax kinds, and each says what to do instead", () => {
    const dir = path.join(__dirname, "errors");
    const internal = /\b[A-Z][a-z]+(?:[A-Z][a-z]+)*(Expression|Statement|Declaration|Element|Literal|Keyword|Token|Assignment)\b/;
    for (const f of fs.readdirSync(dir).filter((x) => x.endsWith(".ts"))) {
      for (const d of compile([path.join(dir, f)], "kernel").diagnostics.filter((x) => x.code.startsWith("TSK"))) {
        assert.doesNotMatch(d.message, internal, `${f}:${d.line}: ${d.message}`);
        assert.match(d.message, /: |use |write |coerce|declare|choose|pass|remove|move|rename|give/i, `${f}:${d.line} names no alternative: ${d.message}`);
      }
    }
    const spread = tmpModules({ "s.ts": "function f(a: u32): u32 {\n  return a;\n}\nexport function g(a: u32): u32 {\n  return f(...[a]);\n}\n" });
    const msgs = compile([path.join(spread, "s.ts")], "kernel").diagnostics.map((d) => `${d.line}:${d.code}:${d.message}`);
    assert.ok(msgs.some((m) => /^5:TSK1001:spread syntax '\.\.\.' is not in the subset/.test(m)), msgs.join("\n"));
  });
});

describe("compiler: checkProgram (the entry point for editors)", () => {
  it("gives the same diagnostics for a ts.Program as tsk check does", () => {
    const ts = require("typescript") as typeof import("typescript");
    const { checkProgram } = require("../../compiler/src/compile") as typeof import("../../compiler/src/compile");
    const { COMPILER_OPTIONS, PRELUDE } = require("../../compiler/src/front/program") as typeof import("../../compiler/src/front/program");
    const file = path.join(__dirname, "errors/TSK1028-node-names.ts");
    const program = ts.createProgram([file, PRELUDE], COMPILER_OPTIONS);
    const got = checkProgram(program, [file]);
    assert.ok(got.length > 0);
    assert.deepStrictEqual(got, compile([file], "kernel").diagnostics);
  });
});
