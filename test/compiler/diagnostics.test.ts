// Diagnostics: one source per subset rule under errors/, each line that must be reported marked
// `//! CODE…` (as pxt's error tests mark theirs). The compiler must report exactly those codes at
// exactly those lines: nothing missing, nothing extra.
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { compile } from "../../compiler/src/compile";
import { RULES } from "../../compiler/src/front/diagnostics";
import { MAX_NESTING } from "../../compiler/src/check/syntax";
import { LITTLE_STACK, withLittleStack } from "./stack";
import { tskInProcess } from "./harness";

const DIR = path.join(__dirname, "errors");
const ROOT = path.resolve(__dirname, "../..");

function expected(file: string): string[] {
  const out: string[] = [];
  fs.readFileSync(file, "utf8")
    .split("\n")
    .forEach((l, i) => {
      const m = /\/\/! (.*)$/.exec(l);
      if (m) for (const code of m[1].trim().split(/\s+/)) out.push(`${i + 1}:${code}`);
    });
  return out.sort();
}

function actual(file: string): string[] {
  return compile([file], "kernel")
    .diagnostics.filter((d) => d.file === file)
    .map((d) => `${d.line}:${d.code}`)
    .sort();
}

describe("compiler: diagnostics, one rule at a time", () => {
  const files = fs.readdirSync(DIR).filter((f) => f.endsWith(".ts"));
  for (const f of files) {
    it(`${f}: reports exactly the marked lines`, () => {
      const file = path.join(DIR, f);
      assert.deepStrictEqual(actual(file), expected(file));
    });
  }

  it("every TSK rule has a test file (but TSK1014 and TSK1027, tested below, and TSK1030, tsk run's, in differential.test.ts)", () => {
    const covered = new Set(files.flatMap((f) => expected(path.join(DIR, f)).map((x) => x.split(":")[1])));
    const missing = Object.keys(RULES).filter((c) => !["TSK1014", "TSK1027", "TSK1030"].includes(c) && !covered.has(c));
    assert.deepStrictEqual(missing, []);
  });

  it("TSK1014: intrinsics only from kernel/arch/ and tests", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tsk-intrinsics-"));
    const file = path.join(dir, "driver.ts");
    const cpu = path.relative(dir, path.join(ROOT, "kernel/arch/cpu")).split(path.sep).join("/");
    fs.writeFileSync(file, `import { outb } from "${cpu}";\nexport function f(): void {\n  outb(0x3f8, 65);\n}\n`);
    assert.deepStrictEqual(actual(file), ["3:TSK1014"]);
    // The same call from the arch layer is fine (serial.ts does it).
    assert.deepStrictEqual(compile([path.join(ROOT, "kernel/arch/serial.ts")]).diagnostics, []);
  });

  it("the kernel itself is in the subset", () => {
    const r = compile([path.join(ROOT, "kernel/main.ts")]);
    assert.deepStrictEqual(r.diagnostics.map((d) => `${d.file}(${d.line},${d.col}): ${d.code} ${d.message}`), []);
  });

  // A small clean file, not the kernel: module-edges.test.ts checks the kernel. Both in this
  // process (tskInProcess: cli.ts's main, which bin/tsk.js calls and whose status it exits with):
  // the command's own start-up is caches.test.ts's cold `tsk check` processes (a tsc-style error
  // line, exit 1) and differential.test.ts's `tsk run` (exit 0); a process each here added about a
  // second of CPU apiece (Node loading TypeScript) and proved nothing more.
  it("tsk check prints tsc-style lines and exits 1; a clean file exits 0", () => {
    const bad = path.join(DIR, "TSK1004-product.ts");
    const r = tskInProcess(["check", path.relative(ROOT, bad)], ROOT);
    assert.strictEqual(r.status, 1);
    assert.match(r.stderr, /^test\/compiler\/errors\/TSK1004-product\.ts\(3,14\): error TSK1004: .*Math\.imul/m);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tsk-clean-"));
    fs.writeFileSync(path.join(dir, "clean.ts"), "export function f(x: u32): u32 {\n  return u32(x + 1);\n}\n");
    const ok = tskInProcess(["check", "clean.ts"], dir);
    fs.rmSync(dir, { recursive: true, force: true });
    assert.strictEqual(ok.status, 0, ok.stderr);
    assert.strictEqual(ok.stderr, "");
    assert.strictEqual(ok.stdout, "");
  });

  it("an expression too deep for the compiler's stack is a diagnostic at its line, not a crash", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tsk-deep-"));
    const file = path.join(dir, "deep.ts");
    // Compiled with little stack left (stack.ts), nested twice as deep as plain recursion gets
    // there: a walk that recursed once per level would overflow, as with 6,000 levels against the
    // whole stack, which cost tsc five times as much (its cost grows faster than the depth).
    const { depth, codes } = withLittleStack(LITTLE_STACK, (left) => {
      const deep = Array(2 * left).fill("1").join(" | ");
      // The parameter at the bottom of the statement's tree, literals above it: thousands of
      // references to it cost tsc's name resolution more than the rest, and prove no more about depth.
      fs.writeFileSync(file, `const X: u32 = u32(${deep});\nexport function f(x: u32): u32 {\n  return u32(${deep.replace(/^1/, "x")});\n}\n`);
      return { depth: 2 * left, codes: compile([file]).diagnostics.map((d) => `${d.line}:${d.code}`) };
    });
    fs.rmSync(dir, { recursive: true, force: true });
    assert.ok(depth > MAX_NESTING, `${depth} levels are not past the compiler's limit of ${MAX_NESTING}`);
    assert.ok(codes.every((c) => /^[13]:TSK1027$/.test(c)) && codes.length >= 1, codes.join(" "));
  });

  it("tsc's own errors come through in the same format", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tsk-tsc-"));
    const file = path.join(dir, "t.ts");
    fs.writeFileSync(file, "export function f(): u32 {\n  return zzqq;\n}\n");
    const d = compile([file]).diagnostics;
    assert.deepStrictEqual(d.map((x) => `${x.line},${x.col} ${x.code}`), ["2,10 TS2304"]);
  });
});
