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

module.exports = { launchOrSkip, BROWSERS, BROWSER_ARGS };
