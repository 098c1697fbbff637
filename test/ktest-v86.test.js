// The in-kernel tests (kernel/**/*.ktest.ts) in v86, the second emulator: `npm run ktest` with
// TSK_EMULATOR=v86 (scripts/ktest.js: the same test image ktest.test.js boots in QEMU) runs every
// ordinary test in one boot, each reported here as its own mocha test from the KTAP it prints; each
// test that must fault or panic gets its own boot, whose report must name the line marked
// `// @ktest-expect-here` and end with the failure exit (on an 8 MiB machine: see EXPECT_MEM).
"use strict";
const assert = require("assert");
const { discover, checkExpected, FAULT_NAMES } = require("../scripts/lib/ktest");
const { ktestOnlyImage } = require("./lib/images");
const { describeExit } = require("../scripts/lib/emulator");
const { ROOT } = require("../scripts/lib/build");
const { spawn } = require("child_process");
const { withSlot } = require("./lib/slots");
const { boot, withLog } = require("./lib/emu");
const { KtapParser } = require("../scripts/lib/ktap");

const TIMEOUT = 120000;
// The own boots of the tests that must fault or panic run on an 8 MiB machine: what they prove
// (the report names the marked line, the failure exit) does not depend on the RAM, and a 128 MiB
// v86 costs twice the CPU (measured: 1.3-1.5 s against 0.55-0.65 s per boot, the out-of-memory
// panic included: it takes every page first). The full run (npm run ktest itself) on 16 MiB
// (TSK_MEM): no in-kernel test's verdict depends on the size, and v86 at 128 MiB is v86.test.js's.
const EXPECT_MEM = "8M";
const FULL_MEM = "16M";

describe("boot: in-kernel tests in v86", function () {
  this.timeout(TIMEOUT + 60000);
  const suites = discover();
  let run; // Promise of {result: {exitCode, serial, stderr}, tests: Map("suite/test" -> KTAP result), problems}

  before(function () {
    const tests = new Map();
    const parser = new KtapParser({ onTest: (r) => tests.set(`${r.suite}/${r.name}`, r) });
    run = withSlot(() => new Promise((resolve, reject) => {
      const child = spawn(process.execPath, ["scripts/ktest.js"], { cwd: ROOT, env: { ...process.env, TSK_EMULATOR: "v86", TSK_MEM: FULL_MEM, QEMU_MEM: FULL_MEM } });
      let serial = "";
      let stderr = "";
      let partial = "";
      const timer = setTimeout(() => child.kill("SIGKILL"), TIMEOUT);
      child.stdout.setEncoding("latin1");
      child.stdout.on("data", (chunk) => {
        serial += chunk;
        const parts = (partial + chunk).split("\n");
        partial = parts.pop();
        parts.forEach((l) => parser.line(l));
      });
      child.stderr.on("data", (c) => { stderr += c; });
      child.on("error", reject);
      child.on("close", (exitCode, signal) => {
        clearTimeout(timer);
        if (partial) parser.line(partial);
        resolve({ result: { exitCode, signal, serial, stderr }, tests, problems: parser.problems() });
      });
    }));
    run.catch(() => {});
  });

  /** The KTAP result of one test from the full run; throws with the serial log if it has none. */
  async function resultOf(key) {
    const { result, tests } = await run;
    const r = tests.get(key);
    if (!r) throw withLog(new Error(`no result for ${key}: npm run ktest exited ${result.exitCode || result.signal}: ${result.stderr}`), result.serial);
    return { r, serial: result.serial };
  }

  for (const s of suites) {
    describe(s.suite, function () {
      for (const t of s.tests) {
        const key = `${s.suite}/${t.name}`;
        if (!t.expect) {
          it(t.name, async function () {
            const { r } = await resultOf(key);
            if (!r.ok) throw new Error(`in-kernel test ${s.suite}: ${t.name} failed in v86:\n${r.diagnostics.join("\n")}`);
            if (r.skip) this.skip();
          });
          continue;
        }
        const what = t.expect.panic ? "panics" : `faults with ${FAULT_NAMES[t.expect.fault] || "exception"} (#${t.expect.fault})`;
        it(`${t.name}: ${what} naming ${s.rel}:${t.line}, exit 35 (own boot)`, async function () {
          const { r } = await resultOf(key);
          assert.ok(r.ok && r.skip, "the full run must list it as # SKIP");
          const { image } = ktestOnlyImage(s.suite, t.name); // the same image QEMU's suite boots
          const result = await boot(image, { emulator: "v86", mem: EXPECT_MEM, timeout: TIMEOUT });
          const fail = (why) => { throw withLog(new Error(why), result.serial); };
          if (result.timedOut || result.signal) fail(`expected the failure exit (35), but ${describeExit(result, "v86")}`);
          const why = checkExpected(s, t, result.serial, result.exitCode);
          if (why) fail(`${why}${result.stderr ? `\n--- v86 stderr ---\n${result.stderr}` : ""}`);
        });
      }
    });
  }

  it("npm run ktest with TSK_EMULATOR=v86: every plan met, every test in the source ran, exit 0", async function () {
    const { result, tests, problems } = await run;
    if (result.exitCode !== 0) problems.push(`npm run ktest exited ${result.exitCode || result.signal}: ${result.stderr}`);
    if (problems.length) throw withLog(new Error(`in-kernel test run in v86: ${problems.join("; ")}`), result.serial);
    assert.deepStrictEqual([...tests.keys()], suites.flatMap((s) => s.tests.map((t) => `${s.suite}/${t.name}`)));
    assert.match(result.serial, /^# ktest: all suites passed\r?$/m);
  });
});
