#!/usr/bin/env node
// `npm run ktest`: builds the in-kernel test image (scripts/lib/ktest.js) and boots it with the KTAP
// output on this terminal, then runs each selected test that must end the machine (a fault or a
// panic) in a boot of its own, and ends with one summary line, as kunit_tool does:
//   ktest: 14 passed, 0 failed, 0 skipped (3.2 s)
// Exit 0 when everything selected passed, 1 otherwise, 2 on a usage error.
// `--only <pattern>`: a suite (mem/pages), a test (mem/pages:test_pages_are_distinct), or either
// with `*` wildcards (mem/*, *:test_*free*). QEMU_TIMEOUT bounds every boot, as for `npm start`.
// `npm test` runs the same tests through mocha.
"use strict";
const { spawn } = require("child_process");
const { buildKtest, checkExpected, describeExpect, discover, selector } = require("./lib/ktest");
const { KtapParser } = require("./lib/ktap");
const { BuildError, checkTools, ROOT } = require("./lib/build");
const { QEMU } = require("./lib/qemu");
const { optionsFromEnv, bootCommand, describeExit } = require("./lib/emulator");

const USAGE = `usage: npm run ktest [-- --only <pattern>]
  <pattern>: a suite (mem/pages), a test (mem/pages:test_pages_are_distinct),
             or either with * wildcards (mem/*, *:test_*free*)
Environment: TSK_EMULATOR (qemu|v86), TSK_MEM (alias QEMU_MEM), TSK_TIMEOUT (alias QEMU_TIMEOUT:
seconds per boot, default 600, 0 = none), QEMU_MACHINE, QEMU_ACCEL.`;

class UsageError extends Error {}

function parse(argv) {
  if (argv.includes("--help") || argv.includes("-h")) return { help: true };
  if (argv.length === 0) return {};
  if (argv[0] === "--only" && argv.length === 2 && argv[1]) return { pattern: argv[1] };
  throw new UsageError(USAGE);
}

/** Boots `image` with the serial console echoed (when `echo`); resolves {exitCode, signal, timedOut, serial}. */
function bootEcho(image, opts, timeout, echo) {
  const { cmd, args } = bootCommand({ image, ...opts });
  const child = spawn(cmd, args, { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"] });
  let serial = "";
  let timedOut = false;
  child.stdout.on("data", (d) => {
    serial += d.toString("latin1");
    if (echo) process.stdout.write(d);
  });
  const timer = timeout ? setTimeout(() => { timedOut = true; child.kill("SIGKILL"); }, timeout) : null;
  return new Promise((resolve) => {
    child.on("error", (e) => { clearTimeout(timer); resolve({ error: e, serial }); });
    child.on("close", (exitCode, signal) => {
      clearTimeout(timer);
      resolve({ exitCode, signal: timedOut ? null : signal, timedOut, timeout, serial });
    });
  });
}

async function main(argv) {
  const started = Date.now();
  let opts;
  let timeout;
  let suites;
  let select = null;
  try {
    const args = parse(argv);
    if (args.help) {
      console.log(USAGE);
      return 0;
    }
    opts = optionsFromEnv();
    timeout = opts.timeout * 1000;
    if (opts.emulator === "qemu") checkTools([QEMU]);
    suites = discover();
    if (args.pattern) select = selector(args.pattern, suites);
  } catch (e) {
    console.error(e instanceof UsageError ? e.message : `ktest: ${e.message}`);
    return e instanceof UsageError ? 2 : 1;
  }
  if (opts.note) console.error(`ktest: ${opts.note}`);
  const chosen = (s, t) => !select || select(s.suite, t.name);
  const plain = suites.flatMap((s) => s.tests.filter((t) => !t.expect && chosen(s, t)).map((t) => ({ s, t })));
  const expecting = suites.flatMap((s) => s.tests.filter((t) => t.expect && chosen(s, t)).map((t) => ({ s, t })));
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  const problems = [];

  // 1. One boot for every selected test that returns (expecting ones are listed as # SKIP there).
  if (plain.length) {
    let built;
    try {
      built = buildKtest({ dir: select ? "build/ktest-only" : "build/ktest", select: select || undefined });
    } catch (e) {
      console.error(e instanceof BuildError ? `[build] error: ${e.message}` : `ktest: ${e.message}`);
      return 1;
    }
    const parser = new KtapParser({
      onTest: (t) => {
        if (t.skip) return;
        if (t.ok) passed++;
        else failed++;
      },
    });
    const r = await bootEcho(built.image, opts, timeout, true);
    if (r.error) {
      console.error(`ktest: cannot run the emulator: ${r.error.message}`);
      return 1;
    }
    r.serial.split("\n").forEach((l) => parser.line(l));
    const why = describeExit(r, opts.emulator);
    if (why) problems.push(why);
    problems.push(...parser.problems().map((e) => `KTAP: ${e}`));
    const reported = passed + failed;
    if (reported < plain.length) {
      problems.push(`${plain.length - reported} of ${plain.length} tests reported no result`);
      failed += plain.length - reported;
    }
  }

  // 2. Each test that must end the machine, in a boot of its own.
  for (const { s, t } of expecting) {
    if (!select) {
      // The whole run lists them; they run alone under `--only` (and in `npm test`).
      skipped++;
      continue;
    }
    let built;
    try {
      built = buildKtest({ dir: `build/ktest-only-${t.name}`, only: { suite: s.suite, test: t.name }, log: null });
    } catch (e) {
      console.error(e instanceof BuildError ? `[build] error: ${e.message}` : `ktest: ${e.message}`);
      return 1;
    }
    console.log(`ktest: ${s.suite}:${t.name} (must end in ${describeExpect(t.expect)})`);
    const r = await bootEcho(built.image, opts, timeout, true);
    const why = r.error ? `cannot run the emulator: ${r.error.message}` : r.signal || r.timedOut ? describeExit(r, opts.emulator) : checkExpected(s, t, r.serial, r.exitCode);
    if (why) {
      failed++;
      problems.push(`${t.name} should end in ${describeExpect(t.expect)}: ${why}`);
    } else {
      passed++;
      console.log(`ktest: ${t.name} ended in ${describeExpect(t.expect)} at the marked line, as expected`);
    }
  }

  for (const p of problems) console.error(`ktest: ${p}`);
  const secs = ((Date.now() - started) / 1000).toFixed(1);
  console.log(`ktest: ${passed} passed, ${failed} failed, ${skipped} skipped (${secs} s)`);
  return failed || problems.length ? 1 : 0;
}

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
