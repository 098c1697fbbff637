// playground/bundle-cache.js on a small tree of its own (real esbuild, a temporary directory): a
// second build of unchanged inputs comes from the cache and is the same bytes; whatever could
// change esbuild's output makes a fresh build: an input's content, a new file that an import now
// resolves to, a package.json's main, the options, a damaged cache entry.
"use strict";
const assert = require("assert");
const fs = require("fs");
const os = require("os");
const path = require("path");
const { cachedBundle } = require("../playground/bundle-cache");

describe("playground: the bundle cache", function () {
  this.timeout(60000);
  let root;
  let dir;
  const write = (rel, text) => {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  };
  const options = (extra = {}) => ({ entryPoints: [path.join(root, "entry.js")], bundle: true, format: "iife", logLevel: "silent", ...extra });
  const bundle = async (extra) => {
    const r = await cachedBundle("page", options(extra), { dir, root });
    return { text: r.contents.toString(), cached: r.cached };
  };

  before(function () {
    root = fs.mkdtempSync(path.join(os.tmpdir(), "tsk-bundle-cache-"));
    dir = path.join(root, ".cache");
    write("entry.js", 'import { b } from "./b";\nimport { p } from "pkg";\nconsole.log(b, p);\n');
    write("b.js", 'export const b = "b.js one";\n');
    write("node_modules/pkg/package.json", JSON.stringify({ name: "pkg", main: "one.js" }));
    write("node_modules/pkg/one.js", 'exports.p = "pkg one";\n');
    write("node_modules/pkg/two.js", 'exports.p = "pkg two";\n');
  });
  after(() => root && fs.rmSync(root, { recursive: true, force: true }));

  it("builds once, then gives the same bytes from the cache while nothing changes", async function () {
    const first = await bundle();
    assert.strictEqual(first.cached, false);
    assert.match(first.text, /b\.js one/);
    assert.match(first.text, /pkg one/);
    const second = await bundle();
    assert.deepStrictEqual(second, { text: first.text, cached: true });
  });

  it("builds again when an input's content changes", async function () {
    write("b.js", 'export const b = "b.js two";\n');
    const r = await bundle();
    assert.strictEqual(r.cached, false);
    assert.match(r.text, /b\.js two/);
    assert.strictEqual((await bundle()).cached, true);
  });

  it("builds again when a new file changes what an import resolves to (b.ts before b.js)", async function () {
    write("b.ts", 'export const b: string = "b.ts";\n');
    const r = await bundle();
    assert.strictEqual(r.cached, false);
    assert.match(r.text, /"b\.ts"/);
    assert.doesNotMatch(r.text, /b\.js two/);
  });

  it("builds again when a package.json points elsewhere", async function () {
    write("node_modules/pkg/package.json", JSON.stringify({ name: "pkg", main: "two.js" }));
    const r = await bundle();
    assert.strictEqual(r.cached, false);
    assert.match(r.text, /pkg two/);
  });

  it("builds again for other options, and when the cached bundle was damaged", async function () {
    const plain = await bundle();
    assert.strictEqual(plain.cached, true);
    const minified = await bundle({ minify: true });
    assert.strictEqual(minified.cached, false);
    assert.notStrictEqual(minified.text, plain.text);
    fs.writeFileSync(path.join(dir, "page.js"), "damaged");
    const again = await bundle({ minify: true });
    assert.deepStrictEqual(again, { text: minified.text, cached: false });
  });
});
