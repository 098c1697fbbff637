// The in-kernel tests (kernel/**/*.ktest.ts) in v86, the second emulator: the same test image as
// ktest.test.js runs in QEMU, one boot for every ordinary test (each reported as its own mocha
// test, from the KTAP it prints), and each test that must fault or panic in its own boot, whose
// report must name the line marked `// @ktest-expect-here` and end with the failure exit. Also
// `npm run ktest` itself with TSK_EMULATOR=v86.
"use strict";
const assert = require("assert");
const fs = require("fs");
const os = require("os");
const path = require("path");
const { spawnSync } = require("child_process");
const { buildKtest, discover, checkExpected, FAULT_NAMES } = require("../scripts/lib/ktest");
const { describeExit } = require("../scripts/lib/emulator");
const { ROOT } = require("../scripts/lib/build");
const { boot, withLog, EXIT_SUCCESS } = require("./lib/emu");
const { KtapParser } = require("./lib/ktap");

const TIMEOUT = 120000;

describe("in-kernel tests in v86", function () {
  this.timeout(TIMEOUT + 60000);
  const suites = discover();
  let tmp;
  let run; // Promise of {result, tests: Map("suite/test" -> KTAP result), problems}

  before(function () {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "tsk-ktest-v86-"));
    const { image } = buildKtest({ dir: path.join(tmp, "all"), log: null });
    const tests = new Map();
    const parser = new KtapParser({ onTest: (r) => tests.set(`${r.suite}/${r.name}`, r) });
    run = boot(image, { emulator: "v86", timeout: TIMEOUT, onLine: (l) => parser.line(l) })
      .then((result) => ({ result, tests, problems: parser.problems() }));
  });
  after(() => tmp && fs.rmSync(tmp, { recursive: true, force: true }));

  /** The KTAP result of one test from the full run; throws with the serial log if it has none. */
  async function resultOf(key) {
    const { result, tests } = await run;
    const r = tests.get(key);
    if (!r) throw withLog(new Error(`no result for ${key}: ${describeExit(result, "v86") || "the kernel exited"}`), result.serial);
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
          const { image } = buildKtest({ dir: path.join(tmp, t.name), only: { suite: s.suite, test: t.name }, log: null });
          const result = await boot(image, { emulator: "v86", timeout: TIMEOUT });
          const fail = (why) => { throw withLog(new Error(why), result.serial); };
          if (result.timedOut || result.signal) fail(`expected the failure exit (35), but ${describeExit(result, "v86")}`);
          const why = checkExpected(s, t, result.serial, result.exitCode);
          if (why) fail(`${why}${result.stderr ? `\n--- v86 stderr ---\n${result.stderr}` : ""}`);
        });
      }
    });
  }

  it("the whole run ends with every plan met and exit 33", async function () {
    const { result, tests, problems } = await run;
    if (result.timedOut || result.signal || result.exitCode !== EXIT_SUCCESS) problems.push(describeExit(result, "v86") || "exit 33");
    if (problems.length) throw withLog(new Error(`in-kernel test run in v86: ${problems.join("; ")}`), result.serial);
    assert.deepStrictEqual([...tests.keys()], suites.flatMap((s) => s.tests.map((t) => `${s.suite}/${t.name}`)));
  });

  it("npm run ktest with TSK_EMULATOR=v86 passes and says so by its exit code", function () {
    const r = spawnSync(process.execPath, ["scripts/ktest.js"], {
      cwd: ROOT, encoding: "latin1", env: { ...process.env, TSK_EMULATOR: "v86" }, timeout: TIMEOUT,
    });
    assert.strictEqual(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /^KTAP version 1$/m);
    assert.doesNotMatch(r.stdout, /^\s*not ok /m);
  });
});
