// Boot tests in v86 (npm `v86`, the second emulator; scripts/lib/v86.js): the real image at the
// sizes that show v86's own maps (test/fixtures/e820/v86-*.json, measured from v86 itself), the
// contract lines checked against the same kernel code run in Node on the same map (test/sim), the
// loader's panic at 1 MiB, v86's own verdicts (cli; hlt; a size it cannot run), the bundled BIOS,
// and `npm start` falling back to v86 where QEMU is not on PATH. In-kernel tests: ktest-v86.test.js.
"use strict";
const assert = require("assert");
const crypto = require("crypto");
const fs = require("fs");
const os = require("os");
const path = require("path");
const { execFileSync, spawnSync } = require("child_process");
const { withSlot } = require("./lib/slots");
const { buildLoader, ROOT } = require("../scripts/lib/build");
const { kernelImage } = require("./lib/images");
const { V86_EXIT } = require("../scripts/lib/v86");
const { boot, expectExit, lines, EXIT_FAILURE } = require("./lib/emu");
const { simulate } = require("./sim/run.ts");
const { loadMapFile } = require("./sim/bios.ts");

const { expectedE820, FIXTURES } = require("./lib/e820");
const BANNER = "tsk: TypeScript kernel booting";


const pick = (out, prefix) => out.filter((l) => l.startsWith(prefix));

describe("boot: v86 boots the real image", function () {
  this.timeout(180000);
  let tmp;
  let image;
  let kernelEnd;

  before(function () {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "tsk-v86-"));
    // The image the boot suites share (test/lib/images.js, built once by the global setup).
    const kernel = kernelImage();
    image = kernel.image;
    const nm = execFileSync("nm", [path.join(ROOT, kernel.dir, "kernel.elf")], { encoding: "utf8" });
    kernelEnd = parseInt(/^([0-9a-f]+) \w __kernel_end$/m.exec(nm)[1], 16);
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  // 2M: the smallest machine the kernel runs on; 128M: the default. 1G and 2G (where v86's map
  // stops: usable ends at 0x7ffdffff) cost 10-30 s of CPU each for the self-test's zeroing in
  // wasm: they run when TSK_TEST_LARGE=1 (as CI sets it), against their fixtures the same way.
  for (const mem of ["2M", "128M", ...(process.env.TSK_TEST_LARGE === "1" ? ["1G", "2G"] : [])]) {
    it(`-m ${mem}: v86's E820 map (v86-${mem}.json), pat:/mem:/paging:/selftest: as the same code in Node gives, boot: ok, exit 33`, async function () {
      const result = expectExit(await boot(image, { emulator: "v86", mem, timeout: 120000 }));
      const out = lines(result.serial);
      assert.strictEqual(out[0], BANNER);
      assert.deepStrictEqual(pick(out, "e820: "), expectedE820(`v86-${mem}`));
      // The kernel's own lines against kernel/mem run in Node on the map v86 gave (test/sim).
      const sim = simulate(loadMapFile(path.join(FIXTURES, `v86-${mem}.json`)), { kernelEnd, allocAll: true });
      assert.strictEqual(sim.exit, null, sim.output);
      const simOut = lines(sim.output);
      for (const prefix of ["pat: ", "mem: ", "paging: ", "selftest: "]) {
        assert.deepStrictEqual(pick(out, prefix), pick(simOut, prefix), `${prefix} lines, v86 vs Node`);
      }
      const field = (prefix, name) => Number(new RegExp(`${name}=(\\d+)`).exec(pick(out, prefix)[0])[1]);
      const selftest = Number(/alloc-all (\d+) pages/.exec(pick(out, "selftest: ")[0])[1]);
      assert.strictEqual(selftest, field("mem: ", "free") - field("paging: ", "pages"));
      assert.strictEqual(out[out.length - 1], "boot: ok");
    });
  }

  it("-m 1M: stage 2 panics (no RAM above 1 MiB for the kernel), exit 35, as on QEMU", async function () {
    const result = expectExit(await boot(image, { emulator: "v86", mem: "1M" }), EXIT_FAILURE);
    assert.match(result.serial, /^panic: .*RAM.*\n/m);
    assert.ok(!result.serial.includes(BANNER), "the kernel must not have run");
  });

  it("ends a machine that halts with interrupts off as a verdict (stage 1's disk error), not a timeout", async function () {
    const loader = buildLoader({ dir: path.join(tmp, "loader"), log: null });
    const result = await boot(loader.stage1, { emulator: "v86", timeout: 30000 });
    assert.ok(!result.timedOut, "v86 reports cli; hlt itself");
    assert.strictEqual(result.exitCode, V86_EXIT.HALT);
    assert.match(result.serial, /stage1: disk read error/);
    assert.throws(() => expectExit(result), (e) => /expected v86 exit 33 \(success\), but the CPU halted with interrupts off/.test(e.message) &&
      /stage1: disk read error/.test(e.message));
  });

  it("ends a crash inside v86 (a #GP with no IDT: v86's wasm panics) as a verdict: exit code and one line", async function () {
    // Protected mode, an empty IDT, then ud2: the #UD cannot be delivered, and v86 gives up.
    const src = path.join(tmp, "gp.asm");
    fs.writeFileSync(src, `bits 16
org 0x7c00
    cli
    xor ax, ax
    mov ds, ax
    lgdt [gdtr]
    mov eax, cr0
    or eax, 1
    mov cr0, eax
    jmp 0x08:pm
bits 32
pm:
    mov ax, 0x10
    mov ds, ax
    mov ss, ax
    lidt [idtr]
    ud2
align 8
gdt: dq 0, 0x00cf9a000000ffff, 0x00cf92000000ffff
gdtr: dw 23
    dd gdt
idtr: dw 0
    dd 0
times 510 - ($ - $$) db 0
dw 0xaa55
`);
    execFileSync("nasm", ["-f", "bin", src, "-o", path.join(tmp, "gp.bin")]);
    const result = await boot(path.join(tmp, "gp.bin"), { emulator: "v86", timeout: 30000 });
    assert.strictEqual(result.exitCode, V86_EXIT.CRASH, result.stderr);
    assert.match(result.stderr, /^v86: crashed: RuntimeError: .*$/m);
    assert.doesNotMatch(result.stderr, /^\s+at /m, "no stack trace");
    assert.throws(() => expectExit(result), /but v86 crashed \(the emulator threw; its error is on stderr\)/);
  });

  it("refuses sizes v86 cannot run, naming the limit, before starting it", async function () {
    for (const mem of ["4G", "4096M", "0"]) {
      const result = await boot(image, { emulator: "v86", mem, timeout: 30000 });
      assert.strictEqual(result.exitCode, V86_EXIT.USAGE, `${mem}: ${result.stderr}`);
      assert.match(result.stderr, mem === "0" ? /0 is not a memory size/ : /v86 cannot boot .* of RAM: it runs 1 MiB to 4095 MiB/);
      assert.strictEqual(result.serial, "");
    }
  });

  it("boots with the SeaBIOS in bios/ whose SHA256 bios/README.md records", function () {
    const sum = crypto.createHash("sha256").update(fs.readFileSync(path.join(ROOT, "bios/bios.bin"))).digest("hex");
    const readme = fs.readFileSync(path.join(ROOT, "bios/README.md"), "utf8");
    assert.ok(readme.includes(`| bios.bin SHA256 | \`${sum}\` |`), `bios/README.md does not record ${sum}`);
    assert.ok(fs.readFileSync(path.join(ROOT, "bios/COPYING.LESSER"), "utf8").includes("GNU LESSER GENERAL PUBLIC LICENSE"));
  });
});

describe("boot: v86 npm start", function () {
  this.timeout(120000);
  let tmp;
  before(() => { tmp = fs.mkdtempSync(path.join(os.tmpdir(), "tsk-v86-start-")); });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  /** A PATH holding every tool of /usr/local/bin, /usr/bin and /bin but QEMU's (and `also`). */
  function pathWithoutQemu(also = []) {
    const dir = path.join(tmp, `bin-${also.join("-")}`);
    fs.mkdirSync(dir);
    for (const bin of ["/usr/local/bin", "/usr/bin", "/bin"]) {
      if (!fs.existsSync(bin)) continue;
      for (const name of fs.readdirSync(bin)) {
        if (name.startsWith("qemu-system-") || also.includes(name) || fs.existsSync(path.join(dir, name))) continue;
        fs.symlinkSync(path.join(bin, name), path.join(dir, name));
      }
    }
    const node = path.join(dir, "node");
    if (!fs.existsSync(node)) fs.symlinkSync(process.execPath, node);
    return dir;
  }

  it("boots in v86 and says so where qemu-system-i386 is not on PATH, exit 0", async function () {
    const env = { ...process.env, PATH: pathWithoutQemu() };
    for (const k of ["TSK_EMULATOR", "TSK_MEM", "QEMU_MEM", "QEMU_MACHINE", "QEMU_ACCEL"]) delete env[k];
    // v86 on 16 MiB: the claim is the choice of emulator, which the size does not change; v86 at
    // the default 128 MiB (the same runner, the same flags) is -m 128M's boot above.
    env.TSK_MEM = "16M";
    const r = await withSlot(async () => spawnSync(process.execPath, ["scripts/start.js"], { cwd: ROOT, encoding: "latin1", env, timeout: 110000 }));
    assert.strictEqual(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stderr, /qemu-system-i386 is not installed: booting in v86 \(npm\) instead/);
    assert.match(r.stdout, /^boot: ok\r?$/m);
  });

  it("scripts/setup: QEMU missing and not installable (no apt-get) is a note, not a failure", function () {
    const r = spawnSync(path.join(ROOT, "scripts/setup"), ["--quiet"], {
      cwd: ROOT, encoding: "utf8", env: { ...process.env, PATH: pathWithoutQemu(["apt-get"]) },
    });
    assert.strictEqual(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /setup: note: qemu-system-i386 is not installed and cannot be here; npm start and npm run ktest will boot in v86 \(npm\) instead/);
  });

  it("refuses what v86 cannot do with one line and exit 1: 4 GiB, q35, kvm, conflicting sizes", function () {
    const cases = [
      [{ TSK_MEM: "4G" }, /^start: TSK_MEM=4G: v86 cannot boot 4G of RAM: it runs 1 MiB to 4095 MiB/],
      [{ QEMU_MEM: "8G" }, /^start: QEMU_MEM=8G: v86 cannot boot 8G/],
      [{ QEMU_MACHINE: "q35" }, /^start: QEMU_MACHINE=q35 needs QEMU: v86 emulates one PC/],
      [{ QEMU_ACCEL: "kvm" }, /^start: QEMU_ACCEL=kvm needs QEMU/],
      [{ TSK_MEM: "1G", QEMU_MEM: "2G" }, /^start: TSK_MEM=1G and QEMU_MEM=2G disagree/],
      [{ TSK_TIMEOUT: "soon" }, /^start: TSK_TIMEOUT must be a number of seconds/],
    ];
    for (const [vars, want] of cases) {
      const env = { ...process.env, TSK_EMULATOR: "v86", ...vars };
      const r = spawnSync(process.execPath, ["scripts/start.js"], { cwd: ROOT, encoding: "utf8", env });
      assert.strictEqual(r.status, 1, JSON.stringify(vars) + r.stderr);
      assert.match(r.stderr, want);
      assert.strictEqual(r.stderr.trim().split("\n").length, 1, r.stderr);
    }
  });
});
