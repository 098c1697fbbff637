// toolchain/asm against nasm, the reference: every .asm the build and the tests assemble, with the
// same flags and defines (scripts/lib/build.js, test/boot.test.js), must come out byte-identical,
// bin images and ELF32 objects alike; and bad input must fail as nasm fails: `file:line: error:`
// on stderr, exit status 1, no output file.
"use strict";
const assert = require("assert");
const fs = require("fs");
const os = require("os");
const path = require("path");
const { spawnSync } = require("child_process");
const { which, ROOT } = require("../scripts/lib/build");
const bootInfo = require("../scripts/gen-boot-info");
const lines = require("../scripts/lib/lines");
const { assemble } = require("../toolchain/asm/assemble");
const { parseArgs } = require("../toolchain/asm/cli");
const { AsmError } = require("../toolchain/asm/errors");

const CLI = path.join(ROOT, "toolchain/asm/cli.js");

describe("toolchain/asm (JavaScript assembler)", function () {
  let tmp;
  const t = (name) => path.join(tmp, name);
  before(function () {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "tsk-asm-"));
  });
  after(function () {
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  /** Our bytes for a nasm command line (the arguments after `nasm`), run from the repository root. */
  function ours(args) {
    const o = parseArgs(args);
    return assemble({ file: o.src, format: o.format, includeDirs: o.includeDirs, defines: o.defines, werror: o.werror, cwd: ROOT });
  }

  describe("byte-identical to nasm", function () {
    let cases;
    before(function () {
      if (!which("nasm")) {
        console.log("      (nasm is not on PATH: no reference to compare with, comparisons skipped)");
        this.skip();
      }
      // The build's inputs, generated here so the test needs no prior `npm run build`.
      const gen = t("gen");
      fs.mkdirSync(gen);
      fs.writeFileSync(path.join(gen, "boot-info.inc"), bootInfo.render());
      // test/boot.test.js: a stage 2 with E820_MAX = 4, and stage 2s with a canned E820 map
      const max4 = t("max4");
      fs.mkdirSync(max4);
      fs.writeFileSync(path.join(max4, "boot-info.inc"), bootInfo.render().replace(/^%define E820_MAX .*$/m, "%define E820_MAX 4"));
      const e = (base, length, type) => `    dq 0x${base.toString(16)}, 0x${length.toString(16)}\n    dd ${type}, 1\n`;
      fs.writeFileSync(path.join(gen, "split.inc"), [e(0, 0x9fc00, 1), e(0x100000, 0x4000, 1), e(0x104000, 0x7efc000, 1)].join(""));
      fs.writeFileSync(path.join(gen, "reserved.inc"), [e(0x100000, 0x7f00000, 1), e(0x104000, 0x1000, 2)].join(""));
      // scripts/lib/build.js: the line table object, empty (first link) and filled (second link)
      fs.writeFileSync(t("lines-empty.bin"), Buffer.alloc(0));
      fs.writeFileSync(t("lines.bin"), Buffer.from(Array.from({ length: 4000 }, (_, k) => (k * 37) & 0xff)));
      fs.writeFileSync(t("lines-empty.asm"), lines.linesAsm(t("lines-empty.bin")));
      fs.writeFileSync(t("lines.asm"), lines.linesAsm(t("lines.bin")));
      const build = (format, src, ...extra) => ["-f", format, "-Werror", `-I${gen}/`, "-Iboot/", ...extra, src, "-o", "OUT"];
      cases = [
        { name: "boot/stage1.asm", args: build("bin", "boot/stage1.asm") },
        { name: "boot/stage2.asm", args: build("bin", "boot/stage2.asm") },
        { name: "boot/stage2.asm, E820_MAX 4", args: ["-f", "bin", `-I${max4}/`, "-Iboot/", "boot/stage2.asm", "-o", "OUT"] },
        { name: "boot/stage2.asm -DTEST_E820_MAP split", args: ["-f", "bin", `-I${gen}/`, "-Iboot/", '-DTEST_E820_MAP="split.inc"', "boot/stage2.asm", "-o", "OUT"] },
        { name: "boot/stage2.asm -DTEST_E820_MAP reserved", args: ["-f", "bin", `-I${gen}/`, "-Iboot/", '-DTEST_E820_MAP="reserved.inc"', "boot/stage2.asm", "-o", "OUT"] },
        { name: "kernel/arch/entry.asm", args: build("elf32", "kernel/arch/entry.asm") },
        { name: "kernel/arch/idt.asm", args: build("elf32", "kernel/arch/idt.asm") },
        { name: "lines.asm (empty table)", args: ["-f", "elf32", "-Werror", t("lines-empty.asm"), "-o", "OUT"] },
        { name: "lines.asm (a table)", args: ["-f", "elf32", "-Werror", t("lines.asm"), "-o", "OUT"] },
        { name: "fixture: every encoder form, 16- and 32-bit", args: ["-f", "bin", "test/fixtures/asm/encodings.asm", "-o", "OUT"] },
        { name: "fixture: ELF32 relocations, symbol kinds, section attributes", args: ["-f", "elf32", "-Werror", "test/fixtures/asm/objects.asm", "-o", "OUT"] },
      ];
    });

    it("assembles every project source and fixture to nasm's bytes", function () {
      for (const c of cases) {
        const out = t("nasm.out");
        const r = spawnSync("nasm", c.args.map((a) => (a === "OUT" ? out : a)), { cwd: ROOT, encoding: "utf8" });
        assert.strictEqual(r.status, 0, `nasm failed on ${c.name}: ${r.stderr}`);
        const want = fs.readFileSync(out);
        const got = ours(c.args.map((a) => (a === "OUT" ? t("ours.out") : a)));
        assert.ok(want.length > 0, c.name);
        if (!got.equals(want)) {
          const at = want.findIndex((b, k) => got[k] !== b);
          assert.fail(`${c.name}: ${got.length} bytes, nasm ${want.length}; first difference at offset 0x${(at < 0 ? Math.min(got.length, want.length) : at).toString(16)}`);
        }
      }
    });

    it("the CLI writes the same file nasm writes (stage 1)", function () {
      const args = ["-f", "bin", "-Werror", `-I${t("gen")}/`, "-Iboot/", "boot/stage1.asm", "-o"];
      const r1 = spawnSync("nasm", [...args, t("s1.nasm")], { cwd: ROOT, encoding: "utf8" });
      assert.strictEqual(r1.status, 0, r1.stderr);
      const r2 = spawnSync(process.execPath, [CLI, ...args, t("s1.ours")], { cwd: ROOT, encoding: "utf8" });
      assert.strictEqual(r2.status, 0, r2.stderr);
      assert.strictEqual(r2.stderr, "");
      assert.ok(fs.readFileSync(t("s1.ours")).equals(fs.readFileSync(t("s1.nasm"))));
    });
  });

  describe("errors", function () {
    /** Runs the CLI on `source`; returns {status, stderr, wrote}. */
    function cli(name, source, extra = []) {
      fs.writeFileSync(t(name), source);
      const out = t(`${name}.out`);
      fs.rmSync(out, { force: true });
      const r = spawnSync(process.execPath, [CLI, "-f", "bin", ...extra, t(name), "-o", out], { encoding: "utf8" });
      return { status: r.status, stderr: r.stderr, wrote: fs.existsSync(out) };
    }

    /** assemble() on `source` (in-process: the CLI's own path is tested above): the AsmError thrown. */
    function fails(name, source) {
      fs.writeFileSync(t(name), source);
      try {
        assemble({ file: t(name), format: "bin" });
      } catch (e) {
        if (e instanceof AsmError) return e;
        throw e;
      }
      assert.fail(`no error for:\n${source}`);
    }

    /** nasm's verdict on the same source, when nasm is installed (it must fail at the same line). */
    function nasmFails(name, line, extra = []) {
      if (!which("nasm")) return;
      const r = spawnSync("nasm", ["-f", "bin", ...extra, t(name), "-o", t(`${name}.nasm`)], { encoding: "utf8" });
      assert.strictEqual(r.status, 1, r.stderr);
      assert.ok(r.stderr.includes(`${t(name)}:${line}: error: `), r.stderr);
    }

    it("an unknown instruction: file:line: error, exit 1, no output", function () {
      const r = cli("unknown.asm", "bits 16\n    cli\n    frob ax, 1\n");
      assert.strictEqual(r.status, 1);
      assert.match(r.stderr, new RegExp(`^${escape(t("unknown.asm"))}:3: error: unsupported instruction \`frob'\\n$`));
      assert.strictEqual(r.wrote, false);
      nasmFails("unknown.asm", 3);
    });

    it("bad operands: mismatched sizes, no size, a byte register as an address", function () {
      for (const [src, line, msg] of [
        ["bits 16\nmov al, bx\n", 2, /mismatch in operand sizes/],
        ["bits 16\nnop\nmov [bx], 1\n", 3, /operation size not specified/],
        ["bits 32\nmov eax, [al]\n", 2, /invalid effective address/],
        ["bits 32\nlea eax, ebx\n", 2, /invalid combination of opcode and operands/],
        ["bits 32\npush al\n", 2, /invalid combination of opcode and operands/],
      ]) {
        const e = fails("operand.asm", src);
        assert.ok(e.format().startsWith(`${t("operand.asm")}:${line}: error: `), e.format());
        assert.match(e.message, msg, src);
        nasmFails("operand.asm", line);
      }
    });

    it("a short jump out of range, an undefined symbol, a negative times", function () {
      for (const [src, line, msg] of [
        ["bits 16\njmp short x\ntimes 200 nop\nx:\n", 2, /short jump is out of range/],
        ["bits 16\nmov ax, nowhere\n", 2, /symbol `nowhere' not defined/],
        ["bits 16\ntimes 600 db 0\ntimes 510 - ($ - $$) db 0\n", 3, /TIMES value -90 is negative/],
      ]) {
        const e = fails("range.asm", src);
        assert.ok(e.format().startsWith(`${t("range.asm")}:${line}: error: `), e.format());
        assert.match(e.message, msg, src);
        nasmFails("range.asm", line);
      }
    });

    it("-Werror turns nasm's warnings into errors; without it they are warnings and the file is written", function () {
      const src = "bits 16\ndb 300\n";
      const strict = cli("warn.asm", src, ["-Werror"]);
      assert.strictEqual(strict.status, 1);
      assert.match(strict.stderr, /:2: error: byte data exceeds bounds \[-w\+error=number-overflow\]/);
      assert.strictEqual(strict.wrote, false);
      nasmFails("warn.asm", 2, ["-Werror"]);
      const lax = cli("warn.asm", src);
      assert.strictEqual(lax.status, 0);
      assert.match(lax.stderr, /:2: warning: byte data exceeds bounds \[-w\+number-overflow\]/);
      assert.deepStrictEqual([...fs.readFileSync(t("warn.asm.out"))], [300 & 0xff]);
    });

    it("preprocessor errors name the line: %error, a missing include, an unsupported directive, an unclosed %if", function () {
      const cases = [
        ["%error \"stop here\"\n", 1, /stop here/],
        ["bits 16\n%include \"no-such-file.inc\"\n", 2, /unable to open include file `no-such-file.inc'/],
        ["%ifmacro FOO\n%endif\n", 1, /unsupported preprocessor directive `%ifmacro'/],
        ["%if 1\nnop\n", 2, /expected `%endif'/],
        ["%macro M 2\nmov %1, %2\n%endmacro\nM ax\n", 4, /expects 2 parameters, got 1/],
      ];
      for (const [src, line, msg] of cases) {
        fs.writeFileSync(t("pp.asm"), src);
        assert.throws(() => assemble({ file: t("pp.asm"), format: "bin" }),
          (e) => e instanceof AsmError && e.line === line && msg.test(e.message) && e.format().startsWith(`${t("pp.asm")}:${line}: error: `),
          src);
      }
    });

    it("what the assembler does not support is an error, never other bytes", function () {
      for (const [src, format, msg] of [
        ["bits 64\n", "bin", /64-bit code is not supported/],
        ["section .data\ndb 1\n", "bin", /only the default .text section/],
        ["bits 32\nxchg eax, ebx\n", "elf32", /unsupported instruction `xchg'/],
        ["bits 32\ncpuid\n", "elf32", /unsupported instruction `cpuid'/],
        ["bits 32\nsection .text\nx: nop\nextern x\n", "elf32", /symbol `x' declared extern after its definition/],
        ["bits 32\nextern ext\nsection .text\ndw ext\n", "elf32", /16-bit address \(relocation\) is not supported/],
      ]) {
        fs.writeFileSync(t("unsup.asm"), src);
        assert.throws(() => assemble({ file: t("unsup.asm"), format }), (e) => e instanceof AsmError && msg.test(e.message), src);
      }
    });

    it("command line: nasm's flags; usage errors exit 1", function () {
      assert.throws(() => parseArgs(["-f", "bin"]), /no input file specified/);
      assert.throws(() => parseArgs(["--frob", "x.asm"]), /unrecognised option `--frob'/);
      assert.throws(() => parseArgs(["x.asm", "-o"]), /option `-o' requires an argument/);
      assert.deepStrictEqual(parseArgs(["-felf32", "-I", "a/", "-Ib/", "-DX", "-DY=\"v.inc\"", "-Werror", "s.asm", "-o", "s.o"]),
        { format: "elf32", includeDirs: ["a/", "b/"], defines: { X: "", Y: '"v.inc"' }, src: "s.asm", out: "s.o", werror: true });
      const r = spawnSync(process.execPath, [CLI, "-f", "bin"], { encoding: "utf8" });
      assert.strictEqual(r.status, 1);
      assert.match(r.stderr, /no input file specified/);
    });
  });
});

function escape(s) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
