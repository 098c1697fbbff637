// The playground (playground/) and its editor panel (playground/editor/, bundled by
// playground/bundle.js). Its server serves only its own files (traversal and encoded paths get
// 404), the editor's script and the kernel's sources (read-only, by exact path), and says so
// clearly when its port is taken. In a real browser (Debian's Chromium driven by playwright-core)
// the page boots the kernel in v86, the console shows `boot: ok`, the memory picture's legend
// counts equal the `mem:` line, hovering names a page's owner (saved as build/test/playground.png;
// docs/playground.png, the README's, with UPDATE_SCREENSHOT=1); ?autoboot=0 opens it without
// booting. Then, in the same page, tsc's and tsk's checkers run: a `var` typed into a kernel module
// (CodeMirror) shows TSK1011 at its line (the list, the editor's lint gutter and underline), and
// Boot then shows it too and boots nothing; a type error TS2322, fixing it clears them. Boot with
// the sources as served compiles the kernel in the page (tsk's i386 backend, toolchain/asm,
// toolchain/link) into the Node JS build's image byte for byte; a changed line in kernel/main.ts,
// compiled the same way, boots in v86 and its console shows the changed line, then `boot: ok`; the
// page is saved as build/test/playground-rebuild.png (docs/playground-rebuild.png with
// UPDATE_SCREENSHOT=1). Also playground/editor/path.js against Node's.
// One server, one Chromium and one page for all of it: the page a user opens (it boots tsk.img at
// load, then starts the editor) is the page the editor is then driven in. Two launches and two
// full page loads cost a second Chromium, a second load of the page's 4 MiB editor script, and a
// first TypeScript check in the boot test's page that nothing read; what is checked is the same.
"use strict";
const assert = require("assert");
const fs = require("fs");
const http = require("http");
const path = require("path");
const { spawn, spawnSync } = require("child_process");
const { withSlot } = require("./lib/slots");
const { ROOT } = require("../scripts/lib/build");
const { jsKernelImage } = require("./lib/images");

const SERVER = path.join(ROOT, "playground/server.js");
// The README's pictures are refreshed only when asked (UPDATE_SCREENSHOT=1): a test run must not
// change tracked files.
const shot = (name) => path.join(ROOT, process.env.UPDATE_SCREENSHOT ? `docs/${name}` : `build/test/${name}`);
const SCREENSHOT = shot("playground.png");
const REBUILD_SCREENSHOT = shot("playground-rebuild.png");
const { launchOrSkip, screenText } = require("./lib/browser");
const { findChromium } = require("../scripts/lib/chromium");
const FILE = "kernel/arch/fault.ts";
const LINE = "  const top: u32 = BootInfo.at(BOOT_INFO_ADDR).stackTop;";

/** Starts the server on a free port; resolves {child, url, port}. */
function startServer(args = ["--port", "0"]) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [SERVER, ...args], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => {
      out += d;
      const m = /^playground: (http:\/\/127\.0\.0\.1:(\d+)\/)/m.exec(out);
      if (m) resolve({ child, url: m[1], port: Number(m[2]) });
    });
    child.stderr.on("data", (d) => { err += d; });
    child.on("close", (code) => reject(new Error(`server exited ${code}: ${out}${err}`)));
  });
}

/** A GET (or other method) with the path sent exactly as written; resolves {status, body}. */
function request(port, rawPath, method = "GET") {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port, path: rawPath, method }, (res) => {
      const chunks = [];
      res.on("data", (c) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode, type: res.headers["content-type"], body: Buffer.concat(chunks) }));
    });
    req.on("error", reject);
    req.end();
  });
}

/** A plain GET; resolves {status, type, body}. */
function get(port, p) {
  return new Promise((resolve, reject) => {
    http.get({ host: "127.0.0.1", port, path: p }, (res) => {
      const chunks = [];
      res.on("data", (c) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode, type: res.headers["content-type"], body: Buffer.concat(chunks) }));
    }).on("error", reject);
  });
}

// The one server, browser and page of this file, each made by the first test that needs it (so any
// test also runs alone, e.g. with -g) and closed after the file's last test.
let serverOnce = null;
const sharedServer = () => (serverOnce ??= startServer());
let browserOnce = null;
let pageOnce = null;
const errors = []; // the shared page's uncaught errors

/** The playground page as a user opens it (it boots tsk.img at load), once that boot has ended. */
function playgroundPage(ctx) {
  if (!findChromium()) return launchOrSkip(ctx); // skips the caller's suite, saying why
  browserOnce ??= launchOrSkip(ctx);
  pageOnce ??= (async () => {
    const browser = await browserOnce;
    const page = await browser.newPage({ viewport: { width: 1500, height: 820 } });
    page.on("pageerror", (e) => errors.push(e.message));
    const { url } = await sharedServer();
    // The page's v86 is an emulator like any other: it holds a slot while it boots.
    await withSlot(async () => {
      await page.goto(url);
      await page.waitForFunction(() => !["loading", "running"].includes(document.body.dataset.state), null, { timeout: 120000 });
    });
    return page;
  })();
  return pageOnce;
}

after(async () => {
  if (browserOnce) await (await browserOnce.catch(() => null))?.close();
  if (serverOnce) (await serverOnce.catch(() => null))?.child.kill();
});

describe("boot: playground", function () {
  this.timeout(180000);
  let server;

  before(async function () {
    server = await sharedServer();
  });

  describe("server", function () {
    it("serves the page, its script and what v86 needs, each with its type", async function () {
      const want = [["/", /text\/html/], ["/app.js", /javascript/], ["/app.css", /text\/css/], ["/xterm.css", /text\/css/],
        ["/libv86.js", /javascript/], ["/v86.wasm", /application\/wasm/], ["/bios.bin", /octet-stream/], ["/tsk.img", /octet-stream/]];
      for (const [p, type] of want) {
        const r = await request(server.port, p);
        assert.strictEqual(r.status, 200, p);
        assert.match(r.type, type, p);
        assert.ok(r.body.length > 0, p);
      }
      assert.deepStrictEqual((await request(server.port, "/bios.bin")).body, fs.readFileSync(path.join(ROOT, "bios/bios.bin")));
      assert.match((await request(server.port, "/")).body.toString(), /<canvas id="map"/);
    });

    it("answers 404 to anything else: .. and percent-encoded traversal, other files of the repository", async function () {
      const paths = ["/../package.json", "/..%2fpackage.json", "/%2e%2e/package.json", "/%2e%2e%2fpackage.json",
        "/playground/../package.json", "/app.js/../../package.json", "/%2fetc%2fpasswd", "//etc/passwd", "/server.js",
        "/playground/server.js", "/node_modules/v86/package.json", "/build/tsk.img", "/index.html%00", "/.git/config", "/%61pp.js"];
      for (const p of paths) {
        const r = await request(server.port, p);
        assert.strictEqual(r.status, 404, `${p} gave ${r.status}`);
        assert.strictEqual(r.body.toString(), "not found\n", p);
      }
      assert.strictEqual((await request(server.port, "/", "POST")).status, 405);
    });

    it("says the port is in use, in one line and exit 1, not a stack trace", function () {
      const r = spawnSync(process.execPath, [SERVER, "--port", String(server.port)], { cwd: ROOT, encoding: "utf8", timeout: 60000 });
      assert.strictEqual(r.status, 1, r.stdout + r.stderr);
      assert.strictEqual(r.stderr, `playground: port ${server.port} on 127.0.0.1 is in use: stop what holds it, or pick another (--port N or PLAYGROUND_PORT)\n`);
    });

    it("refuses a bad port or an unknown option", function () {
      let r = spawnSync(process.execPath, [SERVER, "--port", "http"], { cwd: ROOT, encoding: "utf8" });
      assert.strictEqual(r.status, 1);
      assert.match(r.stderr, /^playground: port must be 0\.\.65535, not 'http'\n$/);
      r = spawnSync(process.execPath, [SERVER, "--root", "/"], { cwd: ROOT, encoding: "utf8" });
      assert.strictEqual(r.status, 2);
      assert.match(r.stderr, /^playground: usage: npm run playground/);
    });
  });

  describe("in Chromium", function () {
    it("boots the kernel in v86: console shows boot: ok, the picture's counts equal the mem: line, hover names the owner", async function () {
      const page = await playgroundPage(this);
      const state = await page.evaluate(() => document.body.dataset.state);
      const consoleText = await screenText(page);
      const status = await page.evaluate(() => document.getElementById("status").textContent);
      assert.strictEqual(state, "done", `${status}\n${consoleText}\n${errors.join("\n")}`);
      const lines = consoleText.split("\n").map((l) => l.trimEnd());
      assert.ok(lines.includes("boot: ok"), consoleText);
      assert.match(status, /kernel exit 0x10: success/);
      const bootOkMs = await page.evaluate(() => Number(document.body.dataset.bootOkMs)); // npm run bench reads it
      assert.ok(Number.isFinite(bootOkMs) && bootOkMs > 0, `dataset.bootOkMs: ${bootOkMs}`);

      const mem = /^mem: usable=(\d+) low=(\d+) kernel=(\d+) pat=(\d+) free=(\d+)$/m.exec(consoleText);
      const paging = /^paging: on cr3=0x[0-9a-f]{8} mapped=\d+ pages=(\d+)$/m.exec(consoleText);
      assert.ok(mem && paging, consoleText);
      const counts = Object.fromEntries(await page.evaluate(() =>
        [...document.querySelectorAll("#legend td.count")].map((td) => [td.dataset.owner, Number(td.dataset.count)])));
      const [usable, low, kernel, pat, free] = mem.slice(1).map(Number);
      assert.strictEqual(counts.low, low);
      assert.strictEqual(counts.kernel, kernel);
      assert.strictEqual(counts.pat, pat);
      assert.strictEqual(counts.tables, Number(paging[1]), "page tables = the paging: line's pages");
      assert.strictEqual(counts.allocated, 0, "the self-test freed every page it took");
      assert.strictEqual(counts.free + counts.tables + counts.allocated, free);
      assert.strictEqual(counts.low + counts.kernel + counts.pat + counts.free + counts.tables, usable);
      // Every page of the picture has an owner: the canvas covers the PAT's pages exactly.
      const pat0 = /^pat: base=0x[0-9a-f]{8} pages=(\d+)/m.exec(consoleText);
      assert.strictEqual(Object.values(counts).reduce((a, b) => a + b, 0), Number(pat0[1]));
      assert.match(await page.textContent("#check"), /^counts = mem: line/);

      // Hover: page 0x100 (row 1, column 0) is the kernel's first page; page 0 is the low 1 MiB.
      const box = await page.locator("#map").boundingBox();
      const rows = await page.evaluate(() => document.getElementById("map").height);
      const at = async (col, row) => {
        await page.mouse.move(box.x + ((col + 0.5) * box.width) / 256, box.y + ((row + 0.5) * box.height) / rows);
        return page.textContent("#hover");
      };
      assert.strictEqual(await at(0, 1), "0x00100000-0x00100fff kernel");
      assert.strictEqual(await at(0, 0), "0x00000000-0x00000fff low 1 MiB");
      assert.strictEqual(await at(0x9f, 0), "0x0009f000-0x0009ffff reserved or hole");
      assert.deepStrictEqual(errors, []);
      await at(0x20, 1); // leave the pointer on the page tables for the screenshot
      fs.mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
      await page.screenshot({ path: SCREENSHOT });
    });

    it("?autoboot=0 opens the page without booting: idle, waiting for the editor's Boot", async function () {
      await playgroundPage(this); // (the browser; its page is not this one)
      const page = await (await browserOnce).newPage();
      try {
        const pageErrors = [];
        page.on("pageerror", (e) => pageErrors.push(e.message));
        // Without the editor's script (4 MiB, and its checker starting at once on an idle page) and
        // v86's (nothing boots): what is checked here is app.js's start; the editor is the shared
        // page's test below.
        await page.route(/\/(editor|libv86)\.js$/, (route) => route.abort());
        await page.goto(`${(await sharedServer()).url}?autoboot=0`);
        await page.waitForFunction(() => document.body.dataset.state, null, { timeout: 60000 });
        assert.strictEqual(await page.evaluate(() => document.body.dataset.state), "idle");
        assert.strictEqual(await page.textContent("#status"), "waiting: press Boot in the editor");
        assert.strictEqual(await page.evaluate(() => document.body.dataset.bootOkMs), undefined);
        assert.strictEqual((await page.textContent("#terminal .xterm-rows")).trim(), "", "nothing on the console");
        assert.deepStrictEqual(pageErrors, []);
      } finally {
        await page.close();
      }
    });
  });
});

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

  it("serves the editor's script and the sources, nothing else of the repository", async function () {
    const { port } = await sharedServer();
    const js = await get(port, "/editor.js");
    assert.strictEqual(js.status, 200);
    assert.match(js.type, /javascript/);
    console.log(`      editor.js: ${(js.body.length / 1048576).toFixed(2)} MiB minified (TypeScript, tsk with its i386 backend, CodeMirror, toolchain/asm, toolchain/link)`);
    const src = await get(port, "/sources.json");
    assert.match(src.type, /application\/json/);
    const { files, libs } = JSON.parse(src.body);
    assert.strictEqual(files["kernel/main.ts"], fs.readFileSync(path.join(ROOT, "kernel/main.ts"), "utf8"));
    assert.strictEqual(files["boot/stage2.asm"], fs.readFileSync(path.join(ROOT, "boot/stage2.asm"), "utf8"));
    assert.ok(files["compiler/lib/prelude.d.ts"] && files["linker/kernel.ld"]);
    for (const rel of Object.keys(files)) assert.match(rel, /^(kernel\/.*\.(ts|asm)|boot\/[^/]+\.(asm|inc)|linker\/kernel\.ld|compiler\/lib\/prelude\.d\.ts)$/, rel);
    assert.ok(libs["lib.es2022.d.ts"] && libs["lib.es5.d.ts"], Object.keys(libs).join(" "));
    for (const p of ["/prebuilt/kernel.o", "/build/kernel.o", "/kernel/main.ts", "/editor/main.js", "/bundle.js", "/scripts/lib/jskernel.js"]) {
      assert.strictEqual((await get(port, p)).status, 404, p);
    }
  });

  describe("in Chromium", function () {
    it("checks an edited kernel module in the page, refuses to boot it with a TSK error, compiles and boots an edited kernel", async function () {
      // The page the boot test above opened (or, run alone, opened now): its editor starts once
      // the boot at load has ended.
      const page = await playgroundPage(this);
      await page.setViewportSize({ width: 1500, height: 1400 });
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

      await page.waitForFunction(() => document.body.dataset.editor, null, { timeout: 120000 });
      assert.strictEqual(await data("editor"), "ready", await page.textContent("#check-status"));
      assert.strictEqual(await data("state"), "done", "the boot at load ended before the editor started");
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

      // Boot now: tsk rejects the kernel: the diagnostic stays at its line, nothing is booted (the
      // machine is still the one the page booted at load: a new boot would reset its boot: ok time).
      const bootedAt = await data("bootOkMs");
      await page.click("#boot-button");
      assert.strictEqual(await data("imageFrom"), "diagnostics", await page.textContent("#build-status"));
      assert.match(await page.textContent("#build-status"), /tsk found \d+ error\(s\) in kernel\/main\.ts and what it imports: nothing was built or booted/);
      d = await diagnostics();
      assert.ok(d.some((x) => x.code === "TSK1011" && x.file === FILE && Number(x.line) === at + 1), JSON.stringify(d));
      assert.ok((await marks()).some((m) => m.line === at + 1 && /^TSK1011: /.test(m.message)));
      assert.strictEqual(await data("state"), "done");
      assert.strictEqual(await data("bootOkMs"), bootedAt, "a boot started");

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
        // Until this boot ends: the state is still the last boot's until the page has stopped that
        // machine, so the edited banner on the console says which boot the state is about.
        await page.waitForFunction(() => !["idle", "running"].includes(document.body.dataset.state) &&
          document.querySelector("#terminal .xterm-rows").innerText.includes("tsk: this kernel was built in the page"), null, { timeout: 120000 }).catch(() => {});
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
      fs.mkdirSync(path.dirname(REBUILD_SCREENSHOT), { recursive: true });
      await page.screenshot({ path: REBUILD_SCREENSHOT });
      assert.deepStrictEqual(errors, []);
    });
  });
});
