// The editor's path into the compiler (compiler/node/api.js subsetDiagnostics): over one program
// built as tsserver builds it (the repository's tsconfig.json options, many root files, tsc's
// errors left to the editor), the files get exactly the TSK diagnostics `tsk check <files>` reports,
// with offsets that land on the reported line and column. Every rule's fixture is compared. Node only.
"use strict";
const assert = require("assert");
const fs = require("fs");
const path = require("path");
const ts = require("typescript");
const { compile, subsetDiagnostics } = require("tsk");

const ROOT = path.resolve(__dirname, "../..");
const ERRORS = path.join(ROOT, "test/compiler/errors");
const PRELUDE = path.join(ROOT, "compiler/lib/prelude.d.ts");

function editorOptions() {
  const parsed = ts.getParsedCommandLineOfConfigFile(path.join(ROOT, "tsconfig.json"), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => assert.fail(d.messageText) });
  return parsed.options;
}

const key = (d) => `${d.line}:${d.col}:${d.code}:${d.message}`;

describe("editor: the compiler adapter over an editor's program", function () {
  this.timeout(60000);
  const fixtures = fs.readdirSync(ERRORS).filter((f) => f.endsWith(".ts")).map((f) => path.join(ERRORS, f));
  let program;
  let reference;
  before(() => {
    program = ts.createProgram([PRELUDE, ...fixtures], editorOptions());
    // `tsk check` of all the fixtures at once (one program, as `npm run check` does the kernel).
    reference = compile(fixtures).diagnostics;
  });

  it("every rule's fixture: the same TSK diagnostics as tsk check, at offsets matching line and column", () => {
    assert.ok(fixtures.length >= 20, `only ${fixtures.length} fixtures`);
    const all = subsetDiagnostics(program, fixtures);
    assert.ok(all.every((d) => d.code.startsWith("TSK")), "tsc's diagnostics are the editor's, not the adapter's");
    for (const file of fixtures) {
      const expected = reference.filter((d) => d.file === file && d.code.startsWith("TSK"));
      const actual = all.filter((d) => d.file === file);
      assert.ok(expected.length > 0, `${path.basename(file)}: no TSK diagnostic to compare`);
      assert.deepStrictEqual(actual.map(key).sort(), expected.map(key).sort(), path.basename(file));
      const sf = program.getSourceFile(file);
      for (const d of actual) {
        const { line, character } = sf.getLineAndCharacterOfPosition(d.start);
        assert.deepStrictEqual([line + 1, character + 1], [d.line, d.col], `${path.basename(file)}: ${key(d)}`);
        assert.ok(d.length > 0 && d.start + d.length <= sf.end, `${path.basename(file)}: ${key(d)} spans ${d.start}+${d.length}`);
      }
    }
  });

  it("refuses a program without the subset's prelude, naming the fix", () => {
    const bare = ts.createProgram([fixtures[0]], editorOptions());
    assert.throws(() => subsetDiagnostics(bare, [fixtures[0]]), /does not include .*prelude\.d\.ts.*tsconfig\.json's "include"/);
  });
});
