// NASM expressions: parsed once from tokens into a tree, evaluated every pass against the symbols
// known so far. A value is {v: BigInt (64-bit two's complement), base: null or the section or
// external symbol it is relative to, unknown: a symbol not defined yet (a forward reference in the
// first pass)}. `label - label` in one section is a plain number; anything else that would need a
// relocation the output formats cannot express (a shifted address, two addresses added) is an
// error, as in NASM.
"use strict";

const MASK = (v) => BigInt.asIntN(64, v);

// Binary operators by precedence level, lowest first (NASM's manual, section 3.5).
const LEVELS = [
  ["||"], ["^^"], ["&&"],
  ["=", "==", "!=", "<>", "<", ">", "<=", ">=", "<=>"],
  ["|"], ["^"], ["&"], ["<<", ">>", "<<<", ">>>"], ["+", "-"], ["*", "/", "//", "%", "%%"],
];

class ExprError extends Error {}

/** Parses tokens[pos..] into a tree; returns {node, pos}. Stops at a token it cannot use. */
function parseExpr(toks, pos = 0, opts = {}) {
  let i = pos;
  const peek = () => toks[i];
  const isOp = (t, v) => t && t.t === "op" && t.v === v;
  function level(k) {
    if (k === LEVELS.length) return unary();
    let left = level(k + 1);
    for (;;) {
      const t = peek();
      if (!t || t.t !== "op" || !LEVELS[k].includes(t.v)) return left;
      i++;
      const right = level(k + 1);
      left = { k: "bin", op: t.v, a: left, b: right };
    }
  }
  function unary() {
    const t = peek();
    if (t && t.t === "op" && ["-", "+", "~", "!"].includes(t.v)) {
      i++;
      return { k: "un", op: t.v, a: unary() };
    }
    return primary();
  }
  function primary() {
    const t = peek();
    if (!t) throw new ExprError("expression expected at end of line");
    if (isOp(t, "(")) {
      i++;
      const e = level(0);
      if (!isOp(peek(), ")")) throw new ExprError("expecting `)'");
      i++;
      return e;
    }
    if (t.t === "num") { i++; return { k: "num", v: t.v }; }
    if (t.t === "str") {
      i++;
      if (t.v.length > 8) throw new ExprError(`character constant too long: ${t.s}`);
      return { k: "num", v: require("./lexer").charValue(t.v) };
    }
    if (t.t === "id") {
      i++;
      if (t.v === "$") return { k: "here" };
      if (t.v === "$$") return { k: "start" };
      const name = opts.qualify ? opts.qualify(t.v) : t.v;
      return { k: "sym", name };
    }
    throw new ExprError(`expression syntax error at \`${t.s}'`);
  }
  const node = level(0);
  return { node, pos: i };
}

const num = (v) => ({ v: MASK(v), base: null, unknown: false });

/** Evaluates a tree. ctx: {symbol(name) -> value | undefined, here() -> value, start() -> value}. */
function evaluate(node, ctx) {
  switch (node.k) {
    case "num": return num(node.v);
    case "here": return ctx.here();
    case "start": return ctx.start();
    case "sym": {
      const v = ctx.symbol(node.name);
      return v === undefined ? { v: 0n, base: null, unknown: true, missing: node.name } : v;
    }
    case "un": {
      const a = evaluate(node.a, ctx);
      if (node.op === "+") return a;
      if (a.base) throw new ExprError(`unary \`${node.op}' applied to an address (not a scalar)`);
      const v = node.op === "-" ? -a.v : node.op === "~" ? ~a.v : a.v === 0n ? 1n : 0n;
      return { ...num(v), unknown: a.unknown, missing: a.missing };
    }
    case "bin": return binary(node.op, evaluate(node.a, ctx), evaluate(node.b, ctx));
    default: throw new Error(`bad expression node ${node.k}`);
  }
}

function binary(op, a, b) {
  const unknown = a.unknown || b.unknown;
  const missing = a.missing || b.missing;
  const out = (v, base = null) => ({ v: MASK(v), base, unknown, missing });
  if (op === "+") {
    if (a.base && b.base) throw new ExprError("cannot add two addresses");
    return out(a.v + b.v, a.base || b.base);
  }
  if (op === "-") {
    if (b.base) {
      if (a.base !== b.base) {
        if (unknown) return out(0n);
        throw new ExprError("subtraction of addresses in different sections (not a scalar)");
      }
      return out(a.v - b.v);
    }
    return out(a.v - b.v, a.base);
  }
  if (a.base || b.base) {
    if (unknown) return out(0n);
    throw new ExprError(`operator \`${op}' applied to an address (not a scalar)`);
  }
  const x = a.v;
  const y = b.v;
  const ux = BigInt.asUintN(64, x);
  const uy = BigInt.asUintN(64, y);
  const bool = (c) => out(c ? 1n : 0n);
  const div = (signed, rem) => {
    if (y === 0n) {
      if (unknown) return out(0n);
      throw new ExprError("division by zero");
    }
    if (signed) return out(rem ? x % y : x / y);
    return out(rem ? ux % uy : ux / uy);
  };
  switch (op) {
    case "*": return out(x * y);
    case "/": return div(false, false);
    case "//": return div(true, false);
    case "%": return div(false, true);
    case "%%": return div(true, true);
    case "<<": case "<<<": return out(uy >= 64n ? 0n : x << uy);
    case ">>": return out(uy >= 64n ? 0n : ux >> uy);
    case ">>>": return out(x >> (uy >= 64n ? 63n : uy));
    case "&": return out(x & y);
    case "|": return out(x | y);
    case "^": return out(x ^ y);
    case "=": case "==": return bool(x === y);
    case "!=": case "<>": return bool(x !== y);
    case "<": return bool(x < y);
    case ">": return bool(x > y);
    case "<=": return bool(x <= y);
    case ">=": return bool(x >= y);
    case "<=>": return out(x < y ? -1n : x > y ? 1n : 0n);
    case "&&": return bool(x !== 0n && y !== 0n);
    case "||": return bool(x !== 0n || y !== 0n);
    case "^^": return bool((x !== 0n) !== (y !== 0n));
    default: throw new ExprError(`unknown operator ${op}`);
  }
}

module.exports = { parseExpr, evaluate, ExprError };
