// One preprocessed line -> statements: a label, then a directive, data, reservation or instruction.
// Operands become {type: "reg" | "mem" | "imm" | "far"}; expressions stay trees (expr.js) to be
// evaluated every pass. Local labels (`.x`) are qualified here with the last non-local label, which
// is a property of source order and so the same in every pass.
"use strict";
const { parseExpr, ExprError } = require("./expr");
const { register } = require("./registers");
const { untokenize } = require("./lexer");
const { AsmError } = require("./errors");
const { isMnemonic } = require("./encode");

const SIZES = { byte: 8, word: 16, dword: 32, qword: 64 };
const DATA = { db: 1, dw: 2, dd: 4, dq: 8 };
const RES = { resb: 1, resw: 2, resd: 4, resq: 8 };
const PREFIXES = new Set(["rep", "repe", "repz", "repne", "repnz", "lock", "a16", "a32", "o16", "o32", "es", "cs", "ss", "ds", "fs", "gs"]);
const DIRECTIVES = new Set(["bits", "org", "section", "segment", "global", "extern", "align", "alignb", "incbin", "times"]);

class Parser {
  /** warn(file, line, message, flag): NASM's warnings (an error under -Werror). */
  constructor(warn) {
    this.lastLabel = null;
    this.warn = warn;
  }

  qualify(name) {
    if (name.startsWith(".") && !name.startsWith("..")) {
      if (!this.lastLabel) throw new ExprError(`local label \`${name}' has no preceding non-local label`);
      return this.lastLabel + name;
    }
    return name;
  }

  /** Statements of one line (label and/or body). */
  line({ file, line, toks }) {
    const err = (m) => new AsmError(file, line, m);
    try {
      return this.parseLine(toks, file, line);
    } catch (e) {
      if (e instanceof ExprError) throw err(e.message);
      throw e;
    }
  }

  expr(toks, what) {
    if (!toks.length) throw new ExprError(`${what}: expression expected`);
    for (const t of toks) {
      if (t.t === "id" && register(t.v)) throw new ExprError(`invalid use of register \`${t.v}' in ${what}`);
    }
    const { node, pos } = parseExpr(toks, 0, { qualify: (n) => this.qualify(n) });
    if (pos !== toks.length) throw new ExprError(`${what}: unexpected \`${untokenize(toks.slice(pos))}'`);
    return node;
  }

  parseLine(toks, file, line) {
    const loc = { file, line };
    const out = [];
    let i = 0;
    // label:  (a label without a colon is an error here: NASM only warns, but the build uses -Werror)
    if (toks.length >= 2 && toks[0].t === "id" && toks[1].t === "op" && toks[1].v === ":" && !register(toks[0].v)) {
      const raw = toks[0].v;
      const name = this.qualify(raw);
      if (!raw.startsWith(".") && !raw.startsWith("..@")) this.lastLabel = raw;
      out.push({ kind: "label", name, ...loc });
      i = 2;
    }
    // a lone word that is no instruction: NASM takes it for a label (and warns)
    if (i === 0 && toks.length === 1 && toks[0].t === "id" && !register(toks[0].v) && !isMnemonic(toks[0].v.toLowerCase()) && !DIRECTIVES.has(toks[0].v.toLowerCase()) && !PREFIXES.has(toks[0].v.toLowerCase())) {
      this.warn(file, line, "label alone on a line without a colon might be in error", "label-orphan");
      return this.parseLine([toks[0], { t: "op", v: ":", s: ":", sp: false }], file, line);
    }
    if (i >= toks.length) return out;
    out.push(this.body(toks.slice(i), loc));
    return out;
  }

  body(toks, loc) {
    const first = toks[0];
    if (first.t === "op" && first.v === "[") throw new AsmError(loc.file, loc.line, "the primitive `[directive]' form is not supported");
    if (first.t !== "id") throw new AsmError(loc.file, loc.line, "parser: instruction expected");
    if (first.v.toLowerCase() === "equ" || (toks[1] && toks[1].t === "id" && toks[1].v.toLowerCase() === "equ")) {
      throw new AsmError(loc.file, loc.line, "`equ' is not supported (use %define or %assign)");
    }
    const word = first.v.toLowerCase();
    const rest = toks.slice(1);
    if (word === "times") {
      // times COUNT body: the count is the longest expression before the body's first word
      let k = 0;
      let depth = 0;
      for (; k < rest.length; k++) {
        const t = rest[k];
        if (t.t === "op" && t.v === "(") depth++;
        if (t.t === "op" && t.v === ")") depth--;
        if (depth === 0 && t.t === "id" && k > 0 && !(rest[k - 1].t === "op" && rest[k - 1].v !== ")")) break;
      }
      const count = this.expr(rest.slice(0, k), "times");
      if (k >= rest.length) throw new AsmError(loc.file, loc.line, "`times' with nothing to repeat");
      return { kind: "times", count, body: this.body(rest.slice(k), loc), ...loc };
    }
    if (word in DATA) return { kind: "data", unit: DATA[word], items: this.dataItems(rest, loc), ...loc };
    if (word in RES) return { kind: "res", unit: RES[word], count: this.expr(rest, word), ...loc };
    if (DIRECTIVES.has(word)) return this.directive(word, rest, loc);
    // prefixes, then the mnemonic
    const prefixes = [];
    let k = 0;
    while (k < toks.length && toks[k].t === "id" && PREFIXES.has(toks[k].v.toLowerCase()) && k + 1 < toks.length && toks[k + 1].t === "id") {
      prefixes.push(toks[k].v.toLowerCase());
      k++;
    }
    if (k >= toks.length || toks[k].t !== "id") throw new AsmError(loc.file, loc.line, "parser: instruction expected");
    const mnem = toks[k].v.toLowerCase();
    const ops = splitTop(toks.slice(k + 1)).map((o) => this.operand(o, loc));
    return { kind: "insn", mnem, prefixes, ops, ...loc };
  }

  dataItems(toks, loc) {
    const items = splitTop(toks);
    return items.map((it) => {
      if (!it.length) throw new AsmError(loc.file, loc.line, "expression expected in data");
      if (it.length === 1 && it[0].t === "str") return { str: it[0].v };
      return { expr: this.expr(it, "data") };
    });
  }

  directive(word, toks, loc) {
    const err = (m) => new AsmError(loc.file, loc.line, m);
    switch (word) {
      case "bits": {
        const n = toks.length === 1 && toks[0].t === "num" ? Number(toks[0].v) : NaN;
        if (n !== 16 && n !== 32) throw err("`bits' takes 16 or 32 (64-bit code is not supported)");
        return { kind: "bits", bits: n, ...loc };
      }
      case "org": return { kind: "org", expr: this.expr(toks, "org"), ...loc };
      case "section": case "segment": {
        if (!toks.length || toks[0].t !== "id") throw err("`section' expects a section name");
        return { kind: "section", name: toks[0].v, attrs: untokenize(toks.slice(1)), ...loc };
      }
      case "global": case "extern": {
        const names = splitTop(toks).map((t) => {
          if (!t.length || t[0].t !== "id") throw err(`\`${word}' expects symbol names`);
          const spec = { name: t[0].v, type: null, weak: false };
          let j = 1;
          if (j < t.length && t[j].t === "op" && t[j].v === ":") {
            const ty = t[j + 1] && t[j + 1].t === "id" ? t[j + 1].v.toLowerCase() : "";
            if (ty === "function") spec.type = "func";
            else if (ty === "data" || ty === "object") spec.type = "object";
            else throw err(`\`${word} ${spec.name}': unsupported symbol type \`${ty}'`);
            j += 2;
          }
          for (; j < t.length; j++) {
            const w = t[j].t === "id" ? t[j].v.toLowerCase() : t[j].s;
            if (w === "weak" && word === "global") spec.weak = true;
            else throw err(`\`${word} ${spec.name}': unsupported attribute \`${t[j].s}'`);
          }
          if (spec.name.startsWith(".")) throw err(`\`${word}': local label \`${spec.name}' cannot be ${word}`);
          return spec;
        });
        return { kind: word, names, ...loc };
      }
      case "align": case "alignb": {
        const parts = splitTop(toks);
        if (parts.length !== 1) throw err(`\`${word}' with a fill instruction is not supported`);
        return { kind: "align", bss: word === "alignb", expr: this.expr(parts[0], word), ...loc };
      }
      case "incbin": {
        const parts = splitTop(toks);
        if (!parts.length || parts[0].length !== 1 || parts[0][0].t !== "str") throw err("`incbin' expects a file name in quotes");
        return {
          kind: "incbin", path: parts[0][0].v,
          skip: parts[1] ? this.expr(parts[1], "incbin") : null,
          len: parts[2] ? this.expr(parts[2], "incbin") : null, ...loc,
        };
      }
      default: throw err(`unsupported directive \`${word}'`);
    }
  }

  operand(toks, loc) {
    const err = (m) => new AsmError(loc.file, loc.line, m);
    if (!toks.length) throw err("expression syntax error: empty operand");
    let size = 0;
    let jump = null;
    let k = 0;
    for (; k < toks.length && toks[k].t === "id"; k++) {
      const w = toks[k].v.toLowerCase();
      if (w in SIZES && !size) size = SIZES[w];
      else if ((w === "short" || w === "near" || w === "far") && !jump) jump = w;
      else if (w === "strict") throw err("`strict' is not supported");
      else break;
    }
    toks = toks.slice(k);
    if (!toks.length) throw err("expression syntax error: operand expected");
    if (toks.length === 1 && toks[0].t === "id" && register(toks[0].v)) {
      if (size || jump) throw err(`a size or jump kind before register \`${toks[0].v}'`);
      return { type: "reg", reg: register(toks[0].v) };
    }
    if (toks[0].t === "op" && toks[0].v === "[") {
      const last = toks[toks.length - 1];
      if (!(last.t === "op" && last.v === "]")) throw err("expecting `]'");
      if (jump) throw err(`\`${jump}' before a memory operand is not supported`);
      return { ...this.memory(toks.slice(1, -1), loc), size };
    }
    // seg:offset (a far pointer)
    const colon = topIndex(toks, ":");
    if (colon >= 0) {
      return { type: "far", seg: this.expr(toks.slice(0, colon), "segment"), off: this.expr(toks.slice(colon + 1), "offset"), size };
    }
    return { type: "imm", expr: this.expr(toks, "operand"), size, jump };
  }

  memory(toks, loc) {
    const err = (m) => new AsmError(loc.file, loc.line, m);
    let seg = null;
    if (toks.length > 2 && toks[0].t === "id" && toks[1].t === "op" && toks[1].v === ":") {
      const r = register(toks[0].v);
      if (!r || r.kind !== "sreg") throw err(`\`${toks[0].v}' is not a segment register`);
      seg = r;
      toks = toks.slice(2);
    }
    for (const t of toks) if (t.t === "id" && SIZES[t.v.toLowerCase()]) throw err("a size inside the brackets is not supported");
    // split into signed additive terms at the top level
    const terms = [];
    let cur = [];
    let sign = 1;
    let depth = 0;
    for (const t of toks) {
      if (t.t === "op" && t.v === "(") depth++;
      if (t.t === "op" && t.v === ")") depth--;
      if (depth === 0 && t.t === "op" && (t.v === "+" || t.v === "-") && cur.length) {
        terms.push({ sign, toks: cur });
        cur = [];
        sign = t.v === "-" ? -1 : 1;
        continue;
      }
      if (depth === 0 && t.t === "op" && (t.v === "+" || t.v === "-") && !cur.length) {
        if (t.v === "-") sign = -sign;
        continue;
      }
      cur.push(t);
    }
    if (cur.length) terms.push({ sign, toks: cur });
    const regs = [];
    let disp = null;
    for (const term of terms) {
      const ts = term.toks;
      const regAt = ts.findIndex((t) => t.t === "id" && register(t.v));
      if (regAt < 0) {
        const e = this.expr(ts, "address");
        const signed = term.sign < 0 ? { k: "un", op: "-", a: e } : e;
        disp = disp ? { k: "bin", op: "+", a: disp, b: signed } : signed;
        continue;
      }
      const r = register(ts[regAt].v);
      if (r.kind !== "gpr" || r.size === 8) throw err(`invalid effective address: register \`${r.name}'`);
      if (term.sign < 0) throw err(`invalid effective address: a register cannot be subtracted`);
      let scale = null;
      if (ts.length === 1) scale = null;
      else if (ts.length >= 3 && regAt === 0 && ts[1].t === "op" && ts[1].v === "*") scale = this.expr(ts.slice(2), "scale");
      else if (ts.length >= 3 && regAt === ts.length - 1 && ts[regAt - 1].t === "op" && ts[regAt - 1].v === "*") scale = this.expr(ts.slice(0, regAt - 1), "scale");
      else throw err(`invalid effective address: \`${untokenize(ts)}'`);
      regs.push({ reg: r, scale });
    }
    return { type: "mem", seg, regs, disp };
  }
}

/** Splits tokens at top-level commas. */
function splitTop(toks) {
  if (!toks.length) return [];
  const out = [[]];
  let depth = 0;
  for (const t of toks) {
    if (t.t === "op" && (t.v === "(" || t.v === "[")) depth++;
    if (t.t === "op" && (t.v === ")" || t.v === "]")) depth--;
    if (depth === 0 && t.t === "op" && t.v === ",") { out.push([]); continue; }
    out[out.length - 1].push(t);
  }
  return out;
}

/** Index of a top-level operator token, or -1. */
function topIndex(toks, v) {
  let depth = 0;
  for (let k = 0; k < toks.length; k++) {
    const t = toks[k];
    if (t.t === "op" && (t.v === "(" || t.v === "[")) depth++;
    if (t.t === "op" && (t.v === ")" || t.v === "]")) depth--;
    if (depth === 0 && t.t === "op" && t.v === v) return k;
  }
  return -1;
}

module.exports = { Parser };
