// In-kernel tests: discovery and the generated test entry (the half of the runner that cannot be
// written in the subset; kernel/test/ktap.ts is the other half).
//
// A test is an exported `function test_<name>(): void` in a `*.ktest.ts` file beside the code it
// tests; each file is one KTAP suite named by its path (kernel/mem/pages.ktest.ts -> mem/pages).
// The subset has no function values, so the list of tests is code: genEntry writes a subset entry
// module (into the build directory, never the source tree) whose kmain boots memory and calls every
// test between ktap.ts's testBegin/testEnd. The build (scripts/lib/build.js) compiles it like
// kernel/main.ts.
//
// Tests that must end the machine are named for what they expect:
//   test_expect_fault_<vector>_<name>   a CPU exception <vector> (e.g. 14, page fault)
//   test_expect_panic_<name>            a panic()
// and mark the line that must be reported with a `// @ktest-expect-here` comment. The full run
// lists them as `# SKIP`; the harness (test/ktest.test.js) builds an image that runs only that
// test (genEntry's `only`) and checks the report, the line and the failure exit code.
"use strict";
const fs = require("fs");
const path = require("path");
const { build, ROOT } = require("./build");

const MARKER = "@ktest-expect-here";

function walk(dir, out) {
  for (const name of fs.readdirSync(dir).sort()) {
    const p = path.join(dir, name);
    if (fs.statSync(p).isDirectory()) walk(p, out);
    else if (name.endsWith(".ktest.ts")) out.push(p);
  }
  return out;
}

/** The suite name of a test file: its path below `root` without `.ktest.ts`. */
function suiteName(file, root) {
  return path.relative(root, file).split(path.sep).join("/").replace(/\.ktest\.ts$/, "");
}

/**
 * Every test under `roots` (default: kernel/): [{file, rel, suite, tests: [{name, expect, line}]}],
 * files and tests in source order. expect: null, {fault: vector} or {panic: true}; line: the line
 * of the test's `// @ktest-expect-here` marker (expecting tests only).
 */
function discover(roots = ["kernel"]) {
  const suites = [];
  for (const r of roots) {
    const root = path.resolve(ROOT, r);
    for (const file of walk(root, [])) {
      const text = fs.readFileSync(file, "utf8");
      const lines = text.split("\n");
      const tests = [];
      lines.forEach((l, i) => {
        const m = /^export function (test_\w+)\s*\(\s*\)\s*:\s*void\b/.exec(l);
        if (m) tests.push({ name: m[1], start: i + 1, expect: null, line: null });
        else if (/^export function test_\w+/.test(l)) {
          throw new Error(`${path.relative(ROOT, file)}:${i + 1}: a test must be \`export function test_<name>(): void\` (no parameters, no result)`);
        }
      });
      tests.forEach((t, k) => {
        const f = /^test_expect_fault_(\d+)_/.exec(t.name);
        if (f) t.expect = { fault: Number(f[1]) };
        else if (/^test_expect_panic_/.test(t.name)) t.expect = { panic: true };
        const end = k + 1 < tests.length ? tests[k + 1].start : lines.length + 1;
        for (let i = t.start; i < end; i++) {
          if (lines[i - 1].includes(MARKER)) {
            t.line = i;
            break;
          }
        }
        if (t.expect && t.line === null) {
          throw new Error(`${path.relative(ROOT, file)}:${t.start}: ${t.name} expects a ${t.expect.panic ? "panic" : "fault"}` +
            ` but marks no line with // ${MARKER}`);
        }
      });
      if (tests.length) {
        suites.push({ file, rel: path.relative(ROOT, file).split(path.sep).join("/"), suite: suiteName(file, root), tests });
      }
    }
  }
  return suites;
}

const describeExpect = (e) => (e.panic ? "a panic" : `fault #${e.fault}`);

const FAULT_NAMES = { 0: "divide error", 6: "invalid opcode", 13: "general protection", 14: "page fault" };
const EXIT_FAILURE = 35;

/** The first `<rel>:<line>` after the `fault:`/`panic:` report starts. */
function firstLocation(serial, rel) {
  const from = serial.search(/^(fault|panic): /m);
  if (from < 0) return null;
  const m = new RegExp(`${rel.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}:(\\d+)`).exec(serial.slice(from));
  return m ? Number(m[1]) : null;
}

/**
 * Did a run of expecting test `t` (of suite `s`) end as it must: the `fault:` or `panic:` report,
 * naming the line marked // @ktest-expect-here, and the failure exit? null if so, else why not.
 */
function checkExpected(s, t, serial, exitCode) {
  if (exitCode !== EXIT_FAILURE) return `expected the failure exit (QEMU ${EXIT_FAILURE}), QEMU exited ${exitCode}`;
  if (t.expect.panic) {
    if (!/^panic: .+\npanic: at \S+:\d+ \(.*\)\nstack:\n/m.test(serial)) return "no `panic: <why>` / `panic: at <file>:<line>` / `stack:` report";
  } else {
    const name = FAULT_NAMES[t.expect.fault];
    const re = new RegExp(`^fault: ${name || ".*"} \\(#${t.expect.fault}\\) err=0x[0-9a-f]{8} eip=0x[0-9a-f]{8} cr2=0x[0-9a-f]{8}\\nfault: at .*\\nstack:\\n`, "m");
    if (!re.test(serial)) return `no \`fault: ${name} (#${t.expect.fault}) err=… eip=… cr2=…\` / \`fault: at\` / \`stack:\` report`;
  }
  const line = firstLocation(serial, s.rel);
  if (line !== t.line) return `the report's first ${s.rel} location is line ${line}, expected ${t.line} (// ${MARKER})`;
  return null;
}

/**
 * Which tests `pattern` names, as `npm run ktest -- --only <pattern>` takes it: a suite
 * (`mem/pages`), a test (`mem/pages:test_pages_are_distinct`), or either with `*` wildcards
 * (`mem/*`, `*:test_*free*`). Returns a predicate over (suite, test name); throws when the pattern
 * names no test, listing the suites.
 */
function selector(pattern, suites) {
  const glob = (g) => new RegExp(`^${g.split("*").map((p) => p.replace(/[.+?^${}()|[\]\\/]/g, "\\$&")).join(".*")}$`);
  const [suitePart, testPart] = pattern.includes(":") ? pattern.split(":", 2) : [pattern, "*"];
  const s = glob(suitePart);
  const t = glob(testPart || "*");
  const select = (suite, test) => s.test(suite) && t.test(test);
  if (!suites.some((x) => x.tests.some((y) => select(x.suite, y.name)))) {
    throw new Error(`--only ${pattern} names no in-kernel test (suites: ${suites.map((x) => x.suite).join(", ")})`);
  }
  return select;
}

/** The source of the generated entry module at `outFile` (see the header); `only`: {suite, test}
 *  runs that one test (an expecting one for real); `select(suite, test)`: the tests to include, the
 *  expecting ones listed as run elsewhere. */
function genEntry(suites, outFile, only, select) {
  const dir = path.dirname(outFile);
  const imp = (p) => {
    let r = path.relative(dir, path.resolve(ROOT, p)).split(path.sep).join("/").replace(/\.ts$/, "");
    return r.startsWith(".") ? r : `./${r}`;
  };
  const picked = only
    ? suites.filter((s) => s.suite === only.suite).map((s) => ({ ...s, tests: s.tests.filter((t) => t.name === only.test) }))
      .filter((s) => s.tests.length)
    : select
      ? suites.map((s) => ({ ...s, tests: s.tests.filter((t) => select(s.suite, t.name)) })).filter((s) => s.tests.length)
      : suites;
  if (only && !picked.length) throw new Error(`no in-kernel test ${only.suite}:${only.test} (suites: ${suites.map((s) => s.suite).join(", ")})`);
  const out = [
    `// Generated by scripts/lib/ktest.js${only ? ` (only ${only.suite}: ${only.test})` : ""}: do not edit.`,
    `// The in-kernel test entry: boots memory, then runs every test_* of the *.ktest.ts files below.`,
    `import { serialInit, println } from "${imp("kernel/arch/serial")}";`,
    `import { peek32 } from "${imp("kernel/arch/phys")}";`,
    `import { BOOT_INFO_MAGIC, BootInfo } from "${imp("kernel/boot-info")}";`,
    `import { memBoot } from "${imp("kernel/mem/mem")}";`,
    `import { panic } from "${imp("kernel/panic")}";`,
    `import "${imp("kernel/arch/fault")}"; // the exception handler idt.asm calls (@extern faultHandler)`,
    `import { ktapStart, suiteBegin, suiteEnd, testBegin, testEnd, testElsewhere, ktapFinish } from "${imp("kernel/test/ktap")}";`,
  ];
  picked.forEach((s, i) => {
    const names = s.tests.map((t, j) => `${t.name} as s${i}_t${j}`).join(", ");
    out.push(`import { ${names} } from "${imp(s.file.replace(/\.ts$/, ""))}";`);
  });
  out.push("", "export function kmain(bootInfo: u32): void {", "  serialInit();",
    `  println("tsk: kernel tests");`,
    "  if (BootInfo.at(bootInfo).magic !== BOOT_INFO_MAGIC) {",
    `    panic("no boot info from the loader (bad magic)");`, "  }",
    "  memBoot(bootInfo, BootInfo.at(bootInfo).kernelEnd);",
    `  ktapStart(${picked.length});`);
  picked.forEach((s, i) => {
    out.push(`  suiteBegin("${s.suite}", ${s.tests.length});`);
    s.tests.forEach((t, j) => {
      if (t.expect && !only) {
        out.push(`  testElsewhere("${t.name}", "runs in its own boot: expects ${describeExpect(t.expect)}");`);
      } else {
        out.push("  testBegin();", `  s${i}_t${j}();`, `  testEnd("${t.name}");`);
      }
    });
    out.push(`  suiteEnd("${s.suite}");`);
  });
  out.push("  ktapFinish();", "}", "");
  return out.join("\n");
}

/**
 * Generates the test entry into `dir` and builds the test image there.
 * roots: where to look for *.ktest.ts; only: {suite, test} to run just that test; select: a
 * predicate (selector()) for a subset of the tests.
 * Returns build()'s result plus {entry, suites}.
 */
function buildKtest({ dir = "build/ktest", roots = ["kernel"], only, select, toolchain, log = console.log } = {}) {
  dir = path.resolve(ROOT, dir);
  const suites = discover(roots);
  const entry = path.join(dir, "main.ts");
  fs.mkdirSync(dir, { recursive: true });
  const text = genEntry(suites, entry, only, select);
  if (log) log(`[build] ktest   ${suites.length} suites, ${suites.reduce((n, s) => n + s.tests.length, 0)} tests -> ${path.relative(ROOT, entry)}`);
  // Written under the build's lock, and only when it changed (the build keys on content).
  const prepare = () => {
    if (!fs.existsSync(entry) || fs.readFileSync(entry, "utf8") !== text) fs.writeFileSync(entry, text);
  };
  return { ...build({ entry, dir, toolchain, log, prepare }), entry, suites };
}

module.exports = { discover, genEntry, buildKtest, selector, suiteName, checkExpected, describeExpect, FAULT_NAMES, MARKER };
