// Memory layouts: `export const E = layout(24, 4, { type: [16, "u32"], ... })` declares a structure
// in physical memory once; `E.at(addr)` is a view whose fields are loads and stores of their width
// at addr + offset. This module owns the rules (TSK1036-1039 the declaration, TSK1045 the address,
// TSK1046 views used as anything but field access) and the lowering: a view is its u32 address, a
// field read the load8/16/32 intrinsic node, a field write store8/16/32, so every backend that runs
// the kernel's intrinsics runs layouts. In Node the prelude's layout() (compiler/node/prelude.js)
// does the same over the simulated machine.
//
// Any module may declare and use layouts (unlike the intrinsics, TSK1014): the declaration is the
// explicit, checked list of the bytes a module touches, which is what the arch-layer rule exists
// to give for raw intrinsics.
import * as ts from "typescript";
import type { Context } from "./context";
import { IntName, LayoutDesc, Ty, INT_RANGES, U32, within, isExact, show, TWO32 } from "./types";
import { ERROR, Val, constInt, u32Of } from "./values";
import { Expr, Simple, Loc, Temp } from "../ir/ir";
import { FnScope, lowerExpr } from "./expr";
import { applyBinary, bitOperand } from "./arith";
import { sequence } from "./calls";

const WIDTHS: Record<string, IntName> = { u8: "u8", u16: "u16", u32: "u32", i32: "i32" };
const BYTES: Record<IntName, bigint> = { u8: 1n, u16: 2n, u32: 4n, i32: 4n };

interface Mutable extends LayoutDesc {
  fields: Map<string, { offset: bigint; width: IntName }>;
}

/** Is `e` a call of the prelude's layout()? */
export function isLayoutCall(cx: Context, e: ts.Expression): e is ts.CallExpression {
  if (!ts.isCallExpression(e) || !ts.isIdentifier(e.expression) || e.expression.text !== "layout") return false;
  const s = cx.symbolOf(e.expression);
  return !!s && cx.isPreludeSymbol(s);
}

/** Pass 1: every module-level `X = layout(...)` gets its (still empty) description, so function
 *  signatures can name View<typeof X> before the declarations are checked in module order. */
export function registerLayouts(cx: Context, sf: ts.SourceFile): void {
  for (const st of sf.statements) {
    if (!ts.isVariableStatement(st)) continue;
    for (const d of st.declarationList.declarations) {
      if (!ts.isIdentifier(d.name) || !d.initializer || !isLayoutCall(cx, d.initializer)) continue;
      const s = cx.checker.getSymbolAtLocation(d.name);
      if (s) cx.layouts.set(s, { name: d.name.text, size: 0n, align: 1n, fields: new Map() } as Mutable);
    }
  }
}

/** Pass 2, in module order: check the declaration `d` (its initializer is a layout() call) and fill
 *  in its description. */
export function declareLayout(fs: FnScope, d: ts.VariableDeclaration, isConst: boolean): void {
  const { cx } = fs;
  const call = d.initializer as ts.CallExpression;
  const s = ts.isIdentifier(d.name) ? cx.checker.getSymbolAtLocation(d.name) : undefined;
  const desc = s && (cx.layouts.get(s) as Mutable | undefined);
  if (!desc) return;
  if (!isConst) cx.diags.error(d, "TSK1036", `layout '${desc.name}' must be a const (a structure's layout never changes): write const ${desc.name} = layout(...)`);
  if (d.type) cx.diags.error(d.type, "TSK1036", `layout '${desc.name}' takes its type from layout(): remove the annotation (name views View<typeof ${desc.name}>)`);
  if (call.arguments.length !== 3) return; // tsc reports it
  const [sizeArg, alignArg, fieldsArg] = call.arguments;
  const size = constant(fs, sizeArg, `the size of layout '${desc.name}'`);
  const align = constant(fs, alignArg, `the alignment of layout '${desc.name}'`);
  if (size !== undefined) {
    if (size < 1n || size >= TWO32) cx.diags.error(sizeArg, "TSK1038", `layout '${desc.name}' has size ${size}: a structure is 1..0xffffffff bytes`);
    else desc.size = size;
  }
  if (align !== undefined) {
    if (align < 1n || align > 4096n || (align & (align - 1n)) !== 0n) cx.diags.error(alignArg, "TSK1039", `layout '${desc.name}' has alignment ${align}: state a power of two from 1 to 4096`);
    else desc.align = align;
  }
  if (size !== undefined && align !== undefined && desc.size === size && desc.align === align && size % align !== 0n) {
    cx.diags.error(sizeArg, "TSK1039", `layout '${desc.name}' is ${size} bytes, not a multiple of its alignment ${align}: an array of them would misalign every other one; pad the size to ${((size + align - 1n) / align) * align}`);
  }
  if (!ts.isObjectLiteralExpression(fieldsArg)) {
    cx.diags.error(fieldsArg, "TSK1036", `the fields of layout '${desc.name}' must be an object literal: { name: [offset, "u32"], ... }`);
    return;
  }
  const placed: { name: string; offset: bigint; end: bigint; node: ts.Node }[] = [];
  for (const p of fieldsArg.properties) {
    const f = field(fs, desc.name, p);
    if (!f) continue;
    const bytes = BYTES[f.width];
    let ok = true;
    if (f.offset < 0n || (size !== undefined && desc.size === size && f.offset + bytes > size)) {
      cx.diags.error(p, "TSK1038", `field '${f.name}' (${f.width} at offset ${f.offset}) lies outside layout '${desc.name}', which is ${size ?? "?"} bytes: move it inside or grow the size`);
      ok = false;
    } else if (f.offset % bytes !== 0n) {
      cx.diags.error(p, "TSK1039", `field '${f.name}' is a ${f.width} at offset ${f.offset}, not a multiple of its ${bytes} bytes: the machine would split the access; use narrower fields`);
      ok = false;
    } else if (bytes > desc.align && align !== undefined && desc.align === align) {
      cx.diags.error(p, "TSK1039", `field '${f.name}' is a ${f.width} (${bytes} bytes) but layout '${desc.name}' states alignment ${align}: an aligned structure would still misalign it; state alignment ${bytes} or more`);
      ok = false;
    }
    const clash = placed.find((o) => f.offset < o.end && o.offset < f.offset + bytes);
    if (clash) {
      cx.diags.error(p, "TSK1037", `field '${f.name}' (bytes ${f.offset}..${f.offset + bytes - 1n}) overlaps field '${clash.name}' (bytes ${clash.offset}..${clash.end - 1n}) of layout '${desc.name}': give each field its own bytes`);
      ok = false;
    }
    placed.push({ name: f.name, offset: f.offset, end: f.offset + bytes, node: p });
    if (ok) desc.fields.set(f.name, { offset: f.offset, width: f.width });
  }
}

/** One `name: [offset, "width"]` of a layout's fields, or undefined after a diagnostic. */
function field(fs: FnScope, layout: string, p: ts.ObjectLiteralElementLike): { name: string; offset: bigint; width: IntName } | undefined {
  const { cx } = fs;
  const form = `write each field as name: [offset, "u8" | "u16" | "u32" | "i32"]`;
  if (!ts.isPropertyAssignment(p) || !(ts.isIdentifier(p.name) || ts.isStringLiteral(p.name))) {
    cx.diags.error(p, "TSK1036", `layout '${layout}': ${p.getText().slice(0, 40)} is not a field: ${form}`);
    return undefined;
  }
  const name = p.name.text;
  if (name === "__proto__") {
    cx.diags.error(p.name, "TSK1036", `layout '${layout}': a field may not be named __proto__ (in JavaScript it sets the object's prototype instead): rename it`);
    return undefined;
  }
  const init = p.initializer;
  if (!ts.isArrayLiteralExpression(init) || init.elements.length !== 2 || init.elements.some(ts.isSpreadElement)) {
    cx.diags.error(init, "TSK1036", `layout '${layout}', field '${name}': ${form}`);
    return undefined;
  }
  const offset = constant(fs, init.elements[0], `the offset of field '${name}'`);
  const w = init.elements[1];
  const width = ts.isStringLiteral(w) ? WIDTHS[w.text] : undefined;
  if (!width) {
    cx.diags.error(w, "TSK1036", `layout '${layout}', field '${name}': the width must be the literal "u8", "u16", "u32" or "i32"`);
    return undefined;
  }
  return offset === undefined ? undefined : { name, offset, width };
}

/** A constant integer the checker knows (literal, const, enum member, constant expression). */
function constant(fs: FnScope, e: ts.Expression, what: string): bigint | undefined {
  const v = lowerExpr(fs, e);
  if (v.k === "error") return undefined;
  if (v.k === "int" && v.js !== undefined) return BigInt(v.js);
  fs.cx.diags.error(e, "TSK1036", `${what} must be a constant integer (a literal, a const or an enum member): layouts are fixed at compile time`);
  return undefined;
}

/** The layout `e` names (`E`, or `m.E` through `import * as m`). */
export function layoutOf(cx: Context, e: ts.Expression): LayoutDesc | undefined {
  const id = ts.isIdentifier(e) ? e : ts.isPropertyAccessExpression(e) ? e.name : undefined;
  const s = id && cx.symbolOf(id);
  return s && cx.layouts.get(s);
}

/** The Ty of `View<typeof E>`; undefined when `node` is not a View<...> (false after a diagnostic). */
export function viewTypeOf(cx: Context, node: ts.TypeNode, what: string): Ty | false | undefined {
  if (!ts.isTypeReferenceNode(node) || !ts.isIdentifier(node.typeName) || node.typeName.text !== "View") return undefined;
  const s = cx.symbolOf(node.typeName);
  if (!s || !cx.isPreludeSymbol(s)) return undefined;
  const arg = node.typeArguments?.length === 1 ? node.typeArguments[0] : undefined;
  if (arg && ts.isTypeQueryNode(arg)) {
    const id = ts.isIdentifier(arg.exprName) ? arg.exprName : arg.exprName.right;
    const ls = cx.symbolOf(id);
    const layout = ls && cx.layouts.get(ls);
    if (layout) return { k: "view", layout };
  }
  cx.diags.error(node, "TSK1002", `${what} has type '${node.getText()}': a view type names a layout of the program, View<typeof E>`);
  return false;
}

/** Is `e` a view by tsc's types (a LayoutView of the prelude)? Decides whether `e.f` is a field. */
function isViewTyped(cx: Context, e: ts.Expression): boolean {
  const t = cx.checker.getTypeAtLocation(e);
  const a = t.aliasSymbol;
  return !!a && a.name === "LayoutView" && cx.isPreludeSymbol(a);
}

/** `E.size`, `E.align`, `E.offsets.f`, `view.f`; undefined when `e` is none of these. */
export function layoutProperty(fs: FnScope, e: ts.PropertyAccessExpression): Val | undefined {
  const { cx } = fs;
  const layout = layoutOf(cx, e.expression);
  if (layout) {
    if (e.name.text === "size") return constInt(layout.size);
    if (e.name.text === "align") return constInt(layout.align);
    if (e.name.text === "at") cx.diags.error(e, "TSK1046", `'${e.getText()}' is a method: call it, ${e.getText()}(addr)`);
    else if (e.name.text === "offsets") cx.diags.error(e, "TSK1046", `'${e.getText()}' is not a value: name one field's offset, ${e.getText()}.field`);
    return ERROR; // anything else: tsc reported the unknown property
  }
  if (ts.isPropertyAccessExpression(e.expression) && e.expression.name.text === "offsets") {
    const l = layoutOf(cx, e.expression.expression);
    if (l) {
      const f = l.fields.get(e.name.text);
      return f ? constInt(f.offset) : ERROR; // unknown or rejected field: already reported
    }
  }
  if (!isViewTyped(cx, e.expression)) return undefined;
  const view = lowerExpr(fs, e.expression);
  if (view.k !== "view") return ERROR;
  const f = view.layout.fields.get(e.name.text);
  if (!f) return ERROR;
  return load(view, f);
}

/** The address of a field: the view's address + offset, wrapping at 2^32 as the view does. */
function fieldAddr(view: Val & { k: "view" }, offset: bigint): Expr {
  if (view.addr !== undefined) return { k: "int", v: (view.addr + offset) % TWO32, rep: "u32", hex: true };
  if (offset === 0n) return view.ir;
  return { k: "bin", op: "+", a: view.ir, b: { k: "int", v: offset, rep: "u32" }, rep: "u32" };
}

function load(view: Val & { k: "view" }, f: { offset: bigint; width: IntName }): Val {
  const name = f.width === "u8" ? "load8" : f.width === "u16" ? "load16" : "load32";
  const rep = f.width === "i32" ? "u32" : f.width;
  const raw: Expr = { k: "intrinsic", name, args: [fieldAddr(view, f.offset)], rep };
  const ir: Expr = f.width === "i32" ? { k: "conv", to: "i32", x: raw } : raw;
  return { k: "int", ir, ct: f.width, range: INT_RANGES[f.width], effects: true, stable: false };
}

/** `E.at(addr)`: a view; undefined when `e` is not a call of a layout's method. */
export function layoutCall(fs: FnScope, e: ts.CallExpression): Val | undefined {
  const { cx } = fs;
  const callee = e.expression;
  if (!ts.isPropertyAccessExpression(callee)) return undefined;
  const layout = layoutOf(cx, callee.expression);
  if (!layout) return undefined;
  if (callee.name.text !== "at" || e.arguments.length !== 1) return ERROR; // tsc reports it
  const a = e.arguments[0];
  const v = lowerExpr(fs, a);
  if (v.k === "error") return ERROR;
  if (v.k !== "int" || !within(v.range, U32)) {
    const why = v.k === "int" ? `can be ${show(v.range)}` : v.k === "nonint" ? "may not be an integer" : "is not an integer";
    cx.diags.error(a, "TSK1045", `${layout.name}.at() needs a u32 address, but '${a.getText()}' ${why}: write ${layout.name}.at(u32(${a.getText()}))`);
    return ERROR;
  }
  return { k: "view", layout, ir: u32Of(v), addr: v.js !== undefined ? BigInt(v.js) : undefined, effects: v.effects, stable: v.stable };
}

/** A view flowing into a place of type `ty` (or a value into a view place): undefined when neither
 *  is a view, else the IR or null after a diagnostic. */
export function flowView(fs: FnScope, v: Val, ty: Ty, node: ts.Node, what: string): Expr | null | undefined {
  if (v.k !== "view" && ty.k !== "view") return undefined;
  // A call that never returns (panic) stands for a view too: `return panic("...")`.
  if (v.k === "never") return { k: "never", call: v.ir, rep: "u32" };
  if (v.k === "view" && ty.k === "view") {
    if (v.layout === ty.layout) return v.ir;
    fs.cx.diags.error(node, "TSK1002", `${what} must be a View<typeof ${ty.layout.name}>, but '${node.getText()}' is a view of ${v.layout.name} (tsc may find the two alike; their fields are not the same memory): pass ${ty.layout.name}.at(addr)`);
    return null;
  }
  if (v.k === "view") misuse(fs, node, `${what} takes a ${describeTy(ty)}`);
  else if (v.k !== "error") fs.cx.diags.error(node, "TSK1002", `${what} must be a View<typeof ${(ty as Ty & { k: "view" }).layout.name}>: make one with ${(ty as Ty & { k: "view" }).layout.name}.at(addr)`);
  return null;
}

function describeTy(ty: Ty): string {
  return ty.k === "int" ? ty.name : ty.k === "bool" ? "boolean" : ty.k;
}

/** TSK1046 at `node`, a view used as a value of another kind. */
export function misuse(fs: FnScope, node: ts.Node, how: string): void {
  fs.cx.diags.error(node, "TSK1046", `'${node.getText()}' is a layout view (natively an address, in Node an object: they only agree on its fields): ${how}; read a field instead, or keep the address as a u32 beside it`);
}

/** The layout named as a value (`f(E)`, `const L = E`). */
export function layoutAsValue(fs: FnScope, node: ts.Identifier): void {
  fs.cx.diags.error(node, "TSK1046", `the layout '${node.text}' is not a value: use ${node.text}.at(addr), ${node.text}.size or ${node.text}.offsets.field`);
}

/** `view.f = x` and `view.f op= x`: undefined when the target is not a view's field. Stores wrap to
 *  the field's width (ToUint8/16/32, ToInt32), as JavaScript's typed arrays do, so any exact
 *  integer may be stored. JavaScript's order: the view, (the old value,) the right side, the store. */
export function fieldAssignment(fs: FnScope, e: ts.BinaryExpression, binop: ts.SyntaxKind | undefined, loc: Loc): Simple | null | undefined {
  return fieldStore(fs, e, e.left, e.right, binop, loc);
}

/** `view.f++` and `view.f--`: `view.f += 1` (the store wraps, as the field's typed array would). */
export function fieldStep(fs: FnScope, e: ts.PrefixUnaryExpression | ts.PostfixUnaryExpression, loc: Loc): Simple | null | undefined {
  return fieldStore(fs, e, e.operand, undefined, e.operator === ts.SyntaxKind.PlusPlusToken ? ts.SyntaxKind.PlusToken : ts.SyntaxKind.MinusToken, loc);
}

/** A store of `right` (undefined: the constant 1 of ++/--), combined with the old value by `binop`. */
function fieldStore(fs: FnScope, e: ts.Expression, left: ts.Expression, right: ts.Expression | undefined, binop: ts.SyntaxKind | undefined, loc: Loc): Simple | null | undefined {
  if (!ts.isPropertyAccessExpression(left) || !isViewTyped(fs.cx, left.expression)) return undefined;
  let view = lowerExpr(fs, left.expression);
  if (view.k !== "view") return null;
  const f = view.layout.fields.get(left.name.text);
  if (!f) return null;
  // The view's address is read once: a temporary when it could change while the right side runs.
  const temps: { t: Temp; x: Expr }[] = [];
  if (!view.stable) {
    const t: Temp = { id: fs.temps.length + 1, rep: "u32" };
    fs.temps.push(t);
    temps.push({ t, x: view.ir });
    view = { ...view, ir: { k: "temp", t }, effects: false, stable: true };
  }
  let v: Val;
  const rhs = right ? lowerExpr(fs, right) : constInt(1n);
  if (binop === undefined) v = rhs;
  else v = applyBinary(fs, { node: e, left, right: right ?? e, op: binop }, load(view, f), rhs);
  if (v.k === "error") return null;
  const x = bitOperand(fs, v, binop === undefined && right ? right : e, `a store to ${left.getText()}`);
  if (!x) return null;
  if (!isExact(x.range)) {
    fs.cx.diags.error(right ?? e, "TSK1003", `'${e.getText()}' stores a value that can reach ${show(x.range)}, beyond 2^53, where JavaScript's numbers are no longer exact: coerce it first`);
    return null;
  }
  const seq = sequence(fs, [view, x]);
  const [vv, xv] = seq.vals as [Val & { k: "view" }, Val & { k: "int" }];
  const name = f.width === "u8" ? "store8" : f.width === "u16" ? "store16" : "store32";
  const bits = u32Of(xv);
  const value: Expr = f.width === "u8" || f.width === "u16" ? { k: "conv", to: f.width, x: bits } : bits;
  const store: Val = { k: "void", ir: { k: "intrinsic", name, args: [fieldAddr(vv, f.offset), value], rep: "void" }, effects: true, stable: false };
  let ir = seq.wrap(store).ir;
  if (temps.length) ir = { k: "seq", temps, body: ir };
  return { k: "expr", x: ir, loc };
}
