// Once per `npm test`, before mocha's parallel workers start: a fresh directory for the emulator
// slots (test/lib/slots.js; the workers inherit TSK_EMULATOR_SLOTS), and the shared images built
// (test/lib/images.js), so no two workers build the same directory at once.
"use strict";
const fs = require("fs");
const os = require("os");
const path = require("path");

exports.mochaGlobalSetup = function () {
  const started = Date.now();
  process.env.TSK_EMULATOR_SLOTS = fs.mkdtempSync(path.join(os.tmpdir(), "tsk-emulator-slots-"));
  const { kernelImage, ktestImage } = require("./lib/images");
  const { which } = require("../scripts/lib/build");
  // Where the tools are missing the boot suites say so themselves; nothing to share then.
  // A build that fails here is not the run's end: each suite that needs the image builds it again
  // and fails with the error, and the rest of the suite still runs.
  if (["gcc", "ld", "nasm", "objcopy"].every((t) => which(t))) {
    for (const image of [kernelImage, ktestImage]) {
      try {
        image();
      } catch (e) {
        console.error(`global setup: ${image.name}: ${e.message.split("\n")[0]} (the suites that need it will fail with the whole error)`);
      }
    }
  }
  require("./lib/timing").record({ kind: "setup", start: started, end: Date.now() });
};

exports.mochaGlobalTeardown = function () {
  if (process.env.TSK_EMULATOR_SLOTS) fs.rmSync(process.env.TSK_EMULATOR_SLOTS, { recursive: true, force: true });
};
