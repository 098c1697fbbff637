// Golden C: the emitted C for a few programs is checked in, so any change in what tsk emits shows
// up in review. After an intended change: UPDATE_GOLDEN=1 npm test, and read the diff.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { compile } from "../../compiler/src/compile";

const ROOT = path.resolve(__dirname, "../..");
const CASES = ["test/compiler/programs/bitmap-alloc.ts", "test/compiler/programs/signed-edges.ts", "test/compiler/programs/modules.ts", "kernel/arch/serial.ts"];

describe("compiler: golden C", () => {
  for (const src of CASES) {
    const golden = path.join(__dirname, "golden", path.basename(src).replace(/\.ts$/, ".c"));
    it(`${src} emits ${path.relative(ROOT, golden)}`, () => {
      const r = compile([path.join(ROOT, src)], "kernel", ROOT);
      assert.deepStrictEqual(r.diagnostics, []);
      if (process.env.UPDATE_GOLDEN) fs.writeFileSync(golden, r.c!);
      assert.ok(fs.existsSync(golden), `${golden} is missing: run UPDATE_GOLDEN=1 npm test`);
      assert.strictEqual(r.c, fs.readFileSync(golden, "utf8"));
    });
  }
});
