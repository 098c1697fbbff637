// Memory layouts, differentially: each program under layouts/ exports main(): u32 and runs in Node
// on a fresh simulated machine (test/sim/machine.ts, what compiler/node/prelude.js's views read)
// and natively against a host memory (the C runtime's, compiler/runtime/tsk_runtime.h TSK_HOST, and
// the arena the i386 backend's static executables map, compiler/src/backend/i386/host.ts); every
// target must print the same number.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { TARGETS, skipUnavailable } from "./targets";
import { nodeMainOnMachine } from "./harness";
import { compile } from "../../compiler/src/compile";
import { SimMachine } from "../sim/machine";

const DIR = path.join(__dirname, "layouts");

describe("compiler: memory layouts (Node on the simulated machine vs native memory)", () => {
  const programs = fs.readdirSync(DIR).filter((x) => x.endsWith(".ts"));
  const expected = (f: string): string => nodeMainOnMachine(path.join(DIR, f));

  // c/host is `tsk run`'s pipeline (compile(file, "host"), then gcc with no flags: targets.ts),
  // so it carries what a `tsk run` per program said, without a Node process loading TypeScript
  // for each; the command itself runs in differential.test.ts.
  for (const target of TARGETS) {
    describe(`on ${target.name}`, () => {
      before(skipUnavailable(target));
      for (const f of programs) {
        it(`${f}: same main() as Node`, () => {
          assert.strictEqual(target.runMain(path.join(DIR, f)), expected(f));
        });
      }
    });
  }

  it("an unknown field is tsc's error, and nothing else", () => {
    const file = path.join(require("os").tmpdir(), `tsk-layout-field-${process.pid}.ts`);
    fs.writeFileSync(file, `const E = layout(4, 4, { a: [0, "u32"] });\nexport function f(p: u32): u32 {\n  const v = E.at(p);\n  v.nope = 1;\n  return v.missing;\n}\n`);
    try {
      const d = compile([file], "kernel").diagnostics.map((x) => `${x.line}:${x.code}`);
      assert.deepStrictEqual(d, ["4:TS2339", "5:TS2339"]);
    } finally {
      fs.rmSync(file);
    }
  });

  it("in Node a view reads and writes the installed machine, wrapping stores to the field's width", () => {
    const g = globalThis as { __tskMachine?: unknown };
    const before = g.__tskMachine;
    const m = new SimMachine();
    g.__tskMachine = m;
    try {
      const E = layout(8, 4, { b: [1, "u8"], h: [2, "u16"], s: [4, "i32"] });
      const v = E.at(0x3000);
      v.b = -1;
      v.h = 0x12345;
      v.s = 0xfffffffe;
      assert.strictEqual(m.load(0x3000, 4), 0x2345ff00);
      assert.strictEqual(v.s, -2);
      assert.strictEqual(E.offsets.s, 4);
      assert.deepStrictEqual(Object.keys(E.offsets), ["b", "h", "s"]);
      g.__tskMachine = undefined;
      assert.throws(() => v.b, /no simulated machine installed/);
    } finally {
      g.__tskMachine = before;
    }
  });
});
