// The NASM preprocessor subset the project's .asm files use: %include, %define (with parameters),
// %undef, %assign, %macro/%endmacro (fixed or ranged parameter counts, %1.., %0, %%local labels),
// %rep/%endrep, %if/%elif/%else/%endif, %ifdef/%ifndef/%elifdef/%elifndef, %error, `%+` token
// pasting, and -D defines. The output is the assembler's input: one token list per source line,
// with the file and line it came from (a macro's lines report the line of the call, as NASM does).
// Any other %directive is an error, never silently skipped.
"use strict";
const path = require("path");
const { tokenize, untokenize } = require("./lexer");
const { parseExpr, evaluate, ExprError } = require("./expr");
const { AsmError } = require("./errors");

// NASM implements these directives as standard macros, so each use takes a number from the counter
// that names %%labels (..@N.label); align and alignb also call sectalign. Counting them the same
// way keeps ..@ names, which reach an ELF symbol table, identical to nasm's.
const STANDARD_MACROS = new Map(["section", "segment", "global", "extern", "bits", "default", "cpu", "sectalign",
  "use16", "use32", "org", "absolute", "static", "common", "required", "float"].map((w) => [w, 1]));
STANDARD_MACROS.set("align", 2).set("alignb", 2);

const MAX_DEPTH = 64; // nested includes / macro calls / single-line expansion
const MAX_REP = 1 << 20;

class Preprocessor {
  /**
   * opts: includeDirs (prefixes, concatenated with the name as NASM does, so keep the trailing /),
   * defines ({NAME: text or ""}), cwd (relative paths resolve here), readFile(path) -> string.
   */
  constructor(opts) {
    this.includeDirs = opts.includeDirs || [];
    this.cwd = opts.cwd || process.cwd();
    this.readFile = opts.readFile;
    this.smacros = new Map(); // name -> {params: [names] | null, body: tokens}
    this.mmacros = new Map(); // name -> {min, max, body: [{text, file, line}]}
    this.uniq = -1; // NASM numbers macro calls from 0
    for (const [name, value] of Object.entries(opts.defines || {})) {
      this.smacros.set(name, { params: null, body: tokenize(String(value)) });
    }
  }

  /** Preprocesses the main file: [{file, line, toks}]. */
  run(file) {
    this.out = [];
    this.conds = [];
    this.stack = [];
    this.collect = null;
    this.pushFile(file, null);
    while (this.stack.length) {
      const src = this.stack[this.stack.length - 1];
      if (src.pos >= src.lines.length) {
        this.stack.pop();
        if (src.kind === "file" && this.conds.length > src.condDepth) {
          throw new AsmError(src.file, src.lines.length, "expected `%endif' before end of file");
        }
        continue;
      }
      const l = src.lines[src.pos++];
      try {
        this.line(l, src);
      } catch (e) {
        if (e instanceof AsmError) throw e;
        if (e instanceof ExprError || e.constructor === Error) throw new AsmError(l.file, l.line, e.message);
        throw e;
      }
    }
    if (this.collect) {
      const c = this.collect;
      throw new AsmError(c.file, c.line, c.kind === "macro" ? "end of file while still defining a macro (missing `%endmacro')" : "end of file inside `%rep' (missing `%endrep')");
    }
    return this.out;
  }

  pushFile(file, from) {
    if (this.stack.length > MAX_DEPTH) throw new AsmError(from.file, from.line, "includes nested too deeply");
    let text;
    try {
      text = this.readFile(path.resolve(this.cwd, file));
    } catch (e) {
      if (from) throw new AsmError(from.file, from.line, `unable to open include file \`${file}'`);
      throw new AsmError(file, 0, `unable to open input file \`${file}'`);
    }
    const lines = text.split("\n").map((t, k) => ({ text: t, file, line: k + 1 }));
    if (lines.length && lines[lines.length - 1].text === "") lines.pop();
    this.stack.push({ kind: "file", file, lines, pos: 0, condDepth: this.conds.length });
  }

  /** Finds an include file: as named (from the working directory), then under each -I prefix. */
  findInclude(name, from) {
    const candidates = [name, ...this.includeDirs.map((d) => d + name)];
    for (const c of candidates) {
      try {
        this.readFile(path.resolve(this.cwd, c));
        return c;
      } catch {}
    }
    throw new AsmError(from.file, from.line, `unable to open include file \`${name}'`);
  }

  active() {
    return this.conds.every((c) => c.on);
  }

  line(l, src) {
    const trimmed = l.text.trim();
    const dm = /^%([A-Za-z]+)\b/.exec(trimmed);
    const dir = dm ? dm[1].toLowerCase() : null;
    // Collecting a %macro or %rep body: only its nesting matters until the matching end.
    if (this.collect) {
      const c = this.collect;
      if (dir === c.open) c.depth++;
      else if (dir === c.close && --c.depth === 0) {
        this.collect = null;
        this.finishCollect(c, l);
        return;
      }
      c.body.push(l);
      return;
    }
    if (dir && /^(if|ifn|ifdef|ifndef|elif|elifn|elifdef|elifndef|else|endif)$/.test(dir)) {
      this.conditional(dir, trimmed.slice(dm[0].length), l);
      return;
    }
    if (!this.active()) return;
    if (dir) {
      this.directive(dir, trimmed.slice(dm[0].length), l, src);
      return;
    }
    let toks = tokenize(l.text);
    if (toks.length && toks[0].t === "pp" && /^%[%$]/.test(toks[0].v)) throw new AsmError(l.file, l.line, `\`${toks[0].v}' outside a macro`);
    toks = this.expand(toks, 0, l);
    toks = this.paste(toks, l);
    if (!toks.length) return;
    // A multi-line macro call: NAME args, or `label: NAME args`.
    let at = 0;
    if (toks.length > 2 && toks[0].t === "id" && toks[1].t === "op" && toks[1].v === ":" && toks[2].t === "id" && this.mmacros.has(toks[2].v)) at = 2;
    if (toks[at].t === "id" && this.mmacros.has(toks[at].v)) {
      if (at) this.out.push({ file: l.file, line: l.line, toks: toks.slice(0, 2) });
      this.callMacro(toks[at].v, toks.slice(at + 1), l);
      return;
    }
    if (toks[at].t === "id" && STANDARD_MACROS.has(toks[at].v.toLowerCase())) this.uniq += STANDARD_MACROS.get(toks[at].v.toLowerCase());
    for (const t of toks) {
      if (t.t === "pp") throw new AsmError(l.file, l.line, `unknown preprocessor token \`${t.v}'`);
    }
    this.out.push({ file: l.file, line: l.line, toks });
  }

  conditional(dir, rest, l) {
    const evalCond = () => {
      if (/def$/.test(dir)) {
        const toks = tokenize(rest);
        if (toks.length !== 1 || toks[0].t !== "id") throw new AsmError(l.file, l.line, `\`%${dir}' expects one macro name`);
        const d = this.smacros.has(toks[0].v);
        return /n/.test(dir.replace(/^el/, "").replace(/def$/, "")) ? !d : d;
      }
      const v = this.constExpr(rest, l, `%${dir}`) !== 0n;
      return /^(ifn|elifn)$/.test(dir) ? !v : v;
    };
    if (dir.startsWith("if")) {
      const parentOn = this.active();
      const on = parentOn && evalCond();
      this.conds.push({ on, done: on, parentOn, elseSeen: false, file: l.file, line: l.line });
      return;
    }
    const top = this.conds[this.conds.length - 1];
    if (!top) throw new AsmError(l.file, l.line, `\`%${dir}': no matching \`%if'`);
    if (dir === "endif") {
      if (rest.trim() && !rest.trim().startsWith(";")) throw new AsmError(l.file, l.line, "trailing garbage after `%endif'");
      this.conds.pop();
      return;
    }
    if (top.elseSeen) throw new AsmError(l.file, l.line, `\`%${dir}' after \`%else'`);
    if (dir === "else") {
      top.elseSeen = true;
      top.on = top.parentOn && !top.done;
      top.done = true;
      return;
    }
    // %elif*: evaluated only when no earlier branch was taken
    if (top.done || !top.parentOn) {
      top.on = false;
      return;
    }
    top.on = evalCond();
    top.done = top.on;
  }

  /** A preprocessor-time expression: numbers and macros only. */
  constExpr(text, l, what) {
    const toks = this.paste(this.expand(tokenize(text), 0, l), l);
    if (!toks.length) throw new AsmError(l.file, l.line, `\`${what}' expects an expression`);
    const { node, pos } = parseExpr(toks);
    if (pos !== toks.length) throw new AsmError(l.file, l.line, `\`${what}': trailing garbage \`${untokenize(toks.slice(pos))}'`);
    const v = evaluate(node, {
      symbol: (name) => { throw new AsmError(l.file, l.line, `\`${what}': \`${name}' is not a constant (labels are unknown to the preprocessor)`); },
      here: () => { throw new AsmError(l.file, l.line, `\`${what}': \`$' is unknown to the preprocessor`); },
      start: () => { throw new AsmError(l.file, l.line, `\`${what}': \`$$' is unknown to the preprocessor`); },
    });
    return v.v;
  }

  directive(dir, rest, l, src) {
    const err = (m) => new AsmError(l.file, l.line, m);
    switch (dir) {
      case "define": {
        const m = /^\s+([A-Za-z_.?@$][A-Za-z0-9_.?@$#~]*)(\(([^)]*)\))?(.*)$/.exec(rest);
        if (!m) throw err("`%define' expects a macro name");
        const params = m[2] ? m[3].split(",").map((s) => s.trim()) : null;
        if (params && params.some((p) => !/^[A-Za-z_.?@$][A-Za-z0-9_.?@$#~]*$/.test(p))) throw err(`\`%define ${m[1]}': bad parameter list`);
        this.smacros.set(m[1], { params, body: tokenize(m[4]) });
        return;
      }
      case "undef": {
        const toks = tokenize(rest);
        if (toks.length !== 1 || toks[0].t !== "id") throw err("`%undef' expects one macro name");
        this.smacros.delete(toks[0].v);
        return;
      }
      case "assign": {
        const m = /^\s+([A-Za-z_.?@$][A-Za-z0-9_.?@$#~]*)(.*)$/.exec(rest);
        if (!m) throw err("`%assign' expects a macro name");
        const v = this.constExpr(m[2], l, "%assign");
        this.smacros.set(m[1], { params: null, body: tokenize(v < 0n ? `-${-v}` : String(v)) });
        return;
      }
      case "include": {
        const toks = this.paste(this.expand(tokenize(rest), 0, l), l);
        if (toks.length !== 1 || toks[0].t !== "str") throw err("`%include' expects a file name in quotes");
        const name = this.findInclude(toks[0].v, l);
        if (this.stack.length > MAX_DEPTH) throw err("includes nested too deeply");
        this.pushFile(name, l);
        return;
      }
      case "macro": {
        const m = /^\s+([A-Za-z_.?@$][A-Za-z0-9_.?@$#~]*)\s+(\d+)(?:-(\d+|\*))?(\+)?(\.nolist)?(?:\s+([^;]*?))?\s*(?:;.*)?$/.exec(rest);
        if (!m) throw err("`%macro' expects a name, a parameter count and optional default values");
        if (m[4]) throw err("`%macro': greedy parameters (+) are not supported");
        const min = Number(m[2]);
        const max = m[3] === undefined ? min : m[3] === "*" ? Infinity : Number(m[3]);
        // Defaults for parameters min+1..max, in order (NASM: `%macro E820 3-4 1`); %0 then counts
        // them too, as NASM's does.
        let defaults = [];
        if (m[6]) {
          if (max === min) throw err("`%macro': default values need a parameter range (min-max)");
          try {
            defaults = splitArgs(tokenize(m[6]));
          } catch (e) {
            throw err(e.message);
          }
          if (defaults.length > max - min) throw err(`\`%macro': ${defaults.length} default values for ${max - min} optional parameters`);
        }
        this.collect = { kind: "macro", open: "macro", close: "endmacro", depth: 1, body: [], name: m[1], min, max, defaults, file: l.file, line: l.line };
        return;
      }
      case "rep": {
        const v = this.constExpr(rest, l, "%rep");
        if (v < 0n || v > BigInt(MAX_REP)) throw err(`\`%rep' count ${v} out of range`);
        this.collect = { kind: "rep", open: "rep", close: "endrep", depth: 1, body: [], count: Number(v), file: l.file, line: l.line };
        return;
      }
      case "endmacro": throw err("`%endmacro': not defining a macro");
      case "endrep": throw err("`%endrep': no matching `%rep'");
      case "error": {
        const toks = this.expand(tokenize(rest), 0, l);
        const msg = toks.length === 1 && toks[0].t === "str" ? toks[0].v : untokenize(toks);
        throw err(msg);
      }
      default:
        throw err(`unsupported preprocessor directive \`%${dir}'`);
    }
  }

  finishCollect(c, l) {
    if (c.kind === "macro") {
      this.mmacros.set(c.name, { min: c.min, max: c.max, defaults: c.defaults, body: c.body, file: c.file, line: c.line });
      return;
    }
    if (this.stack.length > MAX_DEPTH) throw new AsmError(l.file, l.line, "`%rep' nested too deeply");
    const lines = [];
    for (let k = 0; k < c.count; k++) lines.push(...c.body);
    this.stack.push({ kind: "rep", lines, pos: 0 });
  }

  callMacro(name, argToks, l) {
    const m = this.mmacros.get(name);
    const args = argToks.length ? splitArgs(argToks) : [];
    if (args.length < m.min || args.length > m.max) {
      throw new AsmError(l.file, l.line, `macro \`${name}' expects ${m.min === m.max ? m.min : `${m.min}-${m.max}`} parameters, got ${args.length}`);
    }
    while (args.length < m.min + m.defaults.length) args.push(m.defaults[args.length - m.min]);
    if (this.stack.length > MAX_DEPTH) throw new AsmError(l.file, l.line, `macro \`${name}' nested too deeply`);
    const id = ++this.uniq;
    const lines = m.body.map((b) => {
      let toks;
      try {
        toks = tokenize(b.text);
      } catch (e) {
        throw new AsmError(b.file, b.line, e.message);
      }
      const outToks = [];
      for (const t of toks) {
        if (t.t === "pp" && /^%[0-9]+$/.test(t.v)) {
          const n = Number(t.v.slice(1));
          if (n === 0) { outToks.push({ ...t, t: "num", v: BigInt(args.length), s: String(args.length) }); continue; }
          if (n > args.length) throw new AsmError(l.file, l.line, `macro \`${name}': parameter %${n} not given`);
          args[n - 1].forEach((a, k) => outToks.push(k ? a : { ...a, sp: t.sp }));
        } else if (t.t === "pp" && t.v.startsWith("%%")) {
          outToks.push({ t: "id", v: `..@${id}.${t.v.slice(2)}`, s: `..@${id}.${t.v.slice(2)}`, sp: t.sp });
        } else outToks.push(t);
      }
      // Re-tokenized from text so that `isr_%1` becomes one identifier, as in NASM.
      return { text: untokenize(outToks), file: l.file, line: l.line };
    });
    this.stack.push({ kind: "macro", lines, pos: 0 });
  }

  /** Expands single-line macros (rescanning their expansion; a macro never expands inside itself). */
  expand(toks, depth, l, active = new Set()) {
    if (depth > MAX_DEPTH) throw new AsmError(l.file, l.line, "macro expansion nested too deeply");
    const out = [];
    for (let i = 0; i < toks.length; i++) {
      const t = toks[i];
      const m = t.t === "id" && !active.has(t.v) ? this.smacros.get(t.v) : undefined;
      if (!m) { out.push(t); continue; }
      let body = m.body;
      if (m.params) {
        const open = toks[i + 1];
        if (!open || open.t !== "op" || open.v !== "(") { out.push(t); continue; }
        let depthP = 0;
        let j = i + 1;
        for (; j < toks.length; j++) {
          if (toks[j].t === "op" && toks[j].v === "(") depthP++;
          if (toks[j].t === "op" && toks[j].v === ")" && --depthP === 0) break;
        }
        if (j >= toks.length) throw new AsmError(l.file, l.line, `macro \`${t.v}': missing \`)'`);
        const args = toks.slice(i + 2, j).length ? splitArgs(toks.slice(i + 2, j)) : [];
        if (args.length !== m.params.length) throw new AsmError(l.file, l.line, `macro \`${t.v}' expects ${m.params.length} parameters, got ${args.length}`);
        body = [];
        for (const b of m.body) {
          const k = b.t === "id" ? m.params.indexOf(b.v) : -1;
          if (k < 0) body.push(b);
          else args[k].forEach((a, n) => body.push(n ? a : { ...a, sp: b.sp }));
        }
        i = j;
      }
      const inner = new Set(active);
      inner.add(t.v);
      const expanded = this.expand(body, depth + 1, l, inner);
      expanded.forEach((e, n) => out.push(n ? e : { ...e, sp: t.sp }));
    }
    return out;
  }

  /** `a %+ b` -> `ab` (re-tokenized). */
  paste(toks, l) {
    if (!toks.some((t) => t.t === "pp" && t.v === "%+")) return toks;
    const out = [];
    for (let i = 0; i < toks.length; i++) {
      if (toks[i].t === "pp" && toks[i].v === "%+") {
        const a = out.pop();
        const b = toks[++i];
        if (!a || !b) throw new AsmError(l.file, l.line, "`%+' needs a token on each side");
        const joined = tokenize(a.s + b.s);
        if (joined.length !== 1) throw new AsmError(l.file, l.line, `\`%+' pasted \`${a.s}' and \`${b.s}' into more than one token`);
        out.push({ ...joined[0], sp: a.sp });
      } else out.push(toks[i]);
    }
    return out;
  }
}

/** Splits macro arguments at top-level commas (braces group an argument with commas in it). */
function splitArgs(toks) {
  const args = [[]];
  let depth = 0;
  for (const t of toks) {
    if (t.t === "op" && (t.v === "(" || t.v === "{")) depth++;
    if (t.t === "op" && (t.v === ")" || t.v === "}")) depth--;
    if (t.t === "op" && t.v === "," && depth === 0) { args.push([]); continue; }
    args[args.length - 1].push(t);
  }
  return args.map((a) => (a.length && a[0].t === "op" && a[0].v === "{" && a[a.length - 1].v === "}" ? a.slice(1, -1) : a));
}

module.exports = { Preprocessor };
