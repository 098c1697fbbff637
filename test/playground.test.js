// The playground (playground/): its server serves only its own files (traversal and encoded paths
// get 404), says so clearly when its port is taken; and in a real browser (Debian's Chromium
// driven by playwright-core) the page boots the kernel in v86, the console shows `boot: ok`, the
// memory picture's legend counts equal the `mem:` line, hovering names a page's owner. The test
// saves the page as build/test/playground.png (docs/playground.png, the README's, with UPDATE_SCREENSHOT=1).
"use strict";
const assert = require("assert");
const fs = require("fs");
const http = require("http");
const path = require("path");
const { spawn, spawnSync } = require("child_process");
const { withSlot } = require("./lib/slots");
const { ROOT } = require("../scripts/lib/build");

const SERVER = path.join(ROOT, "playground/server.js");
// The README's picture is refreshed only when asked (UPDATE_SCREENSHOT=1): a test run must not
// change tracked files.
const SCREENSHOT = path.join(ROOT, process.env.UPDATE_SCREENSHOT ? "docs/playground.png" : "build/test/playground.png");
const { launchOrSkip, screenText } = require("./lib/browser");

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

describe("boot: playground", function () {
  this.timeout(180000);
  let server;

  before(async function () {
    server = await startServer();
  });
  after(() => server && server.child.kill());

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
    let browser;
    before(async function () {
      browser = await launchOrSkip(this);
    });
    after(async () => browser && browser.close());

    it("boots the kernel in v86: console shows boot: ok, the picture's counts equal the mem: line, hover names the owner", async function () {
      const page = await browser.newPage({ viewport: { width: 1500, height: 820 } });
      const errors = [];
      page.on("pageerror", (e) => errors.push(e.message));
      // The page's v86 is an emulator like any other: it holds a slot while it boots.
      await withSlot(async () => {
        await page.goto(server.url);
        await page.waitForFunction(() => !["loading", "running"].includes(document.body.dataset.state), null, { timeout: 120000 });
      });
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
  });
});
