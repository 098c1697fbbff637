// The playground's editor panel (playground/editor/, bundled by playground/bundle.js): the server
// serves the editor's script and the kernel's sources (read-only, by exact path); in a real browser
// (Debian's Chromium via playwright-core) tsc's and tsk's checkers run in the page: a `var` typed
// into a kernel module (CodeMirror) shows TSK1011 at its line (the list, the editor's lint gutter
// and underline), and Boot then shows it too and boots nothing; a type error TS2322, fixing it
// clears them. Boot with the sources as served compiles the kernel in the page (tsk's i386
// backend, toolchain/asm, toolchain/link) into the Node JS build's image byte for byte; a changed
// line in kernel/main.ts, compiled the same way, boots in v86 and its console shows the changed
// line, then `boot: ok`; the page is saved as build/test/playground-rebuild.png
// (docs/playground-rebuild.png, the README's, with UPDATE_SCREENSHOT=1). Also
// playground/editor/path.js against Node's.
"use strict";
const assert = require("assert");
const fs = require("fs");
const http = require("http");
const path = require("path");
const { spawn } = require("child_process");
const { withSlot } = require("./lib/slots");
const { ROOT } = require("../scripts/lib/build");
const { jsKernelImage } = require("./lib/images");

const SERVER = path.join(ROOT, "playground/server.js");
const { launchOrSkip, screenText } = require("./lib/browser");
// The README's picture is refreshed only when asked: a test run must not change tracked files.
const SCREENSHOT = path.join(ROOT, process.env.UPDATE_SCREENSHOT ? "docs/playground-rebuild.png" : "build/test/playground-rebuild.png");
const FILE = "kernel/arch/fault.ts";
const LINE = "  const top: u32 = BootInfo.at(BOOT_INFO_ADDR).stackTop;";

function startServer() {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [SERVER, "--port", "0"], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d) => {
      out += d;
      const m = /^playground: (http:\/\/127\.0\.0\.1:(\d+)\/)/m.exec(out);
      if (m) resolve({ child, url: m[1], port: Number(m[2]) });
    });
    child.stderr.on("data", (d) => { out += d; });
    child.on("close", (code) => reject(new Error(`server exited ${code}: ${out}`)));
  });
}

function get(port, p) {
  return new Promise((resolve, reject) => {
    http.get({ host: "127.0.0.1", port, path: p }, (res) => {
      const chunks = [];
      res.on("data", (c) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode, type: res.headers["content-type"], body: Buffer.concat(chunks) }));
    }).on("error", reject);
  });
}

describe("playground editor: path shim", function () {
  it("resolves, joins and relativises as Node's POSIX path does", function () {
    const shim = require("../playground/editor/path");
    const cwd = process.cwd;
    process.cwd = () => "/tsk"; // the shim's cwd is the page's root; Node's given the same
    try {
      const cases = [["resolve", "/tsk/compiler/src/front", "../../lib/prelude.d.ts"], ["resolve", "a/b", "../c"], ["resolve", "/x", "/y/./z/"],
        ["resolve", "/"], ["resolve", "/a/../../b"], ["join", "build/", "boot-info.inc"], ["join", "a", "", "../b"], ["join", ""],
        ["normalize", "a//b/../c/"], ["normalize", "../a/./b"], ["relative", "/tsk", "/tsk/kernel/main.ts"], ["relative", "/tsk/a/b", "/tsk/c"],
        ["relative", "/a", "/a"], ["dirname", "/tsk/kernel/main.ts"], ["dirname", "main.ts"], ["dirname", "/main.ts"],
        ["basename", "/tsk/kernel/main.ts"], ["basename", "/tsk/kernel/main.ts", ".ts"], ["basename", "/a/b/"], ["extname", "x.d.ts"],
        ["extname", ".bashrc"], ["extname", "a"], ["isAbsolute", "/a"], ["isAbsolute", "a"]];
      for (const [fn, ...args] of cases) assert.strictEqual(shim[fn](...args), path.posix[fn](...args), `${fn}(${args.join(", ")})`);
      assert.strictEqual(shim.sep, "/");
    } finally {
      process.cwd = cwd;
    }
  });
});

describe("boot: playground editor", function () {
  this.timeout(240000);
  let server;

  before(async function () {
    server = await startServer();
  });
  after(() => server && server.child.kill());

  it("serves the editor's script and the sources, nothing else of the repository", async function () {
    const js = await get(server.port, "/editor.js");
    assert.strictEqual(js.status, 200);
    assert.match(js.type, /javascript/);
    console.log(`      editor.js: ${(js.body.length / 1048576).toFixed(2)} MiB minified (TypeScript, tsk with its i386 backend, CodeMirror, toolchain/asm, toolchain/link)`);
    const src = await get(server.port, "/sources.json");
    assert.match(src.type, /application\/json/);
    const { files, libs } = JSON.parse(src.body);
    assert.strictEqual(files["kernel/main.ts"], fs.readFileSync(path.join(ROOT, "kernel/main.ts"), "utf8"));
    assert.strictEqual(files["boot/stage2.asm"], fs.readFileSync(path.join(ROOT, "boot/stage2.asm"), "utf8"));
    assert.ok(files["compiler/lib/prelude.d.ts"] && files["linker/kernel.ld"]);
    for (const rel of Object.keys(files)) assert.match(rel, /^(kernel\/.*\.(ts|asm)|boot\/[^/]+\.(asm|inc)|linker\/kernel\.ld|compiler\/lib\/prelude\.d\.ts)$/, rel);
    assert.ok(libs["lib.es2022.d.ts"] && libs["lib.es5.d.ts"], Object.keys(libs).join(" "));
    for (const p of ["/prebuilt/kernel.o", "/build/kernel.o", "/kernel/main.ts", "/editor/main.js", "/bundle.js", "/scripts/lib/jskernel.js"]) {
      assert.strictEqual((await get(server.port, p)).status, 404, p);
    }
  });

  describe("in Chromium", function () {
    let browser;
    before(async function () {
      browser = await launchOrSkip(this);
    });
    after(async () => browser && browser.close());

    it("checks an edited kernel module in the page, refuses to boot it with a TSK error, compiles and boots an edited kernel", async function () {
      const page = await browser.newPage({ viewport: { width: 1500, height: 1400 } });
      const errors = [];
      page.on("pageerror", (e) => errors.push(e.message));
      const data = (key) => page.evaluate((k) => document.body.dataset[k], key);
      const diagnostics = () => page.evaluate(() => [...document.querySelectorAll("#diagnostics li")].map((li) => ({ ...li.dataset, text: li.textContent })));
      const marks = () => page.evaluate(() => window.tskEditor.marks());
      const markedInDom = () => page.evaluate(() => document.querySelectorAll("#code .cm-lint-marker-error").length + document.querySelectorAll("#code .cm-lintRange-error").length);
      /** Selects `from` in the open file (at its first occurrence after `after`). */
      const select = async (from, after) => {
        const text = await page.evaluate(() => window.tskEditor.text());
        const at = text.indexOf(from, after);
        assert.ok(at >= 0, `no '${from}' in the open file`);
        await page.evaluate(([a, b]) => window.tskEditor.select(a, b), [at, at + from.length]);
      };
      /** Selects `from` and types `to` over it, key by key. */
      const typeOver = async (from, to, after = 0) => {
        await select(from, after);
        await page.keyboard.type(to);
      };
      /** Selects `from` and puts `to` in its place in one input event, as a paste or an input method
       *  does: for the longer replacements, where typing key by key (a round trip to the page and an
       *  editor update with its completion popup per key) cost seconds of CPU and proved nothing more. */
      const insertOver = async (from, to, after = 0) => {
        await select(from, after);
        await page.keyboard.insertText(to);
      };
      const checked = async (n) => page.waitForFunction((k) => Number(document.body.dataset.checks) >= k, n, { timeout: 60000 });

      await page.goto(`${server.url}?autoboot=0`);
      await page.waitForFunction(() => document.body.dataset.editor, null, { timeout: 120000 });
      assert.strictEqual(await data("editor"), "ready", await page.textContent("#check-status"));
      assert.strictEqual(await data("state"), "idle");
      assert.deepStrictEqual(await diagnostics(), [], "the kernel as built has no diagnostics");
      console.log(`      first diagnostics ${await data("firstDiagnosticsMs")} ms after the editor started (sources fetched, first check ${await data("checkMs")} ms)`);

      // A `var` (the subset's TSK1011) where fault.ts has a const, typed over it.
      await page.click(`#files li[data-file="${FILE}"]`);
      const text = await page.evaluate(() => window.tskEditor.text());
      const at = text.split("\n").indexOf(LINE);
      assert.ok(at >= 0, `${FILE} no longer has: ${LINE}`);
      const lineStart = text.indexOf(LINE);
      await typeOver("const", "var", lineStart);
      await checked(2);
      console.log(`      re-check after an edit: ${await data("checkMs")} ms`);
      let d = await diagnostics();
      const tsk = d.find((x) => x.code === "TSK1011");
      assert.ok(tsk, JSON.stringify(d));
      assert.strictEqual(tsk.file, FILE);
      assert.strictEqual(Number(tsk.line), at + 1);
      assert.match(tsk.text, /'var' is not in the subset/);
      assert.ok((await marks()).some((m) => m.line === at + 1 && /^TSK1011: /.test(m.message)), JSON.stringify(await marks()));
      assert.ok(await markedInDom() >= 2, "a gutter marker and an underline in the editor");
      assert.ok(await page.evaluate((f) => document.querySelector(`#files li[data-file="${f}"]`).classList.contains("errors"), FILE));
      // Clicking the diagnostic puts the caret on its line.
      await page.click("#diagnostics li[data-code=TSK1011]");
      assert.strictEqual(Number(await data("caretLine")), at + 1);

      // Boot now: tsk rejects the kernel: the diagnostic stays at its line, nothing is booted.
      await page.click("#boot-button");
      assert.strictEqual(await data("imageFrom"), "diagnostics", await page.textContent("#build-status"));
      assert.match(await page.textContent("#build-status"), /tsk found \d+ error\(s\) in kernel\/main\.ts and what it imports: nothing was built or booted/);
      d = await diagnostics();
      assert.ok(d.some((x) => x.code === "TSK1011" && x.file === FILE && Number(x.line) === at + 1), JSON.stringify(d));
      assert.ok((await marks()).some((m) => m.line === at + 1 && /^TSK1011: /.test(m.message)));
      assert.strictEqual(await data("state"), "idle");

      // `var` fixed back to `const`, and a type error instead: tsc's TS2322, at the same line.
      await typeOver("var", "const", lineStart);
      await typeOver("BootInfo.at(BOOT_INFO_ADDR).stackTop", '"stack"', lineStart);
      await checked(3);
      await page.waitForFunction(() => document.querySelector("#diagnostics li[data-code=TS2322]"), null, { timeout: 60000 });
      d = await diagnostics();
      assert.ok(d.some((x) => x.code === "TS2322" && Number(x.line) === at + 1 && x.file === FILE), JSON.stringify(d));
      assert.ok(!d.some((x) => x.code === "TSK1011"), JSON.stringify(d));

      // Fixed (the original expression typed back): no diagnostics, no marks.
      await insertOver('"stack"', "BootInfo.at(BOOT_INFO_ADDR).stackTop", lineStart);
      await page.click("#check-button");
      assert.strictEqual(await page.evaluate(() => window.tskEditor.text()), text);
      assert.deepStrictEqual(await diagnostics(), []);
      assert.deepStrictEqual(await marks(), []);
      assert.strictEqual(await markedInDom(), 0);

      // The page's last build, its bytes as base64: exact, and a 1 MiB image crosses playwright's
      // protocol as 1.4 MB of text, not as a JSON array of a million numbers (seconds of this
      // process's CPU per call).
      const built = async () => {
        const b = await page.evaluate(() => {
          const base64 = (bytes) => {
            const u8 = new Uint8Array(bytes);
            let s = "";
            for (let i = 0; i < u8.length; i += 0x8000) s += String.fromCharCode.apply(null, u8.subarray(i, i + 0x8000));
            return btoa(s);
          };
          const last = window.tskLastBuild;
          return { stage1: base64(last.stage1), stage2: base64(last.stage2), image: base64(last.image), times: last.times };
        });
        return { stage1: Buffer.from(b.stage1, "base64"), stage2: Buffer.from(b.stage2, "base64"), image: Buffer.from(b.image, "base64"), times: b.times };
      };
      const js = jsKernelImage();
      await withSlot(async () => {
        // Boot with the sources as served: the kernel compiled in the page is the Node JS build's.
        await page.click("#boot-button");
        assert.strictEqual(await data("imageFrom"), "page", await page.textContent("#build-status"));
        const unedited = await built();
        assert.deepStrictEqual(unedited.stage1, fs.readFileSync(path.join(js.dir, "stage1.bin")));
        assert.deepStrictEqual(unedited.stage2, fs.readFileSync(path.join(js.dir, "stage2.bin")));
        assert.ok(unedited.image.equals(fs.readFileSync(js.image)), "the page's image = the Node JS build's tsk.img");
        console.log(`      in-page build, unedited: ${await data("buildMs")} ms from Boot to the image (${Object.entries(unedited.times).map(([k, v]) => `${k} ${v}`).join(", ")})`);

        // A changed line in kernel/main.ts: compiled in the page, booted in place of that boot.
        await page.click('#files li[data-file="kernel/main.ts"]');
        await insertOver('"tsk: TypeScript kernel booting"', '"tsk: this kernel was built in the page"');
        await page.click("#boot-button");
        assert.strictEqual(await data("imageFrom"), "page", await page.textContent("#build-status"));
        await page.waitForFunction(() => !["idle", "running"].includes(document.body.dataset.state), null, { timeout: 120000 });
      });
      const consoleText = await screenText(page);
      assert.strictEqual(await data("state"), "done", `${await page.textContent("#status")}\n${consoleText}\n${errors.join("\n")}`);
      const lines = consoleText.split("\n").map((l) => l.trimEnd());
      assert.ok(lines.includes("tsk: this kernel was built in the page") && !lines.includes("tsk: TypeScript kernel booting"), consoleText);
      assert.ok(lines.includes("boot: ok"), consoleText);
      const edited = await built();
      assert.ok(!edited.image.equals(fs.readFileSync(js.image)));
      assert.match(await page.textContent("#build-status"), /kernel compiled and image built in the page in \d+ ms by tsk's i386 backend, toolchain\/asm and toolchain\/link/);
      console.log(`      in-page build, kernel/main.ts edited: ${await data("buildMs")} ms from Boot to the image (${Object.entries(edited.times).map(([k, v]) => `${k} ${v}`).join(", ")})`);
      fs.mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
      await page.screenshot({ path: SCREENSHOT });
      assert.deepStrictEqual(errors, []);
      await page.close();
    });
  });
});
