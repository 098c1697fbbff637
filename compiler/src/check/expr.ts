// Expressions: checks each against the subset's rules (diagnostics on the node) and lowers it to IR
// whose value provably equals what Node computes. See docs/subset.md for the rules.
import * as ts from "typescript";
import { Context, FnInfo, intNameOf, repOfTy } from "./context";
import { INTRINSICS, mayCallIntrinsics } from "./intrinsics";
import {
  IntName, Range, Ty, I32, U32, INT_RANGES, add, sub, mul, neg, abs, asInt32, asUint32, asUnsigned,
  bitLength, isExact, show, union, within, describe,
} from "./types";
import { ERROR, Val, conv, constInt, exactOf, fits32, fitsType, i32Of, toIntType, u32Of } from "./values";
import { Expr, Temp, repOf } from "../ir/ir";
import { describeNode } from "./syntax";

/** Per-function lowering state shared by expressions and statements. */
export interface FnScope {
  cx: Context;
  fn: FnInfo | undefined;
  /** The function's temporaries (ids unique in the function). */
  temps: Temp[];
}

const BOOL = (v: boolean): Expr => ({ k: "bool", v });

type IntVal = Val & { k: "int" };

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
    case ts.SyntaxKind.ObjectLiteralExpression:
    case ts.SyntaxKind.ArrayLiteralExpression:
    case ts.SyntaxKind.NewExpression:
    case ts.SyntaxKind.ThisKeyword:
    case ts.SyntaxKind.ClassExpression:
    case ts.SyntaxKind.ElementAccessExpression:
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

// ---- leaves ----

function literal(fs: FnScope, e: ts.NumericLiteral, negated: boolean): Val {
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

function identifier(fs: FnScope, e: ts.Identifier): Val {
  const { cx } = fs;
  if (e.text === "undefined" || e.text === "NaN" || e.text === "Infinity") {
    cx.diags.error(e, "TSK1018", `'${e.text}' is not a value of the subset: use an integer (e.g. 0) as the 'none' value`);
    return ERROR;
  }
  const s = cx.symbolOf(e);
  if (!s) return ERROR; // tsc has reported it
  const v = cx.vars.get(s);
  if (v && !inItsCaseClause(cx, s, e)) return ERROR;
  if (v) {
    const ref: Expr = { k: "var", v: v.v };
    if (v.ty.k === "string") return { k: "string", ir: ref, effects: false, stable: true };
    if (v.ty.k === "bool") {
      if (v.boolValue !== undefined) return { k: "bool", ir: BOOL(v.boolValue), js: v.boolValue, effects: false, stable: true };
      return { k: "bool", ir: ref, effects: false, stable: !v.global };
    }
    if (v.value !== undefined) return { ...constInt(v.value), en: v.ty.k === "enum" ? v.ty.id : undefined };
    const ct = intNameOf(v.ty);
    if (!ct) return ERROR;
    const range = v.range ?? (v.ty.k === "enum" ? v.ty.range : INT_RANGES[ct]);
    return { k: "int", ir: ref, ct, range, effects: false, stable: !v.global, en: v.ty.k === "enum" ? v.ty.id : undefined };
  }
  if (cx.fns.has(s) || cx.isIntrinsicSymbol(s) || cx.isPreludeSymbol(s)) {
    cx.diags.error(e, "TSK1007", `the function '${e.text}' is used as a value: functions can only be called`);
    return ERROR;
  }
  if (cx.enums.has(s)) {
    cx.diags.error(e, "TSK1008", `the enum '${e.text}' is used as a value: use one of its members`);
    return ERROR;
  }
  cx.diags.error(e, "TSK1018", `'${e.text}' is not a value of the subset: use the program's own variables, constants and enum members`);
  return ERROR;
}

function propertyAccess(fs: FnScope, e: ts.PropertyAccessExpression): Val {
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
  if (e.name.text === "length") {
    const obj = lowerExpr(fs, e.expression);
    if (obj.k === "string") return { k: "int", ir: { k: "strlen", s: obj.ir }, ct: "u32", range: { lo: 0n, hi: 0x3fffffffn }, effects: false, stable: true };
    if (obj.k === "error") return ERROR;
  }
  cx.diags.error(e, "TSK1008", `'${e.getText()}': property access is only for enum members and a string's length`);
  return ERROR;
}

// ---- calls ----

function call(fs: FnScope, e: ts.CallExpression): Val {
  const { cx } = fs;
  const callee = e.expression;
  if (ts.isPropertyAccessExpression(callee)) {
    if (ts.isIdentifier(callee.expression) && callee.expression.text === "Math" && callee.name.text === "imul") {
      const ms = cx.symbolOf(callee.expression);
      if (ms && cx.declFile(ms)?.isDeclarationFile) return imul(fs, e);
    }
    if (callee.name.text === "charCodeAt") return charCodeAt(fs, e, callee);
    const s = cx.symbolOf(callee.expression);
    if (s && s.flags & ts.SymbolFlags.ValueModule) return callSymbol(fs, e, cx.symbolOf(callee.name), callee.name.text);
    cx.diags.error(callee, "TSK1018", `'${callee.getText()}' is not available in the subset: use the program's own functions, the prelude coercions (u8, u16, u32, i32) or Math.imul`);
    return ERROR;
  }
  if (!ts.isIdentifier(callee)) {
    cx.diags.error(callee, "TSK1007", "only named functions can be called: declare a module-level function and call it by name");
    return ERROR;
  }
  return callSymbol(fs, e, cx.symbolOf(callee), callee.text);
}

function callSymbol(fs: FnScope, e: ts.CallExpression, s: ts.Symbol | undefined, name: string): Val {
  const { cx } = fs;
  if (!s) return ERROR;
  if (e.typeArguments) {
    cx.diags.error(e, "TSK1024", "type arguments are not in the subset: call the function without them");
    return ERROR;
  }
  if (cx.isPreludeSymbol(s)) return coercion(fs, e, name as IntName);
  if (cx.isIntrinsicSymbol(s)) return intrinsic(fs, e, s, name);
  const fn = cx.fns.get(s);
  if (!fn && cx.rejectedFns.has(s)) return ERROR; // its declaration was reported
  if (!fn) {
    cx.diags.error(e.expression, "TSK1018", `'${name}' is not a function of this program: call one of its own functions, or a prelude coercion (u8, u16, u32, i32)`);
    return ERROR;
  }
  if (fs.fn) cx.calls.push({ from: fs.fn, to: fn, node: e });
  const args = e.arguments.map((a, i) => argument(fs, a, fn.params[i]?.ty, `argument ${i + 1} of ${name}()`));
  if (args.some((a) => a.k === "error")) return ERROR;
  const seq = sequence(fs, args);
  return seq.wrap(result(fn.ret, { k: "call", fn: fn.ir, args: seq.vals.map((v) => v.ir) }));
}

function result(ret: Ty, ir: Expr): Val {
  switch (ret.k) {
    case "int":
    case "enum": {
      const ct = intNameOf(ret)!;
      return { k: "int", ir, ct, range: ret.k === "enum" ? ret.range : INT_RANGES[ct], effects: true, stable: false, en: ret.k === "enum" ? ret.id : undefined };
    }
    case "bool":
      return { k: "bool", ir, effects: true, stable: false };
    case "void":
    case "never":
      return { k: ret.k, ir, effects: true, stable: false };
    default:
      return ERROR;
  }
}

/** An argument for a parameter of type `ty` (undefined: tsc reported a count mismatch). */
function argument(fs: FnScope, a: ts.Expression, ty: Ty | undefined, what: string): Val {
  if (!ty) return ERROR;
  if (ty.k === "string") {
    if (ts.isStringLiteral(a) || ts.isNoSubstitutionTemplateLiteral(a)) return stringLiteral(fs, a);
    if (ts.isParenthesizedExpression(a)) return argument(fs, a.expression, ty, what);
    if (ts.isConditionalExpression(a)) {
      const c = condition(fs, a.condition);
      const x = argument(fs, a.whenTrue, ty, what);
      const y = argument(fs, a.whenFalse, ty, what);
      if (c === undefined || x.k === "error" || y.k === "error") return ERROR;
      const cv = lowerExprCached.get(a.condition)!;
      return { k: "string", ir: { k: "cond", c, a: x.ir, b: y.ir, rep: "str" }, effects: cv.effects, stable: cv.stable };
    }
    const v = lowerExpr(fs, a);
    if (v.k !== "string" && v.k !== "error") fs.cx.diags.error(a, "TSK1009", `${what} must be a string literal or a string parameter: pass "..." or the caller's string`);
    return v.k === "string" ? v : ERROR;
  }
  const v = lowerExpr(fs, a);
  const ir = flow(fs, v, ty, a, what);
  if (ir === undefined) return ERROR;
  return { ...v, ir } as Val;
}

function stringLiteral(fs: FnScope, a: ts.StringLiteral | ts.NoSubstitutionTemplateLiteral): Val {
  for (const ch of a.text) {
    const code = ch.charCodeAt(0);
    if (code > 0x7e || (code < 0x20 && code !== 10 && code !== 13 && code !== 9)) {
      fs.cx.diags.error(a, "TSK1009", "string literals must be printable ASCII (plus \\n, \\r, \\t): charCodeAt would differ from the bytes sent");
      return ERROR;
    }
  }
  return { k: "string", ir: { k: "str", text: a.text }, effects: false, stable: true };
}

/**
 * Check that `v` may flow into a place of type `ty` and return its IR, converted.
 * Undefined after a diagnostic.
 */
export function flow(fs: FnScope, v: Val, ty: Ty, node: ts.Node, what: string, fix?: string): Expr | undefined {
  const { cx } = fs;
  if (v.k === "error") return undefined;
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

function coercion(fs: FnScope, e: ts.CallExpression, name: IntName): Val {
  if (e.arguments.length !== 1) return ERROR; // tsc reported it
  const v = lowerExpr(fs, e.arguments[0]);
  if (v.k === "error") return ERROR;
  if (v.k !== "int" && v.k !== "nonint") {
    fs.cx.diags.error(e.arguments[0], "TSK1002", `${name}() takes an integer: pass an integer expression`);
    return ERROR;
  }
  if (v.js !== undefined) {
    const js = { u8: v.js & 0xff, u16: v.js & 0xffff, u32: v.js >>> 0, i32: v.js | 0 }[name];
    return constInt(BigInt(js));
  }
  let range: Range;
  switch (name) {
    case "u32":
      range = asUint32(v.range);
      break;
    case "i32":
      range = asInt32(v.range);
      break;
    default:
      range = asUnsigned(v.range, name === "u8" ? 8n : 16n);
  }
  if (v.k === "int" && within(v.range, INT_RANGES[name])) return { ...v, range };
  const src = v.k === "nonint" ? { ir: v.ir, ct: "u32" as IntName } : v;
  return { k: "int", ir: toIntType(src, name), ct: name, range, effects: v.effects, stable: v.stable };
}

function imul(fs: FnScope, e: ts.CallExpression): Val {
  if (e.arguments.length !== 2) return ERROR;
  const [a0, b0] = e.arguments.map((x) => truncating(fs, x, "Math.imul"));
  if (a0.k === "error" || b0.k === "error") return ERROR;
  if (a0.js !== undefined && b0.js !== undefined) return constInt(BigInt(Math.imul(a0.js, b0.js)));
  const seq = sequence(fs, [a0, b0]);
  const [a, b] = seq.vals as IntVal[];
  return seq.wrap({ k: "int", ir: conv({ k: "bin", op: "*", a: u32Of(a), b: u32Of(b), rep: "u32" }, "u32", "i32"), ct: "i32", range: I32, effects: a.effects || b.effects, stable: a.stable && b.stable });
}

/** An operand JavaScript passes through ToInt32/ToUint32 (bitwise operators, Math.imul). */
function truncating(fs: FnScope, x: ts.Expression, what: string): IntVal | (Val & { k: "error" }) {
  const v = lowerExpr(fs, x);
  if (v.k === "error") return v;
  return bitOperand(fs, v, x, what) ?? (ERROR as Val & { k: "error" });
}

function charCodeAt(fs: FnScope, e: ts.CallExpression, callee: ts.PropertyAccessExpression): Val {
  const s = lowerExpr(fs, callee.expression);
  if (s.k === "error") return ERROR;
  if (s.k !== "string" || e.arguments.length !== 1) {
    fs.cx.diags.error(callee, "TSK1009", "charCodeAt takes one index, on a string parameter: write s.charCodeAt(i) with s a string parameter");
    return ERROR;
  }
  const i = lowerExpr(fs, e.arguments[0]);
  if (i.k === "error") return ERROR;
  if (i.k !== "int" || !fits32(i.range)) {
    fs.cx.diags.error(e.arguments[0], "TSK1023", "the index must be an integer that fits 32 bits: coerce it, e.g. u32(i)");
    return ERROR;
  }
  const ex = exactOf(i);
  return { k: "nonint", ir: { k: "runtime", op: "char_at", args: [s.ir, { k: "conv", to: "i64", x: ex.ir }] }, range: { lo: 0n, hi: 127n }, effects: i.effects, stable: i.stable };
}

function intrinsic(fs: FnScope, e: ts.CallExpression, s: ts.Symbol, name: string): Val {
  const { cx } = fs;
  if (!mayCallIntrinsics(e.getSourceFile())) {
    cx.diags.error(e.expression, "TSK1014", `the machine intrinsic '${name}' may only be called from a module that declares '// @tsk-uses-intrinsics' on its first lines (the arch layer, tests): add a function to the arch layer`);
    return ERROR;
  }
  const decl = s.declarations?.[0];
  if (!INTRINSICS.has(name) || !decl || !ts.isFunctionDeclaration(decl)) {
    cx.diags.error(e.expression, "TSK1018", `'${name}' is not a machine intrinsic tsk knows: use one listed in compiler/src/check/intrinsics.ts`);
    return ERROR;
  }
  const params = decl.parameters.map((p) => cx.typeOf(p.type, p, `parameter '${p.name.getText()}'`));
  const ret = cx.typeOf(decl.type, decl, `the result of ${name}`);
  if (!ret || params.some((p) => !p)) return ERROR;
  const args = e.arguments.map((a, i) => argument(fs, a, params[i], `argument ${i + 1} of ${name}()`));
  if (args.some((a) => a.k === "error")) return ERROR;
  const seq = sequence(fs, args);
  return seq.wrap(result(ret, { k: "intrinsic", name, args: seq.vals.map((v) => v.ir), rep: repOfTy(ret) }));
}

/**
 * C leaves the order of operands and arguments unspecified; JavaScript evaluates left to right.
 * When an operand has effects (a call) and another operand could be affected by them or affect
 * them (it is not a constant or a local), every such operand is evaluated first, in order, into a
 * temporary, and the operation uses the temporaries (an IR `seq`):
 *   f(step(1), g)  ->  seq [t1 = step(1), t2 = g] f(t1, t2)
 * Returns the operands to use and the wrapper for the operation's result.
 */
export function sequence(fs: FnScope, vals: Val[]): { vals: Val[]; wrap: (v: Val) => Val } {
  const unstable = vals.filter((v) => !v.stable).length;
  if (!vals.some((v) => v.effects) || unstable < 2) return { vals, wrap: (v) => v };
  const temps: { t: Temp; x: Expr }[] = [];
  const out = vals.map((v) => {
    if (v.stable) return v;
    const rep = repOf(v.ir);
    const t: Temp = { id: fs.temps.length + 1, rep: rep === "void" ? "u32" : rep };
    fs.temps.push(t);
    temps.push({ t, x: v.ir });
    return { ...v, ir: { k: "temp", t }, effects: false, stable: true } as Val;
  });
  const wrap = (v: Val): Val => (v.k === "error" ? v : ({ ...v, ir: { k: "seq", temps, body: v.ir }, effects: true, stable: false } as Val));
  return { vals: out, wrap };
}

// ---- operators ----

function binary(fs: FnScope, e: ts.BinaryExpression): Val {
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

function operate(fs: FnScope, site: BinSite, a: Val, b: Val): Val {
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

function needInt(fs: FnScope, v: Val, node: ts.Node, what: string): v is IntVal {
  if (v.k === "int") return true;
  if (v.k === "nonint") fs.cx.diags.error(node, "TSK1005", `'${node.getText()}' may not be an integer in JavaScript: coerce it at once, e.g. u32(${node.getText()}), before using it in ${what}`);
  else if (v.k !== "error") fs.cx.diags.error(node, "TSK1002", `${what} needs integers: coerce the operand, e.g. u32(x)`);
  return false;
}

/** Operands as ToInt32 sees them (nonint allowed: ToInt32 truncates). */
function bitOperand(fs: FnScope, v: Val, node: ts.Node, what: string): IntVal | undefined {
  if (v.k === "nonint") return { k: "int", ir: v.ir, ct: "u32", range: v.range, js: v.js === undefined ? undefined : Math.trunc(v.js), effects: v.effects, stable: v.stable };
  return needInt(fs, v, node, what) ? v : undefined;
}

function combine(a: Val, b: Val) {
  return { effects: a.effects || b.effects, stable: a.stable && b.stable };
}

function arithmetic(fs: FnScope, e: BinSite, a: Val, b: Val, op: "+" | "-" | "*"): Val {
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

function divide(fs: FnScope, e: BinSite, a: Val, b: Val, op: "/" | "%"): Val {
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

function bitwise(fs: FnScope, e: BinSite, av: Val, bv: Val, op: string): Val {
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

function compare(fs: FnScope, e: BinSite, a: Val, b: Val, op: string): Val {
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

function logical(fs: FnScope, e: ts.BinaryExpression, op: "&&" | "||"): Val {
  const a = condition(fs, e.left);
  const b = condition(fs, e.right);
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

const lowerExprCached = new WeakMap<ts.Node, Val>();

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
  if (v.k === "nonint") {
    fs.cx.diags.error(x, "TSK1005", `'${x.getText()}' may not be an integer in JavaScript: coerce it before testing it`);
    return undefined;
  }
  fs.cx.diags.error(x, "TSK1002", "a condition must be a boolean or an integer: compare the value, e.g. x !== 0");
  return undefined;
}

function prefix(fs: FnScope, e: ts.PrefixUnaryExpression): Val {
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

function conditional(fs: FnScope, e: ts.ConditionalExpression): Val {
  const c = condition(fs, e.condition);
  let a = lowerExpr(fs, e.whenTrue);
  let b = lowerExpr(fs, e.whenFalse);
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
