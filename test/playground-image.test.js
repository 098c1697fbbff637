// The playground's Boot pipeline (playground/editor/image.js, check.js, vfs.js) bundled exactly as
// the page gets it (playground/bundle.js's browser modules, its own copy of TypeScript) and run in
// Node on the sources the page gets: unedited, the image is the Node JS toolchain's (TSK_TOOLCHAIN=js)
// byte for byte; an edited kernel module is compiled by the i386 backend into a kernel that differs
// where the edit says; tsc's and tsk's errors stop the build with their diagnostics at their lines;
// a bad boot-info constant says so. No emulator (the Chromium test boots the page's images).
"use strict";
const assert = require("assert");
const fs = require("fs");
const path = require("path");
const { ROOT } = require("../scripts/lib/build");
const { jsKernelImage } = require("./lib/images");
const { sourceFiles, tsLibs, pageModules } = require("../playground/bundle");
const { cachedBundle } = require("../playground/bundle-cache");

/** The page's Boot pipeline bundled as the page has it, for Node (its own TypeScript: the checker
 *  sets that copy's ts.sys to the page's files, which must not touch this process's); from the
 *  playground's bundle cache (playground/bundle-cache.js) while nothing it is made of changed. */
async function loadPipeline() {
  const out = path.join(ROOT, "build/test/playground-pipeline.js");
  fs.mkdirSync(path.dirname(out), { recursive: true });
  const { contents } = await cachedBundle("pipeline-node", {
    stdin: { contents: 'export * from "./image"; export { Vfs } from "./vfs"; export { Checker, ENTRY } from "./check";', resolveDir: path.join(ROOT, "playground/editor"), loader: "js" },
    bundle: true, platform: "browser", format: "cjs", logLevel: "silent", ...pageModules,
  });
  fs.writeFileSync(out, contents);
  delete require.cache[out];
  return require(out);
}

describe("playground: the Boot pipeline (Node)", function () {
  this.timeout(120000);
  let p;
  let js;
  let original;
  // One page's file system and checker for every test, as the page keeps one while its user edits:
  // each test edits it and puts back what it changed (restore), so the next starts from the
  // unedited sources again, and TypeScript's lib files and the unchanged kernel modules are parsed
  // once for all (the Vfs keeps a SourceFile while its text is the same), not once per test.
  let vfs;
  let checker;
  const read = (name) => fs.readFileSync(path.join(js.dir, name));
  const restore = (...files) => files.forEach((f) => vfs.write(f, original[f]));

  before(async function () {
    js = jsKernelImage();
    p = await loadPipeline();
    original = sourceFiles();
    vfs = new p.Vfs(original, tsLibs());
    checker = new p.Checker(vfs);
  });

  it("compiles, assembles and links the unedited kernel into the Node JS build's image, byte for byte", function () {
    assert.strictEqual(p.bootInfoInc(vfs).text, read("boot-info.inc").toString());
    const r = p.buildImage(vfs, checker);
    assert.deepStrictEqual(Buffer.from(r.stage1), read("stage1.bin"));
    assert.deepStrictEqual(Buffer.from(r.stage2), read("stage2.bin"));
    assert.strictEqual(r.kernelAsm, read("kernel.asm").toString());
    assert.deepStrictEqual(Buffer.from(r.kernelBin), read("kernel.bin"));
    assert.ok(Buffer.from(r.image).equals(fs.readFileSync(js.image)), "image = the Node JS build's tsk.img");
    assert.deepStrictEqual(Object.keys(r.times).sort(), ["asm entry+idt", "asm stage1", "asm stage2", "boot-info", "check", "i386 backend", "image", "link", "program"]);
  });

  it("compiles an edited module: the kernel carries the new string, and the same program is reused while nothing changes", function () {
    checker.check("kernel/main.ts");
    const checked = checker.program([p.ENTRY]);
    vfs.write("kernel/main.ts", original["kernel/main.ts"].replace('"tsk: TypeScript kernel booting"', '"tsk: rebuilt in the page"'));
    try {
      const r = p.buildImage(vfs, checker);
      const kernel = Buffer.from(r.kernelBin);
      assert.ok(kernel.includes(Buffer.from("tsk: rebuilt in the page\0")), "the edited banner is in the kernel");
      assert.ok(!kernel.includes(Buffer.from("tsk: TypeScript kernel booting")));
      assert.notStrictEqual(checker.program([p.ENTRY]), checked, "an edit makes a new program");
      assert.strictEqual(checker.program([p.ENTRY]), checker.program([p.ENTRY]), "no edit, the same program");
    } finally {
      restore("kernel/main.ts");
    }
  });

  it("stops at tsc's and tsk's errors with their diagnostics at their lines, building nothing", function () {
    const src = original["kernel/mem/pages.ts"];
    const line = src.split("\n").findIndex((l) => /^\s+let /.test(l));
    assert.ok(line >= 0, "kernel/mem/pages.ts has a `let` to turn into a `var`");
    vfs.write("kernel/mem/pages.ts", src.split("\n").map((l, i) => (i === line ? l.replace("let ", "var ") : l)).join("\n"));
    vfs.write("kernel/main.ts", original["kernel/main.ts"].replace("serialInit();", "serialInit(1);"));
    try {
      assert.throws(() => p.buildImage(vfs, checker), (e) => {
        assert.ok(e instanceof p.KernelDiagnostics, e.stack);
        assert.match(e.message, /tsk found \d+ error\(s\) in kernel\/main\.ts and what it imports: nothing was built or booted/);
        const tsk = e.diagnostics.find((d) => d.code === "TSK1011");
        assert.ok(tsk, JSON.stringify(e.diagnostics));
        assert.deepStrictEqual([tsk.file, tsk.line], ["kernel/mem/pages.ts", line + 1]);
        assert.ok(e.diagnostics.some((d) => d.code === "TS2554" && d.file === "kernel/main.ts"), JSON.stringify(e.diagnostics));
        return true;
      });
    } finally {
      restore("kernel/mem/pages.ts", "kernel/main.ts");
    }
  });

  it("says what is wrong with a boot-info constant the loader cannot take (tsk accepts a boolean)", function () {
    vfs.write("kernel/boot-info.ts", `${original["kernel/boot-info.ts"]}\nexport const BI_BROKEN: boolean = true;\n`);
    try {
      assert.throws(() => p.buildImage(vfs, checker), /kernel\/boot-info\.ts: export BI_BROKEN = true is not a u32 constant/);
    } finally {
      restore("kernel/boot-info.ts");
    }
  });
});
