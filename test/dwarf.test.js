// toolchain/dwarf: DWARF read and written in JavaScript. Reading: the native build's line table
// (scripts/lib/lines.js) must be byte for byte the one binutils made (objdump's rows, addr2line's
// inline chains: test/lib/binutils-lines.js), and the reader must list objdump's rows and give
// addr2line's answer for every one of them. Writing: the JS-built kernel's ELF (scripts/lib/jsdwarf.js)
// must read back, in readelf, addr2line and our own reader, as the i386 backend's line map says:
// every row's address, .ts file and line, function and inline chain. Skipping an attribute (forms.js
// skip(), for what the reader does not keep) ends where reading it does, for every form. Bad input:
// a clear error.
"use strict";
const assert = require("assert");
const fs = require("fs");
const path = require("path");
const { spawnSync } = require("child_process");
const { build, which, asmLineSources, ROOT } = require("../scripts/lib/build");
const lines = require("../scripts/lib/lines");
const { kernelImage, ktestImage, DIR } = require("./lib/images");
const { Lookup } = require("../toolchain/dwarf/lookup");
const { readLineProgram } = require("../toolchain/dwarf/line-reader");
const { writeLineProgram } = require("../toolchain/dwarf/line-writer");
const { DwarfError } = require("../toolchain/dwarf/errors");

function tool(cmd, args, input) {
  const r = spawnSync(cmd, args, { encoding: "utf8", maxBuffer: 256 << 20, input });
  assert.strictEqual(r.status, 0, `${cmd} ${args.join(" ")}: ${r.stderr}`);
  return r.stdout;
}

/** addr2line -f -i -a for addrs: Map addr -> ["func file:line", ...] innermost first. */
function addr2line(elf, addrs) {
  const out = tool("addr2line", ["-f", "-i", "-a", "-e", elf], addrs.map((a) => `0x${a.toString(16)}`).join("\n") + "\n");
  const m = new Map();
  for (const block of out.split(/^(?=0x[0-9a-f]+$)/m)) {
    const ls = block.trim().split("\n");
    const levels = [];
    for (let i = 1; i + 1 < ls.length; i += 2) {
      const loc = /^(.*):(\d+|\?)(?: \(discriminator \d+\))?$/.exec(ls[i + 1]);
      levels.push(`${ls[i]} ${loc[1]}:${loc[2] === "?" ? 0 : loc[2]}`);
    }
    m.set(parseInt(ls[0], 16), levels);
  }
  return m;
}

const abs = (f) => (f && !path.isAbsolute(f) ? path.join(ROOT, f) : f);

describe("toolchain/dwarf (DWARF in JavaScript)", function () {
  this.timeout(240000);

  describe("reading the native build's DWARF: the line table without binutils", function () {
    const images = {};
    before(function () {
      if (!["gcc", "ld", "nasm", "objcopy", "objdump", "addr2line", "nm"].every((t) => which(t))) {
        console.log("      (gcc/binutils/nasm not on PATH: no native build or reference to compare with, skipped)");
        this.skip();
      }
      images.kernel = kernelImage().dir;
      ktestImage();
      images.ktest = path.join(DIR, "ktest-all");
    });

    for (const image of ["kernel", "ktest"]) {
      it(`${image}: the line table equals the one binutils makes, byte for byte`, function () {
        const { lineTableBinutils } = require("./lib/binutils-lines");
        const dir = images[image];
        const elf = path.join(dir, "kernel.elf");
        const ours = lines.lineTable(elf, { root: ROOT, asm: asmLineSources(dir) });
        assert.ok(ours.length > 1000);
        assert.ok(ours.equals(lineTableBinutils(elf, { root: ROOT, asm: asmLineSources(dir) })), "line table differs from binutils'");
        assert.ok(ours.equals(fs.readFileSync(path.join(dir, "lines.bin"))), "line table differs from the build's");
      });

      if (image === "kernel") it(`${image}: the reader lists objdump's rows and answers as addr2line -f -i for each (and its neighbours)`, function () {
        const elf = path.join(images[image], "kernel.elf");
        const L = new Lookup(fs.readFileSync(elf), elf);
        const rows = L.rowAddresses();
        const objdump = new Set();
        for (const m of tool("objdump", ["--dwarf=decodedline", elf]).matchAll(/^\S+\s+(?:\d+|-)\s+0x([0-9a-f]+)\b/gm)) objdump.add(parseInt(m[1], 16));
        assert.deepStrictEqual(rows, [...objdump].sort((a, b) => a - b));
        const addrs = [...new Set(rows.flatMap((a) => [a - 1, a, a + 1]))].sort((a, b) => a - b);
        const ref = addr2line(elf, addrs);
        let inlined = 0;
        for (const a of addrs) {
          const want = ref.get(a);
          // addr2line takes the file of code with no DWARF from the symbol table's FILE entries:
          // never a .ts file, and the line table keeps only .ts levels, so the reader does not.
          const got = L.chain(a).map((l, i) => `${l.func || "??"} ${l.file || (want[i] || "").replace(/^.* (.*):\d+$/, "$1") || "??"}:${l.line}`);
          assert.deepStrictEqual(got, want, `0x${a.toString(16)}`);
          if (got.length > 1) inlined++;
        }
        assert.ok(inlined > 50, `only ${inlined} addresses in inlined code`);
      });
    }

    it("the code symbols the build compares across its two links are nm's", function () {
      const { textSymbolsBinutils } = require("./lib/binutils-lines");
      const elf = path.join(images.kernel, "kernel.elf");
      const nm = textSymbolsBinutils(elf).map((l) => l.split(" ")).map(([a, , n]) => `${a} ${n}`).sort();
      assert.deepStrictEqual(lines.textSymbols(elf).split("\n"), nm);
    });
  });

  describe("the JS-built kernel's DWARF (TSK_TOOLCHAIN=js)", function () {
    let elf;
    let map;
    let base;
    before(function () {
      const dir = path.join(DIR, "js-kernel");
      build({ dir, toolchain: "js", log: null });
      elf = path.join(dir, "kernel.elf");
      map = JSON.parse(fs.readFileSync(path.join(dir, "kernel.lines.json"), "utf8"));
      const L = new Lookup(fs.readFileSync(elf), elf);
      base = L.elf.symbols.find((s) => s.name === "tsk_code_start").value;
    });
    /** The addresses to check, with the chain the map gives them ("func file:line", innermost first): each row's first byte and the last byte before the next row. */
    const samples = () => {
      const out = [];
      map.forEach((r, i) => {
        if (!r.file) return;
        const want = [r, ...(r.outer || [])].map((l) => `${l.func} ${abs(l.file)}:${l.line}`);
        out.push([base + r.offset, want]);
        if (map[i + 1].offset - 1 > r.offset) out.push([base + map[i + 1].offset - 1, want]);
      });
      return out;
    };

    it("our reader reads back the backend's line map: every row's file, line, function and inline chain", function () {
      const L = new Lookup(fs.readFileSync(elf), elf);
      const s = samples();
      assert.ok(s.length > 1000 && s.some(([, w]) => w.length > 1), "a map with inlined code");
      for (const [a, want] of s) assert.deepStrictEqual(L.chain(a).map((l) => `${l.func} ${l.file}:${l.line}`), want, `0x${a.toString(16)}`);
      // The entry stub's unit: `call kmain` is a row of kernel/arch/entry.asm.
      const start = L.elf.symbols.find((x) => x.name === "start").value;
      assert.match(`${L.chain(start)[0].file}`, /kernel\/arch\/entry\.asm$/);
    });

    it("readelf reads it without a warning, and its decoded line table is the map, row for row", function () {
      if (!which("readelf")) this.skip();
      const r = spawnSync("readelf", ["-W", "--debug-dump=info,abbrev,aranges,ranges,frames,rawline", elf], { encoding: "utf8", maxBuffer: 256 << 20 });
      assert.strictEqual(r.status, 0);
      assert.strictEqual(r.stderr, "");
      assert.doesNotMatch(r.stdout, /warning|error/i);
      const decoded = tool("readelf", ["-W", "--debug-dump=decodedline", elf]);
      const rows = [...decoded.matchAll(/^(\S+\.(?:ts|asm))\s+(\d+)\s+0x([0-9a-f]+)/gm)].map((m) => [parseInt(m[3], 16), `${m[1]}:${m[2]}`]);
      const want = map.filter((r) => r.file).map((r) => [base + r.offset, `${r.file}:${r.line}`]);
      assert.deepStrictEqual(rows.filter(([, l]) => l.includes(".ts:")), want);
      assert.ok(rows.some(([, l]) => /^kernel\/arch\/idt\.asm:\d+$/.test(l)), "idt.asm has rows");
    });

    it("addr2line -f -i gives the line map's file, line, function and inline chain", function () {
      if (!which("addr2line")) this.skip();
      const s = samples();
      const got = addr2line(elf, s.map(([a]) => a));
      for (const [a, want] of s) assert.deepStrictEqual(got.get(a), want, `0x${a.toString(16)}`);
    });
  });

  describe("scripts/lib/jsdwarf.js on a line map with nested inlining (written, then read back)", function () {
    const { backendUnit, asmUnit, dwarfObject } = require("../scripts/lib/jsdwarf");
    const { writeDebugSections } = require("../toolchain/dwarf/info-writer");
    // f (a.ts) calls g (b.ts:5) inline at a.ts:11, whose code calls h (c.ts:9) inline at b.ts:6;
    // then main (a.ts) at 0x1020, with parameter x at [ebp + 8].
    const at = (o) => ({ offset: o });
    const map = [
      { ...at(0), file: "a.ts", line: 10, func: "f", sym: "tsk_f0_f", params: [] },
      { ...at(4), file: "b.ts", line: 5, func: "g", sym: "tsk_f0_f", outer: [{ file: "a.ts", line: 11, func: "f" }] },
      { ...at(8), file: "c.ts", line: 9, func: "h", sym: "tsk_f0_f", outer: [{ file: "b.ts", line: 6, func: "g" }, { file: "a.ts", line: 11, func: "f" }] },
      { ...at(12), file: "a.ts", line: 11, func: "f", sym: "tsk_f0_f" },
      { ...at(0x20), file: "a.ts", line: 20, func: "main", sym: "main", params: [{ name: "x", offset: 8, rep: "u32" }, { name: "s", offset: 12, rep: "str" }] },
      { ...at(0x30), file: "", line: 0, func: "" },
    ];

    it("functions, their ranges and parameters, and inlined calls nested as the map's chains", function () {
      const u = backendUnit(map, 0x1000, "a.ts", (n) => n === "main");
      assert.deepStrictEqual(u.files, ["a.ts", "b.ts", "c.ts"]);
      assert.deepStrictEqual(u.functions.map((f) => [f.name, f.low, f.high, f.external]), [["f", 0x1000, 0x1020, false], ["main", 0x1020, 0x1030, true]]);
      assert.deepStrictEqual(u.functions[1].params, [{ name: "x", cfaOffset: 0, type: { name: "u32", size: 4, encoding: "unsigned" } }]);
      const g = u.functions[0].inlined;
      assert.deepStrictEqual(g.map((x) => [x.name, x.low, x.high, u.files[x.callFile - 1], x.callLine]), [["g", 0x1004, 0x100c, "a.ts", 11]]);
      assert.deepStrictEqual(g[0].inlined.map((x) => [x.name, x.low, x.high, u.files[x.callFile - 1], x.callLine]), [["h", 0x1008, 0x100c, "b.ts", 6]]);
    });

    // (An object, not a linked file: addr2line cannot place its addresses; the real kernel's DWARF
    // is checked against addr2line above.)
    it("read back by our reader: each address's chain, the assembly unit's rows", function () {
      const units = [backendUnit(map, 0x1000, "a.ts", () => false), asmUnit("x.asm", [{ start: 0x2000, end: 0x2002, line: 3 }, { start: 0x2002, end: 0x2005, line: 4 }])];
      const obj = dwarfObject(writeDebugSections({ compDir: "/src", producer: "test", units }));
      const L = new Lookup(obj, "test.o");
      const chain = (a) => L.chain(a).map((l) => `${l.func} ${l.file}:${l.line}`);
      assert.deepStrictEqual(chain(0x1009), ["h /src/c.ts:9", "g /src/b.ts:6", "f /src/a.ts:11"]);
      assert.deepStrictEqual(chain(0x1005), ["g /src/b.ts:5", "f /src/a.ts:11"]);
      assert.deepStrictEqual(chain(0x100c), ["f /src/a.ts:11"]);
      assert.deepStrictEqual(chain(0x102f), ["main /src/a.ts:20"]);
      assert.deepStrictEqual(L.chain(0x2004).map((l) => `${l.file}:${l.line}`), ["/src/x.asm:4"]);
      assert.deepStrictEqual(L.rowAddresses(), [0x1000, 0x1004, 0x1008, 0x100c, 0x1020, 0x1030, 0x2000, 0x2002, 0x2005]);
    });

    it("a map without its end row is an error", function () {
      assert.throws(() => backendUnit(map.slice(0, -1), 0x1000, "a.ts", () => false), /the i386 line map has no end row/);
    });
  });

  describe("toolchain/dwarf/forms.js: skip() (the line table steps over the attributes it does not keep)", function () {
    const { read, skip, DW_FORM } = require("../toolchain/dwarf/forms");
    const { Reader } = require("../toolchain/dwarf/bytes");
    const ctx = { addressSize: 4, offsetSize: 4, version: 4, unitOffset: 0, strs: { str: Buffer.from("a\0bc\0"), line_str: Buffer.from("x\0") }, implicit: 7 };
    // A value of each form as it sits in .debug_info, then a byte of another value.
    const u32 = (v) => [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, v >>> 24];
    const values = {
      addr: u32(0x1000), block2: [3, 0, 1, 2, 3], block4: [...u32(2), 9, 9], data2: [1, 2], data4: u32(5), data8: [...u32(1), ...u32(0)],
      string: [0x61, 0x62, 0], block: [0x82, 0x00, 5, 6], block1: [2, 7, 8], data1: [9], flag: [1], sdata: [0xff, 0x7f], strp: u32(2),
      udata: [0x80, 0x80, 0x01], ref_addr: u32(0x20), ref1: [4], ref2: [4, 0], ref4: u32(4), ref8: [...u32(4), ...u32(0)], ref_udata: [0x84, 0x01],
      indirect: [DW_FORM.block1, 2, 7, 8], sec_offset: u32(0x30), exprloc: [3, 0x91, 0x7c, 0x06], flag_present: [], data16: Array(16).fill(1),
      line_strp: u32(0), ref_sig8: Array(8).fill(2), implicit_const: [],
    };

    it("ends where read() ends, for every form read() takes", function () {
      assert.deepStrictEqual(Object.keys(values).sort(), Object.keys(DW_FORM).sort(), "a value for every form");
      for (const [name, bytes] of Object.entries(values)) {
        const buf = Buffer.from([0xee, ...bytes, 0xee]);
        const a = new Reader(buf, ".debug_info", 1);
        const b = new Reader(buf, ".debug_info", 1);
        read(a, DW_FORM[name], ctx);
        skip(b, DW_FORM[name], ctx);
        assert.strictEqual(b.pos, a.pos, name);
        assert.strictEqual(a.pos, buf.length - 1, `${name}: read() takes the whole value`);
      }
    });

    it("a value running past the section, or a form it does not know, is read()'s error", function () {
      for (const [name, bytes] of [["string", [0x61, 0x62]], ["block1", [5, 1]], ["exprloc", [4, 1]], ["block4", u32(9)], ["strp", [1, 2]]]) {
        const at = () => new Reader(Buffer.from(bytes), ".debug_info", 0);
        assert.throws(() => skip(at(), DW_FORM[name], ctx), (e) => e instanceof DwarfError && /^\.debug_info: /.test(e.message), name);
        assert.throws(() => read(at(), DW_FORM[name], ctx), (e) => e instanceof DwarfError && /^\.debug_info: /.test(e.message), name);
      }
      assert.throws(() => skip(new Reader(Buffer.from([1]), ".debug_info", 0), 0x25, ctx), (e) => e instanceof DwarfError && /attribute form 0x25 at offset 0x0 is not supported/.test(e.message));
    });
  });

  describe("bad input: an error naming the section and what is wrong", function () {
    const program = () => writeLineProgram(["a.ts"], [{ rows: [{ address: 0x1000, file: 1, line: 3 }, { address: 0x1004, file: 1, line: 40 }], end: 0x1010 }]);

    it("a written program reads back", function () {
      const p = readLineProgram(program(), 0);
      assert.deepStrictEqual(p.sequences[0].map((r) => [r.address, r.line, r.endSequence]), [[0x1000, 3, false], [0x1004, 40, false], [0x1010, 40, true]]);
      assert.strictEqual(p.files[1].name, "a.ts");
    });

    it("a truncated .debug_line", function () {
      const b = program();
      assert.throws(() => readLineProgram(b.subarray(0, b.length - 3), 0), (e) => e instanceof DwarfError && /\.debug_line: the program at 0x0 runs past the section/.test(e.message));
      const cut = Buffer.from(b.subarray(0, 20));
      cut.writeUInt32LE(16, 0);
      assert.throws(() => readLineProgram(cut, 0), (e) => e instanceof DwarfError && /\.debug_line: truncated at offset 0x14/.test(e.message));
    });

    it("a version it does not read, and 64-bit DWARF", function () {
      const b = Buffer.from(program());
      b.writeUInt16LE(6, 4);
      assert.throws(() => readLineProgram(b, 0), (e) => e instanceof DwarfError && /version 6 at 0x0 is not supported \(2 to 5\)/.test(e.message));
      b.writeUInt32LE(0xffffffff, 0);
      assert.throws(() => readLineProgram(b, 0), (e) => e instanceof DwarfError && /64-bit DWARF/.test(e.message));
    });

    it("an ELF without DWARF, and a file that is not ELF", function () {
      const { assemble } = require("../toolchain/asm/assemble");
      const obj = assemble({ file: "nodwarf.asm", format: "elf32", readFile: () => "section .text\nf: ret\n", cwd: ROOT });
      assert.throws(() => new Lookup(obj, "nodwarf.o"), (e) => e instanceof DwarfError && /nodwarf\.o: no DWARF \(\.debug_info and \.debug_line\)/.test(e.message));
      assert.throws(() => new Lookup(Buffer.from("not an elf at all, really not one......................."), "x.bin"), (e) => e instanceof DwarfError && /x\.bin: not an ELF file/.test(e.message));
    });

    it("the writer refuses rows out of order or with no file", function () {
      assert.throws(() => writeLineProgram(["a.ts"], [{ rows: [{ address: 8, file: 1, line: 1 }, { address: 4, file: 1, line: 2 }], end: 9 }]), (e) => e instanceof DwarfError && /out of order at 0x4/.test(e.message));
      assert.throws(() => writeLineProgram(["a.ts"], [{ rows: [{ address: 8, file: 2, line: 1 }], end: 9 }]), (e) => e instanceof DwarfError && /no file 2/.test(e.message));
    });
  });
});
