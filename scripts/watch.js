#!/usr/bin/env node
// `npm run watch`: builds and boots the kernel, then again every time a source changes, in one
// process: `cargo watch`'s loop for tsk. TypeScript and the compiler stay loaded, and the parsed
// TypeScript library and every unchanged kernel module are shared between builds (front/program.ts),
// so an edit costs the incremental build's changed steps and a boot, not a fresh process loading
// TypeScript and parsing the program again.
// Each boot's serial console goes to this terminal, then one verdict line:
//   watch: boot: ok (1.2 s after the change)      or   watch: <why the boot failed>
// A build error is printed and the watcher waits for the next change. Ctrl-C stops it.
// Watched: boot/ kernel/ linker/ compiler/ (not build/). Environment: as `npm start` (TSK_EMULATOR,
// TSK_MEM, TSK_TIMEOUT, QEMU_MACHINE, QEMU_ACCEL); TSK_TIMEOUT bounds each boot (default 600 s).
"use strict";
require("./lib/help").helpFromHeader(__filename);
const fs = require("fs");
const path = require("path");
const { spawn } = require("child_process");
const { build, BuildError, checkTools, ROOT } = require("./lib/build");
const { QEMU } = require("./lib/qemu");
const { optionsFromEnv, bootCommand, describeExit } = require("./lib/emulator");

const WATCHED = ["boot", "kernel", "linker", "compiler"];
/** Changes closer together than this are one edit (editors write a file in several steps). */
const SETTLE_MS = 50;

function boot(opts, changedAt) {
  const { cmd, args } = bootCommand({ image: path.join(ROOT, "build/tsk.img"), ...opts });
  const child = spawn(cmd, args, { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"] });
  let serial = "";
  let okAt = null;
  let timedOut = false;
  child.stdout.on("data", (d) => {
    process.stdout.write(d);
    serial += d.toString("latin1");
    if (okAt === null && /^boot: ok\r?$/m.test(serial)) okAt = Date.now();
  });
  const timer = opts.timeout ? setTimeout(() => { timedOut = true; child.kill("SIGKILL"); }, opts.timeout * 1000) : null;
  return new Promise((resolve) => {
    child.on("error", (e) => { clearTimeout(timer); resolve(`cannot run ${cmd}: ${e.message}`); });
    child.on("close", (exitCode, signal) => {
      clearTimeout(timer);
      const why = describeExit({ exitCode, signal: timedOut ? null : signal, timedOut, timeout: opts.timeout * 1000 }, opts.emulator);
      resolve(why || `boot: ok (${((okAt - changedAt) / 1000).toFixed(2)} s after the change)`);
    });
  });
}

async function main() {
  let opts;
  try {
    opts = optionsFromEnv();
    if (opts.emulator === "qemu") checkTools([QEMU]);
  } catch (e) {
    console.error(`watch: ${e.message}`);
    return 1;
  }
  if (opts.note) console.error(`watch: ${opts.note}`);
  let pending = Date.now(); // the first round starts at once
  let running = false;
  let settle = null;
  const round = async () => {
    if (running || pending === null) return;
    running = true;
    const changedAt = pending;
    pending = null;
    try {
      build({ log: (l) => console.log(l) });
      console.log(`watch: ${await boot(opts, changedAt)}`);
    } catch (e) {
      if (!(e instanceof BuildError)) throw e;
      console.error(`[build] error: ${e.message}`);
      console.log("watch: build failed; waiting for the next change");
    }
    running = false;
    if (pending !== null) round(); // changed while building or booting
    else console.log(`watch: watching ${WATCHED.join("/ ")}/ (Ctrl-C stops)`);
  };
  for (const dir of WATCHED) {
    fs.watch(path.join(ROOT, dir), { recursive: true }, () => {
      if (pending === null) pending = Date.now();
      clearTimeout(settle);
      settle = setTimeout(round, SETTLE_MS);
    });
  }
  await round();
  // Warm up while nothing changes: the first edit then finds TypeScript loaded, its library parsed
  // and the compiler's code compiled by V8, as every later edit does.
  if (pending === null && !running) {
    try {
      require("../compiler/node/api").compile([path.join(ROOT, "kernel/main.ts")], "kernel", ROOT);
    } catch {}
  }
  return new Promise(() => {}); // until Ctrl-C
}

main().then((code) => {
  if (code) process.exit(code);
});
