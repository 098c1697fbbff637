// Operators on integers: + - * with exact ranges (TSK1003 beyond 2^53, TSK1004 products), / and %
// (TSK1005), bitwise operators and shifts (ToInt32/ToUint32), comparisons (TSK1023), and the
// operators outside the subset (TSK1022).
import * as ts from "typescript";
import { I32, U32, add, sub, mul, abs, asInt32, asUint32, bitLength, isExact, show, within } from "./types";
import { ERROR, Val, constInt, exactOf, fits32, i32Of, u32Of } from "./values";
import { Expr } from "../ir/ir";
import { FnScope, BOOL, IntVal, lowerExpr, logical } from "./expr";
import { sequence } from "./calls";
import { misuse } from "./layouts";

export function binary(fs: FnScope, e: ts.BinaryExpression): Val {
  const { cx } = fs;
  const op = e.operatorToken.kind;
  const K = ts.SyntaxKind;
  if (op >= K.FirstAssignment && op <= K.LastAssignment) {
    cx.diags.error(e, "TSK1016", "an assignment is used as a value: make it a statement of its own");
    return ERROR;
  }
  switch (op) {
    case K.AmpersandAmpersandToken:
    case K.BarBarToken:
      return logical(fs, e, op === K.AmpersandAmpersandToken ? "&&" : "||");
    case K.CommaToken:
    case K.AsteriskAsteriskToken:
    case K.InKeyword:
    case K.InstanceOfKeyword:
      cx.diags.error(e.operatorToken, "TSK1022", `'${e.operatorToken.getText()}' is not in the subset: ${op === K.AsteriskAsteriskToken ? "multiply, or shift for powers of two" : op === K.CommaToken ? "write the operands as separate statements" : "compare integers, or call a function of the program"}`);
      return ERROR;
    case K.QuestionQuestionToken:
      cx.diags.error(e.operatorToken, "TSK1001", "'??' is not in the subset: subset values are never null or undefined, so use the left operand");
      return ERROR;
  }
  return applyBinary(fs, { node: e, left: e.left, right: e.right, op }, lowerExpr(fs, e.left), lowerExpr(fs, e.right));
}

/** A binary operation as the checker sees it; `node` is where diagnostics about the whole go. */
export interface BinSite {
  node: ts.Node;
  left: ts.Expression;
  right: ts.Expression;
  op: ts.SyntaxKind;
}

/** Check and lower `a op b` (also used for compound assignments, `x op= y` being `x = x op y`). */
export function applyBinary(fs: FnScope, site: BinSite, a0: Val, b0: Val): Val {
  if (a0.k === "error" || b0.k === "error") return ERROR;
  const seq = sequence(fs, [a0, b0]);
  return seq.wrap(operate(fs, site, seq.vals[0], seq.vals[1]));
}

export function operate(fs: FnScope, site: BinSite, a: Val, b: Val): Val {
  const { cx } = fs;
  const K = ts.SyntaxKind;
  const op = site.op;
  const e = site;
  if (a.k === "string" || b.k === "string") {
    cx.diags.error(site.node, "TSK1009", "strings cannot be combined or compared: print the parts one by one");
    return ERROR;
  }
  switch (op) {
    case K.EqualsEqualsEqualsToken:
    case K.EqualsEqualsToken:
      return compare(fs, e, a, b, "==");
    case K.ExclamationEqualsEqualsToken:
    case K.ExclamationEqualsToken:
      return compare(fs, e, a, b, "!=");
    case K.LessThanToken:
      return compare(fs, e, a, b, "<");
    case K.LessThanEqualsToken:
      return compare(fs, e, a, b, "<=");
    case K.GreaterThanToken:
      return compare(fs, e, a, b, ">");
    case K.GreaterThanEqualsToken:
      return compare(fs, e, a, b, ">=");
    case K.PlusToken:
    case K.MinusToken:
    case K.AsteriskToken:
      return arithmetic(fs, e, a, b, op === K.PlusToken ? "+" : op === K.MinusToken ? "-" : "*");
    case K.SlashToken:
    case K.PercentToken:
      return divide(fs, e, a, b, op === K.SlashToken ? "/" : "%");
    case K.AmpersandToken:
    case K.BarToken:
    case K.CaretToken:
    case K.LessThanLessThanToken:
    case K.GreaterThanGreaterThanToken:
    case K.GreaterThanGreaterThanGreaterThanToken:
      return bitwise(fs, e, a, b, ts.tokenToString(op)!);
  }
  cx.diags.error(site.node, "TSK1001", `the operator '${ts.tokenToString(op)}' is not in the subset: use the operators of docs/subset.md`);
  return ERROR;
}

export function needInt(fs: FnScope, v: Val, node: ts.Node, what: string): v is IntVal {
  if (v.k === "int") return true;
  if (v.k === "nonint") fs.cx.diags.error(node, "TSK1005", `'${node.getText()}' may not be an integer in JavaScript: coerce it at once, e.g. u32(${node.getText()}), before using it in ${what}`);
  else if (v.k === "view") misuse(fs, node, `${what} would compare objects or make NaN in JavaScript`);
  else if (v.k !== "error") fs.cx.diags.error(node, "TSK1002", `${what} needs integers: coerce the operand, e.g. u32(x)`);
  return false;
}

/** Operands as ToInt32 sees them (nonint allowed: ToInt32 truncates). */
export function bitOperand(fs: FnScope, v: Val, node: ts.Node, what: string): IntVal | undefined {
  if (v.k === "nonint") return { k: "int", ir: v.ir, ct: "u32", range: v.range, js: v.js === undefined ? undefined : Math.trunc(v.js), effects: v.effects, stable: v.stable };
  return needInt(fs, v, node, what) ? v : undefined;
}

export function combine(a: Val, b: Val) {
  return { effects: a.effects || b.effects, stable: a.stable && b.stable };
}

export function arithmetic(fs: FnScope, e: BinSite, a: Val, b: Val, op: "+" | "-" | "*"): Val {
  if (!needInt(fs, a, e.left, `'${op}'`) || !needInt(fs, b, e.right, `'${op}'`)) return ERROR;
  const range = op === "+" ? add(a.range, b.range) : op === "-" ? sub(a.range, b.range) : mul(a.range, b.range);
  if (!isExact(range)) {
    if (op === "*") fs.cx.diags.error(e.node, "TSK1004", `'${e.node.getText()}' can reach ${show(range)}, beyond 2^53, where JavaScript's product is no longer exact: use Math.imul(${e.left.getText()}, ${e.right.getText()}) for the wrapped 32-bit product`);
    else fs.cx.diags.error(e.node, "TSK1003", `'${e.node.getText()}' can reach ${show(range)}, beyond 2^53, where JavaScript's numbers are no longer exact: coerce the operands first`);
    return ERROR;
  }
  if (a.js !== undefined && b.js !== undefined) {
    const js = op === "+" ? a.js + b.js : op === "-" ? a.js - b.js : a.js * b.js;
    if (Number.isSafeInteger(js)) return constInt(BigInt(js));
  }
  return { k: "int", ir: { k: "bin", op, a: u32Of(a), b: u32Of(b), rep: "u32" }, ct: "u32", range, ...combine(a, b) };
}

export function divide(fs: FnScope, e: BinSite, a: Val, b: Val, op: "/" | "%"): Val {
  const what = op === "/" ? "a division" : "a modulo";
  if (!needInt(fs, a, e.left, what) || !needInt(fs, b, e.right, what)) return ERROR;
  for (const [v, n] of [[a, e.left], [b, e.right]] as const) {
    if (!fits32(v.range)) {
      fs.cx.diags.error(n, "TSK1005", `the operand '${n.getText()}' of ${what} can be ${show(v.range)}: coerce it to 32 bits first, e.g. u32(${n.getText()})`);
      return ERROR;
    }
  }
  const unsigned = within(a.range, U32) && within(b.range, U32);
  const helper = op === "/" ? "div" : "mod";
  const code: Expr = unsigned
    ? { k: "runtime", op: `${helper}_u32`, args: [u32Of(a), u32Of(b)] }
    : { k: "runtime", op: `${helper}_i64`, args: [{ k: "conv", to: "i64", x: exactOf(a).ir }, { k: "conv", to: "i64", x: exactOf(b).ir }] };
  const maxA = abs(a.range.lo) > abs(a.range.hi) ? abs(a.range.lo) : abs(a.range.hi);
  const js = a.js !== undefined && b.js !== undefined ? (op === "/" ? a.js / b.js : a.js % b.js) : undefined;
  if (op === "/") {
    const range = a.range.lo >= 0n && b.range.lo >= 0n ? { lo: 0n, hi: a.range.hi } : { lo: -maxA, hi: maxA };
    return { k: "nonint", ir: code, range, js, ...combine(a, b) };
  }
  const maxB = abs(b.range.lo) > abs(b.range.hi) ? abs(b.range.lo) : abs(b.range.hi);
  const m = (maxB - 1n < maxA ? maxB - 1n : maxA);
  const range = { lo: a.range.lo < 0n ? -m : 0n, hi: a.range.hi > 0n ? m : 0n };
  const zeroFree = b.range.lo > 0n || b.range.hi < 0n;
  if (!zeroFree) return { k: "nonint", ir: code, range, js, ...combine(a, b) };
  if (js !== undefined && Number.isInteger(js)) return constInt(BigInt(js));
  const plain: Expr = unsigned && b.js !== undefined ? { k: "bin", op: "%", a: u32Of(a), b: u32Of(b), rep: "u32" } : code;
  return { k: "int", ir: plain, ct: "u32", range, ...combine(a, b) };
}

export function bitwise(fs: FnScope, e: BinSite, av: Val, bv: Val, op: string): Val {
  const a = bitOperand(fs, av, e.left, `'${op}'`);
  const b = bitOperand(fs, bv, e.right, `'${op}'`);
  if (!a || !b) return ERROR;
  if (!isExact(a.range) || !isExact(b.range)) {
    fs.cx.diags.error(e.node, "TSK1003", `an operand of '${op}' may exceed 2^53 in JavaScript: coerce it first`);
    return ERROR;
  }
  if (a.js !== undefined && b.js !== undefined) {
    const js = { "&": a.js & b.js, "|": a.js | b.js, "^": a.js ^ b.js, "<<": a.js << b.js, ">>": a.js >> b.js, ">>>": a.js >>> b.js }[op]!;
    return constInt(BigInt(js));
  }
  const ua = u32Of(a);
  const ub = u32Of(b);
  const ra = asInt32(a.range);
  const rb = asInt32(b.range);
  const c = combine(a, b);
  const shift: Expr = b.js !== undefined ? { k: "int", v: BigInt(b.js & 31), rep: "u32" } : { k: "bin", op: "&", a: ub, b: { k: "int", v: 31n, rep: "u32" }, rep: "u32" };
  const i32 = (x: Expr): Expr => ({ k: "conv", to: "i32", x });
  const count = b.js !== undefined ? BigInt(b.js & 31) : undefined;
  switch (op) {
    case "&": {
      let range = I32;
      if (ra.lo >= 0n && rb.lo >= 0n) range = { lo: 0n, hi: ra.hi < rb.hi ? ra.hi : rb.hi };
      else if (ra.lo >= 0n) range = { lo: 0n, hi: ra.hi };
      else if (rb.lo >= 0n) range = { lo: 0n, hi: rb.hi };
      return { k: "int", ir: i32({ k: "bin", op: "&", a: ua, b: ub, rep: "u32" }), ct: "i32", range, ...c };
    }
    case "|":
    case "^": {
      const range = ra.lo >= 0n && rb.lo >= 0n ? { lo: 0n, hi: (1n << bitLength(ra.hi > rb.hi ? ra.hi : rb.hi)) - 1n } : I32;
      return { k: "int", ir: i32({ k: "bin", op: op as "|" | "^", a: ua, b: ub, rep: "u32" }), ct: "i32", range, ...c };
    }
    case "<<": {
      let range = I32;
      if (count !== undefined) {
        const r = { lo: ra.lo << count, hi: ra.hi << count };
        if (within(r, I32)) range = r;
      }
      return { k: "int", ir: i32({ k: "bin", op: "<<", a: ua, b: shift, rep: "u32" }), ct: "i32", range, ...c };
    }
    case ">>": {
      const range = count !== undefined ? { lo: ra.lo >> count, hi: ra.hi >> count } : { lo: ra.lo < 0n ? ra.lo : 0n, hi: ra.hi > 0n ? ra.hi : 0n };
      return { k: "int", ir: { k: "bin", op: ">>", a: i32Of(a), b: shift, rep: "i32" }, ct: "i32", range, ...c };
    }
    default: {
      const ru = asUint32(a.range);
      const range = count !== undefined ? { lo: ru.lo >> count, hi: ru.hi >> count } : { lo: 0n, hi: ru.hi };
      return { k: "int", ir: { k: "bin", op: ">>", a: ua, b: shift, rep: "u32" }, ct: "u32", range, ...c };
    }
  }
}

export function compare(fs: FnScope, e: BinSite, a: Val, b: Val, op: string): Val {
  const { cx } = fs;
  if (a.k === "bool" && b.k === "bool" && (op === "==" || op === "!=")) {
    return { k: "bool", ir: { k: "cmp", op: op as "==" | "!=", a: a.ir, b: b.ir }, ...combine(a, b) };
  }
  if (!needInt(fs, a, e.left, "a comparison") || !needInt(fs, b, e.right, "a comparison")) return ERROR;
  for (const [v, n] of [[a, e.left], [b, e.right]] as const) {
    if (!fits32(v.range)) {
      cx.diags.error(n, "TSK1023", `'${n.getText()}' can be ${show(v.range)}, which does not fit 32 bits: coerce it before comparing, e.g. u32(${n.getText()})`);
      return ERROR;
    }
  }
  if (a.js !== undefined && b.js !== undefined) {
    const js = { "==": a.js === b.js, "!=": a.js !== b.js, "<": a.js < b.js, "<=": a.js <= b.js, ">": a.js > b.js, ">=": a.js >= b.js }[op]!;
    return { k: "bool", ir: BOOL(js), js, effects: false, stable: true };
  }
  const ea = exactOf(a);
  const eb = exactOf(b);
  const cop = op as "==" | "!=" | "<" | "<=" | ">" | ">=";
  const ir: Expr = ea.signed === eb.signed
    ? { k: "cmp", op: cop, a: ea.ir, b: eb.ir }
    : { k: "cmp", op: cop, a: { k: "conv", to: "i64", x: ea.ir }, b: { k: "conv", to: "i64", x: eb.ir } };
  return { k: "bool", ir, ...combine(a, b) };
}
