// Typed arrays: module-level `const a = new Uint32Array(N)` (Uint8Array, Uint16Array, Int32Array
// too), read as a[i], written as a[i] = v and a[i] op= v (wrapping as JavaScript's typed arrays
// do), and a.length. Every index must be proved in 0..N-1 (its range, narrowed by the guards of
// narrow.ts): JavaScript reads undefined and drops stores out of bounds, which natively would be
// memory corruption, so an unproved index is an error, never a silent check. Rules: TSK1032 (where
// and how an array is declared), TSK1033 (its length), TSK1034 (the index), TSK1035 (an array used
// as anything but a[i] and a.length), TSK1040 (element types outside the subset).
import * as ts from "typescript";
import { Context } from "./context";
import { FnScope, lowerExpr } from "./expr";
import { applyBinary } from "./arith";
import { ERROR, Val, constInt, conv, u32Of } from "./values";
import { INT_RANGES, show } from "./types";
import { ArrayObj, Expr, Loc, Simple, Temp } from "../ir/ir";

type Elem = ArrayObj["elem"];

/** The constructors in the subset and the element type each stores. */
export const ARRAY_TYPES: Record<string, Elem> = { Uint8Array: "u8", Uint16Array: "u16", Uint32Array: "u32", Int32Array: "i32" };
/** JavaScript's other typed arrays, and what to use instead. */
const OTHER_TYPES: Record<string, string> = {
  Int8Array: "use Uint8Array and convert on reading (an i8 is not a subset type)",
  Int16Array: "use Uint16Array and convert on reading (an i16 is not a subset type)",
  Uint8ClampedArray: "use Uint8Array (clamping is not wrapping: store u8(v) or a checked value)",
  Float32Array: "the subset has no floating point: use Uint32Array or Int32Array",
  Float64Array: "the subset has no floating point: use Uint32Array or Int32Array",
  BigInt64Array: "the subset has no bigint: use a Uint32Array with two elements per value",
  BigUint64Array: "the subset has no bigint: use a Uint32Array with two elements per value",
};
/** The largest array, in bytes: bigger would not fit a small kernel's image or its memory. */
export const MAX_ARRAY_BYTES = 64n << 20n;
const BYTES: Record<Elem, bigint> = { u8: 1n, u16: 2n, u32: 4n, i32: 4n };

interface Arrays {
  bySymbol: Map<ts.Symbol, ArrayObj>;
  /** Declarations that were rejected: their uses are not reported again. */
  rejected: Set<ts.Symbol>;
  list: ArrayObj[];
}
const perContext = new WeakMap<Context, Arrays>();
function arrays(cx: Context): Arrays {
  let a = perContext.get(cx);
  if (!a) perContext.set(cx, (a = { bySymbol: new Map(), rejected: new Set(), list: [] }));
  return a;
}

/** The program's arrays, in declaration order (for Program.arrays). */
export function programArrays(cx: Context): ArrayObj[] {
  return arrays(cx).list;
}

function locOf(node: ts.Node): Loc {
  const sf = node.getSourceFile();
  return { file: sf.fileName, line: sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1 };
}

/** The typed-array constructor `e` calls, if it is `new <global typed array>(...)`. */
function typedArrayCtor(cx: Context, e: ts.NewExpression): string | undefined {
  if (!ts.isIdentifier(e.expression)) return undefined;
  const name = e.expression.text;
  if (!(name in ARRAY_TYPES) && !(name in OTHER_TYPES)) return undefined;
  const s = cx.symbolOf(e.expression);
  // The library's global, not a program's own declaration of the same name.
  return s && cx.declFile(s)?.isDeclarationFile ? name : undefined;
}

/** Whether a module-level declaration's initializer is a typed array (handled here, not as a global). */
export function isArrayDeclaration(cx: Context, d: ts.VariableDeclaration): boolean {
  return !!d.initializer && ts.isNewExpression(d.initializer) && typedArrayCtor(cx, d.initializer) !== undefined;
}

/**
 * A module-level `const a = new Uint32Array(N)`: registered (its IR object returned) or rejected
 * with a diagnostic. `fs` is the module's constant scope (N is evaluated there).
 */
export function declareArray(fs: FnScope, d: ts.VariableDeclaration & { name: ts.Identifier; initializer: ts.NewExpression }, isConst: boolean): ArrayObj | undefined {
  const { cx } = fs;
  const s = cx.checker.getSymbolAtLocation(d.name);
  if (!s) return undefined;
  const reject = (node: ts.Node, code: "TSK1032" | "TSK1033" | "TSK1040", message: string): undefined => {
    cx.diags.error(node, code, message);
    arrays(cx).rejected.add(s);
    return undefined;
  };
  const e = d.initializer;
  const ctor = typedArrayCtor(cx, e)!;
  const name = d.name.text;
  if (ctor in OTHER_TYPES) return reject(e.expression, "TSK1040", `${ctor} is not in the subset: ${OTHER_TYPES[ctor]}`);
  const elem = ARRAY_TYPES[ctor];
  if (!isConst) return reject(d, "TSK1032", `declare the array with const (const ${name} = new ${ctor}(...)): the subset's arrays are fixed, and a let could be reassigned`);
  if (d.type && !(ts.isTypeReferenceNode(d.type) && ts.isIdentifier(d.type.typeName) && d.type.typeName.text === ctor)) {
    return reject(d.type, "TSK1032", `'${name}' is a ${ctor}: drop the annotation, or write ${ctor}`);
  }
  if (e.typeArguments) return reject(e, "TSK1032", `write new ${ctor}(N) without type arguments`);
  const args = e.arguments ?? [];
  if (args.length !== 1 || ts.isArrayLiteralExpression(args[0]) || ts.isSpreadElement(args[0])) {
    return reject(e, "TSK1032", `a typed array is created empty with its length only: write new ${ctor}(N) with N a constant, then store the elements in an init function`);
  }
  const n = lowerExpr(fs, args[0]);
  if (n.k === "error") {
    arrays(cx).rejected.add(s);
    return undefined;
  }
  if (n.k !== "int" || n.js === undefined) {
    return reject(args[0], "TSK1033", `the length of '${name}' must be a constant the compiler knows (a literal, a const, an enum member or an expression of them), but '${args[0].getText()}' is not: the array is static, in the image`);
  }
  const len = BigInt(n.js);
  const bytes = len * BYTES[elem];
  if (len < 1n || bytes > MAX_ARRAY_BYTES) {
    return reject(args[0], "TSK1033", `the length of '${name}' is ${n.js}${len >= 1n ? ` (${bytes} bytes)` : ""}: an array needs 1 to ${MAX_ARRAY_BYTES / BYTES[elem]} elements (at most 64 MiB)`);
  }
  const a: ArrayObj = { name, module: cx.module(d.getSourceFile()), elem, length: Number(len), loc: locOf(d) };
  arrays(cx).bySymbol.set(s, a);
  arrays(cx).list.push(a);
  return a;
}

/** A declaration rejected elsewhere (its initializer's order): its uses are not reported again. */
export function rejectArray(cx: Context, d: ts.VariableDeclaration): void {
  const s = cx.checker.getSymbolAtLocation(d.name);
  if (s) arrays(cx).rejected.add(s);
}

/** `new X(...)` anywhere else than a module-level array declaration. */
export function newExpression(fs: FnScope, e: ts.NewExpression): Val {
  const { cx } = fs;
  const ctor = typedArrayCtor(cx, e);
  if (ctor && ctor in OTHER_TYPES) cx.diags.error(e.expression, "TSK1040", `${ctor} is not in the subset: ${OTHER_TYPES[ctor]}`);
  else if (ctor) cx.diags.error(e, "TSK1032", `a typed array may only be declared at module level, as const a = new ${ctor}(N): declare it there (it is static, in the image) and use it from the function`);
  else cx.diags.error(e, "TSK1008", "objects, arrays and classes are not in the subset: keep data in memory through the arch/ layer, in module-level variables, or in a typed array (const a = new Uint32Array(N))");
  return ERROR;
}

/** The array `e` names (`a`, or `m.a` through `import * as m`); "rejected" when its declaration was. */
export function arrayOf(cx: Context, e: ts.Expression): ArrayObj | "rejected" | undefined {
  while (ts.isParenthesizedExpression(e)) e = e.expression;
  if (!ts.isIdentifier(e) && !(ts.isPropertyAccessExpression(e) && ts.isIdentifier(e.name))) return undefined;
  const s = cx.symbolOf(ts.isIdentifier(e) ? e : e.name);
  if (!s) return undefined;
  if (arrays(cx).rejected.has(s)) return "rejected";
  return arrays(cx).bySymbol.get(s);
}

/** An array named where a value is needed (assigned, compared, passed, returned...). */
export function arrayAsValue(cx: Context, e: ts.Node, a: ArrayObj | "rejected"): Val {
  if (a !== "rejected") {
    cx.diags.error(e, "TSK1035", `the array '${a.name}' can only be indexed (${a.name}[i]) or asked its length (${a.name}.length): arrays are not values in the subset (not passed, returned, assigned or compared); index the module's array directly where it is needed`);
  }
  return ERROR;
}

/** `a.<name>`: the length, a constant; anything else is TSK1035. */
export function arrayProperty(fs: FnScope, e: ts.PropertyAccessExpression, a: ArrayObj | "rejected"): Val {
  if (a === "rejected") return ERROR;
  if (e.name.text === "length") return constInt(BigInt(a.length));
  fs.cx.diags.error(e, "TSK1035", `'${e.getText()}': an array has only its elements (${a.name}[i]) and its length (${a.name}.length) in the subset: write the loop over the elements`);
  return ERROR;
}

/** A method called on an array (a.fill(0), a.set(...), a.subarray(...)). */
export function arrayMethod(fs: FnScope, callee: ts.PropertyAccessExpression, a: ArrayObj | "rejected"): Val {
  if (a !== "rejected") {
    fs.cx.diags.error(callee, "TSK1035", `'${callee.getText()}()': typed array methods are not in the subset (their results are new arrays, iterators or numbers the subset cannot keep exact): write a loop over ${a.name}[i]`);
  }
  return ERROR;
}

/** The index of an access, proved in range: its IR as a u32, or undefined after a diagnostic. */
function index(fs: FnScope, e: ts.ElementAccessExpression, a: ArrayObj): (Val & { k: "int" }) | undefined {
  const { cx } = fs;
  const arg = e.argumentExpression;
  const v = lowerExpr(fs, arg);
  if (v.k === "error") return undefined;
  const name = a.name;
  const last = BigInt(a.length - 1);
  if (v.k === "nonint") {
    cx.diags.error(arg, "TSK1034", `the index '${arg.getText()}' may not be an integer in JavaScript (and ${name}[1.5] is undefined): coerce it at once, e.g. ${name}[u32(${arg.getText()})], and prove it below ${name}.length`);
    return undefined;
  }
  if (v.k !== "int") {
    cx.diags.error(arg, "TSK1034", `an index of '${name}' must be an integer (JavaScript would look up a property named '${arg.getText()}'): index with a u32`);
    return undefined;
  }
  if (v.range.lo < 0n || v.range.hi > last) {
    const pow2 = (a.length & (a.length - 1)) === 0;
    const fix = v.js !== undefined
      ? `use an index in 0..${last}`
      : `check it first, e.g. if (${arg.getText()} >= ${name}.length) return panic("..."); (a guard on a local or parameter not assigned after it)${pow2 && a.length > 1 ? `, or mask it: ${name}[${arg.getText()} & ${a.length - 1}]` : ""}`;
    cx.diags.error(arg, "TSK1034", `the index '${arg.getText()}' can be ${show(v.range)}, but '${name}' has ${a.length} element${a.length === 1 ? "" : "s"} (0..${last}); out of bounds JavaScript reads undefined and drops stores: ${fix}`);
    return undefined;
  }
  return v;
}

/** A read a[i] (or the `a` of a[i] being something else than an array: TSK1008). */
export function elementRead(fs: FnScope, e: ts.ElementAccessExpression): Val {
  const a = arrayOf(fs.cx, e.expression);
  if (a === "rejected") return ERROR;
  if (!a) {
    fs.cx.diags.error(e, "TSK1008", "only typed arrays can be indexed in the subset (const a = new Uint32Array(N) at module level): a string's characters are s.charCodeAt(i)");
    return ERROR;
  }
  const i = index(fs, e, a);
  if (!i) return ERROR;
  return { k: "int", ir: { k: "index", arr: a, i: u32Of(i) }, ct: a.elem, range: INT_RANGES[a.elem], effects: i.effects, stable: false };
}

/** The element type's conversion of a value JavaScript stores through ToUint8/16/32 or ToInt32. */
function stored(fs: FnScope, v: Val, node: ts.Node, a: ArrayObj): Expr | undefined {
  if (v.k === "error") return undefined;
  if (v.k === "int") return conv(u32Of(v), "u32", a.elem);
  // A truncated quotient (x / y): ToUint32 truncates it, as u32(x / y) does (0 for x / 0).
  if (v.k === "nonint") return conv(v.ir, "u32", a.elem);
  if (v.k === "never") return { k: "never", call: v.ir, rep: a.elem };
  fs.cx.diags.error(node, "TSK1002", `an element of '${a.name}' holds an integer: store an integer expression (JavaScript would convert '${node.getText()}' to a number)`);
  return undefined;
}

/**
 * A store statement: a[i] = v, a[i] op= v, a[i]++ / a[i]--. JavaScript's order: i, then (for a
 * compound) the old element, then v; the result wraps to the element type. `op`: the binary
 * operator of a compound (undefined for `=`), `rhs` its right operand (undefined for ++/--).
 */
export function elementStore(fs: FnScope, target: ts.ElementAccessExpression, op: ts.SyntaxKind | undefined, rhs: ts.Expression | undefined, node: ts.Expression, loc: Loc): Simple | undefined {
  const { cx } = fs;
  const a = arrayOf(cx, target.expression);
  if (a === "rejected") return undefined;
  if (!a) {
    cx.diags.error(target, "TSK1008", "only variables and typed array elements can be assigned: write memory through a function of the arch/ layer");
    return undefined;
  }
  const i = index(fs, target, a);
  if (!i) return undefined;
  const compound = op !== undefined;
  // The right operand after the index, as JavaScript evaluates them.
  const v = rhs ? lowerExpr(fs, rhs) : constInt(1n);
  if (v.k === "error") return undefined;
  const pre: { t: Temp; x: Expr }[] = [];
  let ix: Expr = u32Of(i);
  // The index is read once, before v: a temporary unless it is a constant or a local (nothing v
  // or the old element's read can change).
  if (!i.stable && (compound || v.effects)) {
    const t: Temp = { id: fs.temps.length + 1, rep: "u32" };
    fs.temps.push(t);
    pre.push({ t, x: ix });
    ix = { k: "temp", t };
  }
  let value: Val = v;
  if (compound) {
    const old: Val = { k: "int", ir: { k: "index", arr: a, i: ix }, ct: a.elem, range: INT_RANGES[a.elem], effects: false, stable: false };
    const site = { node, left: target, right: rhs ?? node, op };
    value = applyBinary(fs, site, old, v);
  }
  const x = stored(fs, value, rhs ?? node, a);
  if (x === undefined) return undefined;
  return { k: "store", arr: a, pre, i: ix, x, loc };
}

/** Whether `n` is a type naming a typed array (a parameter or result typed Uint32Array). */
export function arrayTypeProblem(cx: Context, n: ts.TypeNode, what: string): boolean {
  if (!ts.isTypeReferenceNode(n) || !ts.isIdentifier(n.typeName)) return false;
  const t = n.typeName.text;
  if (!(t in ARRAY_TYPES) && !(t in OTHER_TYPES)) return false;
  const s = cx.symbolOf(n.typeName);
  if (!s || !cx.declFile(s)?.isDeclarationFile) return false;
  cx.diags.error(n, "TSK1035", `${what} has type ${t}: arrays cannot be passed, returned or held in variables in the subset (natively that would need a pointer and a length checked at run time); index the module's array directly`);
  return true;
}
