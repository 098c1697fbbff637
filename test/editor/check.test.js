// `npm run check` (scripts/check.js) and what reads its output: it checks every kernel source,
// *.ktest.ts files included (a violation in a test file used to pass), through the compiler
// package's real `main`; and the problem matcher in .vscode/tasks.json reads every diagnostic line
// it prints, tsk's TSK codes and tsc's TS codes alike. Node only.
"use strict";
const assert = require("assert");
const fs = require("fs");
const os = require("os");
const path = require("path");
const { spawn } = require("child_process");

const ROOT = path.resolve(__dirname, "../..");
const CHECK = path.join(ROOT, "scripts/check.js");

function walk(dir, out = []) {
  for (const name of fs.readdirSync(dir)) {
    const p = path.join(dir, name);
    if (fs.statSync(p).isDirectory()) walk(p, out);
    else if (name.endsWith(".ts") && !name.endsWith(".d.ts")) out.push(p);
  }
  return out;
}

/** A scratch kernel tree: a clean main.ts and a test file main.ts does not import, with a subset
 *  violation (line 3) and a tsc error (line 6); its tsconfig.json extends the repository's. */
function scratchKernel() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tsk-check-"));
  fs.mkdirSync(path.join(dir, "kernel/mem"), { recursive: true });
  fs.writeFileSync(path.join(dir, "kernel/main.ts"), "export function kmain(): void {}\n");
  fs.writeFileSync(
    path.join(dir, "kernel/mem/alloc.ktest.ts"),
    ["// A test file nothing imports.", "export function test_alloc(): void {", "  var n: u32 = 1;", "}", "export function size(): u32 {", '  return "big";', "}", ""].join("\n"),
  );
  fs.writeFileSync(
    path.join(dir, "tsconfig.json"),
    JSON.stringify({ extends: path.join(ROOT, "tsconfig.json"), include: [path.join(ROOT, "compiler/lib/prelude.d.ts"), "kernel/**/*.ts"] }),
  );
  return dir;
}

/** The real command, as a process (what the problem matcher reads), in the background: it overlaps
 *  the in-process tests on a second core. */
function startCheck(args, cwd) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CHECK, ...args], { cwd });
    const out = { stdout: "", stderr: "" };
    child.stdout.on("data", (c) => (out.stdout += c));
    child.stderr.on("data", (c) => (out.stderr += c));
    child.on("error", reject);
    child.on("close", (status) => resolve({ ...out, status }));
  });
}

/** The same command in this process (no second compiler start), with what it printed. */
function runCheckHere(args, cwd) {
  const out = { stdout: "", stderr: "" };
  out.status = require(CHECK).main(args, { cwd, log: (s) => (out.stdout += `${s}\n`), error: (s) => (out.stderr += `${s}\n`) });
  return out;
}

/** The problem matcher's pattern from .vscode/tasks.json, as VS Code builds it (a JS RegExp). */
function matcher() {
  const tasks = JSON.parse(fs.readFileSync(path.join(ROOT, ".vscode/tasks.json"), "utf8"));
  const task = tasks.tasks.find((t) => t.command === "npm run check");
  assert.ok(task, "a task runs npm run check");
  const p = task.problemMatcher.pattern;
  return { re: new RegExp(p.regexp), p, fileLocation: task.problemMatcher.fileLocation };
}

describe("editor: npm run check and its problem matcher", function () {
  this.timeout(60000);
  let scratch;
  let run;
  let out;
  before(() => {
    scratch = scratchKernel();
    run = startCheck(["-p", "tsconfig.json"], scratch);
  });

  it("the compiler package's main exists and is the API scripts use", () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "compiler/package.json"), "utf8"));
    const main = path.join(ROOT, "compiler", pkg.main);
    assert.ok(fs.existsSync(main), `${pkg.main} does not exist`);
    assert.strictEqual(fs.realpathSync(require.resolve("tsk")), fs.realpathSync(main));
    const { check } = require("tsk");
    const dir = scratchKernel();
    assert.deepStrictEqual(check(["kernel/main.ts"], dir), { diagnostics: [], text: "" });
    const bad = check(["kernel/mem/alloc.ktest.ts"], dir);
    assert.deepStrictEqual(bad.diagnostics.map((d) => `${d.line}:${d.code}`), ["6:TS2322", "3:TSK1011", "6:TSK1009"]);
    assert.match(bad.text, /^kernel\/mem\/alloc\.ktest\.ts\(6,3\): error TS2322: /);
    assert.throws(() => check([]), /check needs at least one file/);
  });

  it("npm run check runs scripts/check.js over every source tsconfig.json includes, *.ktest.ts too", () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));
    assert.strictEqual(pkg.scripts.check, "node scripts/check.js");
    const { projectSources } = require(CHECK);
    const listed = projectSources(undefined, ROOT).sort();
    const onDisk = walk(path.join(ROOT, "kernel")).map((f) => path.relative(ROOT, f)).sort();
    assert.deepStrictEqual(listed, onDisk);
    assert.ok(listed.some((f) => f.endsWith(".ktest.ts")));
  });

  it("a violation in a *.ktest.ts file nothing imports fails the check, at its line", async () => {
    out = await run;
    assert.strictEqual(out.status, 1, out.stderr);
    assert.match(out.stderr, /^kernel\/mem\/alloc\.ktest\.ts\(3,3\): error TSK1011: 'var' is not in the subset/m);
    assert.match(out.stderr, /^kernel\/mem\/alloc\.ktest\.ts\(6,3\): error TS2322: /m);
    // The same tree without the violation passes.
    fs.writeFileSync(path.join(scratch, "kernel/mem/alloc.ktest.ts"), "export function test_alloc(): void {}\n");
    const clean = runCheckHere(["-p", "tsconfig.json"], scratch);
    assert.strictEqual(clean.status, 0, clean.stderr);
    assert.match(clean.stdout, /^check: 2 file\(s\) and their imports follow the subset/);
  });

  it("--help exits 0; bad arguments exit 2 with the reason", () => {
    const help = runCheckHere(["--help"], ROOT);
    assert.strictEqual(help.status, 0);
    assert.match(help.stdout, /^usage: npm run check/);
    const unknown = runCheckHere(["--bogus"], ROOT);
    assert.strictEqual(unknown.status, 2);
    assert.match(unknown.stderr, /unknown option --bogus/);
    assert.strictEqual(runCheckHere(["-p"], ROOT).status, 2);
    const missing = runCheckHere(["-p", path.join(scratch, "nope.json")], ROOT);
    assert.strictEqual(missing.status, 2);
    assert.match(missing.stderr, /nope\.json/);
  });

  it("the problem matcher reads every diagnostic line of a real run: file, line, column, code, message", async () => {
    out = await run;
    const { re, p, fileLocation } = matcher();
    assert.deepStrictEqual(fileLocation, ["relative", "${workspaceFolder}"]);
    const lines = out.stderr.trim().split("\n");
    const diagnostics = lines.filter((l) => / error TSK?\d+: /.test(l));
    assert.strictEqual(diagnostics.length, 3, out.stderr); // TSK1011, TS2322, TSK1009
    for (const l of diagnostics) {
      const m = re.exec(l);
      assert.ok(m, `the matcher misses: ${l}`);
      const [, file, line, col, code, message] = /^(.*)\((\d+),(\d+)\): error (\w+): (.*)$/.exec(l);
      assert.deepStrictEqual([m[p.file], m[p.line], m[p.column], m[p.severity], m[p.code], m[p.message]], [file, line, col, "error", code, message]);
      assert.ok(fs.existsSync(path.join(scratch, m[p.file])), `${m[p.file]} is relative to the folder the task runs in`);
    }
    // The summary line is not a problem.
    for (const l of lines.filter((x) => !diagnostics.includes(x))) assert.strictEqual(re.exec(l), null, l);
  });

});
