// Where Chromium is and how to start it: Debian's chromium-headless-shell (scripts/setup installs it
// as root) or chromium, driven by playwright-core (playwright's own browser download is unreachable
// here); CHROMIUM_PATH wins. The flags keep Chromium off the network this machine does not have.
// The page tests (test/lib/browser.js) and the benchmark (bench/v86.js) both launch it from here.
"use strict";
const fs = require("fs");

const BROWSERS = [process.env.CHROMIUM_PATH, "/usr/bin/chromium-headless-shell", "/usr/bin/chromium"].filter(Boolean);
const BROWSER_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
  "--disable-component-update", "--disable-sync", "--no-first-run"];

/** The first Chromium found, or null. */
const findChromium = () => BROWSERS.find((p) => fs.existsSync(p)) || null;

/** Why there is no Chromium, in one line. */
const noChromium = () => `no Chromium at ${BROWSERS.join(", ")} (scripts/setup installs Debian's chromium-headless-shell as root)`;

/** Launches the Chromium at `executablePath` through playwright-core, with `extraArgs` after ours. */
function launchChromium(executablePath, extraArgs = []) {
  const { chromium } = require("playwright-core");
  return chromium.launch({ executablePath, args: [...BROWSER_ARGS, ...extraArgs] });
}

module.exports = { findChromium, noChromium, launchChromium, BROWSERS, BROWSER_ARGS };
