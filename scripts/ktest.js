#!/usr/bin/env node
// `npm run ktest`: builds the in-kernel test image (scripts/lib/ktest.js) and boots it with the KTAP
// output on this terminal, in QEMU or v86 (TSK_EMULATOR; scripts/lib/emulator.js). Exits 0 when
// every suite passed (exit 33), 1 otherwise.
// `--only <suite>:<test>` runs one test; for a test that must fault or panic, success is that
// report naming its marked line, and the failure exit. `npm test` runs the same tests through mocha.
"use strict";
const { spawn } = require("child_process");
const { buildKtest, checkExpected, describeExpect } = require("./lib/ktest");
const { BuildError, checkTools, ROOT } = require("./lib/build");
const { QEMU } = require("./lib/qemu");
const { optionsFromEnv, bootCommand, describeExit } = require("./lib/emulator");

const USAGE = "usage: npm run ktest [-- --only <suite>:<test>]   (e.g. --only mem/pages:test_pages_are_distinct)";

function parse(argv) {
  if (argv.length === 0) return {};
  if (argv[0] === "--only" && argv.length === 2 && /^[^:]+:test_\w+$/.test(argv[1])) {
    const [suite, test] = argv[1].split(":");
    return { only: { suite, test } };
  }
  throw new Error(USAGE);
}

async function main(argv) {
  let opts;
  let built;
  let only;
  try {
    ({ only } = parse(argv));
    opts = optionsFromEnv();
    if (opts.emulator === "qemu") checkTools([QEMU]);
    built = buildKtest({ dir: only ? "build/ktest-only" : "build/ktest", only });
  } catch (e) {
    console.error(e instanceof BuildError ? `[build] error: ${e.message}` : `ktest: ${e.message}`);
    return e.message === USAGE ? 2 : 1;
  }
  const suite = only && built.suites.find((s) => s.suite === only.suite);
  const test = suite && suite.tests.find((t) => t.name === only.test);
  // Echo the serial console and keep it, to judge a test that must end the machine.
  if (opts.note) console.error(`ktest: ${opts.note}`);
  const { cmd, args } = bootCommand({ image: built.image, ...opts });
  const child = spawn(cmd, args, { cwd: ROOT, stdio: ["inherit", "pipe", "inherit"] });
  let serial = "";
  child.stdout.on("data", (d) => {
    serial += d.toString("latin1");
    process.stdout.write(d);
  });
  const result = await new Promise((resolve) => {
    child.on("error", (e) => resolve({ error: e }));
    child.on("close", (exitCode, signal) => resolve({ exitCode, signal }));
  });
  if (result.error) {
    console.error(`ktest: cannot run ${cmd}: ${result.error.message}`);
    return 1;
  }
  if (test && test.expect) {
    const why = result.signal ? describeExit(result, opts.emulator) : checkExpected(suite, test, serial, result.exitCode);
    console.error(why ? `ktest: ${test.name} should end in ${describeExpect(test.expect)}: ${why}` : `ktest: ${test.name} ended in ${describeExpect(test.expect)} at the marked line, as expected`);
    return why ? 1 : 0;
  }
  const why = describeExit(result, opts.emulator);
  if (why) console.error(`ktest: ${why}`);
  return why ? 1 : 0;
}

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
