// Tokens of one NASM source line, as the preprocessor and the parser both see them.
// A token: {t: kind, v: value, s: source text, sp: whitespace before it}. Kinds:
//   id   identifier (labels, mnemonics, registers, macro names; `.local`, `..@x`, `$`, `$$`)
//   num  number (v: BigInt): 123, 0x1f, 1fh, 0b101, 101b, 0o17, 17q, and character constants 'ab'
//   str  quoted string (v: its bytes as a latin1 string); as an operand of db it is a byte list
//   op   punctuation and operators (multi-char ones: << >> // %% == != <> <= >= && || ^^)
//   pp   a preprocessor token: %define, %1, %+, %%label, ...
// The comment after `;` is dropped. Errors throw plain Errors; the caller adds file:line.
"use strict";

const ID_START = /[A-Za-z_.?@$]/;
const ID_CHAR = /[A-Za-z0-9_.?@$#~]/;
const OPS = ["<<<", ">>>", "<=>", "<<", ">>", "//", "%%", "==", "!=", "<>", "<=", ">=", "&&", "||", "^^"];

/** The value of a numeric literal in NASM's syntax, or null if `text` is not one. */
function parseNumber(text) {
  const t = text.replace(/_/g, "").toLowerCase();
  let m;
  if ((m = /^(?:0x|0h|\$0?)([0-9a-f]+)$/.exec(t)) && !/^\$[a-z_]/.test(text)) return BigInt(`0x${m[1]}`);
  if ((m = /^([0-9][0-9a-f]*)[hx]$/.exec(t))) return BigInt(`0x${m[1]}`);
  if ((m = /^(?:0b|0y)([01]+)$/.exec(t)) || (m = /^([01]+)[by]$/.exec(t))) return BigInt(`0b${m[1]}`);
  if ((m = /^(?:0o|0q)([0-7]+)$/.exec(t)) || (m = /^([0-7]+)[oq]$/.exec(t))) return BigInt(`0o${m[1]}`);
  if ((m = /^(?:0d)?([0-9]+)d?$/.exec(t))) return BigInt(m[1]);
  return null;
}

/** A character constant's value: the bytes little-endian (NASM: 'ab' is 0x6261). */
function charValue(bytes) {
  let v = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes.charCodeAt(i) & 0xff);
  return v;
}

/** Backquoted strings take C escapes; single and double quotes take none. */
function unescapeBackquote(body) {
  return body.replace(/\\(x[0-9a-fA-F]{1,2}|[0-7]{1,3}|.)/g, (all, e) => {
    if (e[0] === "x") return String.fromCharCode(parseInt(e.slice(1), 16));
    if (/^[0-7]/.test(e)) return String.fromCharCode(parseInt(e, 8) & 0xff);
    const map = { n: "\n", t: "\t", r: "\r", 0: "\0", a: "\x07", b: "\b", f: "\f", v: "\v", e: "\x1b", "'": "'", '"': '"', "`": "`", "\\": "\\", "?": "?" };
    if (!(e in map)) throw new Error(`unknown escape \`\\${e}' in a backquoted string`);
    return map[e];
  });
}

/** Tokenizes one line. */
function tokenize(line) {
  const toks = [];
  let i = 0;
  let sp = false;
  const n = line.length;
  const push = (t, v, s) => { toks.push({ t, v, s, sp }); sp = false; };
  while (i < n) {
    const c = line[i];
    if (c === ";") break;
    if (c === " " || c === "\t" || c === "\r" || c === "\f" || c === "\v") { sp = true; i++; continue; }
    if (c === "'" || c === '"' || c === "`") {
      const end = line.indexOf(c, i + 1);
      let j = end;
      if (c === "`") { // a backslash escapes the closing quote
        j = i + 1;
        while (j < n && line[j] !== "`") j += line[j] === "\\" ? 2 : 1;
        if (j >= n) j = -1;
      }
      if (j < 0) throw new Error(`unterminated string`);
      const body = line.slice(i + 1, j);
      const bytes = c === "`" ? unescapeBackquote(body) : Buffer.from(body, "utf8").toString("latin1");
      push("str", bytes, line.slice(i, j + 1));
      i = j + 1;
      continue;
    }
    if (/[0-9]/.test(c) || (c === "$" && /[0-9]/.test(line[i + 1] || ""))) {
      let j = i + 1;
      while (j < n && /[0-9A-Za-z_]/.test(line[j])) j++;
      const text = line.slice(i, j);
      const v = parseNumber(text);
      if (v === null) throw new Error(`invalid number \`${text}'`);
      push("num", v, text);
      i = j;
      continue;
    }
    if (c === "$" && /[A-Za-z_.?@]/.test(line[i + 1] || "")) {
      throw new Error(`\`$' before an identifier (NASM's escape for a name like a register) is not supported`);
    }
    if (ID_START.test(c)) {
      let j = i + 1;
      if (c === "$" && line[j] === "$") j++;
      else while (j < n && ID_CHAR.test(line[j])) j++;
      push("id", line.slice(i, j), line.slice(i, j));
      i = j;
      continue;
    }
    if (c === "%") {
      const rest = line.slice(i);
      const m = /^%(?:[+-]?[0-9]+|\+|%[A-Za-z_.?@$][A-Za-z0-9_.?@$#~]*|[A-Za-z_$][A-Za-z0-9_]*|\[|\{|!|\$)/.exec(rest);
      if (m && m[0] !== "%%") {
        push("pp", m[0], m[0]);
        i += m[0].length;
        continue;
      }
    }
    const op = OPS.find((o) => line.startsWith(o, i));
    if (op) { push("op", op, op); i += op.length; continue; }
    if ("+-*/%()[],:~!&|^<>=".includes(c)) { push("op", c, c); i++; continue; }
    if (c === "{" || c === "}") { push("op", c, c); i++; continue; }
    throw new Error(`unexpected character \`${c}'`);
  }
  return toks;
}

/** Source text of a token list (for re-tokenizing pasted tokens and for messages). */
function untokenize(toks) {
  return toks.map((t, k) => (k && t.sp ? " " : "") + t.s).join("");
}

module.exports = { tokenize, untokenize, parseNumber, charValue };
