// Chromium for the page tests (scripts/lib/chromium.js finds and starts it): a suite without a
// browser on this machine is skipped with the reason, never failed.
"use strict";
const { findChromium, noChromium, launchChromium, BROWSERS, BROWSER_ARGS } = require("../../scripts/lib/chromium");

// The page tests' Chromium runs wasm on V8's baseline compiler only, as scripts/lib/v86.js runs
// the v86 boots in Node: the optimising tier recompiles v86 and the code it makes of the guest in
// the background, for a boot too short to repay it. Measured here, the page's boot of tsk.img
// (128 MiB) took 4.7-5.3 s of Chromium's CPU with it and 1.3-2.3 s without; the emulator and
// what it computes are the same. (npm run bench launches Chromium as a user's: without the flag.)
const TEST_ARGS = ["--js-flags=--liftoff-only"];

/** In a mocha `before`: launches Chromium, or skips the suite saying why when there is none. */
async function launchOrSkip(ctx) {
  const executablePath = findChromium();
  if (!executablePath) {
    console.log(`      (${noChromium()})`);
    ctx.skip();
  }
  return launchChromium(executablePath, TEST_ARGS);
}

/** The playground console's text once it shows the line `last` (or after 10 s without it, for the
 *  caller's assertion to show): xterm.js draws what it was given on its next animation frame, so the
 *  kernel may have exited a frame before its last lines are on screen. */
async function screenText(page, last = "boot: ok") {
  const rows = "#terminal .xterm-rows";
  await page.waitForFunction(([sel, line]) => document.querySelector(sel).innerText.split("\n").some((l) => l.trimEnd() === line), [rows, last], { timeout: 10000 }).catch(() => {});
  return page.evaluate((sel) => document.querySelector(sel).innerText, rows);
}

module.exports = { launchOrSkip, screenText, BROWSERS, BROWSER_ARGS };
