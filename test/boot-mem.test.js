// The memory manager on real QEMU (TCG): boots the kernel at every size of issue #4 on pc and q35
// and checks the contract lines (docs/architecture.md §4) with the independent oracle
// test/oracle/memreport.js, plus selftest N = free - paging pages and `boot: ok`.
// Two QEMUs at a time: the sweet spot on these 2-core machines (docs/architecture.md §6).
"use strict";
const assert = require("assert");
const fs = require("fs");
const os = require("os");
const path = require("path");
const { execFileSync } = require("child_process");
const { ROOT } = require("../scripts/lib/build");
const { kernelImage } = require("./lib/images");
const { boot, expectExit, lines } = require("./lib/qemu");

const oracle = require("./oracle/memreport");

const CONFIGS = [
  ["pc", "2M"], ["pc", "16M"], ["pc", "128M"], ["pc", "1G"], ["pc", "3G"], ["pc", "4G"], ["pc", "8G"],
  ["q35", "1G"], ["q35", "8G"],
];

/** The BIOS map as the oracle reads it, rebuilt from the kernel's own e820: lines (raw entries). */
function mapFromLog(serial) {
  const out = [];
  for (const l of lines(serial)) {
    const m = /^e820: \[mem 0x([0-9a-f]{16})-0x([0-9a-f]{16})\] (.*)$/.exec(l);
    if (!m) continue;
    const names = { usable: 1, reserved: 2, "ACPI data": 3, "ACPI NVS": 4, unusable: 5 };
    const type = names[m[3]] ?? Number(/^type (\d+)$/.exec(m[3])[1]);
    const base = BigInt(`0x${m[1]}`);
    out.push({ base: `0x${base.toString(16)}`, length: `0x${(BigInt(`0x${m[2]}`) - base + 1n).toString(16)}`, type });
  }
  return out;
}

/** Runs `jobs` (functions returning promises) two at a time, in order of start. */
async function twoAtATime(jobs) {
  const results = new Array(jobs.length);
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const i = next++;
      results[i] = await jobs[i]().catch((e) => e);
    }
  };
  await Promise.all([worker(), worker()]);
  return results;
}

describe("boot: memory manager on real QEMU, checked by the oracle", function () {
  this.timeout(600000);
  let tmp;
  let kernelEnd;
  const runs = new Map();

  before(async function () {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "tsk-boot-mem-"));
    const { image, dir } = kernelImage();
    const nm = execFileSync("nm", [path.join(ROOT, dir, "kernel.elf")], { encoding: "utf8" });
    kernelEnd = parseInt(/^([0-9a-f]+) \w __kernel_end$/m.exec(nm)[1], 16);
    const results = await twoAtATime(
      CONFIGS.map(([machine, mem]) => () => boot(image, { machine, mem, cpu: "qemu32", timeout: 120000 })),
    );
    CONFIGS.forEach(([machine, mem], i) => runs.set(`${machine}-${mem}`, results[i]));
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  for (const [machine, mem] of CONFIGS) {
    it(`${machine} -m ${mem}: pat/mem lines hold for the map, selftest N = free - paging pages, boot: ok`, () => {
      const r = runs.get(`${machine}-${mem}`);
      if (r instanceof Error) throw r;
      expectExit(r);
      const log = lines(r.serial);
      const fixture = path.join(ROOT, `test/fixtures/e820/qemu-${machine}-${mem}.json`);
      const map = mapFromLog(r.serial);
      if (fs.existsSync(fixture)) {
        // The kernel printed exactly QEMU's map (the fixture was taken from QEMU itself).
        const want = JSON.parse(fs.readFileSync(fixture, "utf8")).map((e) => [BigInt(e.base), BigInt(e.length), e.type].join());
        assert.deepStrictEqual(map.map((e) => [BigInt(e.base), BigInt(e.length), e.type].join()), want);
      }
      const problems = oracle.checkReport(r.serial, oracle.parseEntries(map), { kernelEnd });
      assert.deepStrictEqual(problems, [], `oracle: ${problems.join("; ")}\n--- serial ---\n${r.serial}`);
      const field = (prefix, name) => Number(new RegExp(`${name}=(\\d+)`).exec(log.find((l) => l.startsWith(prefix)))[1]);
      const free = field("mem:", "free");
      const pagingPages = field("paging:", "pages");
      const selftest = /^selftest: alloc-all (\d+) pages ok$/.exec(log.find((l) => l.startsWith("selftest:")) || "");
      assert.ok(selftest, `no selftest line:\n${r.serial}`);
      assert.strictEqual(Number(selftest[1]), free - pagingPages);
      assert.match(log.find((l) => l.startsWith("paging:")), /^paging: on cr3=0x[0-9a-f]{8} mapped=\d+ pages=\d+$/);
      assert.strictEqual(log[log.length - 1], "boot: ok");
      if (mem === "4G" || mem === "8G") assert.ok(log.some((l) => /4 GiB/.test(l)), "the memory above 4 GiB is said to be out of reach");
    });
  }
});
