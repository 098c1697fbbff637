#!/usr/bin/env node
// `npm run watch`: builds and boots the kernel, then again every time a source changes, in one
// process: `cargo watch`'s loop for tsk. TypeScript and the compiler stay loaded, and the parsed
// TypeScript library and every unchanged kernel module are shared between builds (front/program.ts),
// so an edit costs the incremental build's changed steps and a boot, not a fresh process loading
// TypeScript and parsing the program again.
// Each boot's serial console goes to this terminal, then one verdict line:
//   watch: boot: ok (1.2 s after the change)      or   watch: <why the boot failed>
// A build error is printed and the watcher waits for the next change. Ctrl-C stops it.
// With QEMU, the next round's QEMU is started as soon as a boot ends and kept paused; the first
// change lets it run SeaBIOS while the build runs, and the built image boots in it
// (scripts/lib/warm-qemu.js): QEMU's start, the BIOS and the host's page faults on the guest's
// RAM (prealloc) are off the edit's critical path.
// Watched: boot/ kernel/ linker/ compiler/ (not build/). Environment: as `npm start` (TSK_EMULATOR,
// TSK_MEM, TSK_TIMEOUT, QEMU_MACHINE, QEMU_ACCEL); TSK_TIMEOUT bounds each boot (default 600 s).
// TSK_WATCH_TIMES=1: after each verdict, one `[watch] times` line on stderr with when each part of
// the round ended, in ms from the edited file's modification time (where the edit's time goes).
"use strict";
require("./lib/help").helpFromHeader(__filename);
const fs = require("fs");
const path = require("path");
const { build, BuildError, checkTools, ROOT } = require("./lib/build");
const { QEMU } = require("./lib/qemu");
const { optionsFromEnv, bootCommand, spawnEmulator, awaitBoot, describeExit } = require("./lib/emulator");
const { WarmQemu } = require("./lib/warm-qemu");

const WATCHED = ["boot", "kernel", "linker", "compiler"];
/** Changes closer together than this are one edit (editors write a file in several steps). */
const SETTLE_MS = 50;

const IMAGE = path.join(ROOT, "build/tsk.img");

const TIMES = Boolean(process.env.TSK_WATCH_TIMES);

/** Boots the image: in `warm` (a child already running it, from WarmQemu.go) or a new emulator.
 *  marks: gets `boot: ok` with its time. Resolves the round's verdict line. */
async function boot(opts, changedAt, warm, marks = []) {
  const { cmd, args } = bootCommand({ image: IMAGE, ...opts });
  const child = warm || spawnEmulator(cmd, args, { cwd: ROOT });
  let serial = "";
  let okAt = null;
  const r = await awaitBoot(child, {
    timeout: opts.timeout,
    onSerial: (d) => {
      process.stdout.write(d);
      serial += d.toString("latin1");
      if (okAt === null && /^boot: ok\r?$/m.test(serial)) marks.push(["boot: ok", (okAt = Date.now())]);
    },
  });
  if (r.error) return `cannot run ${cmd}: ${r.error.message}`;
  const why = describeExit({ ...r, timeout: opts.timeout * 1000 }, opts.emulator);
  return why || `boot: ok (${((okAt - changedAt) / 1000).toFixed(2)} s after the change)`;
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
  let editTime = null; // TSK_WATCH_TIMES: the first changed file's mtime
  // The next round's QEMU: {qemu, resumed (a promise once it was let run)}, or null.
  let warm = null;
  const startWarm = (paused) => {
    if (opts.emulator !== "qemu") return null;
    let size = 0;
    try {
      size = fs.statSync(IMAGE).size;
    } catch {
      return null; // no image yet: the first round boots cold
    }
    const qemu = new WarmQemu({ opts, imageBytes: size, seed: IMAGE, paused, prealloc: true });
    return { qemu, resumed: paused ? null : Promise.resolve() };
  };
  /** Lets a paused warm QEMU run (once): SeaBIOS then starts while the build runs. */
  const resume = (w) => {
    if (w && !w.resumed) w.resumed = w.qemu.resume().catch(() => {});
  };
  const stop = () => {
    if (warm) warm.qemu.discard();
    process.exit(130);
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  const round = async () => {
    if (running || pending === null) return;
    running = true;
    const changedAt = pending;
    const marks = [["event", changedAt], ["settled", Date.now()]];
    const editedAt = editTime;
    pending = null;
    const mine = warm || startWarm(false);
    warm = null;
    if (mine) {
      resume(mine);
      await mine.resumed; // SeaBIOS runs while this process builds (the build is synchronous)
    }
    try {
      build({ log: (l) => {
        marks.push([l.split(/\s+/)[1], Date.now()]);
        console.log(l);
      } });
      marks.push(["built", Date.now()]);
      const child = mine ? await mine.qemu.go(IMAGE) : null;
      marks.push([child ? "warm qemu booting" : "cold qemu", Date.now()]);
      console.log(`watch: ${await boot(opts, changedAt, child, marks)}`);
      if (TIMES) console.error(`[watch] times (ms after the edit, each mark the start of what follows): ${marks.map(([what, at]) => `${what} ${Math.round(at - (editedAt || changedAt))}`).join(", ")}`);
    } catch (e) {
      if (mine) mine.qemu.discard();
      if (!(e instanceof BuildError)) throw e;
      console.error(`[build] error: ${e.message}`);
      console.log("watch: build failed; waiting for the next change");
    }
    warm = startWarm(true);
    if (pending !== null) resume(warm);
    running = false;
    if (pending !== null) round(); // changed while building or booting
    else console.log(`watch: watching ${WATCHED.join("/ ")}/ (Ctrl-C stops)`);
  };
  for (const dir of WATCHED) {
    fs.watch(path.join(ROOT, dir), { recursive: true }, (event, name) => {
      if (pending === null) {
        pending = Date.now();
        editTime = null;
        try {
          if (TIMES && name) editTime = fs.statSync(path.join(ROOT, dir, name)).mtimeMs;
        } catch {}
      }
      resume(warm);
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
