// toolchain/link against GNU ld + objcopy, the reference: for the real kernel and the in-kernel test
// image (their objects built by scripts/lib/build.js, which links them with ld), the JS linker's
// flat binary must be byte-identical to objcopy's kernel.bin, every section of its ELF equal to
// ld's, every symbol at nm's address, the ELF clean for readelf, and addr2line/gdb must name the
// same .ts lines; the build's two-link flow (empty line table, table from the first ELF's DWARF,
// second link) must give the same image. Bad input fails with `link: ...` naming the culprit, exit 1.
"use strict";
const assert = require("assert");
const fs = require("fs");
const os = require("os");
const path = require("path");
const { spawnSync } = require("child_process");
const { which, asmLineSources, ROOT } = require("../scripts/lib/build");
const { kernelImage, ktestImage } = require("./lib/images");
const lines = require("../scripts/lib/lines");
const { assemble } = require("../toolchain/asm/assemble");
const { link } = require("../toolchain/link/link");
const { LinkError } = require("../toolchain/link/errors");

const CLI = path.join(ROOT, "toolchain/link/cli.js");
const SCRIPT = path.join(ROOT, "linker/kernel.ld");
const KERNEL_BASE = `0x${require("../kernel/boot-info").KERNEL_BASE.toString(16)}`;
const OBJECTS = ["entry.o", "idt.o", "kernel.o", "lines.o"];

function tool(cmd, args, input) {
  const r = spawnSync(cmd, args, { encoding: "utf8", maxBuffer: 64 << 20, input });
  assert.strictEqual(r.status, 0, `${cmd} ${args.join(" ")}: ${r.stderr}`);
  return r;
}

/** name -> bytes of every section with contents, from an ELF (our own reading, not binutils'). */
function sections(file) {
  const b = fs.readFileSync(file);
  const shoff = b.readUInt32LE(32);
  const n = b.readUInt16LE(48);
  const hs = Array.from({ length: n }, (_, i) => {
    const h = shoff + i * 40;
    return { name: b.readUInt32LE(h), type: b.readUInt32LE(h + 4), addr: b.readUInt32LE(h + 12), off: b.readUInt32LE(h + 16), size: b.readUInt32LE(h + 20) };
  });
  const str = hs[b.readUInt16LE(50)];
  const out = new Map();
  for (const h of hs.slice(1)) {
    const end = b.indexOf(0, str.off + h.name);
    out.set(b.toString("latin1", str.off + h.name, end), { ...h, bytes: h.type === 8 ? null : b.subarray(h.off, h.off + h.size) });
  }
  return out;
}

/** Links objects of `dir` with the JS linker; returns {elf, bin} paths under `out`. */
function jsLink(dir, out, objects = OBJECTS) {
  fs.mkdirSync(out, { recursive: true });
  const r = link({
    script: fs.readFileSync(SCRIPT, "utf8"), scriptName: "linker/kernel.ld", defsyms: { KERNEL_BASE },
    objects: objects.map((o) => ({ name: path.join(dir, o), bytes: fs.readFileSync(path.join(dir, o)) })),
  });
  const elf = path.join(out, "kernel.elf");
  const bin = path.join(out, "kernel.bin");
  fs.writeFileSync(elf, r.elf);
  fs.writeFileSync(bin, r.binary);
  return { elf, bin };
}

function cli(args) {
  return spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: "utf8" });
}

/** The link command run in this process from ROOT: cli.js's main(argv), which the executable calls
 *  and exits with; its status and what it wrote on stderr, as cli() gives them. The command's own
 *  start-up and exit status are cli()'s processes (a link that succeeds, one that fails); the other
 *  failures differ only in what main() says, and a Node process each proved nothing more. */
function cliInProcess(args) {
  const { main } = require("../toolchain/link/cli");
  const err = [];
  const write = process.stderr.write;
  const dir = process.cwd();
  process.stderr.write = (chunk) => err.push(String(chunk)) > 0;
  try {
    process.chdir(ROOT);
    return { status: main(args), stdout: "", stderr: err.join("") };
  } finally {
    process.stderr.write = write;
    process.chdir(dir);
  }
}

describe("toolchain/link (JavaScript linker)", function () {
  let tmp;
  const images = {};
  before(function () {
    if (!["gcc", "ld", "objcopy", "nasm", "nm", "readelf", "addr2line", "objdump"].every((t) => which(t))) {
      console.log("      (gcc/binutils/nasm not on PATH: no reference objects or image to compare with, skipped)");
      this.skip();
    }
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "tsk-link-"));
    // The images the boot suites share (test/lib/images.js, built once by the global setup with
    // scripts/lib/build.js, ld and objcopy); only read here.
    images.kernel = path.join(ROOT, kernelImage().dir);
    images.ktest = path.join(ROOT, ktestImage().dir);
  });
  after(function () {
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  for (const image of ["kernel", "ktest"]) {
    describe(`the ${image} image`, function () {
      let dir;
      let ours;
      before(function () {
        dir = images[image];
        ours = jsLink(dir, path.join(tmp, `${image}-js`));
      });

      it("flat binary is byte-identical to ld + objcopy's kernel.bin", function () {
        const a = fs.readFileSync(ours.bin);
        const b = fs.readFileSync(path.join(dir, "kernel.bin"));
        assert.strictEqual(a.length, b.length);
        assert.ok(a.equals(b), "kernel.bin differs");
      });

      it("every section (code, data, merged strings, relocated DWARF) equals ld's, at the same address", function () {
        const a = sections(ours.elf);
        const b = sections(path.join(dir, "kernel.elf"));
        const names = [...b.keys()].filter((n) => ![".symtab", ".strtab", ".shstrtab"].includes(n));
        assert.ok(names.includes(".debug_info") && names.includes(".debug_line") && names.includes(".debug_str"));
        assert.deepStrictEqual([...a.keys()].filter((n) => names.includes(n)), names);
        for (const n of names) {
          assert.strictEqual(a.get(n).addr, b.get(n).addr, `${n} address`);
          assert.strictEqual(a.get(n).size, b.get(n).size, `${n} size`);
          if (b.get(n).bytes) assert.ok(a.get(n).bytes.equals(b.get(n).bytes), `${n} contents differ`);
        }
      });

      it("every symbol nm lists is at ld's address, with ld's type", function () {
        const nm = (f) => tool("nm", [f]).stdout.trim().split("\n").sort();
        const a = nm(ours.elf);
        const b = nm(path.join(dir, "kernel.elf"));
        assert.ok(b.length > 100);
        assert.deepStrictEqual(a, b);
      });

      it("readelf -a reads the ELF without a warning", function () {
        const r = spawnSync("readelf", ["-a", "-W", ours.elf], { encoding: "utf8", maxBuffer: 64 << 20 });
        assert.strictEqual(r.status, 0);
        assert.strictEqual(r.stderr, "");
        assert.doesNotMatch(r.stdout, /readelf: (warning|error)/i);
        assert.match(r.stdout, /Entry point address:\s+0x100000/);
        assert.match(r.stdout, /LOAD\s+0x001000 0x00100000 0x00100000/);
      });

      it("addr2line and gdb name the same .ts lines as on ld's ELF", function () {
        // kmain, then every 8th compiled function, each at its entry and 0x21 bytes in.
        const funcs = tool("nm", ["-n", ours.elf]).stdout.trim().split("\n").map((l) => l.split(" "))
          .filter(([, t, n]) => /[tT]/.test(t) && (/_/.test(n) || n === "kmain") && !/^(isr_|idt_|mem(cpy|set|move|cmp))/.test(n));
        const picked = [funcs.find(([, , n]) => n === "kmain"), ...funcs.filter((_, i) => i % 8 === 0)];
        const addrs = picked.flatMap(([a]) => [parseInt(a, 16), parseInt(a, 16) + 0x21]).map((a) => `0x${a.toString(16)}`);
        assert.ok(addrs.length >= 8);
        const a2l = (f) => tool("addr2line", ["-f", "-i", "-a", "-e", f], addrs.join("\n") + "\n").stdout;
        const ourLines = a2l(ours.elf);
        assert.match(ourLines, /\nkmain\n[^\n]*main\.ts:\d+\n/);
        assert.strictEqual(ourLines, a2l(path.join(dir, "kernel.elf")));
        if (!which("gdb")) return;
        // One gdb for both ELFs (its `file` command loads the second), its answers for each apart.
        const each = (f) => ["-ex", `file ${f}`, "-ex", "info line kmain", "-ex", `info line *${addrs[1]}`, "-ex", "echo @@@\\n"];
        const [g, theirs] = tool("gdb", ["-batch", "-nx", ...each(ours.elf), ...each(path.join(dir, "kernel.elf"))]).stdout.split("@@@\n");
        assert.match(g, /Line \d+ of "[^"]*main\.ts" starts at address 0x[0-9a-f]+ <kmain>/);
        assert.strictEqual(g, theirs);
      });

      it("the build's two links (empty line table, then the table made from the first ELF) give ld's image", function () {
        const two = path.join(tmp, `${image}-two`);
        fs.mkdirSync(two);
        const linesObj = (table) => {
          fs.writeFileSync(path.join(two, "lines.bin"), table);
          fs.writeFileSync(path.join(two, "lines.asm"), lines.linesAsm(path.join(two, "lines.bin")));
          fs.writeFileSync(path.join(two, "lines.o"), assemble({ file: path.join(two, "lines.asm"), format: "elf32", werror: true, cwd: ROOT }));
        };
        for (const o of OBJECTS.slice(0, 3)) fs.copyFileSync(path.join(dir, o), path.join(two, o));
        linesObj(Buffer.alloc(0));
        const first = jsLink(two, path.join(two, "first"));
        // The build's table: its .ts rows from the ELF's DWARF, its assembly rows from nasm's listings.
        const table = lines.lineTable(first.elf, { root: ROOT, asm: asmLineSources(dir) });
        assert.ok(table.equals(fs.readFileSync(path.join(dir, "lines.bin"))), "line table from our ELF differs from ld's");
        linesObj(table);
        const second = jsLink(two, path.join(two, "second"));
        assert.ok(fs.readFileSync(second.bin).equals(fs.readFileSync(path.join(dir, "kernel.bin"))));
      });
    });
  }

  it("COMMON, weak and 16/8-bit relocations, script symbols in and out of sections: as ld (test/fixtures/link)", function () {
    const fx = path.join(ROOT, "test/fixtures/link");
    const dir = path.join(tmp, "fixtures");
    fs.mkdirSync(dir);
    const objs = ["main", "other", "commons"].map((n) => {
      const o = path.join(dir, `${n}.o`);
      tool("nasm", ["-f", "elf32", "-Werror", path.join(fx, `${n}.asm`), "-o", o]);
      return o;
    });
    const script = path.join(fx, "link.ld");
    tool("ld", ["-m", "elf_i386", "-T", script, "-o", path.join(dir, "ld.elf"), ...objs]);
    tool("objcopy", ["-O", "binary", path.join(dir, "ld.elf"), path.join(dir, "ld.bin")]);
    const r = cli(["-T", script, "-o", path.join(dir, "js.elf"), "--binary", path.join(dir, "js.bin"), ...objs]);
    assert.strictEqual(r.status, 0, r.stderr);
    assert.ok(fs.readFileSync(path.join(dir, "js.bin")).equals(fs.readFileSync(path.join(dir, "ld.bin"))));
    // value, size, type, binding, section index, name of every symbol
    const syms = (f) => tool("readelf", ["-s", "-W", f]).stdout.trim().split("\n").slice(3)
      .map((l) => l.trim().split(/\s+/)).map((c) => [c[1], c[2], c[3], c[4], c[6], c[7]].join(" ")).sort();
    const ours = syms(path.join(dir, "js.elf"));
    assert.ok(ours.some((l) => /^[0-9a-f]*0 128 NOTYPE GLOBAL \d+ buf$/.test(l)), "buf: the largest COMMON, aligned 16");
    assert.deepStrictEqual(ours, syms(path.join(dir, "ld.elf")));
  });

  describe("bad input: `link: ...` naming the object and symbol, exit 1, no output", function () {
    const o = (name) => path.join(images.kernel, name);
    const args = (out, objs, script = "linker/kernel.ld") => ["-T", script, "--defsym", `KERNEL_BASE=${KERNEL_BASE}`, "-o", out, "--binary", `${out}.bin`, ...objs];
    const fails = (r, out, re) => {
      assert.strictEqual(r.status, 1, r.stderr);
      assert.match(r.stderr, /^link: /);
      assert.match(r.stderr, re);
      assert.ok(!fs.existsSync(out) && !fs.existsSync(`${out}.bin`), "output written on failure");
    };

    it("an undefined symbol names it and the object that references it", function () {
      const out = path.join(tmp, "undef.elf");
      fails(cli(args(out, [o("entry.o"), o("idt.o")])), out, /undefined symbol `kmain', referenced by \S*entry\.o/);
    });

    it("a duplicate definition names the symbol and both objects", function () {
      const copy = path.join(tmp, "idt-copy.o");
      fs.copyFileSync(o("idt.o"), copy);
      const out = path.join(tmp, "dup.elf");
      fails(cliInProcess(args(out, [...OBJECTS.map(o), copy])), out, /multiple definition of `idt_init': first defined in \S*idt\.o, again in \S*idt-copy\.o/);
    });

    it("an unsupported relocation type names the type, the object, the place and the symbol", function () {
      // entry.o with its first relocation turned into R_386_GOT32 (3), which needs a GOT.
      const b = Buffer.from(fs.readFileSync(o("entry.o")));
      const shoff = b.readUInt32LE(32);
      const rel = Array.from({ length: b.readUInt16LE(48) }, (_, i) => shoff + i * 40).find((h) => b.readUInt32LE(h + 4) === 9);
      b[b.readUInt32LE(rel + 16) + 4] = 3;
      const bad = path.join(tmp, "entry-got.o");
      fs.writeFileSync(bad, b);
      const out = path.join(tmp, "got.elf");
      fails(cliInProcess(args(out, [bad, ...OBJECTS.slice(1).map(o)])), out, /entry-got\.o: \.text\.entry\+0x[0-9a-f]+: unsupported relocation type R_386_GOT32 \(3\) against `\w+'/);
    });

    it("a failing ASSERT prints its message and the script line", function () {
      // Without the KEEP(*(.text.entry)) line, idt.o's .text comes first: _start is not at KERNEL_BASE.
      const script = path.join(tmp, "no-entry-first.ld");
      fs.writeFileSync(script, fs.readFileSync(SCRIPT, "utf8").replace(/^\s*KEEP\(\*\(\.text\.entry\)\)\s*$/m, ""));
      const out = path.join(tmp, "assert.elf");
      fails(cliInProcess(args(out, [o("idt.o"), o("entry.o"), o("kernel.o"), o("lines.o")], script)), out,
        /no-entry-first\.ld:\d+: ASSERT failed: kernel\.ld: the entry \(\.text\.entry\) must be the first byte at KERNEL_BASE/);
    });

    it("script constructs it does not implement are errors with their line, not ignored", function () {
      const bad = (text, re) => assert.throws(() => link({ script: text, scriptName: "t.ld", objects: [] }), (e) => e instanceof LinkError && re.test(e.message));
      bad("MEMORY { ram : ORIGIN = 0, LENGTH = 1M }", /^t\.ld:1: `MEMORY' is not supported/);
      bad("SECTIONS {\n .text : { *(SORT(.text.*)) }\n}", /^t\.ld:2: `SORT' is not supported/);
      bad("SECTIONS {\n .text (COPY) : { *(.text) }\n}", /^t\.ld:2: output section type \(COPY\)/);
      bad("SECTIONS { . = 1 / 0; }", /t\.ld:1: division by zero/);
    });

    it("a file that is not an i386 relocatable object is named", function () {
      const out = path.join(tmp, "notobj.elf");
      fails(cliInProcess(args(out, [o("kernel.bin")])), out, /kernel\.bin: not an ELF file/);
      fails(cliInProcess(args(out, [o("kernel.elf")])), out, /kernel\.elf: ELF type 2 is not a relocatable object/);
      const lib = spawnSync("gcc", ["-m32", "-print-libgcc-file-name"], { encoding: "utf8" }).stdout.trim();
      if (fs.existsSync(lib)) fails(cliInProcess(args(out, [o("entry.o"), lib])), out, /libgcc\.a: archives \(\.a\) are not supported/);
      fails(cliInProcess(["-m", "elf_x86_64", ...args(out, [o("entry.o")])]), out, /unsupported emulation -m elf_x86_64/);
      fails(cliInProcess(args(out, [path.join(tmp, "missing.o")])), out, /cannot read object \S*missing\.o: no such file/);
    });
  });
});
