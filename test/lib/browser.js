// Chromium for the page tests (scripts/lib/chromium.js finds and starts it): a suite without a
// browser on this machine is skipped with the reason, never failed.
"use strict";
const { findChromium, noChromium, launchChromium, BROWSERS, BROWSER_ARGS } = require("../../scripts/lib/chromium");

/** In a mocha `before`: launches Chromium, or skips the suite saying why when there is none. */
async function launchOrSkip(ctx) {
  const executablePath = findChromium();
  if (!executablePath) {
    console.log(`      (${noChromium()})`);
    ctx.skip();
  }
  return launchChromium(executablePath);
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
