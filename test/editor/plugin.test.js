// The editor plugin (compiler/plugin/, `tsk/plugin` in tsconfig.json) inside a real tsserver
// process, spoken to over its own protocol (test/lib/tsserver.js), as VS Code or Neovim would: the
// subset's diagnostics arrive with a buffer's semantic diagnostics, at the line and column
// `tsk check` prints for the same text, tsc's own errors exactly once, updates follow edits, and a
// failure inside the compiler leaves tsserver answering with tsc's diagnostics. Node only.
"use strict";
const assert = require("assert");
const fs = require("fs");
const os = require("os");
const path = require("path");
const { TsServer } = require("../lib/tsserver");

const ROOT = path.resolve(__dirname, "../..");
const { check } = require("tsk");

// An editor buffer for a kernel test file: self-contained (no imports), so `tsk check` of the same
// text in a scratch directory is the reference. Line 3: TSK1011; line 4: TSK1004; line 7: tsc's
// TS2322 and the subset's TSK1009.
const VAR_LINE = "  var unused: u32 = 0;";
const BUFFER = [
  "// A kernel test module with subset violations, as an unsaved editor buffer.",
  "export function scale(a: u32, b: u32): u32 {",
  VAR_LINE,
  "  return u32(a * b);",
  "}",
  "export function name(): u32 {",
  '  return "text";',
  "}",
  "",
].join("\n");

/** The lines `tsk check` prints for `text` (in process: the same check and format, without a
 *  second compiler start), as {line, col, code, message}, sorted. */
function cliDiagnostics(text) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tsk-plugin-ref-"));
  fs.writeFileSync(path.join(dir, "buffer.ts"), text);
  return check(["buffer.ts"], dir)
    .text.trim()
    .split("\n")
    .map((l) => {
      const m = /^buffer\.ts\((\d+),(\d+)\): error (TSK?\d+): (.*)$/.exec(l);
      assert.ok(m, `not a tsk diagnostic line: ${l}`);
      return { line: Number(m[1]), col: Number(m[2]), code: m[3], message: m[4] };
    })
    .sort(byPosition);
}

/** tsserver's protocol diagnostics in the same shape; the subset's come with source "tsk". */
function fromServer(diags) {
  return diags
    .map((d) => ({ line: d.start.line, col: d.start.offset, code: `${d.source === "tsk" ? "TSK" : "TS"}${d.code}`, message: d.text }))
    .sort(byPosition);
}

function byPosition(a, b) {
  return a.line - b.line || a.col - b.col || a.code.localeCompare(b.code);
}

describe("editor: tsk/plugin in a real tsserver", function () {
  this.timeout(60000);
  let server;
  let logFile;
  const log = () => fs.readFileSync(logFile, "utf8");

  before(() => {
    logFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "tsk-tsserver-")), "tsserver.log");
    server = new TsServer({ cwd: ROOT, logFile });
  });
  after(() => server && server.close());

  const ktest = path.join(ROOT, "kernel/mem/pages.ktest.ts");

  it("reports the subset's diagnostics in an open kernel buffer where tsk check does, tsc's once", async () => {
    server.notify("open", { file: ktest, fileContent: BUFFER, projectRootPath: ROOT });
    const semantic = await server.request("semanticDiagnosticsSync", { file: ktest });
    const syntactic = await server.request("syntacticDiagnosticsSync", { file: ktest });
    assert.deepStrictEqual(syntactic, []);
    assert.deepStrictEqual(fromServer(semantic), cliDiagnostics(BUFFER));

    // The underline covers the offending node, as a ts.Diagnostic error of code 1011 from "tsk".
    const v = semantic.find((d) => d.source === "tsk" && d.code === 1011);
    assert.deepStrictEqual(v.start, { line: 3, offset: VAR_LINE.indexOf("var") + 1 });
    assert.deepStrictEqual(v.end, { line: 3, offset: VAR_LINE.indexOf(";") + 1 });
    assert.strictEqual(v.category, "error");
    assert.match(log(), /Enabling plugin tsk\/plugin/);
  });

  it("follows an edit: the fixed line's diagnostic goes, the others stay", async () => {
    const col = VAR_LINE.indexOf("var") + 1;
    server.notify("updateOpen", {
      changedFiles: [{ fileName: ktest, textChanges: [{ start: { line: 3, offset: col }, end: { line: 3, offset: col + 3 }, newText: "let" }] }],
    });
    const semantic = await server.request("semanticDiagnosticsSync", { file: ktest });
    const fixed = BUFFER.replace("var unused", "let unused");
    assert.deepStrictEqual(fromServer(semantic), cliDiagnostics(fixed));
    assert.ok(!semantic.some((d) => d.source === "tsk" && d.code === 1011));
    assert.ok(semantic.some((d) => d.source === "tsk" && d.code === 1004));
    server.notify("close", { file: ktest });
  });

  it("a clean kernel file gets no diagnostic, after the plugin checked it", async () => {
    const main = path.join(ROOT, "kernel/main.ts");
    server.notify("open", { file: main, projectRootPath: ROOT });
    assert.deepStrictEqual(await server.request("semanticDiagnosticsSync", { file: main }), []);
    const checks = log().match(/tsk plugin: checked \d+ file\(s\): \d+ subset diagnostic\(s\)/g);
    assert.match(checks[checks.length - 1], /: 0 subset diagnostic/);
  });

  it("a failure inside the compiler is logged; tsserver lives and gives tsc's diagnostics", async () => {
    // A project that enables the plugin but leaves out the subset's prelude: the compiler refuses
    // it (a real error thrown inside the plugin's call), which must not reach the editor.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tsk-plugin-broken-"));
    fs.writeFileSync(
      path.join(dir, "tsconfig.json"),
      JSON.stringify({ compilerOptions: { strict: true, noEmit: true, types: [], lib: ["es2022"], plugins: [{ name: "tsk/plugin" }] }, include: ["*.ts"] }),
    );
    const file = path.join(dir, "a.ts");
    fs.writeFileSync(file, 'export const n: number = "x";\nvar v = 1;\n');
    server.notify("open", { file, projectRootPath: dir });
    const semantic = await server.request("semanticDiagnosticsSync", { file });
    assert.deepStrictEqual(fromServer(semantic).map((d) => `${d.line}:${d.code}`), ["1:TS2322"]);
    assert.match(log(), /tsk plugin: cannot check .*a\.ts: Error: tsk: the program does not include .*prelude\.d\.ts/);
    // Still serving: the kernel project next to it gets its answers.
    const main = path.join(ROOT, "kernel/main.ts");
    assert.deepStrictEqual(await server.request("semanticDiagnosticsSync", { file: main }), []);
    assert.strictEqual(server.exited, null);
  });
});
