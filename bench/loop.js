// The edit-boot loop as a user lives it, and where a boot's time goes. Used by bench/run.js.
//
//  loop       in a scratch copy of the repository (node_modules linked, never the user's tree):
//             `npm run build` and `npm start` with nothing changed; one edited line of
//             kernel/mem/pages.ts (a blank line at its top: every #line below it moves, so tsk,
//             gcc, the link and the image all run again) to `boot: ok`; a cold `tsk check
//             kernel/main.ts` (a new node process) against `tsc --noEmit -p .`, alternating.
//  phases     a boot of the real image with each serial line stamped on arrival (host clock):
//             QEMU start to the kernel's banner (QEMU, SeaBIOS, stage 1 and 2: E820, A20, loading
//             the kernel), then e820/pat, mem, paging, the self-test, `boot: ok` and QEMU's exit.
"use strict";
const fs = require("fs");
const os = require("os");
const path = require("path");
const { spawn, spawnSync } = require("child_process");
const { ROOT } = require("../scripts/lib/build");
const { timedBoot } = require("./timed-boot");
const { scratchCopy } = require("../scripts/lib/scratch");

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const round = (x, d = 0) => Math.round(x * 10 ** d) / 10 ** d;


/** Runs a command in `cwd`; resolves {ms to exit, okMs to a `boot: ok` line or null, status, out}. */
function timed(cmd, args, cwd) {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(cmd, args, { cwd, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let okMs = null;
    const on = (d) => {
      out += d;
      if (okMs === null && /^boot: ok\r?$/m.test(out)) okMs = Number(process.hrtime.bigint() - t0) / 1e6;
    };
    child.stdout.on("data", on);
    child.stderr.on("data", on);
    child.on("error", reject);
    child.on("close", (status) => resolve({ ms: Number(process.hrtime.bigint() - t0) / 1e6, okMs, status, out }));
  });
}

async function must(cmd, args, cwd, what) {
  const r = await timed(cmd, args, cwd);
  if (r.status !== 0) throw new Error(`${what} failed (exit ${r.status}):\n${r.out}`);
  return r;
}

/** The loop's figures (see the header); runs: samples of each, medians reported. */
async function loopFigures({ runs = 3 } = {}) {
  const dir = scratchCopy("tsk-bench-loop-");
  const node = process.execPath;
  try {
    await must(node, ["scripts/build.js"], dir, "the first build");
    const build = [];
    const start = [];
    const npmStart = [];
    const edit = [];
    const check = [];
    const tsc = [];
    const pages = path.join(dir, "kernel/mem/pages.ts");
    const original = fs.readFileSync(pages, "utf8");
    for (let i = 0; i < runs; i++) {
      const b = await must(node, ["scripts/build.js"], dir, "npm run build");
      if (!/\[build\] up to date/.test(b.out)) throw new Error(`a build with nothing changed did work:\n${b.out}`);
      build.push(b.ms);
      start.push((await must(node, ["scripts/start.js"], dir, "npm start")).okMs);
      npmStart.push((await must("npm", ["start", "--silent"], dir, "npm start")).okMs);
      // One edited line: a blank line at the top, then taken away again (both are edits).
      fs.writeFileSync(pages, i % 2 ? original : `\n${original}`);
      const e = await must(node, ["scripts/start.js"], dir, "npm start after an edit");
      if (!/\[build\] tsk .*\n\[build\] gcc /.test(e.out)) throw new Error(`the edit did not rebuild the kernel:\n${e.out}`);
      edit.push(e.okMs);
      check.push((await must(node, ["compiler/bin/tsk.js", "check", "kernel/main.ts"], dir, "tsk check")).ms);
      tsc.push((await must(node, [path.join(ROOT, "node_modules/typescript/bin/tsc"), "--noEmit", "-p", "."], dir, "tsc")).ms);
    }
    const watch = await watchEdits(dir, pages, original, runs);
    const m = (xs) => round(median(xs));
    return {
      runs,
      buildNothingChangedMs: m(build),
      startNothingChangedMs: m(start),
      npmStartNothingChangedMs: m(npmStart),
      editToBootOkMs: m(edit),
      watchEditToBootOkMs: m(watch),
      tskCheckColdMs: m(check),
      tscNoEmitMs: m(tsc),
      tskOverTsc: round(median(check) / median(tsc), 2),
      samples: { build, start, npmStart, edit, watch, check, tsc },
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** `npm run watch` in the scratch copy: from writing an edited line to the `boot: ok` that follows. */
function watchEdits(dir, file, original, runs) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["scripts/watch.js"], { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
    const samples = [];
    let out = "";
    let editAt = null;
    let edits = 0;
    const edit = () => {
      edits++;
      editAt = process.hrtime.bigint();
      fs.writeFileSync(file, edits % 2 ? `\n${original}` : original);
    };
    const fail = (why) => {
      child.kill("SIGKILL");
      reject(new Error(`npm run watch: ${why}:\n${out}`));
    };
    const timer = setTimeout(() => fail("no verdict within 300 s"), 300000);
    child.stdout.on("data", (d) => {
      out += d;
      if (/^boot: ok\r?$/m.test(String(d)) && editAt !== null) {
        samples.push(Number(process.hrtime.bigint() - editAt) / 1e6);
        editAt = null;
      }
      if (/^watch: (build failed|(?!boot: ok|watching)\S)/m.test(String(d))) return fail("a round failed");
      if (/^watch: watching /m.test(String(d))) {
        if (samples.length === runs) {
          clearTimeout(timer);
          child.kill("SIGKILL");
          fs.writeFileSync(file, original);
          resolve(samples);
        } else setTimeout(edit, 200);
      }
    });
    child.stderr.on("data", (d) => (out += d));
  });
}

const PHASES = [
  ["loader", "QEMU start to the kernel's banner (QEMU, SeaBIOS, stage 1 and 2)", /^tsk: /],
  ["e820+pat", "banner to the pat: line (read, print and sanitise the map, build the PAT)", /^pat: /],
  ["mem", "pat: to mem:", /^mem: /],
  ["paging", "mem: to paging: (identity tables, CR3, CR0.PG)", /^paging: /],
  ["selftest", "paging: to selftest: (take every free page, zeroed and checked, give all back)", /^selftest: /],
  ["report", "selftest: to boot: ok", /^boot: ok/],
  ["exit", "boot: ok to QEMU's exit", null],
];

/** One boot of `image` with the time each phase's line arrived. */
async function stampedBoot(image, mem, args) {
  const run = await timedBoot({ emulator: "qemu", image, mem, args });
  const at = {};
  for (const { ms, text } of run.lines) {
    for (const [name, , re] of PHASES) if (re && at[name] === undefined && re.test(text)) at[name] = ms;
  }
  at.exit = run.ms;
  return at;
}

/** Median time of each boot phase over `runs` boots at `mem` (ms), in PHASES order; args: more
 *  QEMU arguments (-mem-prealloc: the guest's RAM touched by QEMU before the boot starts). */
async function bootPhases(image, { runs = 11, mem = "128M", args = [] } = {}) {
  const samples = [];
  await stampedBoot(image, mem, args); // warm-up
  for (let i = 0; i < runs; i++) samples.push(await stampedBoot(image, mem, args));
  const phases = [];
  let prev = () => 0;
  for (const [name, what] of PHASES) {
    const p = prev;
    const durations = samples.map((s) => s[name] - p(s));
    if (durations.some((d) => !Number.isFinite(d))) throw new Error(`a boot printed no line for phase ${name}`);
    phases.push({ phase: name, what, ms: round(median(durations), 1) });
    prev = (s) => s[name];
  }
  return { runs, mem, phases, totalMs: round(median(samples.map((s) => s.exit)), 1) };
}

module.exports = { loopFigures, bootPhases, PHASES };
