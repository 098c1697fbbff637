// The QEMU test harness: test/lib/emu.js's boot() with QEMU, the default emulator (kept as its own
// module for the suites that only ever boot QEMU).
"use strict";
module.exports = require("./emu");
