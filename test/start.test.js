// `npm start` (scripts/start.js) with QEMU, where its own endings are: a boot that gives no verdict
// within TSK_TIMEOUT is stopped with one line and exit 1; a reader that goes away (`npm start |
// head -1`) stops the boot quietly, with a SIGPIPE-killed writer's status. (Its boot to `boot: ok`
// is README's first command and watch.test.js's; v86's fallback is in v86.test.js.)
"use strict";
const assert = require("assert");
const { spawn } = require("child_process");
const { withSlot } = require("./lib/slots");
const { kernelImage } = require("./lib/images");
const { ROOT } = require("../scripts/lib/build");

/** Runs start.js with `env`; onStdout(chunk, child) sees its output; resolves {code, stdout, stderr}. */
function start(env, onStdout = () => {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["scripts/start.js"], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => {
      stdout += d;
      onStdout(d, child);
    });
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("boot: npm start (scripts/start.js) with QEMU", function () {
  this.timeout(120000);
  before(function () {
    this.timeout(300000);
    kernelImage(); // build/ is current (global setup), so start.js's build does nothing
  });

  it("stops a boot without a verdict after TSK_TIMEOUT seconds, in one line, exit 1", async function () {
    // -m 4G: the self-test's pass over 3 GiB takes longer than the 1 s limit.
    const r = await withSlot(() => start({ TSK_MEM: "4G", TSK_TIMEOUT: "1" }));
    assert.strictEqual(r.code, 1, r.stderr);
    assert.match(r.stdout, /^tsk: /m, "the boot had started");
    assert.doesNotMatch(r.stdout, /^boot: ok/m);
    assert.match(r.stderr, /^start: no verdict from the kernel after 1 s \(QEMU stopped; TSK_TIMEOUT sets the limit\)$/m);
  });

  it("stops the boot quietly when its reader goes away (npm start | head -1): SIGPIPE's status, no EPIPE trace", async function () {
    let closed = false;
    const r = await withSlot(() => start({ TSK_MEM: "16M" }, (d, child) => {
      if (!closed && /\n/.test(String(d))) {
        closed = true;
        child.stdout.destroy(); // the reader's end of the pipe, as head's exit closes it
      }
    }));
    assert.ok(closed, "start printed nothing");
    assert.strictEqual(r.code, 141, r.stderr);
    assert.doesNotMatch(r.stderr, /EPIPE|Error|at /, r.stderr);
  });
});
