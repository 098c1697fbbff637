// `npm run watch` (scripts/watch.js) in a scratch copy of the repository: it builds and boots once,
// then, after a kernel file changes, rebuilds what changed and boots again, each boot ending in its
// verdict line; a build error is printed and it goes on watching.
"use strict";
const assert = require("assert");
const fs = require("fs");
const os = require("os");
const path = require("path");
const { spawn } = require("child_process");
const { ROOT } = require("../scripts/lib/build");
const { withSlot } = require("./lib/slots");

const { scratchCopy } = require("../scripts/lib/scratch");

describe("boot: npm run watch", function () {
  this.timeout(300000);
  it("boots, rebuilds and boots again after an edit, and survives a build error", async function () {
    const dir = scratchCopy("tsk-watch-");
    let child;
    try {
      await withSlot(async () => {
        // -m 16M (TSK_MEM, as for npm start): the loop is the claim, and each boot's memory
        // self-test then covers 16 MiB instead of the default 128.
        const env = { ...process.env, TSK_MEM: "16M" };
        delete env.QEMU_MEM;
        child = spawn(process.execPath, ["scripts/watch.js"], { cwd: dir, env, stdio: ["ignore", "pipe", "pipe"] });
        let out = "";
        child.stdout.on("data", (d) => (out += d));
        child.stderr.on("data", (d) => (out += d));
        const waitFor = (re, from) => new Promise((resolve, reject) => {
          const started = Date.now();
          const poll = setInterval(() => {
            const m = re.exec(out.slice(from));
            if (m) { clearInterval(poll); resolve(from + m.index + m[0].length); }
            else if (Date.now() - started > 120000) { clearInterval(poll); reject(new Error(`no ${re} after 120 s:\n${out}`)); }
          }, 50);
        });
        let at = await waitFor(/^watch: watching /m, 0);
        assert.match(out, /^boot: ok\r?$/m);
        assert.match(out, /^watch: boot: ok \(\d+\.\d\d s after the change\)$/m);
        const pages = path.join(dir, "kernel/mem/pages.ts");
        const good = fs.readFileSync(pages, "utf8");
        fs.writeFileSync(pages, `\n${good}`);
        at = await waitFor(/^watch: watching /m, at);
        const second = out.slice(0, at);
        assert.match(second.split("watch: watching ")[1], /\[build\] gcc .*[\s\S]*watch: boot: ok/);
        fs.writeFileSync(pages, `${good}\nvar broken = 1;\n`);
        at = await waitFor(/^watch: build failed; waiting for the next change$/m, at);
        assert.match(out, /error TSK1011/);
        // Fixed as the last good build had it: the next change builds and boots again. (The same
        // text as that build's: tsk runs again and gives the same C, so gcc and the link are not
        // run a third time for what the edit above already proved.)
        fs.writeFileSync(pages, `\n${good}`);
        await waitFor(/^watch: boot: ok /m, at);
      });
    } finally {
      if (child) child.kill("SIGKILL");
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
