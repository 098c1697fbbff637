// npm run bench's v86 section: the second emulator's boot time against QEMU's, and the playground's
// time to `boot: ok` in a browser.
//   v86 vs QEMU  wall time from spawning the emulator to the `boot: ok` line on its stdout, the
//                same image (build/tsk.img, the real kernel, 128 MiB), runs alternating, medians,
//                ratio (the goal: v86 <= 2x QEMU).
//   browser      the playground page (playground/server.js) in Debian's Chromium through
//                playwright-core: from navigation start to the page having parsed `boot: ok`
//                (performance.now() in the page, dataset.bootOkMs), median of a few loads; and
//                in each load, the editor's Boot pressed once the editor is ready: the whole JS
//                build in the page (check, i386 backend, assemble, link, image) from the press
//                to the image (dataset.buildMs; issue 13's goal: <= 3 s).
"use strict";
const path = require("path");
const { spawn } = require("child_process");
const { timedBoot } = require("./timed-boot");
const { findChromium, noChromium, launchChromium } = require("../scripts/lib/chromium");
const { ROOT } = require("../scripts/lib/build");


const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const round = (x) => Number(x.toFixed(1));

/** One boot; resolves the ms from spawn to the `boot: ok` line (rejects on any other ending). */
async function timeBoot(emulator, image, mem) {
  const run = await timedBoot({ emulator, image, mem });
  if (run.okMs === null) throw new Error(`${emulator}: ${path.relative(ROOT, image)} exited without boot: ok\n--- serial ---\n${run.serial}`);
  return run.okMs;
}

/** v86 against QEMU on `image`: one warm-up each (page cache, first starts), then `runs`
 *  alternating pairs. warmup: false is for the test that only checks the section runs. */
async function emulatorFigures(image, { runs, mem = "128M", warmup = true }) {
  if (warmup) {
    await timeBoot("qemu", image, mem);
    await timeBoot("v86", image, mem);
  }
  const qemu = [];
  const v86 = [];
  for (let i = 0; i < runs; i++) {
    qemu.push(round(await timeBoot("qemu", image, mem)));
    v86.push(round(await timeBoot("v86", image, mem)));
  }
  const qemuMs = median(qemu);
  const v86Ms = median(v86);
  const ratio = Number((v86Ms / qemuMs).toFixed(2));
  return { mem, runs, qemuMs, v86Ms, ratio, goal: { limit: 2, met: ratio <= 2 }, qemuSamplesMs: qemu, v86SamplesMs: v86 };
}

/** The playground in Chromium: ms from navigation start to `boot: ok`, median of `runs` loads;
 *  {skipped: why} when no Chromium is installed. */
async function browserFigures({ runs = 3 } = {}) {
  const executablePath = findChromium();
  if (!executablePath) return { skipped: noChromium() };
  const server = spawn(process.execPath, [path.join(ROOT, "playground/server.js"), "--port", "0"], { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"] });
  const url = await new Promise((resolve, reject) => {
    let out = "";
    server.stdout.on("data", (d) => {
      out += d;
      const m = /^playground: (http:\S+\/)/m.exec(out);
      if (m) resolve(m[1]);
    });
    server.on("close", (code) => reject(new Error(`playground server exited ${code}`)));
  });
  const browser = await launchChromium(executablePath);
  try {
    const samples = [];
    const builds = [];
    for (let i = 0; i < runs; i++) {
      const page = await browser.newPage();
      await page.goto(url);
      await page.waitForFunction(() => !["loading", "running"].includes(document.body.dataset.state), null, { timeout: 120000 });
      const ms = await page.evaluate(() => Number(document.body.dataset.bootOkMs));
      if (!Number.isFinite(ms)) throw new Error(`the playground ended ${await page.evaluate(() => document.body.dataset.state)} without boot: ok`);
      samples.push(round(ms));
      await page.waitForFunction(() => document.body.dataset.editor, null, { timeout: 120000 });
      await page.click("#boot-button");
      const build = await page.evaluate(() => Number(document.body.dataset.buildMs));
      if (!Number.isFinite(build)) throw new Error(`the page's Boot built no image: ${await page.textContent("#build-status")}`);
      builds.push(round(build));
      await page.close();
    }
    return { runs, browser: path.basename(executablePath), version: browser.version(), ms: median(samples), samplesMs: samples,
      buildMs: median(builds), buildSamplesMs: builds, buildGoal: { limitMs: 3000, met: median(builds) <= 3000 } };
  } finally {
    await browser.close();
    server.kill();
  }
}

/** The section as text lines for the table. */
function describeFigures(e, b) {
  const lines = [`v86 vs QEMU, spawn to "boot: ok", median of ${e.runs} alternating runs (-m ${e.mem}, same image):`,
    `  QEMU ${e.qemuMs.toFixed(0)} ms, v86 ${e.v86Ms.toFixed(0)} ms, ratio ${e.ratio.toFixed(2)} (goal <= ${e.goal.limit}x: ${e.goal.met ? "met" : "NOT met"})`];
  lines.push(b.skipped ? `  browser: skipped, ${b.skipped}`
    : `  playground in ${b.browser} ${b.version}: page load to "boot: ok" ${b.ms.toFixed(0)} ms (median of ${b.runs}); ` +
      `JS build in the page, Boot to image ${b.buildMs.toFixed(0)} ms (goal <= ${b.buildGoal.limitMs} ms: ${b.buildGoal.met ? "met" : "NOT met"})`);
  return lines;
}

module.exports = { emulatorFigures, browserFigures, describeFigures, timeBoot };
