// Where `npm test`'s time goes: a mocha root-hook plugin that, when TSK_TEST_TIMES names a file,
// appends one JSON line per test and per test file (wall start/end, worker pid, the worker's own CPU
// and its finished children's: gcc, QEMU, tsk run...) and test/lib/slots.js one per emulator slot
// held (how long it waited, how long it held). `node test/lib/timing-report.js <file>` summarises
// them. Without the variable it does nothing (.mocharc.js always loads it).
"use strict";
const fs = require("fs");

const OUT = process.env.TSK_TEST_TIMES;

/** This process's CPU seconds: its own, and its waited-for children's (from /proc/self/stat). */
function cpu() {
  try {
    const f = fs.readFileSync("/proc/self/stat", "utf8").split(") ")[1].split(" ");
    // utime, stime, cutime, cstime are fields 14-17; here (after "pid (comm) ") indices 11-14.
    const tick = 100;
    return { self: (Number(f[11]) + Number(f[12])) / tick, children: (Number(f[13]) + Number(f[14])) / tick };
  } catch {
    const u = process.cpuUsage();
    return { self: (u.user + u.system) / 1e6, children: 0 };
  }
}

function record(entry) {
  if (!OUT) return;
  fs.appendFileSync(OUT, JSON.stringify({ pid: process.pid, ...entry }) + "\n");
}

function fileOf(suite) {
  if (suite.file) return suite.file;
  for (const t of suite.tests) if (t.file) return t.file;
  for (const s of suite.suites) {
    const f = fileOf(s);
    if (f) return f;
  }
  return undefined;
}

let fileStart;
const testStart = new Map();

exports.record = record;
exports.cpu = cpu;
exports.mochaHooks = OUT
  ? {
      beforeAll() {
        fileStart = { t: Date.now(), cpu: cpu() };
      },
      afterAll() {
        const end = cpu();
        record({
          kind: "file", file: fileOf(this.test.parent), start: fileStart.t, end: Date.now(),
          cpu: end.self - fileStart.cpu.self, childCpu: end.children - fileStart.cpu.children,
        });
      },
      beforeEach() {
        testStart.set(this.currentTest, { t: Date.now(), cpu: cpu() });
      },
      afterEach() {
        const t = this.currentTest;
        const s = testStart.get(t) || { t: Date.now(), cpu: cpu() };
        const end = cpu();
        record({
          kind: "test", file: t.file, title: t.fullTitle(), state: t.state, start: s.t, end: Date.now(),
          cpu: end.self - s.cpu.self, childCpu: end.children - s.cpu.children,
        });
      },
    }
  : {};
