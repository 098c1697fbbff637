// scripts/setup's decisions, run for real with a PATH built for each case: which tools it insists
// on, which it only warns about (gdb, needed by `npm run debug` alone), and what it says it
// installed. apt-get is replaced by a script that "installs" a package by putting an executable
// of that name on the PATH, so the test never touches the machine's packages.
"use strict";
const assert = require("assert");
const fs = require("fs");
const os = require("os");
const path = require("path");
const { spawnSync } = require("child_process");
const { ROOT } = require("../scripts/lib/build");

/** A PATH directory holding links to every tool of the machine except `without`. */
function pathWithout(dir, without) {
  if (fs.existsSync(dir)) return dir; // made by an earlier test, with the same `without`
  fs.mkdirSync(dir, { recursive: true });
  for (const bin of ["/usr/local/bin", "/usr/bin", "/bin"]) {
    if (!fs.existsSync(bin)) continue;
    for (const name of fs.readdirSync(bin)) {
      const link = path.join(dir, name);
      if (!without.includes(name) && !fs.existsSync(link)) fs.symlinkSync(path.join(bin, name), link);
    }
  }
  return dir;
}

function setup(args, env) {
  return spawnSync(path.join(ROOT, "scripts/setup"), args, { cwd: ROOT, encoding: "utf8", env: { ...process.env, ...env } });
}

describe("setup (scripts/setup, Node only)", function () {
  let tmp;
  before(() => (tmp = fs.mkdtempSync(path.join(os.tmpdir(), "tsk-setup-"))));
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it("--help prints the usage and exits 0", function () {
    const r = setup(["--help"]);
    assert.strictEqual(r.status, 0, r.stderr);
    assert.match(r.stdout, /^scripts\/setup: makes this machine able to build/);
  });

  it("gdb missing and not installable is a warning, not a failure (only npm run debug needs it)", function () {
    const dir = pathWithout(path.join(tmp, "no-gdb"), ["gdb", "apt-get"]);
    const r = setup(["--quiet"], { PATH: dir });
    assert.strictEqual(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stderr, /warning: gdb is missing and cannot be installed here: everything but `npm run debug` works/);
  });

  it("--debug (npm run debug) makes a missing gdb a failure", function () {
    // The same PATH as the test above (pathWithout does nothing more for a directory it filled).
    const dir = pathWithout(path.join(tmp, "no-gdb"), ["gdb", "apt-get"]);
    const r = setup(["--quiet", "--debug"], { PATH: dir });
    assert.strictEqual(r.status, 1, r.stdout + r.stderr);
    assert.match(r.stderr, /missing gdb and apt-get is not available/);
  });

  it("names what it installed (not an empty list)", function () {
    if (process.getuid() !== 0) this.skip(); // setup only installs as root
    const dir = pathWithout(path.join(tmp, "fake-apt"), ["nasm", "apt-get"]);
    const log = path.join(tmp, "apt.log");
    // apt-get: `update` does nothing, `install ... PKG` creates an executable named after each package.
    fs.writeFileSync(path.join(dir, "apt-get"), `#!/bin/bash
echo "$*" >> ${log}
[[ $1 == install ]] || exit 0
for p in "$@"; do [[ $p == -* || $p == install ]] && continue; printf '#!/bin/sh\\n' > ${dir}/$p; chmod +x ${dir}/$p; done
`, { mode: 0o755 });
    const r = setup(["--quiet"], { PATH: dir });
    assert.strictEqual(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /^setup: missing: nasm; installing Debian packages: nasm$/m);
    assert.match(r.stdout, /^setup: installed nasm$/m);
    assert.match(fs.readFileSync(log, "utf8"), /^install -y -q --no-install-recommends nasm$/m);
  });

  it("an unknown argument is a usage error, exit 2", function () {
    const r = setup(["--frobnicate"]);
    assert.strictEqual(r.status, 2);
    assert.match(r.stderr, /unknown argument: --frobnicate/);
  });
});

describe("setup: every command answers --help with its usage, exit 0, doing nothing else", function () {
  this.timeout(60000);
  const COMMANDS = [
    "scripts/setup", "scripts/start.js", "scripts/build.js", "scripts/ktest.js", "scripts/debug.js",
    "scripts/simulate.js", "scripts/check.js", "scripts/gen-ktest.js", "scripts/gen-boot-info.js",
    "scripts/v86-boot.js", "bench/run.js", "bench/compiler.js", "playground/server.js",
    "compiler/bin/tsk.js", "toolchain/asm/cli.js", "toolchain/link/cli.js",
  ];
  for (const c of COMMANDS) {
    it(c, function () {
      const cmd = c.endsWith(".js") ? process.execPath : path.join(ROOT, c);
      const args = c.endsWith(".js") ? [path.join(ROOT, c), "--help"] : ["--help"];
      const cwd = fs.mkdtempSync(path.join(os.tmpdir(), "tsk-help-"));
      try {
        const r = spawnSync(cmd, args, { cwd, encoding: "utf8", timeout: 30000 });
        assert.strictEqual(r.status, 0, `${c} --help: exit ${r.status}\n${r.stdout}${r.stderr}`);
        assert.match(r.stdout, /usage|npm run|node |tsk /i, `${c} --help printed no usage:\n${r.stdout}`);
        assert.deepStrictEqual(fs.readdirSync(cwd), [], `${c} --help wrote files`);
      } finally {
        fs.rmSync(cwd, { recursive: true, force: true });
      }
    });
  }
});
