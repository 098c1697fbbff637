// The playground's Boot pipeline (playground/editor/image.js) run in Node on the same inputs the page
// gets (playground/bundle.js's sources, the native build's kernel objects): the image it makes is
// build/tsk.img byte for byte; an edited kernel module without a kernel backend is refused naming
// the module; the seam where the i386 backend plugs in (registerKernelBackend) is called with the
// edited modules and its objects are what gets linked; a backend's bad objects and a bad boot-info
// constant are errors that say so. No emulator.
"use strict";
const assert = require("assert");
const fs = require("fs");
const path = require("path");
const esbuild = require("esbuild");
const { ROOT } = require("../scripts/lib/build");
const { kernelImage } = require("./lib/images");
const { sourceFiles, tsLibs } = require("../playground/bundle");

/** image.js and vfs.js as the page has them, bundled for Node (they are browser ES modules). */
function loadPipeline() {
  const out = path.join(ROOT, "build/test/playground-pipeline.js");
  esbuild.buildSync({
    stdin: { contents: 'export * from "./image"; export { Vfs } from "./vfs";', resolveDir: path.join(ROOT, "playground/editor"), loader: "js" },
    bundle: true, platform: "node", format: "cjs", external: ["typescript"], outfile: out, logLevel: "silent",
  });
  delete require.cache[out];
  return require(out);
}

describe("playground: the Boot pipeline (Node)", function () {
  let p;
  let built;
  let original;
  let prebuilt;
  const read = (name) => fs.readFileSync(path.join(built.dir, name));

  before(function () {
    built = kernelImage();
    p = loadPipeline();
    original = sourceFiles();
    prebuilt = [{ name: "build/kernel.o", bytes: read("kernel.o") }, { name: "build/lines.o", bytes: read("lines.o") }];
  });
  afterEach(() => p.registerKernelBackend(null));

  const fresh = () => new p.Vfs(original, tsLibs());

  it("makes the native build's image from the unedited sources: loader, boot info, kernel, byte for byte", function () {
    const vfs = fresh();
    assert.strictEqual(p.bootInfoInc(vfs).text, read("boot-info.inc").toString());
    const r = p.buildImage(vfs, { original, prebuilt });
    assert.strictEqual(r.kernelFrom, "prebuilt");
    assert.deepStrictEqual(Buffer.from(r.stage1), read("stage1.bin"));
    assert.deepStrictEqual(Buffer.from(r.stage2), read("stage2.bin"));
    assert.deepStrictEqual(Buffer.from(r.kernelBin), read("kernel.bin"));
    assert.ok(Buffer.from(r.image).equals(fs.readFileSync(built.image)), "image = the native build's tsk.img");
  });

  it("refuses an edited kernel module when no backend is registered, naming it", function () {
    const vfs = fresh();
    vfs.write("kernel/panic.ts", `${original["kernel/panic.ts"]}\n// edited\n`);
    assert.throws(() => p.buildImage(vfs, { original, prebuilt }), (e) => e instanceof p.NeedsBackendError &&
      /needs the i386 backend .*you changed kernel\/panic\.ts; .*nothing was booted/.test(e.message));
    // An edit undone is no edit.
    vfs.write("kernel/panic.ts", original["kernel/panic.ts"]);
    assert.strictEqual(p.buildImage(vfs, { original, prebuilt }).kernelFrom, "prebuilt");
  });

  it("links what a registered kernel backend returns, after handing it the edited modules and the boot info", function () {
    const vfs = fresh();
    vfs.write("kernel/mem/pat.ts", `// a comment: the same code\n${original["kernel/mem/pat.ts"]}`);
    const calls = [];
    // The i386 backend's place; these objects are the native build's (the edit is a comment).
    p.registerKernelBackend((args) => {
      calls.push(args);
      return prebuilt;
    });
    const r = p.buildImage(vfs, { original, prebuilt: [] });
    assert.strictEqual(r.kernelFrom, "backend");
    assert.strictEqual(calls.length, 1);
    assert.deepStrictEqual(calls[0].changed, ["kernel/mem/pat.ts"]);
    assert.strictEqual(calls[0].vfs.read("kernel/mem/pat.ts"), vfs.read("kernel/mem/pat.ts"));
    assert.strictEqual(calls[0].bootInfo.KERNEL_BASE, 0x100000);
    assert.ok(Buffer.from(r.image).equals(fs.readFileSync(built.image)));
  });

  it("says what is wrong with a backend's objects or a boot-info constant", function () {
    const vfs = fresh();
    vfs.write("kernel/main.ts", `${original["kernel/main.ts"]}\n`);
    p.registerKernelBackend(() => [prebuilt[1]]); // no kernel.o: kmain and the rest undefined
    assert.throws(() => p.buildImage(vfs, { original, prebuilt }), /undefined symbol/);
    p.registerKernelBackend(() => prebuilt);
    vfs.write("kernel/boot-info.ts", `${original["kernel/boot-info.ts"]}\nexport const BI_BROKEN: u32 = -1;\n`);
    assert.throws(() => p.buildImage(vfs, { original, prebuilt }), /kernel\/boot-info\.ts: export BI_BROKEN = -1 is not a u32 constant/);
  });
});
