// The memory manager on real QEMU (TCG): boots the kernel at every size of issue #4 on pc and q35
// and checks the contract lines (docs/architecture.md §4) with the independent oracle
// test/oracle/memreport.js, plus selftest N = free - paging pages and `boot: ok`, and that the
// harness's onLine streams exactly the lines of the serial log.
// pc at 3G, 4G and 8G has the same 3 GiB of RAM below 4 GiB (QEMU moves the rest above 4 GiB, out
// of reach): the same table of runs, so the same PAT, paging and self-test, which zeroes and checks
// every free page, 3 GiB under TCG, a quarter of this file's CPU each. pc -m 8G runs it to
// `boot: ok`; 3G and 4G stop after their `paging:` line, whose pat:/mem:/paging: lines (and e820
// lines below 4 GiB) must equal 8G's: the self-test's whole input, proved on 8G. q35 -m 8G (2 GiB
// below 4 GiB) stops there too: its map, PAT and paging are checked by the oracle; q35's self-test
// runs on -m 1G and the multi-GiB one on pc -m 8G (the same code over a larger table of runs).
// A stopped boot that outruns its kill is held to everything a whole boot is.
// Then maps longer than the loader's table (256, 257 and 1,000 entries), served to the real stage 2
// by its test-only build (-DTEST_E820_MAP): the loader's verdict, and the same verdict from
// `npm run simulate`'s model of it, line for line.
// Two QEMUs at a time: the sweet spot on these 2-core machines (docs/architecture.md §6).
"use strict";
const assert = require("assert");
const fs = require("fs");
const os = require("os");
const path = require("path");
const { execFileSync, spawnSync } = require("child_process");
const { makeImage, ROOT } = require("../scripts/lib/build");
const { kernelImage } = require("./lib/images");
const { boot, expectExit, lines } = require("./lib/qemu");

const oracle = require("./oracle/memreport");

const CONFIGS = [
  ["pc", "2M"], ["pc", "16M"], ["pc", "128M"], ["pc", "1G"], ["pc", "3G"], ["pc", "4G"], ["pc", "8G"],
  ["q35", "1G"], ["q35", "8G"],
];
/** Machines stopped after `paging:` (see the header), and the machine whose full boot stands for them. */
const STOPPED = new Set(["pc-3G", "pc-4G", "q35-8G"]);
const SAME_LOW_RAM = "pc-8G";
/** The stopped machines whose RAM below 4 GiB is pc -m 8G's (q35 -m 8G has 2 GiB there). */
const SAME_AS_8G = new Set(["pc-3G", "pc-4G"]);
const FOUR_GIB = 0x100000000n;

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
  let symbols;
  const runs = new Map();

  before(async function () {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "tsk-boot-mem-"));
    const { image, dir } = kernelImage();
    const nm = execFileSync("nm", [path.join(ROOT, dir, "kernel.elf")], { encoding: "utf8" });
    kernelEnd = parseInt(/^([0-9a-f]+) \w __kernel_end$/m.exec(nm)[1], 16);
    symbols = nm;
    const jobs = new Map(CONFIGS.map(([machine, mem]) => [`${machine}-${mem}`, async () => {
      const seen = [];
      const until = STOPPED.has(`${machine}-${mem}`) ? (l) => l.startsWith("paging:") : undefined;
      const r = await boot(image, { machine, mem, cpu: "qemu32", timeout: 120000, onLine: (l) => seen.push(l), until });
      return { ...r, seen };
    }]));
    // Most of these boots' CPU is the host giving QEMU memory it has not touched for a while (on
    // this virtual machine such memory goes back to the hypervisor, and each first touch faults
    // again), while memory another QEMU has just freed comes back cheap. So pc -m 8G (3 GiB
    // touched) runs first, beside the small machines only, and the other big ones (2 + 1 + 1 GiB)
    // after it, in what it freed (q35 -m 8G stops after paging:, before the self-test touches it).
    const big = ["q35-8G", "pc-1G", "q35-1G"];
    const phases = [[SAME_LOW_RAM, ...[...jobs.keys()].filter((k) => k !== SAME_LOW_RAM && !big.includes(k))], big];
    for (const phase of phases) {
      const results = await twoAtATime(phase.map((k) => jobs.get(k)));
      phase.forEach((k, i) => runs.set(k, results[i]));
    }
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it("the run table, e820.ts's module-level Uint32Array, is in the kernel image's .bss (RAM stage 2 checked, kept from the allocator)", () => {
    const at = (re) => parseInt(re.exec(symbols)[1], 16);
    // The C backend names it after its module; the i386 backend numbers it.
    const table = at(/^([0-9a-f]+) b (?:mem_e820_runs|tsk_a\d+_runs)$/m);
    assert.ok(table >= at(/^([0-9a-f]+) \w __bss_start$/m) && table + 512 * 8 <= at(/^([0-9a-f]+) \w __bss_end$/m), "table inside .bss");
    assert.ok(table + 512 * 8 <= kernelEnd, "table below the kernel's end");
  });

  /** The lines that depend only on the RAM below 4 GiB: e820 entries starting there, pat:, mem:, paging:. */
  const lowRamLines = (log) => log.filter((l) => {
    const e = /^e820: \[mem 0x([0-9a-f]{16})-/.exec(l);
    return e ? BigInt(`0x${e[1]}`) < FOUR_GIB : /^(pat|mem|paging): /.test(l);
  });

  for (const [machine, mem] of CONFIGS) {
    const stopped = STOPPED.has(`${machine}-${mem}`);
    const title = !stopped ? null : SAME_AS_8G.has(`${machine}-${mem}`)
      ? `${machine} -m ${mem}: pat/mem/paging lines hold for the map and equal ${SAME_LOW_RAM.replace("-", " -m ")}'s (same RAM below 4 GiB; its boot runs the self-test), stopped after paging:`
      : `${machine} -m ${mem}: pat/mem/paging lines hold for the map (q35's self-test runs on -m 1G, the multi-GiB one on pc -m 8G), stopped after paging:`;
    const fullTitle = `${machine} -m ${mem}: pat/mem lines hold for the map, selftest N = free - paging pages, boot: ok`;
    it(title ?? fullTitle, () => {
      const r = runs.get(`${machine}-${mem}`);
      if (r instanceof Error) throw r;
      // A stopped boot may outrun its kill (the stop is asked when paging: reaches this process,
      // and the self-test may be done by then): then it is held to everything a whole boot is.
      const cut = stopped && r.stopped;
      if (!cut) expectExit(r);
      // What arrived after the stop (the same chunk of output) is not part of this run's record.
      const log = cut ? r.seen : lines(r.serial);
      if (!cut) assert.deepStrictEqual(r.seen, log, "onLine saw other lines than the serial log has");
      const text = cut ? `${log.join("\n")}\n` : r.serial;
      const map = mapFromLog(text);
      assert.strictEqual(log[0], "tsk: TypeScript kernel booting", `no banner first:\n${r.serial}`);
      // QEMU's measured maps (all but q35 at 8G, which has none): the kernel printed exactly that.
      if (!(machine === "q35" && mem === "8G")) {
        const fixture = path.join(ROOT, `test/fixtures/e820/qemu-${machine}-${mem}.json`);
        const want = JSON.parse(fs.readFileSync(fixture, "utf8")).map((e) => [BigInt(e.base), BigInt(e.length), e.type].join());
        assert.deepStrictEqual(map.map((e) => [BigInt(e.base), BigInt(e.length), e.type].join()), want);
      }
      const problems = oracle.checkReport(text, oracle.parseEntries(map), { kernelEnd });
      assert.deepStrictEqual(problems, [], `oracle: ${problems.join("; ")}\n--- serial ---\n${r.serial}`);
      assert.match(log.find((l) => l.startsWith("paging:")), /^paging: on cr3=0x[0-9a-f]{8} mapped=\d+ pages=\d+$/);
      if (mem === "4G" || mem === "8G") assert.ok(log.some((l) => /4 GiB/.test(l)), "the memory above 4 GiB is said to be out of reach");
      if (SAME_AS_8G.has(`${machine}-${mem}`)) {
        const full = runs.get(SAME_LOW_RAM);
        if (full instanceof Error) throw new Error(`${SAME_LOW_RAM} did not boot: ${full.message}`);
        assert.deepStrictEqual(lowRamLines(log), lowRamLines(lines(full.serial)));
      }
      if (cut) {
        assert.strictEqual(log[log.length - 1].split(" ")[0], "paging:");
        return;
      }
      const field = (prefix, name) => Number(new RegExp(`${name}=(\\d+)`).exec(log.find((l) => l.startsWith(prefix)))[1]);
      const free = field("mem:", "free");
      const pagingPages = field("paging:", "pages");
      const selftest = /^selftest: alloc-all (\d+) pages ok$/.exec(log.find((l) => l.startsWith("selftest:")) || "");
      assert.ok(selftest, `no selftest line:\n${r.serial}`);
      assert.strictEqual(Number(selftest[1]), free - pagingPages);
      assert.strictEqual(log[log.length - 1], "boot: ok");
    });
  }
});

describe("mem: maps longer than the loader's table, on real QEMU and in the simulator", function () {
  this.timeout(600000);
  // test/sim/ is TypeScript: loaded here through the compiler's Node loader (mocha -r register).
  require("../compiler/node/register");
  const { simulate } = require("./sim/run.ts");
  const { parseMap } = require("./sim/bios.ts");

  const qemu16 = JSON.parse(fs.readFileSync(path.join(ROOT, "test/fixtures/e820/qemu-pc-16M.json"), "utf8"))
    .map((e) => [BigInt(e.base), BigInt(e.length), e.type, 1]);
  const M = 0x100000n;
  // [base, length, type, repeat]: the real QEMU map first (pc -m 16M), so the machine has the RAM it
  // describes; what is said here is about the map's length, which no size of RAM changes.
  const CASES = [
    { name: "256", records: [...qemu16, [0xfffc0000n, 0x40000n, 2, 250]], ok: true },
    { name: "257-usable", records: [...qemu16, [0xfffc0000n, 0x40000n, 2, 250], [16n * M, 16n * M, 1, 1]], ok: true,
      line: "e820: 1 entries past the loader's limit of 256 dropped, 1 of them usable: up to 0x0000000001000000 bytes of RAM left unused" },
    { name: "257-reserved", records: [...qemu16, [0xfffc0000n, 0x40000n, 2, 250], [4n * M, 0x1000n, 2, 1]], ok: false,
      line: "panic: e820: 1 entries past the loader's limit of 256 are not usable RAM: what they reserve is unknown" },
    { name: "1000-usable", records: [...qemu16, [M, 15n * M, 1, 994]], ok: true,
      line: "e820: 744 entries past the loader's limit of 256 dropped, 744 of them usable: up to 0x00000002b9800000 bytes of RAM left unused" },
    { name: "1000-reserved", records: [...qemu16, [M, 15n * M, 1, 990], [4n * M, 0x1000n, 2, 2], [0x7000000n, 0x2000n, 4, 2]], ok: false,
      line: "panic: e820: 4 entries past the loader's limit of 256 are not usable RAM: what they reserve is unknown" },
    // A BIOS that never says "last" (70,000 entries, more than stage 2's bound of 65,535 calls).
    { name: "endless", records: [...qemu16, [M, 15n * M, 1, 70000]], ok: false, loaderOnly: true,
      line: "panic: e820: the BIOS memory map did not end within 65535 entries" },
  ];
  const expand = (records) => records.flatMap(([base, length, type, n]) => Array.from({ length: n }, () => ({ base: "0x" + base.toString(16), length: "0x" + length.toString(16), type })));
  let tmp;
  let kernelEnd;
  const results = new Map();

  before(async function () {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "tsk-boot-long-"));
    const kdir = path.join(ROOT, kernelImage().dir); // the shared kernel; only stage 2 differs
    const nm = execFileSync("nm", [path.join(kdir, "kernel.elf")], { encoding: "utf8" });
    kernelEnd = parseInt(/^([0-9a-f]+) \w __kernel_end$/m.exec(nm)[1], 16);
    const jobs = CASES.map((c) => {
      fs.writeFileSync(path.join(tmp, `${c.name}.inc`), c.records.map(([b, l, t, n]) => `E820 0x${b.toString(16)}, 0x${l.toString(16)}, ${t}, ${n}\n`).join(""));
      const stage2 = path.join(tmp, `stage2-${c.name}.bin`);
      const r = spawnSync("nasm", ["-f", "bin", "-Werror", `-I${tmp}/`, `-I${kdir}/`, "-Iboot/", `-DTEST_E820_MAP="${c.name}.inc"`, "boot/stage2.asm", "-o", stage2], { cwd: ROOT, encoding: "utf8" });
      if (r.status !== 0) throw new Error(r.stderr);
      const img = path.join(tmp, `${c.name}.img`);
      makeImage({ stage1: path.join(kdir, "stage1.bin"), stage2, kernel: path.join(kdir, "kernel.bin"), out: img });
      return () => boot(img, { machine: "pc", mem: "16M", cpu: "qemu32", timeout: 120000 });
    });
    (await twoAtATime(jobs)).forEach((r, i) => results.set(CASES[i].name, r));
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  for (const c of CASES) {
    const total = c.records.reduce((n, r) => n + r[3], 0);
    const what = c.loaderOnly ? "stage 2 gives up on an endless map" : c.ok ? (c.line ? "boots, saying what was dropped" : "boots")
      : "the loader refuses, naming the count and the limit";
    it(`${total} entries (${c.name}): ${what}${c.loaderOnly ? "" : "; simulate agrees line for line"}`, () => {
      const r = results.get(c.name);
      if (r instanceof Error) throw r;
      expectExit(r, c.ok ? undefined : 35);
      const log = lines(r.serial);
      if (c.loaderOnly) {
        assert.deepStrictEqual(log, [c.line], "stage 2 stops before loading the kernel");
        return;
      }
      const entries = expand(c.records);
      assert.strictEqual(entries.length, total);
      if (c.line) assert.ok(log.includes(c.line), `no line "${c.line}":\n${r.serial}`);
      const problems = oracle.checkReport(r.serial, oracle.parseEntries(entries), { kernelEnd, maxEntries: 256 });
      assert.deepStrictEqual(problems, [], `oracle: ${problems.join("; ")}\n--- serial ---\n${r.serial}`);
      if (c.ok) {
        assert.strictEqual(log.filter((l) => l.startsWith("e820: [mem ")).length, 256);
        assert.strictEqual(log[log.length - 1], "boot: ok");
      } else {
        assert.deepStrictEqual(log, [c.line], "stage 2 stops before loading the kernel");
      }
      // The simulator gives the same verdict and the same memory lines for the same kernel end.
      const sim = simulate(parseMap(entries), { kernelEnd, allocAll: true });
      const mine = lines(sim.output).filter((l) => /^(e820|pat|mem|paging|selftest|panic): /.test(l) && !/^panic: at /.test(l));
      const real = log.filter((l) => /^(e820|pat|mem|paging|selftest|panic): /.test(l) && !/^panic: at /.test(l));
      // (paging:'s cr3 too: the directory is the first page the same bitmap hands out.)
      assert.deepStrictEqual(mine, real);
      assert.strictEqual(sim.exit === null, c.ok, sim.output);
    });
  }
});
