// Parser of the GNU ld script language subset tsk's linker/kernel.ld uses, into a small tree that
// layout.js walks. Supported: OUTPUT_FORMAT, OUTPUT_ARCH, ENTRY, SECTIONS with `. =` and symbol
// assignments (= += -= *= /= <<= >>= &= |=, PROVIDE, PROVIDE_HIDDEN), output sections with an
// address, `(NOLOAD)` and `: ALIGN(n)`, input section descriptions `filepattern(sectionpatterns)`
// with `* ? [...]` wildcards, KEEP, COMMON, /DISCARD/, and ASSERT; expressions with C operators and
// ALIGN, ADDR, SIZEOF, LOADADDR, ABSOLUTE, DEFINED, MAX, MIN. Anything else is an error naming the
// construct and its line, never silently ignored.
"use strict";
const { LinkError } = require("./errors");

const NAME_START = /[A-Za-z_.$]/;
const NAME_CHAR = /[A-Za-z0-9_.$]/;
/** Characters of a section or file name pattern (ld's WILDCARD lexer state, minus ':'). */
const PATTERN_CHAR = /[A-Za-z0-9_.$/\\~*?[\]!^+-]/;
const FUNCS = { ALIGN: [1, 2], ADDR: [1], SIZEOF: [1], LOADADDR: [1], ABSOLUTE: [1], DEFINED: [1], MAX: [2], MIN: [2] };
/** Binary operators by precedence, loosest first (C's levels, as ld's grammar has them). */
const LEVELS = [["||"], ["&&"], ["|"], ["^"], ["&"], ["==", "!="], ["<=", ">=", "<", ">"], ["<<", ">>"], ["+", "-"], ["*", "/", "%"]];
const ASSIGN_OPS = ["<<=", ">>=", "+=", "-=", "*=", "/=", "&=", "|=", "="];

class Parser {
  constructor(text, file) {
    this.text = text;
    this.file = file;
    this.pos = 0;
  }

  line(pos = this.pos) {
    let n = 1;
    for (let i = 0; i < pos && i < this.text.length; i++) if (this.text[i] === "\n") n++;
    return n;
  }

  fail(msg, pos = this.pos) {
    throw new LinkError(`${this.file}:${this.line(pos)}: ${msg}`);
  }

  /** Skips blanks and comments (C block comments; ld has no line comments). */
  ws() {
    for (;;) {
      while (this.pos < this.text.length && /\s/.test(this.text[this.pos])) this.pos++;
      if (this.text.startsWith("/*", this.pos)) {
        const end = this.text.indexOf("*/", this.pos + 2);
        if (end < 0) this.fail("unterminated comment");
        this.pos = end + 2;
      } else return;
    }
  }

  peek(s) {
    this.ws();
    return this.text.startsWith(s, this.pos);
  }

  eat(s) {
    if (!this.peek(s)) return false;
    this.pos += s.length;
    return true;
  }

  expect(s, what = `\`${s}'`) {
    if (!this.eat(s)) this.fail(`expected ${what}, found ${this.found()}`);
  }

  found() {
    this.ws();
    if (this.pos >= this.text.length) return "end of file";
    return `\`${this.text.slice(this.pos, this.pos + 12).split(/\s/)[0] || this.text[this.pos]}'`;
  }

  atEnd() {
    this.ws();
    return this.pos >= this.text.length;
  }

  /** An identifier (expression names: symbols, keywords), or null. */
  name() {
    this.ws();
    if (!NAME_START.test(this.text[this.pos] || "")) return null;
    const start = this.pos;
    while (this.pos < this.text.length && NAME_CHAR.test(this.text[this.pos])) this.pos++;
    return this.text.slice(start, this.pos);
  }

  /** A section/file name or wildcard pattern, or null. */
  pattern() {
    this.ws();
    const start = this.pos;
    while (this.pos < this.text.length && PATTERN_CHAR.test(this.text[this.pos])) this.pos++;
    return this.pos > start ? this.text.slice(start, this.pos) : null;
  }

  /** A keyword if one is next (whole word), consumed. */
  keyword(word) {
    this.ws();
    const save = this.pos;
    if (this.name() === word) return true;
    this.pos = save;
    return false;
  }

  string() {
    this.ws();
    if (this.text[this.pos] !== '"') this.fail(`expected a "string", found ${this.found()}`);
    const end = this.text.indexOf('"', this.pos + 1);
    if (end < 0) this.fail("unterminated string");
    const s = this.text.slice(this.pos + 1, end);
    this.pos = end + 1;
    return s;
  }

  // --- expressions ---

  expr() {
    const c = this.binary(0);
    if (!this.eat("?")) return c;
    const a = this.expr();
    this.expect(":");
    return { k: "cond", c, a, b: this.expr(), line: this.line() };
  }

  binary(level) {
    if (level === LEVELS.length) return this.unary();
    let a = this.binary(level + 1);
    for (;;) {
      this.ws();
      // Longest operator first, and never take the first char of an assignment (`<<=`, `|=` ...).
      const op = LEVELS[level].slice().sort((x, y) => y.length - x.length).find((o) => this.text.startsWith(o, this.pos) &&
        !(this.text[this.pos + o.length] === "=" && !["==", "!=", "<=", ">="].includes(o)) &&
        !(o.length === 1 && "&|<>".includes(o) && this.text[this.pos + 1] === o));
      if (!op) return a;
      this.pos += op.length;
      a = { k: "bin", op, a, b: this.binary(level + 1) };
    }
  }

  unary() {
    this.ws();
    for (const op of ["-", "!", "~", "+"]) {
      if (this.text[this.pos] === op && this.text[this.pos + 1] !== "=") {
        this.pos++;
        return { k: "un", op, a: this.unary() };
      }
    }
    return this.primary();
  }

  primary() {
    this.ws();
    const at = this.pos;
    if (this.eat("(")) {
      const e = this.expr();
      this.expect(")");
      return e;
    }
    const num = /^(0[xX][0-9a-fA-F]+|[0-9]+)([KM]?)/.exec(this.text.slice(this.pos, this.pos + 40));
    if (num) {
      this.pos += num[0].length;
      if (NAME_CHAR.test(this.text[this.pos] || "")) this.fail(`bad number \`${num[0]}${this.text[this.pos]}'`);
      let v = BigInt(num[1].length > 1 && num[1][0] === "0" && !/^0[xX]/.test(num[1]) ? `0o${num[1].slice(1)}` : num[1]);
      if (num[2] === "K") v *= 1024n;
      if (num[2] === "M") v *= 1024n * 1024n;
      return { k: "num", v };
    }
    const name = this.name();
    if (name === null) this.fail(`expected an expression, found ${this.found()}`);
    if (name === ".") return { k: "dot" };
    if (this.peek("(")) {
      if (!FUNCS[name]) this.fail(`\`${name}(...)' is not supported in expressions by this linker`, at);
      this.expect("(");
      const args = [];
      if (["ADDR", "SIZEOF", "LOADADDR"].includes(name)) args.push(this.pattern());
      else if (name === "DEFINED") args.push(this.name());
      else {
        args.push(this.expr());
        while (this.eat(",")) args.push(this.expr());
      }
      this.expect(")");
      if (!FUNCS[name].includes(args.length)) this.fail(`${name} takes ${FUNCS[name].join(" or ")} argument(s)`, at);
      return { k: "call", fn: name, args, line: this.line(at) };
    }
    return { k: "sym", name, line: this.line(at) };
  }

  // --- statements ---

  /** `sym = expr` / `. = expr` (the caller eats the `;`), or PROVIDE(...). */
  assignment(name, at) {
    if (name === "PROVIDE" || name === "PROVIDE_HIDDEN") {
      this.expect("(");
      const target = this.name();
      if (!target || target === ".") this.fail("PROVIDE needs a symbol name");
      this.expect("=");
      const expr = this.expr();
      this.expect(")");
      return { k: "assign", name: target, op: "=", expr, provide: true, line: this.line(at) };
    }
    this.ws();
    const op = ASSIGN_OPS.find((o) => this.text.startsWith(o, this.pos));
    if (!op) this.fail(`expected an assignment after \`${name}', found ${this.found()}`);
    this.pos += op.length;
    return { k: "assign", name, op, expr: this.expr(), line: this.line(at) };
  }

  assertion(at) {
    this.expect("(");
    const expr = this.expr();
    this.expect(",");
    const message = this.string();
    this.expect(")");
    this.eat(";");
    return { k: "assert", expr, message, line: this.line(at) };
  }

  script() {
    const out = { entry: null, format: null, arch: null, statements: [] };
    while (!this.atEnd()) {
      const at = this.pos;
      if (this.eat(";")) continue;
      const word = this.name();
      if (word === null) this.fail(`expected a command, found ${this.found()}`);
      if (word === "OUTPUT_FORMAT") {
        this.expect("(");
        out.format = this.string();
        while (this.eat(",")) this.string();
        this.expect(")");
        if (out.format !== "elf32-i386") this.fail(`OUTPUT_FORMAT("${out.format}"): this linker writes elf32-i386 only`, at);
      } else if (word === "OUTPUT_ARCH") {
        this.expect("(");
        out.arch = this.pattern();
        this.expect(")");
        if (out.arch !== "i386") this.fail(`OUTPUT_ARCH(${out.arch}): this linker links i386 only`, at);
      } else if (word === "ENTRY") {
        this.expect("(");
        out.entry = this.name();
        if (!out.entry) this.fail("ENTRY needs a symbol name");
        this.expect(")");
      } else if (word === "SECTIONS") {
        this.expect("{");
        out.statements.push(...this.sections());
        this.expect("}");
      } else if (word === "ASSERT") {
        out.statements.push(this.assertion(at));
      } else if (/^[A-Z_]+$/.test(word) && (this.peek("(") || this.peek("{")) && word !== "PROVIDE" && word !== "PROVIDE_HIDDEN") {
        this.fail(`\`${word}' is not supported by this linker`, at);
      } else {
        out.statements.push(this.assignment(word, at));
        this.expect(";");
      }
    }
    return out;
  }

  sections() {
    const list = [];
    while (!this.peek("}")) {
      if (this.atEnd()) this.fail("SECTIONS: missing `}'");
      const at = this.pos;
      if (this.eat(";")) continue;
      if (this.keyword("ASSERT")) {
        list.push(this.assertion(at));
        continue;
      }
      const name = this.pattern();
      if (name === null) this.fail(`expected an output section or assignment, found ${this.found()}`);
      this.ws();
      if (/^(=|\+=|-=|\*=|\/=|<<=|>>=|&=|\|=)/.test(this.text.slice(this.pos, this.pos + 3)) || name === "PROVIDE" || name === "PROVIDE_HIDDEN") {
        if (name !== "." && !/^[A-Za-z_.$][A-Za-z0-9_.$]*$/.test(name)) this.fail(`bad symbol name \`${name}'`, at);
        list.push(this.assignment(name, at));
        this.expect(";");
        continue;
      }
      list.push(this.outputSection(name, at));
    }
    return list;
  }

  outputSection(name, at) {
    const sec = { k: "section", name, address: null, noload: false, align: null, contents: [], line: this.line(at) };
    this.ws();
    const typeMatch = /^\(\s*([A-Z]+)\s*\)/.exec(this.text.slice(this.pos, this.pos + 40));
    if (!this.peek(":") && !(typeMatch)) sec.address = this.expr();
    const type = /^\(\s*([A-Z]+)\s*\)/.exec(this.text.slice((this.ws(), this.pos), this.pos + 40));
    if (type) {
      if (type[1] !== "NOLOAD") this.fail(`output section type (${type[1]}) is not supported (only NOLOAD)`);
      sec.noload = true;
      this.pos += type[0].length;
    }
    this.expect(":", `\`:' after output section ${name}`);
    for (;;) {
      const kat = this.pos;
      if (this.keyword("ALIGN")) {
        this.expect("(");
        sec.align = this.expr();
        this.expect(")");
      } else if (this.peek("{")) break;
      else {
        const w = this.name();
        this.fail(`\`${w || this.found()}' before an output section's \`{' is not supported by this linker`, kat);
      }
    }
    this.expect("{");
    while (!this.eat("}")) {
      if (this.atEnd()) this.fail(`output section ${name}: missing \`}'`);
      const iat = this.pos;
      if (this.eat(";")) continue;
      if (this.keyword("KEEP")) {
        this.expect("(");
        sec.contents.push({ ...this.inputSpec(iat), keep: true });
        this.expect(")");
        continue;
      }
      const word = this.pattern();
      if (word === null) this.fail(`expected an input section description, found ${this.found()}`);
      this.ws();
      if (/^(=|\+=|-=|\*=|\/=|<<=|>>=|&=|\|=)/.test(this.text.slice(this.pos, this.pos + 3)) || word === "PROVIDE" || word === "PROVIDE_HIDDEN") {
        sec.contents.push(this.assignment(word, iat));
        this.expect(";");
        continue;
      }
      if (/^(SORT|SORT_BY_\w+|EXCLUDE_FILE|INPUT_SECTION_FLAGS|BYTE|SHORT|LONG|QUAD|SQUAD|FILL|CREATE_OBJECT_SYMBOLS|CONSTRUCTORS)$/.test(word)) {
        this.fail(`\`${word}' is not supported by this linker`, iat);
      }
      this.pos = iat;
      sec.contents.push(this.inputSpec(iat));
    }
    this.ws();
    if (/^[>=]|^AT\b/.test(this.text.slice(this.pos, this.pos + 3))) this.fail(`output section ${name}: regions, AT and fill are not supported by this linker`);
    return sec;
  }

  /** `filepattern(sectionpattern ...)`; COMMON is a section pattern like any other here. */
  inputSpec(at) {
    const file = this.pattern();
    if (file === null) this.fail(`expected a file pattern, found ${this.found()}`);
    if (!this.eat("(")) this.fail(`input section description \`${file}' without a (section list) is not supported`, at);
    const sections = [];
    while (!this.eat(")")) {
      const p = this.pattern();
      if (p === null) this.fail(`expected a section pattern, found ${this.found()}`);
      if (/^(SORT|SORT_BY_\w+|EXCLUDE_FILE)$/.test(p)) this.fail(`\`${p}' is not supported by this linker`);
      sections.push(p);
    }
    if (!sections.length) this.fail("empty input section list", at);
    return { k: "input", file, sections, keep: false, line: this.line(at) };
  }
}

/** Parses a linker script; `file` names it in errors. */
function parseScript(text, file = "script") {
  return new Parser(text, file).script();
}

/** A glob (`*`, `?`, `[...]`, as fnmatch) as a RegExp. */
function globRegExp(glob) {
  let re = "";
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === "*") re += ".*";
    else if (c === "?") re += ".";
    else if (c === "[") {
      const end = glob.indexOf("]", i + 2);
      if (end < 0) re += "\\[";
      else {
        let cls = glob.slice(i + 1, end);
        if (cls[0] === "!") cls = `^${cls.slice(1)}`;
        re += `[${cls.replace(/\\/g, "\\\\")}]`;
        i = end;
      }
    } else re += c.replace(/[.+^${}()|\\/]/g, "\\$&");
  }
  return new RegExp(`^${re}$`);
}

module.exports = { parseScript, globRegExp };
