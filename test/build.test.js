// The incremental build (scripts/lib/build.js over scripts/lib/steps.js), in a scratch copy of the
// repository so the edits never touch the real tree: with nothing changed nothing runs and
// `npm run build` says so; a touched but unchanged file runs nothing; a comment edited at the end of
// a kernel file re-runs tsk only (the C comes out the same, so the chain stops); a moved line
// re-runs tsk, gcc, the link and the image, and nothing else. The first build is two processes
// racing for the directory: they take turns, and both succeed. Also the compiler's transpile cache.
"use strict";
const assert = require("assert");
const fs = require("fs");
const os = require("os");
const path = require("path");
const { spawn, spawnSync } = require("child_process");
const { ROOT } = require("../scripts/lib/build");

const { scratchCopy } = require("../scripts/lib/scratch");

describe("build: incremental, keyed by content", function () {
  this.timeout(300000);
  let dir;
  let build;
  let race;
  const ran = () => build({ log: null }).ran;

  before(async function () {
    dir = scratchCopy("tsk-build-");
    ({ build } = require(path.join(dir, "scripts/lib/build")));
    // The first build, which does everything, is two processes racing for the directory (the
    // first test's claim): `npm run build` in a child and build() in this one, which blocks this
    // thread until it is done, so the child's output is read afterwards. Whichever takes the lock
    // first builds; the rest of the suite starts from what they left (and this process keeps the
    // compiler it loaded).
    const child = new Promise((resolve) => {
      const p = spawn(process.execPath, ["scripts/build.js"], { cwd: dir });
      let out = "";
      p.stdout.on("data", (d) => (out += d));
      p.stderr.on("data", (d) => (out += d));
      p.on("close", (status) => resolve({ status, out }));
    });
    const here = { status: 0, out: "" };
    try {
      build({ log: (line) => (here.out += `${line}\n`) });
    } catch (e) {
      here.status = 1;
      here.out += e.stack;
    }
    race = [here, await child];
  });
  after(() => dir && fs.rmSync(dir, { recursive: true, force: true }));

  it("the first build: two processes racing for the same directory take turns and both succeed", function () {
    const [a, b] = race;
    assert.strictEqual(a.status, 0, a.out);
    assert.strictEqual(b.status, 0, b.out);
    // One of them built everything; the other found it done.
    assert.ok([a, b].some((r) => /\[build\] up to date/.test(r.out)), a.out + b.out);
    assert.ok([a, b].some((r) => /^\[build\] image /m.test(r.out)), a.out + b.out);
    assert.ok(!fs.existsSync(path.join(dir, "build/build.lock")), "the lock is released");
  });

  it("with nothing changed runs no step; npm run build prints one line saying so", function () {
    assert.deepStrictEqual(ran(), []);
    const r = spawnSync(process.execPath, ["scripts/build.js"], { cwd: dir, encoding: "utf8" });
    assert.strictEqual(r.status, 0, r.stderr);
    assert.strictEqual(r.stdout, "[build] up to date: build/tsk.img\n");
  });

  it("a file touched but not changed runs nothing (content, not times)", function () {
    const later = new Date(Date.now() + 60000);
    for (const f of ["kernel/mem/pages.ts", "boot/stage2.asm", "linker/kernel.ld"]) fs.utimesSync(path.join(dir, f), later, later);
    assert.deepStrictEqual(ran(), []);
  });

  it("a comment added at the end of a kernel file re-runs tsk, and the same C stops the chain", function () {
    fs.appendFileSync(path.join(dir, "kernel/mem/pages.ts"), "// a note\n");
    assert.deepStrictEqual(ran(), ["tsk"]);
    assert.deepStrictEqual(ran(), []);
  });

  it("a line moved in a kernel file re-runs tsk, gcc, the link and the image, and no assembly", function () {
    const file = path.join(dir, "kernel/mem/pages.ts");
    fs.writeFileSync(file, `\n${fs.readFileSync(file, "utf8")}`);
    assert.deepStrictEqual(ran(), ["tsk", "gcc", "link", "image:build/tsk.img"]);
  });

  it("an edited loader source re-assembles that stage and rebuilds the image only", function () {
    fs.appendFileSync(path.join(dir, "boot/stage1.asm"), "; a note\n");
    assert.deepStrictEqual(ran(), ["nasm:build/stage1.bin"]); // the same bytes: the image stays
    const file = path.join(dir, "boot/stage1.asm");
    fs.writeFileSync(file, fs.readFileSync(file, "utf8").replace(/^(\s*)cli\b/m, "$1cli\n$1nop"));
    assert.deepStrictEqual(ran(), ["nasm:build/stage1.bin", "image:build/tsk.img"]);
  });

  it("a step that fails runs again next time, and the error names the tool's output", function () {
    const file = path.join(dir, "kernel/arch/entry.asm");
    const good = fs.readFileSync(file, "utf8");
    fs.writeFileSync(file, `${good}\n    frobnicate eax\n`);
    assert.throws(() => build({ log: null }), /nasm failed .*\n.*entry\.asm:\d+: error/);
    fs.writeFileSync(file, good);
    assert.deepStrictEqual(ran(), ["nasm:build/entry.o"]);
  });
});

describe("build: the compiler's transpile cache (compiler/node/register.js)", function () {
  it("serves a second process from the cache without loading TypeScript", function () {
    const cache = fs.mkdtempSync(path.join(os.tmpdir(), "tsk-register-"));
    try {
      const probe = `require(${JSON.stringify(path.join(ROOT, "compiler/node/register.js"))});
        require(${JSON.stringify(path.join(ROOT, "kernel/boot-info.ts"))});
        console.log(Object.keys(require.cache).some((k) => /node_modules[\\/]typescript[\\/]/.test(k)));`;
      const run = () => spawnSync(process.execPath, ["-e", probe], { encoding: "utf8", env: { ...process.env, TSK_REGISTER_CACHE: cache } });
      const first = run();
      assert.strictEqual(first.status, 0, first.stderr);
      assert.strictEqual(first.stdout.trim(), "true", "the first process transpiles, with TypeScript");
      assert.ok(fs.readdirSync(cache).length > 0, "and fills the cache");
      const second = run();
      assert.strictEqual(second.status, 0, second.stderr);
      assert.strictEqual(second.stdout.trim(), "false", "the second never loads TypeScript");
    } finally {
      fs.rmSync(cache, { recursive: true, force: true });
    }
  });
});
