// The in-kernel tests (kernel/**/*.ktest.ts) in QEMU, each reported as its own mocha test.
//
// The test image (scripts/lib/ktest.js) runs every test and prints KTAP (kernel/test/ktap.ts). One
// boot serves the whole suite: the serial lines are parsed as they stream (scripts/lib/ktap.js) and
// each mocha test waits for its own result line, so results appear as the kernel produces them. A
// test fails with its KTAP diagnostics (expected/actual, the .ts line); a crash, hang (timeout),
// wrong exit code or unmet plan fails whatever is left, with the serial log.
//
// Tests named test_expect_fault_<vector>_* / test_expect_panic_* end the machine: the full run
// only lists them (# SKIP) and each gets its own image and boot here, which must print the
// `fault: <name> (#<vector>) …` or `panic: …` report naming the line marked
// `// @ktest-expect-here`, and exit 35.
//
// "ktest harness" then checks the harness itself on an image with a deliberately failing test
// (test/fixtures/ktest-fail): it must come out as a failure carrying expected and actual.
"use strict";
const assert = require("assert");
const fs = require("fs");
const os = require("os");
const path = require("path");
const { spawnSync } = require("child_process");
const { ROOT } = require("../scripts/lib/build");
const { ktestImage, ktestOnlyImage, DIR } = require("./lib/images");
const { withSlot } = require("./lib/slots");
const { buildKtest, discover, checkExpected, FAULT_NAMES } = require("../scripts/lib/ktest");
const { boot, describeExit, EXIT_SUCCESS, EXIT_FAILURE, withLog } = require("./lib/qemu");
const { KtapParser } = require("../scripts/lib/ktap");

const TIMEOUT = 120000;
const FULL_MEM = "16M";

/**
 * Boots a KTAP test image and returns {results: Map("suite/test" -> Promise of result), done:
 * Promise of {boot, parser}}. A result promise rejects when the run ends without that result.
 */
function runImage(image, expected, { mem } = {}) {
  const waiters = new Map();
  for (const s of expected) {
    for (const t of s.tests) {
      let resolve;
      let reject;
      const promise = new Promise((res, rej) => { resolve = res; reject = rej; });
      promise.catch(() => {}); // rejections are reported by the test that awaits it
      waiters.set(`${s.suite}/${t.name}`, { promise, resolve, reject });
    }
  }
  const seen = [];
  const parser = new KtapParser({
    onTest: (r) => {
      const key = `${r.suite}/${r.name}`;
      seen.push(key);
      if (waiters.has(key)) waiters.get(key).resolve(r);
    },
  });
  const done = boot(image, { timeout: TIMEOUT, mem, onLine: (l) => parser.line(l) }).then((result) => {
    for (const [key, w] of waiters) {
      if (!seen.includes(key)) {
        const why = describeExit(result) || "the kernel exited";
        const tail = parser.pending.length ? `\nlast output:\n${parser.pending.join("\n")}` : "";
        w.reject(withLog(new Error(`no result for ${key}: ${why}${tail}`), result.serial));
      }
    }
    return { boot: result, parser, seen };
  });
  return { results: waiters, done };
}

// The boot of each test that must end the machine, once per file: the test of its report and the
// harness's "dies mid-run" test read the same run. On -m 16M: what they check is the report and
// the exit, which the size of RAM does not change, and the boot's memory self-test runs on 16 MiB
// instead of 128. The whole run too (FULL_MEM): no in-kernel test's verdict depends on the size
// (they compare counts before and after, or take pages until none is left, on any machine), and
// the memory manager at 128 MiB and up is boot-mem.test.js's.
const ownRuns = new Map();
function ownRun(suite, test) {
  const key = `${suite.suite}/${test.name}`;
  if (!ownRuns.has(key)) {
    const { image } = ktestOnlyImage(suite.suite, test.name);
    ownRuns.set(key, runImage(image, [{ ...suite, tests: [test] }], { mem: "16M" }));
  }
  return ownRuns.get(key);
}

/** Throws, with the test's KTAP diagnostics, unless the result is `ok`. */
function checkResult(r, serial) {
  if (r.ok) return r;
  throw withLog(new Error(`in-kernel test ${r.suite}: ${r.name} failed:\n${r.diagnostics.join("\n")}`), serial);
}

/** Throws unless the run ended with the plan met, no protocol error, and `code`. */
function checkRun({ boot: result, parser }, code = EXIT_SUCCESS) {
  const problems = parser.problems();
  if (result.timedOut || result.signal || result.exitCode !== code) {
    problems.push(describeExit(result) || `the kernel reported success (QEMU exit ${EXIT_SUCCESS})`);
  }
  if (problems.length) throw withLog(new Error(`in-kernel test run: ${problems.join("; ")}`), result.serial);
}

describe("boot: in-kernel tests", function () {
  this.timeout(TIMEOUT + 60000);
  const suites = discover();
  let tmp;
  let run;

  before(function () {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "tsk-ktest-"));
    const { image } = ktestImage();
    run = runImage(image, suites, { mem: FULL_MEM });
  });
  after(function () {
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  for (const s of suites) {
    describe(s.suite, function () {
      for (const t of s.tests) {
        if (!t.expect) {
          it(t.name, async function () {
            const r = await run.results.get(`${s.suite}/${t.name}`).promise;
            checkResult(r, "");
            if (r.skip) this.skip();
          });
          continue;
        }
        const what = t.expect.panic ? "panics" : `faults with ${FAULT_NAMES[t.expect.fault] || "exception"} (#${t.expect.fault})`;
        it(`${t.name}: ${what} naming ${s.rel}:${t.line}, exit 35 (own boot)`, async function () {
          const listed = await run.results.get(`${s.suite}/${t.name}`).promise;
          assert.ok(listed.ok && listed.skip, "the full run must list it as # SKIP");
          const { boot: result } = await ownRun(s, t).done;
          const fail = (why) => { throw withLog(new Error(why), result.serial); };
          if (result.timedOut || result.signal) fail(`expected the failure exit (QEMU ${EXIT_FAILURE}), but ${describeExit(result)}`);
          const why = checkExpected(s, t, result.serial, result.exitCode);
          if (why) fail(why);
          if (/null_read/.test(t.name) && !/^fault: page fault \(#14\) .* cr2=0x00000000$/m.test(result.serial)) fail("a null read must report cr2=0x00000000");
          // The walk goes past the inlined frames to the real bottom: entry.asm's `call kmain`.
          const callLine = fs.readFileSync(path.join(ROOT, "kernel/arch/entry.asm"), "utf8").split("\n").findIndex((l) => /^\s*call kmain\b/.test(l)) + 1;
          const last = result.serial.split("\n").filter((l) => /^ {2}#\d+ 0x/.test(l)).pop() || "";
          if (!new RegExp(`^  #\\d+ 0x[0-9a-f]{8} kernel/arch/entry\\.asm:${callLine} \\(start\\)\r?$`).test(last)) {
            fail(`the stack walk must end at kernel/arch/entry.asm:${callLine} (start), the call of kmain; its last frame: ${last}`);
          }
        });
      }
    });
  }

  describe("the whole run", function () {
  it("ends with every plan met and exit 33 (all passed)", async function () {
    const r = await run.done;
    checkRun(r, EXIT_SUCCESS);
    const expected = suites.flatMap((s) => s.tests.map((t) => `${s.suite}/${t.name}`));
    assert.deepStrictEqual(r.seen, expected, "the tests the kernel ran are not the tests in the source");
  });
  });
});

describe("boot: ktest harness", function () {
  this.timeout(TIMEOUT + 60000);

  it("refuses a test_* function with parameters or a result instead of skipping it", function () {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tsk-ktest-sig-"));
    for (const sig of ["test_takes(x: u32): void", "test_gives(): u32"]) {
      fs.writeFileSync(path.join(dir, "bad.ktest.ts"), `export function ${sig} {\n}\n`);
      assert.throws(() => discover([dir]), /bad\.ktest\.ts:1: a test must be `export function test_<name>\(\): void`/);
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });
  it("reports a deliberately failing in-kernel test as a failure with expected and actual", async function () {
    const roots = ["test/fixtures/ktest-fail"];
    const suites = discover(roots);
    const failing = suites[0].tests.find((t) => t.name === "test_two_plus_two");
    // In build/test (incremental across runs), not tmp: the same fixture gives the same image.
    const { image } = buildKtest({ dir: path.join(DIR, "ktest-fail"), roots, log: null });
    const run = runImage(image, suites, { mem: "16M" }); // (the harness's verdict, not RAM, is the point)
    const passed = await run.results.get("arith/test_passes").promise;
    checkResult(passed, "");
    const r = await run.results.get("arith/test_two_plus_two").promise;
    assert.throws(() => checkResult(r, ""), (e) => {
      assert.match(e.message, /in-kernel test arith: test_two_plus_two failed/);
      assert.match(e.message, /# 2 \+ 2: expected 0x00000005 \(5\), got 0x00000004 \(4\)/);
      assert.ok(e.message.includes(`# at test/fixtures/ktest-fail/arith.ktest.ts:${failing.line} (test_two_plus_two)`), e.message);
      return true;
    });
    const done = await run.done;
    assert.throws(() => checkRun(done, EXIT_SUCCESS), /the kernel reported failure \(QEMU exit 35\)/);
    checkRun(done, EXIT_FAILURE); // plan met, failure exit: the run itself is well-formed
    assert.match(done.boot.serial, /^not ok 1 arith$/m);
  });

  it("fails every unreported test, with the serial log, when the kernel dies mid-run", async function () {
    // The fault-expecting test run as if it were an ordinary one: the kernel stops inside it.
    const suite = discover(["kernel"]).find((s) => s.suite === "arch/fault");
    const run = ownRun(suite, suite.tests.find((t) => t.name === "test_expect_fault_14_null_read"));
    await assert.rejects(run.results.get("arch/fault/test_expect_fault_14_null_read").promise, (e) => {
      assert.match(e.message, /no result for arch\/fault\/test_expect_fault_14_null_read: the kernel reported failure/);
      assert.match(e.message, /fault: page fault \(#14\)/);
      assert.match(e.message, /--- serial log ---/);
      return true;
    });
    const done = await run.done;
    assert.throws(() => checkRun(done, EXIT_SUCCESS), /suite arch\/fault never ended/);
  });
});

describe("boot: npm run ktest (the command)", function () {
  this.timeout(300000);
  // Each run may boot: it holds an emulator slot (test/lib/slots.js).
  const ktest = (args, env = {}) => withSlot(async () =>
    spawnSync(process.execPath, [path.join(ROOT, "scripts/ktest.js"), ...args], { cwd: ROOT, encoding: "utf8", env: { ...process.env, ...env } }));

  it("--help prints the usage, exit 0", async function () {
    const r = await ktest(["--help"]);
    assert.strictEqual(r.status, 0, r.stderr);
    assert.match(r.stdout, /^usage: npm run ktest \[-- --only <pattern>\]/);
  });

  it("a pattern that names no test is an error listing the suites, exit 1; bad arguments exit 2", async function () {
    const r = await ktest(["--only", "no/such*"]);
    assert.strictEqual(r.status, 1);
    const suites = discover(["kernel"]).map((x) => x.suite).join(", ");
    assert.ok(r.stderr.includes(`--only no/such* names no in-kernel test (suites: ${suites})`), r.stderr);
    assert.strictEqual((await ktest(["--frob"])).status, 2);
  });

  it("--only <suite pattern> runs that suite and ends with a kunit_tool-style summary", async function () {
    const r = await ktest(["--only", "mem/pag*g"], { TSK_MEM: "16M" }); // (a small machine: the selection is the point)
    assert.strictEqual(r.status, 0, r.stdout + r.stderr);
    const tests = discover(["kernel"]).find((x) => x.suite === "mem/paging").tests.length;
    assert.match(r.stdout, /^ {4}# Subtest: mem\/paging$/m);
    assert.doesNotMatch(r.stdout, /# Subtest: mem\/pages$/m);
    assert.match(r.stdout, new RegExp(`^ktest: ${tests} passed, 0 failed, 0 skipped \\(\\d+\\.\\d s\\)$`, "m"));
  });

  it("a boot that outlasts QEMU_TIMEOUT is stopped and reported, exit 1", async function () {
    const r = await ktest(["--only", "mem/paging"], { QEMU_TIMEOUT: "0.001" });
    assert.strictEqual(r.status, 1, r.stdout + r.stderr);
    assert.match(r.stderr, /ktest: timed out after 1 ms without the kernel reporting \(QEMU killed\)/);
    assert.match(r.stdout, /^ktest: 0 passed, \d+ failed, 0 skipped/m);
  });
});
