// Boot tests in real QEMU (TCG only): the loader's failure paths (the real image on a machine too
// small for it; small C kernels that check what stage 2 loads and hands over), and the build's and
// harness's own errors (missing tool, kernel too big, a boot that never ends). The real image's
// boots on pc and q35, against QEMU's measured maps, are in boot-mem.test.js.
"use strict";
const assert = require("assert");
const fs = require("fs");
const os = require("os");
const path = require("path");
const { spawnSync } = require("child_process");
const { build, buildLoader, makeImage, loaderLayout, which, BuildError, ROOT } = require("../scripts/lib/build");
const { boot, expectExit, lines, EXIT_FAILURE } = require("./lib/qemu");
const { kernelImage } = require("./lib/images");

const BI = require("../kernel/boot-info");
const { expectedE820 } = require("./lib/e820");
const BANNER = "tsk: TypeScript kernel booting";



/** Port I/O and a polled COM1 print for the small C kernels that test the loader itself. */
const C_PRELUDE = `#include <stdint.h>
static inline void outb(uint16_t p, uint8_t v) { __asm__ volatile("outb %0,%1" :: "a"(v), "Nd"(p)); }
static inline uint8_t inb(uint16_t p) { uint8_t v; __asm__ volatile("inb %1,%0" : "=a"(v) : "Nd"(p)); return v; }
static void print(const char *s) { while (*s) { while (!(inb(0x3fd) & 0x20)) {} outb(0x3f8, *s++); } }
static void printDec(uint32_t v) { char b[11]; int i = 10; b[i] = 0; do { b[--i] = '0' + v % 10; v /= 10; } while (v); print(b + i); }
static uint32_t load32(uint32_t a) { return *(volatile uint32_t *)a; }
`;

let tmp;
const tmpFile = (name) => path.join(tmp, name);

/** Assembles NASM source into a flat binary in the temp dir. */
function assemble(name, source) {
  fs.writeFileSync(tmpFile(`${name}.asm`), source);
  const r = spawnSync("nasm", ["-f", "bin", tmpFile(`${name}.asm`), "-o", tmpFile(`${name}.bin`)], { encoding: "utf8" });
  assert.strictEqual(r.status, 0, r.stderr);
  return tmpFile(`${name}.bin`);
}

/** A directory whose PATH entries are symlinks to `tools` only (absolute paths of the real ones). */
function pathWith(dir, tools) {
  fs.mkdirSync(dir);
  for (const tool of tools) fs.symlinkSync(tool, path.join(dir, path.basename(tool)));
  return dir;
}

describe("boot: pipeline", function () {
  this.timeout(180000);
  let loader; // stage1.bin and stage2.bin, assembled without needing the kernel or the compiler

  before(function () {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "tsk-boot-test-"));
    loader = buildLoader({ dir: tmpFile("loader"), log: null });
  });
  after(function () {
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  describe("boot (the real kernel)", function () {
    let image;

    before(function () {
      // Built into the temp dir, so a concurrent `npm start` or build never sees half-written files.
      image = kernelImage().image;
    });

    // The real kernel's boots to `boot: ok` (pc 2M to 8G, q35), each checked against its fixture,
    // its banner first, and the lines onLine streams against the serial log, are in
    // boot-mem.test.js: here only what the loader refuses.
    it("panics in stage 2 on pc -m 1M (no RAM above 1 MiB for the kernel), exit 35", async function () {
      const result = await boot(image, { machine: "pc", mem: "1M" });
      expectExit(result, EXIT_FAILURE);
      assert.match(result.serial, /^panic: .*RAM.*\n/m);
      assert.ok(!result.serial.includes(BANNER), "the kernel must not have run");
    });
  });

  describe("boot loader", function () {
    it("loads a kernel larger than one int 13h chunk intact (pc and q35)", async function () {
      // 300 KB of pseudo-random bytes, checksummed by the kernel: five 127-sector chunks.
      const n = 300000;
      const bytes = [];
      let x = 12345;
      let sum = 0;
      for (let i = 0; i < n; i++) {
        x = (Math.imul(x, 1103515245) + 12345) >>> 0;
        bytes.push(x >>> 24);
        sum = (Math.imul(sum, 31) + (x >>> 24)) >>> 0;
      }
      // As a string literal of exactly n bytes (C drops the NUL): the same bytes as a list of n
      // numbers, which gcc parses about ten times slower.
      const literal = bytes.map((b) => `\\${b.toString(8).padStart(3, "0")}`).join("").replace(/.{1,4000}/g, (chunk) => `"${chunk}"\n`);
      fs.writeFileSync(tmpFile("big.c"), `${C_PRELUDE}
static const uint8_t blob[${n}] = ${literal};
void kmain(uint32_t bi) {
  uint32_t s = 0;
  for (uint32_t i = 0; i < ${n}; i++) s = s * 31 + ((const volatile uint8_t *)blob)[i];
  print(load32(bi + ${BI.BootInfo.offsets.kernelEnd}) > 0x100000 + ${n} ? "kernel end ok\\n" : "kernel end wrong\\n");
  print(s == ${sum}u ? "blob ok\\n" : "blob corrupt\\n");
  outb(0xf4, 0x10);
}
`);
      const { image, kernelBytes } = build({ cSource: tmpFile("big.c"), dir: tmpFile("big"), log: null });
      assert.ok(kernelBytes > 2 * 127 * 512, `kernel only ${kernelBytes} bytes`);
      for (const machine of ["pc", "q35"]) {
        const result = expectExit(await boot(image, { machine }));
        assert.deepStrictEqual(lines(result.serial), ["kernel end ok", "blob ok"], machine);
      }
    });

    it("fills the boot info; stores at most E820_MAX entries; refuses dropped entries that may reserve memory", async function () {
      fs.writeFileSync(tmpFile("count.c"), `${C_PRELUDE}
void kmain(uint32_t bi) {
  print("count "); printDec(load32(bi + ${BI.BootInfo.offsets.e820Count}));
  print(" dropped "); printDec(load32(bi + ${BI.BootInfo.offsets.e820Dropped}));
  print(" magic "); print(load32(bi + ${BI.BootInfo.offsets.magic}) == ${BI.BOOT_INFO_MAGIC}u ? "ok" : "bad");
  print(" start "); printDec(load32(bi + ${BI.BootInfo.offsets.kernelStart}));
  print(" drive "); printDec(load32(bi + ${BI.BootInfo.offsets.bootDrive}));
  print("\\n");
  outb(0xf4, 0x10);
}
`);
      const dir = tmpFile("count");
      const { image } = build({ cSource: tmpFile("count.c"), dir, log: null });
      const full = expectExit(await boot(image, { machine: "pc", mem: "128M" }));
      const entries = expectedE820("qemu-pc-128M").length;
      assert.deepStrictEqual(lines(full.serial), [`count ${entries} dropped 0 magic ok start 1048576 drive 128`]);

      // QEMU reports 6 entries; a stage 2 assembled with E820_MAX = 4 keeps 4 and drops two reserved
      // ones (0x7fe0000, 0xfffc0000): it cannot know what they reserve, so it refuses to load.
      const inc = path.join(dir, "boot-info.inc");
      fs.writeFileSync(inc, fs.readFileSync(inc, "utf8").replace(/^%define E820_MAX .*$/m, "%define E820_MAX 4"));
      const r = spawnSync("nasm", ["-f", "bin", `-I${dir}/`, "-Iboot/", "boot/stage2.asm", "-o", path.join(dir, "stage2-max4.bin")],
        { cwd: ROOT, encoding: "utf8" });
      assert.strictEqual(r.status, 0, r.stderr);
      const small = tmpFile("count-max4.img");
      makeImage({ stage1: loader.stage1, stage2: path.join(dir, "stage2-max4.bin"), kernel: path.join(dir, "kernel.bin"), out: small });
      const capped = expectExit(await boot(small, { machine: "pc", mem: "128M" }), EXIT_FAILURE);
      assert.deepStrictEqual(lines(capped.serial),
        [`panic: e820: ${entries - 4} entries past the loader's limit of 4 are not usable RAM: what they reserve is unknown`]);
    });

    it("checks RAM at 1 MiB on maps QEMU never gives: split and overlapping RAM boot; a hole or a reserved entry there panics", async function () {
      fs.writeFileSync(tmpFile("ran.c"), `${C_PRELUDE}\nvoid kmain(uint32_t bi) { (void)bi; print("kernel ran\\n"); outb(0xf4, 0x10); }\n`);
      const dir = tmpFile("ran");
      build({ cSource: tmpFile("ran.c"), dir, log: null });
      const kernelEnd = fs.readFileSync(path.join(dir, "kernel.bin")).readUInt32LE(loaderLayout().KHDR_END);
      const e = (base, length, type) => `E820 0x${base.toString(16)}, 0x${length.toString(16)}, ${type}\n`;
      const M = 0x100000;
      const mid = M + 0x4000; // inside the kernel image
      assert.ok(kernelEnd > mid + 0x1000, `the test kernel ends at 0x${kernelEnd.toString(16)}`);
      const cases = [
        { name: "split", map: [e(0, 0x9fc00, 1), e(M, mid - M, 1), e(mid, 0x7f00000 - mid, 1)], want: ["kernel ran"], code: 33 },
        { name: "overlap", map: [e(M, 0x8000, 1), e(M + 0x4000, 0x7f00000, 1)], want: ["kernel ran"], code: 33 },
        { name: "empty-reserved", map: [e(M, 0x7f00000, 1), e(mid, 0, 2)], want: ["kernel ran"], code: 33 },
        { name: "hole", map: [e(M, mid - M, 1), e(mid + 0x1000, 0x7000000, 1)], want: [/^panic: no usable RAM for the kernel at 0x00100000 up to 0x[0-9a-f]{8} \(no usable E820 entries cover it\)$/], code: 35 },
        { name: "reserved", map: [e(M, 0x7f00000, 1), e(mid, 0x1000, 2)], want: [`panic: an E820 entry that is not RAM, at 0x${mid.toString(16).padStart(8, "0")}, overlaps where the kernel goes (from 0x00100000)`], code: 35 },
      ];
      for (const c of cases) {
        fs.writeFileSync(path.join(dir, `${c.name}.inc`), c.map.join(""));
        const out = path.join(dir, `stage2-${c.name}.bin`);
        const r = spawnSync("nasm", ["-f", "bin", `-I${dir}/`, "-Iboot/", `-DTEST_E820_MAP="${c.name}.inc"`, "boot/stage2.asm", "-o", out], { cwd: ROOT, encoding: "utf8" });
        assert.strictEqual(r.status, 0, r.stderr);
        const img = tmpFile(`ram-${c.name}.img`);
        makeImage({ stage1: loader.stage1, stage2: out, kernel: path.join(dir, "kernel.bin"), out: img });
        const result = expectExit(await boot(img, { machine: "pc", mem: "128M", timeout: 20000 }), c.code);
        const got = lines(result.serial);
        assert.strictEqual(got.length, 1, `${c.name}: ${result.serial}`);
        if (typeof c.want[0] === "string") assert.strictEqual(got[0], c.want[0], c.name);
        else assert.match(got[0], c.want[0], c.name);
      }
    });

    it("fails the boot when kmain returns", async function () {
      fs.writeFileSync(tmpFile("ret.c"), "#include <stdint.h>\nvoid kmain(uint32_t bi) { (void)bi; }\n");
      const { image } = build({ cSource: tmpFile("ret.c"), dir: tmpFile("ret"), log: null });
      const result = expectExit(await boot(image), EXIT_FAILURE);
      assert.deepStrictEqual(lines(result.serial), ["panic: kmain returned"]);
    });

    it("panics in stage 2 when no kernel follows it", async function () {
      const img = tmpFile("nokernel.img");
      fs.writeFileSync(img, Buffer.concat([fs.readFileSync(loader.stage1), fs.readFileSync(loader.stage2),
        Buffer.alloc(1 << 20)]));
      const result = expectExit(await boot(img), EXIT_FAILURE);
      assert.match(result.serial, /^panic: no kernel after stage 2/m);
    });

    it("reports a stage 1 disk error on COM1 (image holds no stage 2)", async function () {
      const img = tmpFile("mbr-only.img");
      fs.copyFileSync(loader.stage1, img);
      const result = await boot(img, { timeout: 2000 });
      assert.ok(result.timedOut, "stage 1 halts after the message");
      assert.match(result.serial, /stage1: disk read error/);
    });
  });

  describe("build and harness errors", function () {
    it("build names a missing tool (TSK_TOOLCHAIN=native, PATH without nasm)", function () {
      // Without TSK_TOOLCHAIN the build would use the JavaScript toolchain instead
      // (test/toolchain-js.test.js); asked for the native one, it names what is missing.
      const tools = ["gcc", "ld", "objcopy"].map((t) => which(t));
      const dir = pathWith(tmpFile("path-build"), [process.execPath, ...tools]);
      const r = spawnSync(process.execPath, ["scripts/build.js"], {
        cwd: ROOT, encoding: "utf8", env: { ...process.env, PATH: dir, TSK_TOOLCHAIN: "native" },
      });
      assert.strictEqual(r.status, 1, r.stdout + r.stderr);
      assert.match(r.stderr, /missing tool: nasm/);
    });

    it("setup names a missing tool it cannot install and what is used instead (PATH without nasm and apt-get)", function () {
      const dir = tmpFile("path-setup");
      const tools = new Map();
      for (const bin of ["/usr/local/bin", "/usr/bin", "/bin"]) {
        if (!fs.existsSync(bin)) continue;
        for (const name of fs.readdirSync(bin)) {
          if (!["nasm", "apt-get"].includes(name) && !tools.has(name)) tools.set(name, path.join(bin, name));
        }
      }
      pathWith(dir, [...tools.values()]);
      const r = spawnSync(path.join(ROOT, "scripts/setup"), ["--quiet"], {
        cwd: ROOT, encoding: "utf8", env: { ...process.env, PATH: dir },
      });
      // The JavaScript toolchain builds without nasm: a note naming it, not a failure.
      assert.strictEqual(r.status, 0, r.stdout + r.stderr);
      assert.match(r.stdout, /^setup: note: nasm is not installed and cannot be here; the build uses the JavaScript toolchain \(TSK_TOOLCHAIN=js\)$/m);
    });

    it("refuses a kernel too big for the loader, naming the limit and the size", function () {
      const { KERNEL_MAX_BYTES } = loaderLayout();
      const kernel = tmpFile("huge-kernel.bin");
      fs.writeFileSync(kernel, "");
      fs.truncateSync(kernel, KERNEL_MAX_BYTES + 512);
      assert.throws(
        () => makeImage({ ...loader, kernel, out: tmpFile("huge.img") }),
        (e) => e instanceof BuildError && /kernel too big for the loader/.test(e.message) &&
          e.message.includes(String(KERNEL_MAX_BYTES)) && e.message.includes(String(KERNEL_MAX_BYTES + 512)));
      assert.ok(!fs.existsSync(tmpFile("huge.img")));
    });

    it("reports a boot that never ends as a timeout, with the serial log", async function () {
      const mbr = assemble("hang", `bits 16
org 0x7c00
    mov si, msg
.next:
    lodsb
    test al, al
    jz .hang
    mov dx, 0x3fd
.wait:
    in al, dx
    test al, 0x20
    jz .wait
    mov al, [si - 1]
    mov dx, 0x3f8
    out dx, al
    jmp .next
.hang:
    hlt                 ; (waits for the next timer tick: a hang that leaves the host's CPU idle)
    jmp .hang
msg: db "hanging here", 10, 0
times 510 - ($ - $$) db 0
dw 0xaa55
`);
      const started = Date.now();
      const result = await boot(mbr, { timeout: 1500 });
      assert.ok(result.timedOut);
      assert.ok(Date.now() - started < 10000, "the harness must kill QEMU at the timeout");
      assert.throws(() => expectExit(result), (e) => /timed out after 1500 ms/.test(e.message) &&
        /hanging here/.test(e.message) && e.serial === result.serial);
    });
  });
});
