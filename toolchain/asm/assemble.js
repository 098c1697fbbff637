// The assembler proper: preprocess, parse, then lay the statements out in passes until no label
// moves (NASM's multi-pass optimisation: forward references use the previous pass's values, jumps
// start optimistic and grow), then hand the sections to an output format (bin or elf32).
//
// assemble({file, format, includeDirs, defines, cwd, readFile, readBinary}) -> Buffer
// Errors are AsmError (file:line: error: message).
"use strict";
const fs = require("fs");
const path = require("path");
const { Preprocessor } = require("./preprocess");
const { Parser } = require("./parse");
const { evaluate, ExprError } = require("./expr");
const { encode, EncodeError } = require("./encode");
const { AsmError } = require("./errors");
const { writeBin } = require("./bin");
const { put, checkRange } = require("./fixup");
const { writeElf32, sectionDefaults, parseSectionAttrs } = require("./elf32");

const MAX_PASSES = 100;

class Section {
  constructor(name, attrs) {
    this.name = name;
    Object.assign(this, attrs); // nobits, alloc, exec, write, align
    this.kind = "section";
    this.reset();
  }

  reset() {
    this.size = 0n;
    this.chunks = []; // the bytes of this pass (progbits only): arrays or Buffers, joined by finish()
    this.placed = []; // this pass's fixups as emitted: {f, pos, len, st}, made into `fixups` by finish()
    this.fixups = []; // {pos, size, val, pcrel, end, file, line, signedByte}, after the last pass
  }
}

class Assembler {
  constructor(opts) {
    this.opts = opts;
    this.format = opts.format;
    if (this.format !== "bin" && this.format !== "elf32") throw new AsmError(opts.file, 0, `unrecognised output format \`${this.format}'`);
    this.readFile = opts.readFile || ((p) => fs.readFileSync(p, "utf8"));
    this.readBinary = opts.readBinary || ((p) => fs.readFileSync(p));
    this.cwd = opts.cwd || process.cwd();
    this.sections = new Map();
    this.sectionOrder = [];
    this.symbols = new Map(); // name -> {name, section | null, value, extern, global, weak, type}
    this.symbolOrder = []; // NASM's symbol table order: first declaration or definition
    this.org = null;
    this.warnings = []; // [AsmError] of the final pass (and of parsing), printed as warnings
  }

  /** A NASM warning: an error under -Werror (opts.werror), else kept in this.warnings. */
  warn(file, line, message, flag) {
    if (this.opts.werror) throw new AsmError(file, line, `${message} [-w+error=${flag}]`);
    const w = new AsmError(file, line, `${message} [-w+${flag}]`);
    w.warning = true;
    (this.passWarnings || this.warnings).push(w);
  }

  run() {
    const pre = new Preprocessor({ ...this.opts, readFile: this.readFile, cwd: this.cwd });
    const lines = pre.run(this.opts.file);
    const parser = new Parser((file, line, message, flag) => this.warn(file, line, message, flag));
    const stmts = [];
    for (const l of lines) stmts.push(...parser.line(l));
    this.stmts = stmts;
    let pass = 1;
    for (;; pass++) {
      if (pass > MAX_PASSES) throw new AsmError(this.opts.file, 0, `no stable layout after ${MAX_PASSES} passes`);
      const changed = this.pass(pass);
      if (!changed && pass > 1) break;
    }
    this.passes = pass;
    this.warnings.push(...this.passWarnings);
    this.passWarnings = null;
    this.finish();
    const out = { sections: this.sectionOrder, symbols: this.symbolOrder, file: this.opts.file, org: this.org || 0n,
      warn: (file, line, message, flag) => this.warn(file, line, message, flag) };
    return this.format === "bin" ? writeBin(out) : writeElf32(out);
  }

  section(name, loc, attrText = "") {
    let s = this.sections.get(name);
    if (!s) {
      if (this.format === "bin" && name !== ".text") throw new AsmError(loc.file, loc.line, `section \`${name}': only the default .text section is supported in bin output`);
      const attrs = this.format === "bin" ? { nobits: false, alloc: true, exec: true, write: false, align: 16 } : sectionDefaults(name);
      s = new Section(name, attrs);
      this.sections.set(name, s);
      this.sectionOrder.push(s);
      s.index = this.sectionOrder.length;
    }
    if (attrText && this.passNo === 1) {
      try {
        parseSectionAttrs(s, attrText);
      } catch (e) {
        throw new AsmError(loc.file, loc.line, e.message);
      }
    }
    return s;
  }

  /** One pass over the statements; true if any label moved or appeared. */
  pass(pass) {
    this.passNo = pass;
    for (const s of this.sectionOrder) s.reset();
    this.cur = null; // the default section is created when first used
    this.bits = this.format === "bin" ? 16 : 32;
    this.changed = false;
    this.defined = new Set();
    this.passWarnings = [];
    for (const st of this.stmts) {
      try {
        this.statement(st);
      } catch (e) {
        if (e instanceof AsmError) throw e;
        if (e instanceof ExprError || e instanceof EncodeError) throw new AsmError(st.file, st.line, e.message);
        throw e;
      }
    }
    return this.changed;
  }

  current(loc) {
    if (!this.cur) this.cur = this.section(".text", loc);
    return this.cur;
  }

  ctx(loc, here) {
    return {
      symbol: (name) => {
        const s = this.symbols.get(name);
        if (!s || (!s.extern && s.value === undefined)) return undefined;
        if (s.extern) return { v: 0n, base: s, unknown: false };
        return { v: s.value, base: s.section, unknown: false };
      },
      here: () => here,
      start: () => ({ v: 0n, base: this.current(loc), unknown: false }),
    };
  }

  value(node, loc, here) {
    return evaluate(node, this.ctx(loc, here));
  }

  /** A value every pass must know (times counts, alignments, org): a plain number. */
  critical(node, st, what) {
    const sec = this.current(st);
    const v = this.value(node, st, { v: sec.size, base: sec, unknown: false });
    if (v.unknown) throw new AsmError(st.file, st.line, `${what}: non-constant value (\`${v.missing}' is not defined before it is used)`);
    if (v.base) throw new AsmError(st.file, st.line, `${what}: the value is an address, not a number`);
    return v.v;
  }

  symbol(name) {
    let s = this.symbols.get(name);
    if (!s) {
      s = { name, kind: "symbol", section: null, value: undefined, extern: false, global: false, weak: false, type: null };
      this.symbols.set(name, s);
    }
    return s;
  }

  /** Lays out (and encodes) one statement; `here` is `$` when inside a `times` line. */
  statement(st, here = null) {
    const err = (m) => new AsmError(st.file, st.line, m);
    switch (st.kind) {
      case "label": {
        const sec = this.current(st);
        const s = this.symbol(st.name);
        if (s.extern) throw err(`symbol \`${st.name}' redefined (it is declared extern)`);
        if (this.defined.has(st.name)) throw err(`label \`${st.name}' inconsistently redefined`);
        this.defined.add(st.name);
        if (s.value === undefined) this.symbolOrder.push(s);
        if (s.section !== sec || s.value !== sec.size) this.changed = true;
        s.section = sec;
        s.value = sec.size;
        s.defFile = st.file;
        s.defLine = st.line;
        return;
      }
      case "bits": this.bits = st.bits; return;
      case "org": {
        if (this.format !== "bin") throw err("`org' is only valid in bin output");
        const v = this.critical(st.expr, st, "org");
        if (this.org !== null && this.org !== v) throw err("program origin redefined");
        this.org = v;
        return;
      }
      case "section":
        if (this.format === "bin" && st.attrs) throw err("section attributes are not supported in bin output");
        this.cur = this.section(st.name, st, st.attrs);
        return;
      case "global": case "extern": {
        if (this.format === "bin") throw err(`\`${st.kind}' is not supported in bin output`);
        for (const spec of st.names) {
          const s = this.symbol(spec.name);
          if (st.kind === "extern") {
            if (s.value !== undefined) throw err(`symbol \`${spec.name}' declared extern after its definition`);
            if (!s.extern && this.passNo === 1) this.symbolOrder.push(s);
            s.extern = true;
          } else {
            s.global = true;
            s.weak = s.weak || spec.weak;
            s.type = spec.type || s.type;
            s.globalFile = st.file;
            s.globalLine = st.line;
          }
        }
        return;
      }
      case "align": {
        const n = this.critical(st.expr, st, st.bss ? "alignb" : "align");
        if (n <= 0n || (n & (n - 1n)) !== 0n) throw err(`alignment ${n} is not a power of two`);
        const sec = this.current(st);
        if (BigInt(sec.align) < n) sec.align = Number(n); // both macros start with sectalign
        const pad = (n - (sec.size % n)) % n;
        if (st.bss || sec.nobits) {
          if (!st.bss && pad && sec.nobits) throw err("`align' pads with nop, which a nobits section cannot hold: use `alignb'");
          this.reserve(sec, pad, st, false); // nasm does not warn for alignb's zeroing
        } else this.emit(sec, Buffer.alloc(Number(pad), 0x90), [], st);
        return;
      }
      case "times": {
        const count = this.critical(st.count, st, "times");
        if (count < 0n) {
          if (this.pastFirst()) throw err(`TIMES value ${count} is negative`);
          return;
        }
        // `$` in the repeated line is the start of the whole `times` line, as in NASM
        const sec = this.current(st);
        const here = { v: sec.size, base: sec, unknown: false };
        if (st.body.kind === "data" && !sec.nobits) {
          // every copy of a data line is the same (`$` does not move), so lay out one and repeat it
          const one = this.dataBytes(st.body, here);
          if (!one.fixups.length) {
            this.emit(sec, Buffer.alloc(one.bytes.length * Number(count), Buffer.from(one.bytes)), [], st.body);
            return;
          }
        }
        for (let k = 0n; k < count; k++) this.statement(st.body, here);
        return;
      }
      case "res": {
        const count = this.critical(st.count, st, `res${"bwdq"[Math.log2(st.unit)]}`);
        if (count < 0n) throw err("negative reservation");
        this.reserve(this.current(st), count * BigInt(st.unit), st);
        return;
      }
      case "data": return this.data(st, here);
      case "incbin": return this.incbin(st);
      case "insn": return this.insn(st, here);
      default: throw err(`internal: unknown statement ${st.kind}`);
    }
  }

  pastFirst() {
    return this.passNo > 1;
  }

  reserve(sec, n, st, warn = true) {
    if (sec.nobits) { sec.size += n; return; }
    if (n && warn) this.warn(st.file, st.line, `uninitialized space declared in ${sec.name} section: zeroing`, "zeroing");
    this.emit(sec, Buffer.alloc(Number(n)), [], st);
  }

  emit(sec, bytes, fixups, st) {
    if (sec.nobits) {
      if (bytes.length) throw new AsmError(st.file, st.line, `attempt to initialise memory in nobits section \`${sec.name}'`);
      return;
    }
    // Only the last pass's fixups are read: each is recorded as one small object of a fixed shape
    // here (a spread copy per fixup per pass was most of a pass's time) and completed by finish().
    for (const f of fixups) sec.placed.push({ f, pos: sec.size, len: bytes.length, st });
    // Kept as given (the encoder's fresh arrays), not copied into a Buffer per instruction: only
    // the last pass's bytes are ever read, and in the browser's Buffer each copy is a costly object.
    sec.chunks.push(bytes);
    sec.size += BigInt(bytes.length);
  }

  data(st, lineStart) {
    const sec = this.current(st);
    // `$` is the start of the line for every item
    const here = lineStart || { v: sec.size, base: sec, unknown: false };
    const { bytes, fixups } = this.dataBytes(st, here);
    this.emit(sec, bytes, fixups, st);
  }

  /** The bytes of a data line; plain numbers are written at once, addresses left as fixups. */
  dataBytes(st, here) {
    const bytes = [];
    const fixups = [];
    for (const it of st.items) {
      if (it.str !== undefined) {
        for (const ch of it.str) bytes.push(ch.charCodeAt(0));
        // a string in dw/dd/dq is padded with zeros to a whole unit
        while (bytes.length % st.unit) bytes.push(0);
        continue;
      }
      const val = this.value(it.expr, st, here);
      const at = bytes.length;
      for (let k = 0; k < st.unit; k++) bytes.push(0);
      if (val.base || val.unknown) {
        fixups.push({ at, size: st.unit, val, pcrel: false, data: true });
        continue;
      }
      const f = { size: st.unit, data: true, file: st.file, line: st.line };
      checkRange(f, val.v, (file, line, message, flag) => this.warn(file, line, message, flag));
      put(bytes, at, st.unit, val.v);
    }
    return { bytes, fixups };
  }

  incbin(st) {
    const sec = this.current(st);
    const candidates = [st.path, ...(this.opts.includeDirs || []).map((d) => d + st.path)];
    let data = null;
    for (const c of candidates) {
      try {
        data = this.readBinary(path.resolve(this.cwd, c));
        break;
      } catch {}
    }
    if (!data) throw new AsmError(st.file, st.line, `\`incbin': unable to open file \`${st.path}'`);
    const skip = st.skip ? Number(this.critical(st.skip, st, "incbin")) : 0;
    const len = st.len ? Number(this.critical(st.len, st, "incbin")) : data.length - skip;
    if (skip < 0 || skip > data.length || len < 0) throw new AsmError(st.file, st.line, "`incbin': offset or length out of range");
    this.emit(sec, data.subarray(skip, skip + Math.min(len, data.length - skip)), [], st);
  }

  insn(st, lineStart) {
    const sec = this.current(st);
    // An instruction whose encoding read no symbol, no `$`/`$$` and not its own address, and warned
    // nothing, encodes the same in every pass: its first encoding is kept on the statement (most of
    // a compiler's output: register and stack-slot operands), and later passes only lay it out.
    const kept = st.encoded;
    if (kept && kept.bits === this.bits) {
      this.emit(sec, kept.bytes, kept.fixups, st);
      return;
    }
    const here = lineStart || { v: sec.size, base: sec, unknown: false };
    const at = { v: sec.size, base: sec, unknown: false };
    let placed = false;
    const ctx = this.ctx(st, here);
    const tracked = {
      symbol: (name) => { placed = true; return ctx.symbol(name); },
      here: () => { placed = true; return ctx.here(); },
      start: () => { placed = true; return ctx.start(); },
    };
    const warned = this.passWarnings.length;
    const env = { bits: this.bits, here, get at() { placed = true; return at; }, value: (n) => evaluate(n, tracked) };
    const { bytes, fixups } = encode(st, env);
    if (!placed && this.passWarnings.length === warned) st.encoded = { bits: this.bits, bytes, fixups };
    this.emit(sec, bytes, fixups, st);
  }

  /** After the last pass: every symbol defined, every field resolvable. */
  finish() {
    for (const s of this.symbols.values()) {
      if (s.global && !s.extern && s.value === undefined) {
        throw new AsmError(s.globalFile, s.globalLine, `symbol \`${s.name}' declared global but not defined`);
      }
    }
    for (const sec of this.sectionOrder) {
      sec.data = sec.nobits ? null : joinChunks(sec.chunks);
      sec.fixups = sec.placed.map(({ f, pos, len, st }) => ({ ...f, pos: pos + BigInt(f.at), end: pos + BigInt(f.end === undefined ? len : f.end), file: st.file, line: st.line }));
      for (const f of sec.fixups) {
        if (f.val.unknown) throw new AsmError(f.file, f.line, `symbol \`${f.val.missing}' not defined`);
      }
    }
  }
}

/** One Buffer of a section's chunks (arrays of byte values or Buffers). */
function joinChunks(chunks) {
  let n = 0;
  for (const c of chunks) n += c.length;
  const data = Buffer.alloc(n);
  let at = 0;
  for (const c of chunks) {
    data.set(c, at);
    at += c.length;
  }
  return data;
}

/**
 * Assembles one source file; returns the output file's bytes. opts.onWarning(AsmError) receives
 * NASM's warnings (with opts.werror they are errors instead).
 */
function assemble(opts) {
  const a = new Assembler(opts);
  const out = a.run();
  if (opts.onWarning) a.warnings.forEach(opts.onWarning);
  return out;
}

module.exports = { assemble, Assembler };
