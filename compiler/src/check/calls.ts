// Calls: the program's functions, the prelude coercions, Math.imul and the machine intrinsics
// (TSK1007 functions as values, TSK1014 intrinsics permission, TSK1018 globals and library calls,
// TSK1024 type arguments), and the evaluation order of operands and arguments (sequence).
import * as ts from "typescript";
import { intNameOf, repOfTy } from "./context";
import { IntName, Range, Ty, I32, INT_RANGES, asInt32, asUint32, asUnsigned, within } from "./types";
import { ERROR, Val, conv, constInt, toIntType, u32Of } from "./values";
import { Expr, Temp, repOf } from "../ir/ir";
import { INTRINSICS, mayCallIntrinsics } from "./intrinsics";
import { FnScope, IntVal, lowerExpr, condition, flow, lowerExprCached } from "./expr";
import { bitOperand } from "./arith";
import { charCodeAt, stringLiteral } from "./strings";
import { layoutCall, misuse } from "./layouts";
import { arrayMethod, arrayOf } from "./arrays";

export function call(fs: FnScope, e: ts.CallExpression): Val {
  const { cx } = fs;
  const callee = e.expression;
  if (ts.isPropertyAccessExpression(callee)) {
    const view = layoutCall(fs, e);
    if (view) return view;
    if (ts.isIdentifier(callee.expression) && callee.expression.text === "Math" && callee.name.text === "imul") {
      const ms = cx.symbolOf(callee.expression);
      if (ms && cx.declFile(ms)?.isDeclarationFile) return imul(fs, e);
    }
    const arr = arrayOf(cx, callee.expression);
    if (arr) return arrayMethod(fs, callee, arr);
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

export function callSymbol(fs: FnScope, e: ts.CallExpression, s: ts.Symbol | undefined, name: string): Val {
  const { cx } = fs;
  if (!s) return ERROR;
  if (e.typeArguments) {
    cx.diags.error(e, "TSK1024", "type arguments are not in the subset: call the function without them");
    return ERROR;
  }
  if (cx.isPreludeSymbol(s) && name === "layout") {
    cx.diags.error(e, "TSK1036", "layout() declares a structure once, at module level: write const E = layout(size, align, { ... }) there and use E.at(addr) here");
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

export function result(ret: Ty, ir: Expr): Val {
  switch (ret.k) {
    case "int":
    case "enum": {
      const ct = intNameOf(ret)!;
      return { k: "int", ir, ct, range: ret.k === "enum" ? ret.range : INT_RANGES[ct], effects: true, stable: false, en: ret.k === "enum" ? ret.id : undefined };
    }
    case "bool":
      return { k: "bool", ir, effects: true, stable: false };
    case "view":
      return { k: "view", layout: ret.layout, ir, effects: true, stable: false };
    case "void":
    case "never":
      return { k: ret.k, ir, effects: true, stable: false };
    default:
      return ERROR;
  }
}

/** An argument for a parameter of type `ty` (undefined: tsc reported a count mismatch). */
export function argument(fs: FnScope, a: ts.Expression, ty: Ty | undefined, what: string): Val {
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

export function coercion(fs: FnScope, e: ts.CallExpression, name: IntName): Val {
  if (e.arguments.length !== 1) return ERROR; // tsc reported it
  const v = lowerExpr(fs, e.arguments[0]);
  if (v.k === "error") return ERROR;
  if (v.k === "view") {
    misuse(fs, e.arguments[0], `${name}() would make NaN of it in JavaScript`);
    return ERROR;
  }
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

export function imul(fs: FnScope, e: ts.CallExpression): Val {
  if (e.arguments.length !== 2) return ERROR;
  const [a0, b0] = e.arguments.map((x) => truncating(fs, x, "Math.imul"));
  if (a0.k === "error" || b0.k === "error") return ERROR;
  if (a0.js !== undefined && b0.js !== undefined) return constInt(BigInt(Math.imul(a0.js, b0.js)));
  const seq = sequence(fs, [a0, b0]);
  const [a, b] = seq.vals as IntVal[];
  return seq.wrap({ k: "int", ir: conv({ k: "bin", op: "*", a: u32Of(a), b: u32Of(b), rep: "u32" }, "u32", "i32"), ct: "i32", range: I32, effects: a.effects || b.effects, stable: a.stable && b.stable });
}

/** An operand JavaScript passes through ToInt32/ToUint32 (bitwise operators, Math.imul). */
export function truncating(fs: FnScope, x: ts.Expression, what: string): IntVal | (Val & { k: "error" }) {
  const v = lowerExpr(fs, x);
  if (v.k === "error") return v;
  return bitOperand(fs, v, x, what) ?? (ERROR as Val & { k: "error" });
}

export function intrinsic(fs: FnScope, e: ts.CallExpression, s: ts.Symbol, name: string): Val {
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
