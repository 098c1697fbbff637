// Expressions: the dispatcher over TypeScript's expression kinds, and the rules about values: names
// and literals (TSK1006, TSK1018), booleans and conditions (TSK1002, TSK1023), assignments and casts
// used as values (TSK1016, TSK1017), `?:`, and where a value may flow (flow: TSK1002, TSK1003,
// TSK1005). Each checked expression becomes IR whose value provably equals what Node computes (see
// docs/subset.md). The other families: calls.ts, arith.ts, strings.ts.
import * as ts from "typescript";
import { Context, FnInfo, intNameOf, repOfTy } from "./context";
import { Range, Ty, INT_RANGES, neg, asInt32, isExact, show, union, describe } from "./types";
import { ERROR, Val, constInt, fits32, fitsType, toIntType, u32Of } from "./values";
import { Expr, Temp, repOf } from "../ir/ir";
import { describeNode } from "./syntax";
import { call } from "./calls";
import { binary, needInt, bitOperand } from "./arith";
import { flowView, layoutAsValue, layoutProperty, misuse } from "./layouts";
import { arrayAsValue, arrayOf, arrayProperty, elementRead, newExpression } from "./arrays";
import { guarded, narrowed } from "./narrow";

/** Per-function lowering state shared by expressions and statements. */
export interface FnScope {
  cx: Context;
  fn: FnInfo | undefined;
  /** The function's temporaries (ids unique in the function). */
  temps: Temp[];
  /** Locals whose range a guard narrows here (narrow.ts). */
  narrow?: Map<ts.Symbol, Range>;
  /** Set while lowering inside a statement whose nesting was measured (stmt.ts lowerStmt): what
   *  it contains nests no deeper, so it is measured once per outermost statement. */
  nestingMeasured?: boolean;
}

export const BOOL = (v: boolean): Expr => ({ k: "bool", v });

export type IntVal = Val & { k: "int" };

export function lowerExpr(fs: FnScope, e: ts.Expression): Val {
  const { cx } = fs;
  switch (e.kind) {
    case ts.SyntaxKind.ParenthesizedExpression:
      return lowerExpr(fs, (e as ts.ParenthesizedExpression).expression);
    case ts.SyntaxKind.NumericLiteral:
      return literal(fs, e as ts.NumericLiteral, false);
    case ts.SyntaxKind.TrueKeyword:
      return { k: "bool", ir: BOOL(true), js: true, effects: false, stable: true };
    case ts.SyntaxKind.FalseKeyword:
      return { k: "bool", ir: BOOL(false), js: false, effects: false, stable: true };
    case ts.SyntaxKind.Identifier:
      return identifier(fs, e as ts.Identifier);
    case ts.SyntaxKind.PropertyAccessExpression:
      return propertyAccess(fs, e as ts.PropertyAccessExpression);
    case ts.SyntaxKind.CallExpression:
      return call(fs, e as ts.CallExpression);
    case ts.SyntaxKind.BinaryExpression:
      return binary(fs, e as ts.BinaryExpression);
    case ts.SyntaxKind.PrefixUnaryExpression:
      return prefix(fs, e as ts.PrefixUnaryExpression);
    case ts.SyntaxKind.ConditionalExpression:
      return conditional(fs, e as ts.ConditionalExpression);
    case ts.SyntaxKind.PostfixUnaryExpression:
      cx.diags.error(e, "TSK1016", `'${e.getText()}' is used as a value: make it a statement of its own`);
      return ERROR;
    case ts.SyntaxKind.StringLiteral:
    case ts.SyntaxKind.NoSubstitutionTemplateLiteral:
      cx.diags.error(e, "TSK1009", "a string literal may only be passed to a parameter of type string (e.g. print(\"...\"))");
      return ERROR;
    case ts.SyntaxKind.TemplateExpression:
      cx.diags.error(e, "TSK1009", "template strings are not in the subset: print the parts one by one");
      return ERROR;
    case ts.SyntaxKind.ArrowFunction:
    case ts.SyntaxKind.FunctionExpression:
      cx.diags.error(e, "TSK1007", "functions as values are not in the subset: declare a module-level function and call it");
      return ERROR;
    case ts.SyntaxKind.ElementAccessExpression:
      return elementRead(fs, e as ts.ElementAccessExpression);
    case ts.SyntaxKind.NewExpression:
      return newExpression(fs, e as ts.NewExpression);
    case ts.SyntaxKind.ObjectLiteralExpression:
    case ts.SyntaxKind.ArrayLiteralExpression:
    case ts.SyntaxKind.ThisKeyword:
    case ts.SyntaxKind.ClassExpression:
    case ts.SyntaxKind.SuperKeyword:
      cx.diags.error(e, "TSK1008", "objects, arrays and classes are not in the subset: keep data in memory through the arch/ layer, or in module-level variables");
      return ERROR;
    case ts.SyntaxKind.AsExpression:
    case ts.SyntaxKind.TypeAssertionExpression:
    case ts.SyntaxKind.NonNullExpression:
    case ts.SyntaxKind.SatisfiesExpression:
      cx.diags.error(e, "TSK1017", "casts convert nothing at run time: use a coercion such as u32(x) or i32(x)");
      return ERROR;
    case ts.SyntaxKind.TypeOfExpression:
    case ts.SyntaxKind.DeleteExpression:
    case ts.SyntaxKind.VoidExpression:
      cx.diags.error(e, "TSK1022", `'${ts.tokenToString((e as ts.TypeOfExpression).getFirstToken()!.kind)}' is not in the subset: ${e.kind === ts.SyntaxKind.TypeOfExpression ? "every value's type is known statically; compare values instead" : e.kind === ts.SyntaxKind.DeleteExpression ? "the subset has no objects to delete from" : "write the expression as a statement, and use the value you mean"}`);
      return ERROR;
    case ts.SyntaxKind.BigIntLiteral:
      cx.diags.error(e, "TSK1006", "bigint is not in the subset: use u32 pairs for 64-bit values");
      return ERROR;
    case ts.SyntaxKind.NullKeyword:
      cx.diags.error(e, "TSK1001", "null is not in the subset: use 0 as the 'none' value of an integer");
      return ERROR;
    case ts.SyntaxKind.AwaitExpression:
    case ts.SyntaxKind.YieldExpression:
      cx.diags.error(e, "TSK1001", "async code and generators are not in the subset: call functions directly and loop");
      return ERROR;
    default:
      cx.diags.error(e, "TSK1001", `${describeNode(e)} is not in the subset: use integers, booleans, calls to the program's functions and the operators of docs/subset.md`);
      return ERROR;
  }
}

export function literal(fs: FnScope, e: ts.NumericLiteral, negated: boolean): Val {
  const v = Number(e.text) * (negated ? -1 : 1);
  if (!Number.isInteger(v)) {
    fs.cx.diags.error(e, "TSK1006", `${e.getText()} is not an integer: the subset has no floating point`);
    return ERROR;
  }
  if (v > 0xffffffff || v < -0x80000000) {
    fs.cx.diags.error(e, "TSK1006", `${negated ? "-" : ""}${e.getText()} does not fit 32 bits (the subset's literals are -2^31..2^32-1): use u32 pairs for wider values`);
    return ERROR;
  }
  const out = constInt(BigInt(v));
  if (/^0[xX]/.test(e.getText()) && v >= 0 && out.ir.k === "int") out.ir = { ...out.ir, hex: true };
  return out;
}

export function identifier(fs: FnScope, e: ts.Identifier): Val {
  const { cx } = fs;
  if (e.text === "undefined" || e.text === "NaN" || e.text === "Infinity") {
    cx.diags.error(e, "TSK1018", `'${e.text}' is not a value of the subset: use an integer (e.g. 0) as the 'none' value`);
    return ERROR;
  }
  const s = cx.symbolOf(e);
  if (!s) return ERROR; // tsc has reported it
  const arr = arrayOf(cx, e);
  if (arr) return arrayAsValue(cx, e, arr);
  const v = cx.vars.get(s);
  if (v && !inItsCaseClause(cx, s, e)) return ERROR;
  if (v) {
    const ref: Expr = { k: "var", v: v.v };
    if (v.ty.k === "view") return { k: "view", layout: v.ty.layout, ir: ref, effects: false, stable: !v.global };
    if (v.ty.k === "string") return { k: "string", ir: ref, effects: false, stable: true };
    if (v.ty.k === "bool") {
      if (v.boolValue !== undefined) return { k: "bool", ir: BOOL(v.boolValue), js: v.boolValue, effects: false, stable: true };
      return { k: "bool", ir: ref, effects: false, stable: !v.global };
    }
    if (v.value !== undefined) return { ...constInt(v.value), en: v.ty.k === "enum" ? v.ty.id : undefined };
    const ct = intNameOf(v.ty);
    if (!ct) return ERROR;
    const range = narrowed(fs, s) ?? v.range ?? (v.ty.k === "enum" ? v.ty.range : INT_RANGES[ct]);
    return { k: "int", ir: ref, ct, range, effects: false, stable: !v.global, en: v.ty.k === "enum" ? v.ty.id : undefined };
  }
  if (cx.fns.has(s) || cx.isIntrinsicSymbol(s) || cx.isPreludeSymbol(s)) {
    cx.diags.error(e, "TSK1007", `the function '${e.text}' is used as a value: functions can only be called`);
    return ERROR;
  }
  if (cx.layouts.has(s)) {
    layoutAsValue(fs, e);
    return ERROR;
  }
  if (cx.enums.has(s)) {
    cx.diags.error(e, "TSK1008", `the enum '${e.text}' is used as a value: use one of its members`);
    return ERROR;
  }
  cx.diags.error(e, "TSK1018", `'${e.text}' is not a value of the subset: use the program's own variables, constants and enum members`);
  return ERROR;
}

export function propertyAccess(fs: FnScope, e: ts.PropertyAccessExpression): Val {
  const { cx } = fs;
  const s = cx.symbolOf(e.expression);
  if (s && s.flags & ts.SymbolFlags.Enum) {
    if (!cx.enums.has(s) && !cx.enumInProgram(s, e.expression)) return ERROR;
    const member = cx.symbolOf(e.name)?.valueDeclaration;
    const v = member && ts.isEnumMember(member) ? cx.checker.getConstantValue(member) : cx.checker.getConstantValue(e);
    if (typeof v === "number" && Number.isInteger(v)) return { ...constInt(BigInt(v)), en: cx.enums.get(s)?.ty.id };
    cx.diags.error(e, "TSK1006", `enum member '${e.getText()}' has no integer value: give the member an integer initializer`);
    return ERROR;
  }
  if (s && s.flags & ts.SymbolFlags.ValueModule) {
    // `import * as m`: m.x is just x
    return identifier(fs, e.name as ts.Identifier);
  }
  const lp = layoutProperty(fs, e);
  if (lp) return lp;
  const arr = arrayOf(cx, e.expression);
  if (arr) return arrayProperty(fs, e, arr);
  if (e.name.text === "length") {
    const obj = lowerExpr(fs, e.expression);
    if (obj.k === "string") return { k: "int", ir: { k: "strlen", s: obj.ir }, ct: "u32", range: { lo: 0n, hi: 0x3fffffffn }, effects: false, stable: true };
    if (obj.k === "error") return ERROR;
  }
  cx.diags.error(e, "TSK1008", `'${e.getText()}': property access is only for enum members and a string's length`);
  return ERROR;
}

/**
 * Check that `v` may flow into a place of type `ty` and return its IR, converted.
 * Undefined after a diagnostic.
 */
export function flow(fs: FnScope, v: Val, ty: Ty, node: ts.Node, what: string, fix?: string): Expr | undefined {
  const { cx } = fs;
  if (v.k === "error") return undefined;
  const viewed = flowView(fs, v, ty, node, what);
  if (viewed !== undefined) return viewed ?? undefined;
  // A call that never returns (panic) stands for any value: `return panic("...")`.
  if (v.k === "never" && ty.k !== "string" && ty.k !== "void" && ty.k !== "never") return { k: "never", call: v.ir, rep: repOfTy(ty) };
  if (ty.k === "bool") {
    if (v.k === "bool") return v.ir;
    cx.diags.error(node, "TSK1002", `${what} must be a boolean: compare the value, e.g. x !== 0`);
    return undefined;
  }
  if (ty.k === "int" || ty.k === "enum") {
    if (v.k === "nonint") {
      cx.diags.error(node, "TSK1005", `${what}: '${node.getText()}' may not be an integer in JavaScript; coerce it at once, e.g. ${fix ?? `${intNameOf(ty)}(${node.getText()})`}`);
      return undefined;
    }
    if (v.k !== "int") {
      cx.diags.error(node, "TSK1002", `${what} must be ${describe(ty)}: pass a value of that type`);
      return undefined;
    }
    if (ty.k === "enum") {
      // A numeric enum accepts any number in TypeScript, but a non-member breaks tsc's exhaustive
      // switches: natively the function would run off its end, in Node return undefined.
      if (v.en !== ty.id && !(v.js !== undefined && ty.values.includes(BigInt(v.js)))) {
        cx.diags.error(node, "TSK1003", `${what} must be a member of enum ${ty.name}, but '${node.getText()}' ${v.js !== undefined ? "is not one" : "is not typed " + ty.name}: pass a member, or a value typed ${ty.name}`);
        return undefined;
      }
      return toIntType(v, intNameOf(ty)!);
    }
    if (!fitsType(v.range, ty)) {
      const name = intNameOf(ty)!;
      const hint = `${fix ?? `${name}(${node.getText()})`} to wrap it as JavaScript would`;
      cx.diags.error(node, "TSK1003", `${what} must fit ${describe(ty)}, but '${node.getText()}' can be ${show(v.range)}: write ${hint}`);
      return undefined;
    }
    return toIntType(v, intNameOf(ty)!);
  }
  if (ty.k === "string" && v.k === "string") return v.ir;
  cx.diags.error(node, "TSK1002", `${what} cannot take this value: pass a ${describe(ty)}`);
  return undefined;
}

export function logical(fs: FnScope, e: ts.BinaryExpression, op: "&&" | "||"): Val {
  const a = condition(fs, e.left);
  // The right operand runs only when the left one is true (&&) or false (||): it is guarded.
  const b = guarded(fs, e.left, op === "&&", [e.right], () => condition(fs, e.right));
  if (a === undefined || b === undefined) return ERROR;
  const ta = lowerExprCached.get(e.left)!;
  const tb = lowerExprCached.get(e.right)!;
  // JavaScript's x && y is x itself when x is falsy (0, not false): only booleans keep it a boolean.
  for (const [v, n] of [[ta, e.left], [tb, e.right]] as const) {
    if (v.k !== "bool") {
      fs.cx.diags.error(n, "TSK1002", `'${op}' needs booleans (in JavaScript '${n.getText()} ${op} …' can be the integer itself): write ${n.getText()} !== 0`);
      return ERROR;
    }
  }
  return { k: "bool", ir: { k: "logic", op, a, b }, effects: ta.effects || tb.effects, stable: ta.stable && tb.stable };
}

export const lowerExprCached = new WeakMap<ts.Node, Val>();

/** A value tested for truth (if, while, &&, !): a boolean, or an integer known to fit 32 bits. */
export function condition(fs: FnScope, x: ts.Expression): Expr | undefined {
  const v = lowerExpr(fs, x);
  lowerExprCached.set(x, v);
  if (v.k === "error") return undefined;
  if (v.k === "bool") return v.ir;
  if (v.k === "int") {
    if (!fits32(v.range)) {
      fs.cx.diags.error(x, "TSK1023", `'${x.getText()}' can be ${show(v.range)}, which does not fit 32 bits: coerce it before testing it`);
      return undefined;
    }
    return { k: "cmp", op: "!=", a: u32Of(v), b: { k: "int", v: 0n, rep: "u32" } };
  }
  if (v.k === "view") {
    misuse(fs, x, "it is always true in JavaScript, so testing it says nothing");
    return undefined;
  }
  if (v.k === "nonint") {
    fs.cx.diags.error(x, "TSK1005", `'${x.getText()}' may not be an integer in JavaScript: coerce it before testing it`);
    return undefined;
  }
  fs.cx.diags.error(x, "TSK1002", "a condition must be a boolean or an integer: compare the value, e.g. x !== 0");
  return undefined;
}

export function prefix(fs: FnScope, e: ts.PrefixUnaryExpression): Val {
  const { cx } = fs;
  const K = ts.SyntaxKind;
  switch (e.operator) {
    case K.PlusPlusToken:
    case K.MinusMinusToken:
      cx.diags.error(e, "TSK1016", `'${e.getText()}' is used as a value: make it a statement of its own`);
      return ERROR;
    case K.ExclamationToken: {
      const c = condition(fs, e.operand);
      if (c === undefined) return ERROR;
      const v = lowerExprCached.get(e.operand)!;
      if (v.k === "bool" && v.js !== undefined) return { k: "bool", ir: BOOL(!v.js), js: !v.js, effects: false, stable: true };
      return { k: "bool", ir: { k: "not", x: c }, effects: v.effects, stable: v.stable };
    }
    case K.PlusToken:
      cx.diags.error(e, "TSK1001", "unary '+' converts to number, which the subset has not: drop it");
      return ERROR;
    case K.MinusToken: {
      if (ts.isNumericLiteral(e.operand)) return literal(fs, e.operand, true);
      const v = lowerExpr(fs, e.operand);
      if (!needInt(fs, v, e.operand, "'-'")) return ERROR;
      if (v.js !== undefined) return constInt(BigInt(-v.js));
      return { k: "int", ir: { k: "bin", op: "-", a: { k: "int", v: 0n, rep: "u32" }, b: u32Of(v), rep: "u32" }, ct: "u32", range: neg(v.range), effects: v.effects, stable: v.stable };
    }
    case K.TildeToken: {
      const v = bitOperand(fs, lowerExpr(fs, e.operand), e.operand, "'~'");
      if (!v) return ERROR;
      if (!isExact(v.range)) {
        cx.diags.error(e, "TSK1003", "the operand of '~' may exceed 2^53 in JavaScript: coerce it first");
        return ERROR;
      }
      if (v.js !== undefined) return constInt(BigInt(~v.js));
      const r = asInt32(v.range);
      return { k: "int", ir: { k: "conv", to: "i32", x: { k: "bnot", x: u32Of(v) } }, ct: "i32", range: { lo: -r.hi - 1n, hi: -r.lo - 1n }, effects: v.effects, stable: v.stable };
    }
  }
  cx.diags.error(e, "TSK1001", `the operator '${ts.tokenToString(e.operator)}' is not in the subset: use the operators of docs/subset.md`);
  return ERROR;
}

export function conditional(fs: FnScope, e: ts.ConditionalExpression): Val {
  const c = condition(fs, e.condition);
  let a = guarded(fs, e.condition, true, [e.whenTrue], () => lowerExpr(fs, e.whenTrue));
  let b = guarded(fs, e.condition, false, [e.whenFalse], () => lowerExpr(fs, e.whenFalse));
  if (c === undefined || a.k === "error" || b.k === "error") return ERROR;
  const cv = lowerExprCached.get(e.condition)!;
  // A branch that never returns (panic) takes the other branch's kind.
  const asOther = (n: Val, other: Val): Val => (n.k === "never" && (other.k === "int" || other.k === "bool") ? ({ ...other, ir: { k: "never", call: n.ir, rep: repOf(other.ir) }, js: undefined, effects: true, stable: false } as Val) : n);
  [a, b] = [asOther(a, b), asOther(b, a)];
  const known = cv.k === "bool" ? cv.js : cv.k === "int" && cv.js !== undefined ? cv.js !== 0 : undefined;
  if (known !== undefined && a.k === b.k) return known ? a : b;
  const c2 = { effects: cv.effects || a.effects || b.effects, stable: cv.stable && a.stable && b.stable };
  if (a.k === "bool" && b.k === "bool") return { k: "bool", ir: { k: "cond", c, a: a.ir, b: b.ir, rep: "bool" }, ...c2 };
  if ((a.k === "int" || a.k === "nonint") && (b.k === "int" || b.k === "nonint")) {
    const range = union(a.range, b.range);
    const ir: Expr = { k: "cond", c, a: u32Of({ ir: a.ir, ct: a.k === "int" ? a.ct : "u32" }), b: u32Of({ ir: b.ir, ct: b.k === "int" ? b.ct : "u32" }), rep: "u32" };
    if (a.k === "nonint" || b.k === "nonint") return { k: "nonint", ir, range, ...c2 };
    return { k: "int", ir, ct: "u32", range, ...c2, en: a.en !== undefined && a.en === b.en ? a.en : undefined };
  }
  if (a.k === "view" || b.k === "view") {
    misuse(fs, a.k === "view" ? e.whenTrue : e.whenFalse, "choose the address instead, E.at(c ? a : b)");
    return ERROR;
  }
  fs.cx.diags.error(e, "TSK1002", "both branches of '?:' must be integers, or both booleans: make them the same kind");
  return ERROR;
}

/** A variable declared directly in a case clause is usable only in that clause (each clause is
 *  its own C block; JavaScript would throw on the uninitialised binding anyway). */
function sameCaseClause(s: ts.Symbol, use: ts.Node): boolean {
  const decl = s.valueDeclaration;
  const clause = decl && ts.isVariableDeclaration(decl) ? decl.parent?.parent?.parent : undefined;
  if (!clause || !(ts.isCaseClause(clause) || ts.isDefaultClause(clause))) return true;
  for (let n: ts.Node | undefined = use; n; n = n.parent) if (n === clause) return true;
  return false;
}

/** The type of an unannotated constant: an enum's if it is one of its members, else bool/u32/i32. */
export function inferredType(cx: FnScope["cx"], v: Val): Ty | undefined {
  if (v.k === "bool") return { k: "bool" };
  if (v.k === "view") return { k: "view", layout: v.layout };
  if (v.k !== "int") return undefined;
  if (v.en) return cx.enumById(v.en);
  if (v.js !== undefined) return { k: "int", name: v.js < 0 ? "i32" : "u32" };
  return undefined;
}

/** sameCaseClause, reporting TSK1013 at `use` when it fails (reads and assignments alike). */
export function inItsCaseClause(cx: FnScope["cx"], s: ts.Symbol, use: ts.Identifier): boolean {
  if (sameCaseClause(s, use)) return true;
  cx.diags.error(use, "TSK1013", `'${use.text}' is declared in another case of this switch (in JavaScript it would be uninitialised here): declare it before the switch`);
  return false;
}
