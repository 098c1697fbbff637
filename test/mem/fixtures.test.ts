// QEMU's real E820 maps (test/fixtures/e820, measured) through the real kernel/mem code on the
// simulated machine, with the oracle (test/oracle/memreport.js) as the referee, and
// `npm run simulate` as a user runs it. Each fixture is read inside its own test, so a missing file
// fails that test alone, naming it.
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { spawnSync } from "child_process";
import { loadMapFile, parseMap } from "../sim/bios";
import { simulate } from "../sim/run";
import { FIXTURES, ROOT, memreportBatch, memreportCli, fields, expectedLayout } from "./helpers";

const TYPE_NAMES: Record<number, string> = { 1: "usable", 2: "reserved", 3: "ACPI data", 4: "ACPI NVS", 5: "unusable" };
const hex16 = (v: bigint) => "0x" + v.toString(16).padStart(16, "0");

/** The measured maps this suite holds the kernel to (QEMU 7.2, qemu32 CPU). */
const fixtures = [
  "qemu-pc-128M.json", "qemu-pc-16M.json", "qemu-pc-1G.json", "qemu-pc-1M.json", "qemu-pc-2M.json",
  "qemu-pc-3G.json", "qemu-pc-4G.json", "qemu-pc-8G.json", "qemu-q35-1G.json",
];

/** A fixture's entries; a missing or unreadable file is an error naming it. */
function fixture(name: string) {
  const file = path.join(FIXTURES, name);
  if (!fs.existsSync(file)) throw new Error(`fixture ${path.relative(ROOT, file)} is missing from the repository`);
  return loadMapFile(file);
}

describe("mem: QEMU's E820 fixtures", function () {
  it("every measured map in test/fixtures/e820 is held to", function () {
    const present = fs.readdirSync(FIXTURES).filter((f) => f.startsWith("qemu-") && f.endsWith(".json"));
    assert.deepStrictEqual(present.filter((f) => !fixtures.includes(f)), [], "add new fixtures to the list above");
  });

  // The real kernel ends near 0x112000; the simulator's default is 0x200000. Both, per fixture.
  for (const kernelEnd of [0x200000, 0x112000]) {
    for (const name of fixtures) {
      it(`${name}, kernel end 0x${kernelEnd.toString(16)}: e820 lines, and the oracle agrees`, function () {
        const entries = fixture(name);
        const r = simulate(entries, { kernelEnd });
        const want = entries.map((e) => `e820: [mem ${hex16(e.base)}-${hex16(e.base + e.length - 1n)}] ${TYPE_NAMES[e.type]}`);
        assert.deepStrictEqual(
          r.output.split("\n").filter((l) => l.startsWith("e820: [mem ")),
          want,
        );
        const layout = expectedLayout(entries, kernelEnd);
        if (layout.patFirst === null) {
          // pc-1M (nothing above 1 MiB) and pc-2M with a 1 MiB kernel (all of it is kernel).
          assert.ok(r.exit && r.exit.code === 0x11, "must panic");
          assert.match(r.output, /\npanic: no (usable memory|room) above 1 MiB/);
          return;
        }
        assert.strictEqual(r.exit, null, r.output);
        assert.deepStrictEqual(memreportBatch([{ entries, output: r.output, kernelEnd }]), [[]], r.output);
        const above4G = entries.some((e) => e.type === 1 && e.base + e.length > 1n << 32n);
        assert.strictEqual(/out of reach/.test(r.output), above4G);
      });
    }
  }

  for (const name of ["qemu-pc-16M.json", "qemu-pc-128M.json", "qemu-q35-1G.json"]) {
    it(`${name} --alloc-all: selftest N = free - paging pages`, function () {
      const entries = fixture(name);
      const r = simulate(entries, { allocAll: true });
      assert.strictEqual(r.exit, null, r.output);
      const mem = fields(r.output, "mem")!;
      const paging = fields(r.output, "paging")!;
      const m = /^selftest: alloc-all (\d+) pages ok$/m.exec(r.output);
      assert.ok(m, r.output);
      assert.strictEqual(Number(m[1]), mem.free - paging.pages);
    });
  }
});

describe("mem: npm run simulate", function () {
  const run = (...args: string[]) =>
    spawnSync(process.execPath, [path.join(ROOT, "scripts/simulate.js"), ...args], { encoding: "utf8" });

  it("prints the e820/pat/mem lines for a map, exit 0, and the oracle's CLI accepts them", function () {
    const file = path.join(FIXTURES, "qemu-pc-128M.json");
    const r = run(file, "--kernel-end", "0x180000");
    assert.strictEqual(r.status, 0, r.stderr);
    assert.match(r.stdout, /^e820: \[mem 0x0000000000000000-0x000000000009fbff\] usable$/m);
    assert.match(r.stdout, /^pat: base=0x00180000 pages=32736 bytes=4092$/m);
    assert.match(r.stdout, /^mem: usable=32639 low=159 kernel=128 pat=1 free=32351$/m);
    const check = memreportCli(loadMapFile(file), r.stdout, 0x180000);
    assert.strictEqual(check.status, 0, check.stdout);
  });

  it("--alloc-all adds the paging and selftest lines", function () {
    const r = run(path.join(FIXTURES, "qemu-pc-16M.json"), "--alloc-all", "--kernel-end", "0x200000");
    assert.strictEqual(r.status, 0, r.stderr);
    // RAM only: [0x1000, 0x9f000) and [1 MiB, 0xfe0000), not the holes between and above.
    assert.match(r.stdout, /^paging: on cr3=0x[0-9a-f]{8} mapped=16244736 pages=5$/m);
    assert.match(r.stdout, /^selftest: alloc-all 3546 pages ok$/m);
  });

  it("a map with no usable memory above 1 MiB prints panic: and exits 1", function () {
    const r = run(path.join(FIXTURES, "qemu-pc-1M.json"));
    assert.strictEqual(r.status, 1);
    assert.match(r.stdout, /^panic: no usable memory above 1 MiB$/m);
    assert.doesNotMatch(r.stdout, /^mem:/m);
  });

  it("the default kernel end is the built kernel's __kernel_end, said on stderr; pc 2M boots as on QEMU", function () {
    // An ELF whose symbol table has __kernel_end where the real kernel's is (about 0x120000; building
    // the kernel here would cost seconds, and test/boot-mem.test.js boots the real one on 2M): on
    // the 2 MiB map, where the real boot succeeds, the old default end 0x200000 left no room for
    // the PAT and panicked.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tsk-simelf-"));
    try {
      const end = 0x120000;
      const elf = path.join(dir, "kernel.elf");
      fs.writeFileSync(path.join(dir, "k.asm"), `global __kernel_end\n__kernel_end equ 0x${end.toString(16)}\nsection .text\nnop\n`);
      const asm = spawnSync("nasm", ["-f", "elf32", path.join(dir, "k.asm"), "-o", elf], { encoding: "utf8" });
      assert.strictEqual(asm.status, 0, asm.stderr);
      const r = run(path.join(FIXTURES, "qemu-pc-2M.json"), "--kernel-elf", elf, "--alloc-all");
      assert.strictEqual(r.status, 0, r.stdout + r.stderr);
      assert.match(r.stderr, new RegExp(`^simulate: kernel image \\[0x100000, 0x${end.toString(16)}\\) from .*kernel\\.elf$`, "m"));
      assert.match(r.stdout, /^selftest: alloc-all \d+ pages ok$/m);
      assert.deepStrictEqual(memreportBatch([{ entries: loadMapFile(path.join(FIXTURES, "qemu-pc-2M.json")), output: r.stdout, kernelEnd: end }]), [[]]);
      // No kernel built: what was assumed, and why.
      const none = run(path.join(FIXTURES, "qemu-pc-16M.json"), "--kernel-elf", path.join(dir, "missing.elf"));
      assert.strictEqual(none.status, 0, none.stderr);
      assert.match(none.stderr, /^simulate: kernel image \[0x100000, 0x200000\) assumed: .*missing\.elf not built \(npm run build, or pass --kernel-end\)$/m);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("maps longer than the loader's 256 entries: the loader's verdict (256 and 257 usable boot; 257 and 1,000 with a reservation past the limit panic)", function () {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tsk-longmap-"));
    try {
      const qemu = JSON.parse(fs.readFileSync(path.join(FIXTURES, "qemu-pc-16M.json"), "utf8"));
      const filler = (n: number) => Array.from({ length: n }, () => ({ base: "0xfffc0000", length: "0x40000", type: 2 }));
      const cases: Array<[string, unknown[], number, RegExp]> = [
        ["256", [...qemu, ...filler(256 - qemu.length)], 0, /^selftest: alloc-all \d+ pages ok$/m],
        ["257-usable", [...qemu, ...filler(256 - qemu.length), { base: "0x2000000", length: "0x1000", type: 1 }], 0,
          /^e820: 1 entries past the loader's limit of 256 dropped, 1 of them usable: up to 0x0000000000001000 bytes of RAM left unused$/m],
        ["257", [...qemu, ...filler(256 - qemu.length), { base: "0x400000", length: "0x1000", type: 2 }], 1,
          /^panic: e820: 1 entries past the loader's limit of 256 are not usable RAM: what they reserve is unknown\n$/],
        ["1000", [...qemu, ...filler(1000 - qemu.length)], 1,
          /^panic: e820: 744 entries past the loader's limit of 256 are not usable RAM: what they reserve is unknown\n$/],
      ];
      // In process (simulate() is what the CLI runs), then the 1,000-entry map through the CLI.
      for (const [name, rows, status, want] of cases) {
        const r = simulate(parseMap(rows), { kernelEnd: 0x200000, allocAll: true });
        assert.strictEqual(r.exit ? 1 : 0, status, `${name}: ${r.output}`);
        assert.match(r.output, want, name);
      }
      const [, rows, status, want] = cases[3];
      const file = path.join(dir, "1000.json");
      fs.writeFileSync(file, JSON.stringify(rows));
      const r = run(file, "--kernel-end", "0x200000", "--alloc-all");
      assert.strictEqual(r.status, status, r.stdout + r.stderr);
      assert.match(r.stdout, want);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("usage errors exit 2; --help exits 0", function () {
    assert.strictEqual(run().status, 2);
    assert.strictEqual(run("/nonexistent/map.json").status, 2);
    const help = run("--help");
    assert.strictEqual(help.status, 0, help.stderr);
    assert.match(help.stdout, /^usage: npm run simulate -- <map\.json>/);
  });

  it("--kernel-end must be given, a number, above 1 MiB, page-aligned and below 4 GiB", function () {
    const file = path.join(FIXTURES, "qemu-pc-16M.json");
    const cases: [string[], RegExp][] = [
      [["--kernel-end"], /^simulate: --kernel-end needs a value$/m],
      [["--kernel-end="], /^simulate: --kernel-end needs a value$/m],
      [["--kernel-end", "zz"], /^simulate: --kernel-end zz: not a number/m],
      [["--kernel-end", "0x100000"], /^simulate: --kernel-end 0x100000: must be above 1 MiB/m],
      [["--kernel-end", "0x80000"], /must be above 1 MiB/],
      [["--kernel-end", "0x180800"], /^simulate: --kernel-end 0x180800: must be page-aligned/m],
      [["--kernel-end", "0x100000000"], /^simulate: --kernel-end 0x100000000: must be below 4 GiB/m],
    ];
    for (const [args, want] of cases) {
      const r = run(file, ...args);
      assert.strictEqual(r.status, 2, args.join(" "));
      assert.match(r.stderr, want, args.join(" "));
      assert.doesNotMatch(r.stderr, /undefined/);
      assert.strictEqual(r.stdout, "");
    }
  });

  it("a malformed map is a clear error naming the entry and field, exit 2", function () {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tsk-badmap-"));
    const cases: [string, RegExp][] = [
      ['{"base": 0}', /must be a JSON array/],
      ["null", /must be a JSON array .* got null/],
      ['[{"base": "0x0", "length": "0x1000"}]', /entry 0: "type" is missing/],
      ['[{"base": "0x0", "length": "0x1000", "type": "usable"}]', /entry 0\.type: expected an E820 type number/],
      ['[{"base": "0x0", "length": "0x1000", "type": 1}, {"base": "zz", "length": 1, "type": 1}]', /entry 1\.base: expected a hex string/],
      ['[{"base": 1.5, "length": 1, "type": 1}]', /map\.json: line 1, column 11: the number 1\.5 is not an integer JSON holds exactly/],
      ["[not json", /map\.json: line 1, column 2: unexpected "n"/],
      // Truncated: the file and where it stops.
      ['[\n {"base": "0x0",\n  "length": "0x1000"', /map\.json: line 3, column 21: expected ',' or '}', found the end of the file/],
      // Above 2^53: an error, never the rounded 9007199254740992.
      ['[{"base": 9007199254740993, "length": 4096, "type": 1}]', /map\.json: line 1, column 11: the number 9007199254740993 is not an integer JSON holds exactly.*"0x20000000000001"/],
      // A misspelt field must not pass silently.
      ['[{"base": "0x0", "length": "0x1000", "type": 1, "tpye": 2}]', /entry 0: unknown field "tpye"/],
    ];
    // In process (each CLI run loads the compiler: seconds), then once through the CLI.
    const file = path.join(dir, "map.json");
    for (const [text, want] of cases) {
      fs.writeFileSync(file, text);
      assert.throws(() => loadMapFile(file), (e: Error) => e.message.startsWith(file + ": ") && want.test(e.message), text);
    }
    fs.writeFileSync(file, cases[cases.length - 1][0]);
    const r = run(file, "--kernel-end", "0x200000");
    assert.strictEqual(r.status, 2);
    assert.match(r.stderr, /^simulate: .*map\.json: entry 0: unknown field "tpye"/m);
    assert.strictEqual(r.stdout, "", "nothing simulated from a bad map");
  });
});
