// `tsk check` reports what compiling reports: check() stops after the subset's rules (no C is
// emitted), and must find exactly the diagnostics compile() finds, in the same order, for every
// rule's corpus file under errors/. For the kernel itself both find none: compile() in
// diagnostics.test.ts ("the kernel itself is in the subset"), check() through `tsk check` in
// module-edges.test.ts ("tsk check accepts the real kernel"); two more programs of the whole kernel
// here (each type-checked in full) proved nothing more.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { check, compile } from "../../compiler/src/compile";

const DIR = path.join(__dirname, "errors");
const ROOT = path.resolve(__dirname, "../..");

describe("compiler: check reports what compile reports", () => {
  it("every errors/ file: the same diagnostics, in the same order", function () {
    this.timeout(120000);
    const files = fs.readdirSync(DIR).filter((f) => f.endsWith(".ts")).map((f) => path.join(DIR, f));
    let reported = 0;
    for (const file of files) {
      const expected = compile([file], "kernel").diagnostics;
      assert.deepStrictEqual(check([file]), expected, path.relative(ROOT, file));
      reported += expected.length;
    }
    // The corpus exercises the rules: most of its files report something.
    assert.ok(reported >= files.length, `${reported} diagnostics over ${files.length} files`);
  });
});
