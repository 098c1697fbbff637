// Linker script expressions: their value (BigInt, C operators and ld's functions) and which
// output section that value is relative to, as ld decides a symbol's section. The layout supplies
// the context: the location counter, symbol values and sections, output sections by name.
"use strict";
const { LinkError } = require("./errors");

/** secOf's answer for `.` outside any output section (the layout decides which section it means). */
const DOT = { dot: true };

/** A pure number: inside an output section, `. = 0x10` or `sym = 0x10` is an offset from its start. */
function isAbsoluteNumber(e) {
  return e.k === "num" || (e.k === "bin" && isAbsoluteNumber(e.a) && isAbsoluteNumber(e.b)) || (e.k === "un" && isAbsoluteNumber(e.a));
}

/**
 * ctx: {dot() -> number, symValue(name, line) -> BigInt, symSection(name) -> out | null,
 * isDefined(name), findOut(name, line) -> placed out, outByName(name) -> out | null, where(line)}.
 * Returns {ev(expr, line) -> BigInt, secOf(expr, out) -> out | DOT | null}.
 */
function evaluator(ctx) {
  const ev = (e, line) => {
    switch (e.k) {
      case "num": return e.v;
      case "dot": return BigInt(ctx.dot());
      case "sym": return ctx.symValue(e.name, e.line || line);
      case "un": {
        const a = ev(e.a, line);
        return e.op === "-" ? -a : e.op === "~" ? ~a : e.op === "!" ? BigInt(!a) : a;
      }
      case "cond": return ev(e.c, line) ? ev(e.a, line) : ev(e.b, line);
      case "bin": {
        const a = ev(e.a, line);
        if (e.op === "&&") return a ? BigInt(!!ev(e.b, line)) : 0n;
        if (e.op === "||") return a ? 1n : BigInt(!!ev(e.b, line));
        const b = ev(e.b, line);
        switch (e.op) {
          case "+": return a + b;
          case "-": return a - b;
          case "*": return a * b;
          case "/": case "%":
            if (!b) throw new LinkError(`${ctx.where(line)}: ${e.op === "/" ? "division" : "modulo"} by zero`);
            return e.op === "/" ? a / b : a % b;
          case "<<": return a << b;
          case ">>": return a >> b;
          case "&": return a & b;
          case "|": return a | b;
          case "^": return a ^ b;
          case "==": return BigInt(a === b);
          case "!=": return BigInt(a !== b);
          case "<": return BigInt(a < b);
          case ">": return BigInt(a > b);
          case "<=": return BigInt(a <= b);
          case ">=": return BigInt(a >= b);
        }
        throw new LinkError(`${ctx.where(line)}: operator ${e.op}`);
      }
      case "call": {
        const l = e.line || line;
        switch (e.fn) {
          case "ALIGN": {
            const [x, n] = e.args.length === 1 ? [BigInt(ctx.dot()), ev(e.args[0], l)] : [ev(e.args[0], l), ev(e.args[1], l)];
            if (n <= 0n || (n & (n - 1n))) throw new LinkError(`${ctx.where(l)}: ALIGN(${n}): not a power of two`);
            return (x + n - 1n) & -n;
          }
          case "ADDR": case "LOADADDR": return BigInt(ctx.findOut(e.args[0], l).addr);
          case "SIZEOF": return BigInt(ctx.findOut(e.args[0], l).size);
          case "ABSOLUTE": return ev(e.args[0], l);
          case "DEFINED": return BigInt(ctx.isDefined(e.args[0]));
          case "MAX": case "MIN": {
            const a = ev(e.args[0], l);
            const b = ev(e.args[1], l);
            return (e.fn === "MAX" ? a > b : a < b) ? a : b;
          }
        }
      }
    }
    throw new LinkError(`${ctx.where(line)}: cannot evaluate expression`);
  };
  /** Which output section an expression's value is relative to (null: absolute), after ld's
   *  rules: `.` and symbols in sections are relative, numbers absolute; adding an absolute to a
   *  relative value stays relative, the difference of two relative values is absolute. */
  const secOf = (e, out) => {
    switch (e.k) {
      case "num": return null;
      case "dot": return out || DOT;
      case "sym": return ctx.symSection(e.name);
      case "un": return e.op === "+" ? secOf(e.a, out) : null;
      case "cond": return secOf(e.a, out) || secOf(e.b, out);
      case "bin": {
        if (["==", "!=", "<", ">", "<=", ">=", "&&", "||"].includes(e.op)) return null;
        const a = secOf(e.a, out);
        const b = secOf(e.b, out);
        if (e.op === "-" && a && b) return null;
        return a || b;
      }
      case "call":
        if (e.fn === "ALIGN") return e.args.length === 1 ? out || DOT : secOf(e.args[0], out);
        if (e.fn === "ADDR" || e.fn === "LOADADDR") return ctx.outByName(e.args[0]);
        if (e.fn === "MAX" || e.fn === "MIN") return secOf(e.args[0], out) || secOf(e.args[1], out);
        return null;
    }
    return null;
  };

  return { ev, secOf };
}

module.exports = { evaluator, isAbsoluteNumber, DOT };
