// `npm run simulate -- map.json --svg out.svg` (scripts/lib/memsvg.js): the playground's picture
// of memory for any map, without booting. The squares of each owner must add up to the legend's
// counts, and those to the mem: and paging: lines the same run printed.
"use strict";
const assert = require("assert");
const fs = require("fs");
const os = require("os");
const path = require("path");
const { spawnSync } = require("child_process");
const { ROOT } = require("../scripts/lib/build");

const SIM = path.join(ROOT, "scripts/simulate.js");
const FIXTURES = path.join(ROOT, "test/fixtures/e820");

function simulateSvg(args) {
  return spawnSync(process.execPath, [SIM, ...args], { cwd: ROOT, encoding: "utf8" });
}

/** {counts: legend numbers, area: pages drawn per owner} from the SVG text. */
function readSvg(svg) {
  const counts = Object.fromEntries([...svg.matchAll(/data-count="(\w+)">(\d+)</g)].map((m) => [m[1], Number(m[2])]));
  const side = Number(/<rect x="\d+" y="\d+" width="\d+" height="(\d+)"><title>/.exec(svg)[1]);
  const area = {};
  for (const g of svg.matchAll(/<g fill="[^"]+" data-owner="(\w+)">([\s\S]*?)<\/g>/g)) {
    let n = 0;
    for (const r of g[2].matchAll(/<rect x="\d+" y="\d+" width="(\d+)" height="(\d+)">/g)) n += (Number(r[1]) * Number(r[2])) / (side * side);
    area[g[1]] = n;
  }
  return { counts, area };
}

describe("simulate --svg: the memory picture without booting", function () {
  let tmp;
  before(() => { tmp = fs.mkdtempSync(path.join(os.tmpdir(), "tsk-svg-")); });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  for (const [map, allocAll] of [["v86-128M", true], ["v86-1G", false]]) {
    it(`${map}${allocAll ? " --alloc-all" : ""}: squares per owner = legend counts = the mem:${allocAll ? " and paging:" : ""} line`, function () {
      const out = path.join(tmp, `${map}.svg`);
      const r = simulateSvg([path.join(FIXTURES, `${map}.json`), ...(allocAll ? ["--alloc-all"] : []), "--svg", out]);
      assert.strictEqual(r.status, 0, r.stderr);
      const svg = fs.readFileSync(out, "utf8");
      assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
      const { counts, area } = readSvg(svg);
      for (const [k, n] of Object.entries(counts)) assert.strictEqual(area[k] || 0, n, `${k}: drawn ${area[k]}, legend ${n}`);
      const mem = /^mem: usable=(\d+) low=(\d+) kernel=(\d+) pat=(\d+) free=(\d+)$/m.exec(r.stdout).slice(1).map(Number);
      const pat = Number(/^pat: base=0x[0-9a-f]{8} pages=(\d+)/m.exec(r.stdout)[1]);
      assert.deepStrictEqual([counts.low, counts.kernel, counts.pat], mem.slice(1, 4));
      assert.strictEqual(counts.free + counts.tables + counts.allocated, mem[4]);
      assert.strictEqual(counts.low + counts.kernel + counts.pat + counts.free + counts.tables + counts.allocated, mem[0]);
      assert.strictEqual(Object.values(counts).reduce((a, b) => a + b, 0), pat, "every page the PAT covers is drawn");
      const paging = /^paging: on .* pages=(\d+)$/m.exec(r.stdout);
      assert.strictEqual(counts.tables, allocAll ? Number(paging[1]) : 0);
      assert.strictEqual(counts.allocated, 0, "memInit and the self-test leave nothing allocated");
      assert.match(svg, /<title>0x00100000-0x[0-9a-f]{8} kernel \(\d+ pages\)<\/title>/);
      assert.match(svg, /counts = the mem: line/);
    });
  }

  it("names a missing or unwritable --svg file", function () {
    let r = simulateSvg([path.join(FIXTURES, "v86-2M.json"), "--svg"]);
    assert.strictEqual(r.status, 2);
    assert.match(r.stderr, /^simulate: --svg needs a file name\n/);
    r = simulateSvg([path.join(FIXTURES, "v86-2M.json"), "--svg", path.join(tmp, "no/such/dir/x.svg")]);
    assert.strictEqual(r.status, 1);
    assert.match(r.stderr, /^simulate: cannot write .*no\/such\/dir\/x\.svg: ENOENT/m);
  });
});
