// At most two emulators at once across the whole test run, whatever runs them (mocha's parallel
// workers, a suite booting several at a time): on these 2-core machines a third only slows every
// boot down, and timeouts become flaky. A slot is a file created exclusively in a directory made
// for this run (test/global-setup.js puts its path in TSK_EMULATOR_SLOTS, which the workers
// inherit), so a previous run's leftovers can never block this one. Without the variable (a test
// file run alone) the limit holds within the process only.
"use strict";
const fs = require("fs");
const path = require("path");

const SLOTS = 2;
// Slot waits and holds for test/lib/timing.js (only when TSK_TEST_TIMES is set).
const timing = process.env.TSK_TEST_TIMES ? require("./timing") : null;
const held = new Set();
let local = 0;

process.on("exit", () => {
  for (const f of held) {
    try {
      fs.unlinkSync(f);
    } catch {}
  }
});

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Resolves with a release function once one of the run's emulator slots is this caller's. */
async function acquire() {
  if (!timing) return acquireSlot();
  const asked = Date.now();
  const release = await acquireSlot();
  const got = Date.now();
  return () => {
    release();
    timing.record({ kind: "slot", asked, got, end: Date.now() });
  };
}

async function acquireSlot() {
  const dir = process.env.TSK_EMULATOR_SLOTS;
  for (;;) {
    if (!dir) {
      if (local < SLOTS) {
        local++;
        let done = false;
        return () => {
          if (!done) local--;
          done = true;
        };
      }
    } else {
      for (let i = 0; i < SLOTS; i++) {
        const file = path.join(dir, `slot-${i}`);
        try {
          fs.writeFileSync(file, String(process.pid), { flag: "wx" });
        } catch (e) {
          if (e.code === "EEXIST") continue;
          throw e;
        }
        held.add(file);
        return () => {
          if (!held.delete(file)) return;
          try {
            fs.unlinkSync(file);
          } catch {}
        };
      }
    }
    await sleep(25);
  }
}

/** Runs `fn` (returning a promise) holding an emulator slot. */
async function withSlot(fn) {
  const release = await acquire();
  try {
    return await fn();
  } finally {
    release();
  }
}

module.exports = { acquire, withSlot, SLOTS };
