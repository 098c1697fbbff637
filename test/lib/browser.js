// Chromium for the page tests: Debian's chromium-headless-shell (scripts/setup installs it as root)
// or chromium, driven by playwright-core (playwright's own browser download is unreachable here);
// CHROMIUM_PATH wins. The flags keep Chromium off the network this machine does not have.
"use strict";
const fs = require("fs");

const BROWSERS = [process.env.CHROMIUM_PATH, "/usr/bin/chromium-headless-shell", "/usr/bin/chromium"].filter(Boolean);
const BROWSER_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
  "--disable-component-update", "--disable-sync", "--no-first-run"];

/** In a mocha `before`: launches Chromium, or skips the suite saying why when there is none. */
async function launchOrSkip(ctx) {
  const executablePath = BROWSERS.find((p) => fs.existsSync(p));
  if (!executablePath) {
    console.log(`      (no Chromium at ${BROWSERS.join(", ")}: scripts/setup installs Debian's chromium-headless-shell as root)`);
    ctx.skip();
  }
  const { chromium } = require("playwright-core");
  return chromium.launch({ executablePath, args: BROWSER_ARGS });
}

module.exports = { launchOrSkip, BROWSERS, BROWSER_ARGS };
