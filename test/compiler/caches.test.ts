// What the compiler keeps between compiles and between processes must never change an answer:
// a module edited between two compiles of one process (`npm run watch`) is parsed again, whichever
// way the edit goes, and `tsk check` from a cold process says the same with V8's code cache (of
// TypeScript and of the compiler's own modules) missing, present, or turned off
// (compiler/node/code-cache.js). The shortcuts taken to start faster give what Node's own way
// gives: a source read as Latin-1 when it is ASCII, a module transpiled without esModuleInterop
// when it has no default import.
import * as assert from "assert";
import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { spawnSync } from "child_process";
import Module = require("module");
import { compile } from "../../compiler/src/compile";
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { readSource, readWrapped } = require("../../compiler/node/code-cache");

const ROOT = path.resolve(__dirname, "../..");
const TSK = path.join(ROOT, "compiler/bin/tsk.js");

describe("compiler: caches", () => {
  // Each step: the library's text, then what compiling main.ts reports.
  const STEPS = [
    "export function twice(x: u32): u32 {\n  return u32(x * 2);\n}\n",
    // The signature changes: the unchanged importer is now wrong (tsc's TS2345).
    "export function twice(x: boolean): u32 {\n  return x ? 2 : 0;\n}\n",
    // A subset rule broken in the edited module itself.
    "export function twice(x: u32): u32 {\n  const s = \"no strings\";\n  return u32(x * 2);\n}\n",
    // A change inside a body only (the declarations stay), then the first text again.
    "export function twice(x: u32): u32 {\n  return u32(x + x);\n}\n",
    "export function twice(x: u32): u32 {\n  return u32(x * 2);\n}\n",
  ];

  /** Compiles main.ts after each step in this process; each step's diagnostics and C. */
  function edits(): { codes: string[]; c?: string }[] {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tsk-caches-"));
    const lib = path.join(dir, "lib.ts");
    const main = path.join(dir, "main.ts");
    fs.writeFileSync(main, 'import { twice } from "./lib";\nexport function kmain(): u32 {\n  return twice(21);\n}\n');
    try {
      return STEPS.map((text) => {
        fs.writeFileSync(lib, text);
        const r = compile([main], "kernel");
        return { codes: r.diagnostics.map((d) => `${path.basename(d.file)}:${d.line}:${d.code}`), c: r.c?.split(dir).join("<dir>") };
      });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }

  it("a module edited between two compiles of one process is checked as it is now, both ways", () => {
    const r = edits();
    assert.deepStrictEqual(r[0].codes, []);
    assert.ok(r[1].codes.includes("main.ts:3:TS2345"), r[1].codes.join(", "));
    assert.ok(r[2].codes.some((c) => /^lib\.ts:2:TSK/.test(c)), r[2].codes.join(", "));
    assert.deepStrictEqual(r[3].codes, []);
    assert.match(r[3].c!, /x \+ x/);
    assert.deepStrictEqual(r[4], r[0]);
  });

  it("a source file reads as Node's loader reads it, alone and wrapped: ASCII, UTF-8 (with and without a BOM), bytes that are not UTF-8", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tsk-read-"));
    try {
      const texts = [
        Buffer.from("module.exports = 'plain ASCII';\n"),
        Buffer.from("module.exports = 'caf\u00e9 \u{1F600}';\n"),
        Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from("module.exports = 1;\n")]),
        Buffer.from([0x61, 0x80, 0xff, 0xc3, 0x0a]),
        Buffer.alloc(0),
      ];
      texts.forEach((bytes, i) => {
        const file = path.join(dir, `${i}.js`);
        fs.writeFileSync(file, bytes);
        assert.strictEqual(readSource(file), fs.readFileSync(file, "utf8"), `text ${i}`);
        assert.strictEqual(readWrapped(file), Module.wrap(fs.readFileSync(file, "utf8")), `text ${i}, wrapped`);
      });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("`import * as` gives a CommonJS module itself; default imports, re-exported defaults and import() still get interop", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tsk-interop-"));
    const load = (name: string, text: string) => {
      const file = path.join(dir, `${name}.ts`);
      fs.writeFileSync(file, text);
      return require(file);
    };
    try {
      fs.writeFileSync(path.join(dir, "cjs.js"), "module.exports = function f() { return 7; };\nmodule.exports.seven = 7;\n");
      const star = load("star", 'import * as p from "path";\nimport * as c from "./cjs";\nexport const both = [p, c];\n');
      assert.strictEqual(star.both[0], require("path"), "namespace import of a built-in: the module itself");
      assert.strictEqual(star.both[1].seven, 7);
      const dflt = load("dflt", 'import f from "./cjs";\nimport * as p from "path";\nexport const r = [f(), p.default === require("path")];\n');
      assert.deepStrictEqual(dflt.r, [7, true], "a default import of CommonJS is module.exports, and namespaces get `default`");
      const reexport = load("reexport", 'export { default as g } from "./cjs";\n');
      assert.strictEqual(reexport.g(), 7);
      const dynamic = load("dynamic", 'export const m = import("./cjs");\n');
      assert.strictEqual((await dynamic.m).default(), 7);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("tsk check from a cold process says the same with the V8 code cache missing, present and off, optimizer on and off", function () {
    this.timeout(120000);
    const cache = fs.mkdtempSync(path.join(os.tmpdir(), "tsk-v8cache-"));
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tsk-caches-"));
    const bad = path.join(dir, "bad.ts");
    fs.writeFileSync(bad, "export function f(): u32 {\n  const n: u32 = true;\n  return n;\n}\n");
    // The code of an older TypeScript and of an older text of a compiler module (another source
    // key): removed when the new code is saved.
    const exprName = `src_check_expr.ts-${crypto.createHash("sha256").update(path.join(ROOT, "compiler/src/check/expr.ts")).digest("hex").slice(0, 8)}`;
    const stale = [`typescript.js.${"0".repeat(32)}.${"0".repeat(8)}.bin`, `${exprName}.${"0".repeat(32)}.${"0".repeat(8)}.bin`];
    // Another checkout's code of the same module (another path) stays.
    const otherCheckout = `src_check_expr.ts-${"0".repeat(8)}.${"0".repeat(32)}.${"0".repeat(8)}.bin`;
    for (const f of [...stale, otherCheckout]) fs.writeFileSync(path.join(cache, f), "old");
    const run = (setting: string, opt = "on") => spawnSync(process.execPath, [TSK, "check", bad], { encoding: "utf8", env: { ...process.env, TSK_V8_CACHE: setting, TSK_V8_OPT: opt } });
    const first = run(cache);
    assert.strictEqual(first.status, 1);
    assert.match(first.stderr, /bad\.ts\(2,9\): error TS2322:/);
    // One file for typescript.js and one for each compiler module the command loaded (the `tsk`
    // command runs without source maps), all under the same V8 flags.
    assert.ok(fs.existsSync(path.join(cache, otherCheckout)), "another checkout's code stays");
    fs.rmSync(path.join(cache, otherCheckout));
    const saved = fs.readdirSync(cache).sort();
    const form = /^(typescript\.js|src_[a-z0-9_]+\.ts-[0-9a-f]{8})\.[0-9a-f]{32}\.([0-9a-f]{8})\.bin$/;
    for (const f of saved) assert.match(f, form);
    const names = saved.map((f) => f.match(form)![1]);
    assert.deepStrictEqual(names, [...new Set(names)], `one file per script: ${saved.join(", ")}`);
    assert.ok(names.includes("typescript.js") && names.includes(exprName) && names.some((n) => n.startsWith("src_cli.ts-")), saved.join(", "));
    assert.strictEqual(new Set(saved.map((f) => f.match(form)![2])).size, 1, saved.join(", "));
    for (const f of stale) assert.ok(!saved.includes(f), `${f} is gone`);
    const mtime = (f: string) => fs.statSync(path.join(cache, f)).mtimeMs;
    const firstSaved = saved.map(mtime);
    const second = run(cache);
    assert.deepStrictEqual(fs.readdirSync(cache).sort(), saved);
    assert.deepStrictEqual(saved.map(mtime), firstSaved, "a cache V8 accepted is not written again");
    const off = run("off");
    // Without the optimizer (V8 flags differ): a second file for each script beside the first,
    // neither evicting the other.
    const noOpt = run(cache, "off");
    const both = fs.readdirSync(cache).sort();
    assert.strictEqual(both.length, 2 * saved.length, both.join(", "));
    const before = both.map(mtime);
    const noOptAgain = run(cache, "off");
    assert.deepStrictEqual(fs.readdirSync(cache).sort(), both);
    assert.deepStrictEqual(both.map(mtime), before, "a cache V8 accepted is not written again under the other flags either");
    for (const r of [second, off, noOpt, noOptAgain]) {
      assert.strictEqual(r.status, first.status);
      assert.strictEqual(r.stderr, first.stderr);
      assert.strictEqual(r.stdout, first.stdout);
    }
    for (const d of [cache, dir]) fs.rmSync(d, { recursive: true, force: true });
  });

  it("with source maps on (tests, scripts), the compiler's modules load through Node's own loader: only typescript.js is cached", function () {
    this.timeout(60000);
    const cache = fs.mkdtempSync(path.join(os.tmpdir(), "tsk-v8cache-"));
    try {
      const api = path.join(ROOT, "compiler/node/api.js");
      const r = spawnSync(process.execPath, ["-e", `const { check } = require(${JSON.stringify(api)}); console.log(check(["kernel/panic.ts"]).diagnostics.length, process.sourceMapsEnabled)`], { cwd: ROOT, encoding: "utf8", env: { ...process.env, TSK_V8_CACHE: cache } });
      assert.strictEqual(r.status, 0, r.stderr);
      assert.strictEqual(r.stdout, "0 true\n");
      const saved = fs.readdirSync(cache);
      assert.strictEqual(saved.length, 1, saved.join(", "));
      assert.match(saved[0], /^typescript\.js\./);
    } finally {
      fs.rmSync(cache, { recursive: true, force: true });
    }
  });

  it("TSK_V8_OPT other than on or off: tsk says what it takes, exit 1", () => {
    const r = spawnSync(process.execPath, [TSK, "--help"], { encoding: "utf8", env: { ...process.env, TSK_V8_OPT: "fast" } });
    assert.strictEqual(r.status, 1);
    assert.match(r.stderr, /^TSK_V8_OPT=fast: use on or off/);
  });
});
