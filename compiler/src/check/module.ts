// The module level: every module's declarations checked and lowered into one IR program (globals,
// functions, their linkage), plus the program-wide rules (recursion, names Node or the target
// owns, intrinsics modules). Backends take the IR from here; nothing below knows C.
import * as ts from "typescript";
import * as path from "path";
import { Context, FnInfo, VarInfo, repOfTy } from "./context";
import { Val } from "./values";
import { components } from "../front/graph";
import { Diagnostics } from "../front/diagnostics";
import { FnScope, flow, inferredType, lowerExpr } from "./expr";
import { INTRINSICS } from "./intrinsics";
import { Loaded, isIntrinsicsModule } from "../front/program";
import { locOf, lowerBlock } from "./stmt";
import { Ty } from "./types";
import { Const, Fn, Global, Program } from "../ir/ir";
import { Backend } from "../backend/backend";
import { checkModuleNames } from "./names";
import { describeNode, nestsTooDeeply } from "./syntax";
import { declareLayout, isLayoutCall, registerLayouts } from "./layouts";
import { declareArray, isArrayDeclaration, programArrays, rejectArray } from "./arrays";

export interface CheckOptions {
  /** The entry's `export function main(): u32` starts a host program (tsk run): it is the
   *  program's start function, which the backend calls, and no export is an external symbol. */
  hostMain: boolean;
}

/** Check every module of `loaded` and lower it to IR. Diagnostics go to `diags`; the IR is only
 *  meaningful when there are none. */
export function checkModules(loaded: Loaded, diags: Diagnostics, backend: Backend, opts: CheckOptions): Program {
  const entry = loaded.entry;
  const cx = new Context(loaded, diags, entry, backend);
  checkIntrinsicsModules(loaded, cx);
  for (const sf of loaded.modules) checkModuleNames(cx, sf);

  // Pass 1: names and types of everything declared at module level.
  for (const sf of loaded.modules) registerLayouts(cx, sf);
  for (const sf of loaded.modules) declareModule(cx, sf);
  const exportNames = entryExports(cx, opts);

  // Pass 2: globals, then functions.
  const globals: Global[] = [];
  for (const sf of loaded.modules) {
    for (const st of sf.statements) {
      if (ts.isVariableStatement(st) && !ts.getModifiers(st)?.some((m) => m.kind === ts.SyntaxKind.DeclareKeyword)) globals.push(...moduleVariables(cx, st));
    }
  }
  for (const fn of cx.fns.values()) functionBody(cx, fn);
  checkRecursion(cx);
  checkExternalNames(cx);

  const program: Program = {
    entry: cx.module(entry),
    modules: loaded.modules.map((m) => cx.module(m)),
    globals,
    arrays: programArrays(cx),
    fns: [...cx.fns.values()].map((f) => f.ir),
  };
  if (opts.hostMain) {
    const main = exportNames.get("main");
    if (!main || main.params.length || !(main.ret.k === "int" || main.ret.k === "enum")) {
      cx.diags.error(entry.statements[0] ?? entry, "TSK1030", "tsk run needs the module to export function main(): u32 (the number it prints)");
    } else program.hostMain = main.ir;
  }
  return program;
}

function checkIntrinsicsModules(loaded: Loaded, cx: Context): void {
  for (const sf of loaded.program.getSourceFiles()) {
    if (!isIntrinsicsModule(sf)) continue;
    for (const st of sf.statements) {
      if (ts.isFunctionDeclaration(st) && st.name && st.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword) && !INTRINSICS.has(st.name.text)) {
        cx.diags.error(st.name, "TSK1018", `'${st.name.text}' is exported from an intrinsics module but is not an intrinsic tsk knows (compiler/src/check/intrinsics.ts): add it there and to each backend, or move it to an ordinary module`);
      }
    }
  }
}

function isExported(node: ts.Node): boolean {
  return !!(ts.getCombinedModifierFlags(node as ts.Declaration) & ts.ModifierFlags.Export);
}

function declareModule(cx: Context, sf: ts.SourceFile): void {
  for (const st of sf.statements) {
    if (!ts.isEnumDeclaration(st) || ts.getModifiers(st)?.some((m) => m.kind === ts.SyntaxKind.DeclareKeyword)) continue;
    // Member initialisers run when Node loads the module, like module-level constants; and Node
    // compiles each file alone, so they may not use another module's values (see enumInOneModule).
    if (st.members.every((m) => !m.initializer || (enumInOneModule(cx, st, m.initializer) && initializedInOrder(cx, st, m.initializer)))) cx.declareEnum(st);
  }
  for (const st of sf.statements) {
    if (ts.canHaveModifiers(st) && ts.getModifiers(st)?.some((m) => m.kind === ts.SyntaxKind.DeclareKeyword)) {
      cx.diags.error(st, "TSK1026", "'declare' is not in the subset: it promises a value Node would not have; give the declaration its value");
      continue;
    }
    if (ts.isFunctionDeclaration(st)) declareFunction(cx, st);
    else if (ts.isVariableStatement(st) || ts.isEnumDeclaration(st)) continue;
    else if (ts.isImportDeclaration(st) || ts.isTypeAliasDeclaration(st) || ts.isInterfaceDeclaration(st)) continue;
    else if (ts.isExportDeclaration(st)) {
      // `export { f as default }` is `export default f` by another spelling.
      const named = st.exportClause && ts.isNamedExports(st.exportClause) ? st.exportClause.elements : [];
      for (const el of named) {
        if (el.name.text === "default") cx.diags.error(el, "TSK1015", "default exports are not in the subset: export the function under its own name");
      }
    }
    else if (ts.isClassDeclaration(st)) cx.diags.error(st, "TSK1008", "classes are not in the subset: use module-level functions and variables");
    else if (ts.isModuleDeclaration(st)) cx.diags.error(st, "TSK1015", "namespaces are not in the subset: use a module");
    else if (ts.isExportAssignment(st)) cx.diags.error(st, "TSK1015", "'export =' and 'export default' are not in the subset: export named declarations");
    else if (ts.isImportEqualsDeclaration(st)) cx.diags.error(st, "TSK1021", "'import =' is not in the subset: use import { ... } from \"./module\"");
    else if (!ts.isEmptyStatement(st)) cx.diags.error(st, "TSK1015", `${describeNode(st)}: a module may hold only declarations: put statements inside a function (a module has no start-up code in the subset)`);
  }
}

/**
 * Node compiles each module alone (ts.transpileModule): an enum member whose value depends on
 * another module's declarations is computed by tsc across modules but, in Node, at run time from
 * the import; and a member after it without an initializer becomes undefined there. So members
 * may use only literals and this module's own constants and enums.
 */
function enumInOneModule(cx: Context, st: ts.EnumDeclaration, init: ts.Expression): boolean {
  let ok = true;
  const sf = st.getSourceFile();
  forEachValueReference(cx, init, (n, decl) => {
    if (decl.getSourceFile() !== sf) {
      cx.diags.error(n, "TSK1031", `'${n.text}' is declared in ${path.basename(decl.getSourceFile().fileName)}: Node compiles each module alone and cannot compute this member (nor the members after it) from another module; write its value as a literal`);
      ok = false;
    }
  });
  return ok;
}

/** Calls `visit` for every name in `expr` that refers to a declaration of the program (not the
 *  prelude's, not a property name after a dot), with that declaration. Iterative: an initializer
 *  may nest deeper than the compiler's own stack. */
function forEachValueReference(cx: Context, expr: ts.Expression, visit: (n: ts.Identifier, decl: ts.Declaration) => void): void {
  const todo: ts.Node[] = [expr];
  while (todo.length) {
    const n = todo.pop()!;
    if (ts.isIdentifier(n) && !(ts.isPropertyAccessExpression(n.parent) && n.parent.name === n)) {
      const s = cx.symbolOf(n);
      const decl = s?.valueDeclaration ?? s?.declarations?.[0];
      if (s && decl && !cx.isPreludeSymbol(s)) visit(n, decl);
    }
    ts.forEachChild(n, (c) => {
      todo.push(c);
    });
  }
}

function declareFunction(cx: Context, d: ts.FunctionDeclaration): void {
  if (!d.name || d.modifiers?.some((m) => m.kind === ts.SyntaxKind.DefaultKeyword)) {
    cx.diags.error(d, "TSK1015", "default exports are not in the subset: export named functions (export function main(): u32)");
    return;
  }
  if (!d.body) {
    cx.diags.error(d, "TSK1026", "a function needs a body (overloads and 'declare function' are not in the subset): declare the function once, with its body");
    return;
  }
  if (d.typeParameters) cx.diags.error(d.typeParameters[0], "TSK1024", "generic functions are not in the subset: write one function per type");
  if (d.asteriskToken || d.modifiers?.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword)) {
    cx.diags.error(d.name, "TSK1001", "async functions and generators are not in the subset: write a plain function");
  }
  const params: FnInfo["params"] = [];
  let ok = true;
  for (const p of d.parameters) {
    if (ts.isIdentifier(p.name) && p.name.text === "this") {
      cx.diags.error(p, "TSK1020", "a 'this' parameter is not in the subset (functions have no receiver): remove it, and pass what it stands for as an ordinary parameter");
      ok = false;
      continue;
    }
    if (!ts.isIdentifier(p.name)) {
      cx.diags.error(p, "TSK1020", "destructured parameters are not in the subset: take each value as its own parameter");
      ok = false;
      continue;
    }
    if (p.questionToken || p.initializer || p.dotDotDotToken) {
      cx.diags.error(p, "TSK1020", `parameter '${p.name.text}' is optional, defaulted or rest: pass every argument explicitly`);
      ok = false;
      continue;
    }
    if (!p.type) {
      cx.diags.error(p, "TSK1025", `parameter '${p.name.text}' needs a type, e.g. ${p.name.text}: u32`);
      ok = false;
      continue;
    }
    const ty = cx.typeOf(p.type, p, `parameter '${p.name.text}'`);
    if (ty && (ty.k === "void" || ty.k === "never")) {
      cx.diags.error(p, "TSK1020", `parameter '${p.name.text}' has type ${ty.k}, which holds no value to pass: remove the parameter`);
    }
    if (!ty || ty.k === "void" || ty.k === "never") {
      ok = false;
      continue;
    }
    params.push({ name: p.name.text, ty });
  }
  if (!d.type) {
    cx.diags.error(d.name, "TSK1025", `function '${d.name.text}' needs an explicit result type (e.g. ': void' or ': u32')`);
    ok = false;
  }
  const ret = d.type ? cx.typeOf(d.type, d, `the result of '${d.name.text}'`) : undefined;
  if (ret && ret.k === "string") {
    cx.diags.error(d.type!, "TSK1009", "functions cannot return strings: return a number that selects one, and print it where it is used");
    ok = false;
  }
  const s = cx.checker.getSymbolAtLocation(d.name);
  if (s && (!ok || !ret)) cx.rejectedFns.add(s);
  if (!ok || !ret || !s) return;
  const sf = d.getSourceFile();
  const externC = ts.getJSDocTags(d).some((t) => t.tagName.text === "extern");
  const ir: Fn = {
    name: d.name.text,
    module: cx.module(sf),
    params: params.map((p) => cx.newVar(p.name, p.ty)),
    ret: ret.k === "never" ? "void" : (repOfTy(ret) as Fn["ret"]),
    noreturn: ret.k === "never",
    linkage: externC ? { k: "external", name: d.name.text } : { k: "internal" },
    loc: locOf(d),
    body: [],
    temps: [],
  };
  cx.fns.set(s, { decl: d, params, ret, exported: isExported(d), externC, ir });
}

/**
 * The entry module's exported functions, by the name they are exported under (`export function
 * kmain`, `export { kmain }`, `export { entry as main }`, re-exports): each becomes an external
 * symbol under exactly that name (the boot stub calls `kmain`, tests call theirs), never renamed.
 */
function entryExports(cx: Context, opts: CheckOptions): Map<string, FnInfo> {
  const out = new Map<string, FnInfo>();
  const modSym = cx.checker.getSymbolAtLocation(cx.entry);
  if (!modSym) return out;
  const named = new Map<FnInfo, string>();
  for (const ex of cx.checker.getExportsOfModule(modSym)) {
    let s: ts.Symbol | undefined = ex;
    while (s && s.flags & ts.SymbolFlags.Alias) s = cx.checker.getAliasedSymbol(s);
    const fn = s && cx.fns.get(s);
    if (!fn) continue;
    const name = ex.name;
    out.set(name, fn);
    // A host program (tsk run) links nothing against its exports: main is its start function,
    // which the backend calls, and the others stay internal.
    if (opts.hostMain) continue;
    if (name === "default") continue; // rejected (TSK1015)
    const where = ex.declarations?.[0] ?? fn.decl;
    const before = named.get(fn);
    if (before !== undefined) {
      cx.diags.error(where, "TSK1029", `'${fn.decl.name!.text}' is exported twice, as '${before}' and '${name}': an external symbol has one name; export it once`);
      continue;
    }
    if (fn.externC && fn.ir.linkage.k === "external" && fn.ir.linkage.name !== name) {
      cx.diags.error(where, "TSK1029", `'${fn.decl.name!.text}' is @extern (symbol '${fn.ir.linkage.name}') and exported as '${name}': a function has one external symbol; export it under its own name`);
      continue;
    }
    named.set(fn, name);
    fn.ir.linkage = { k: "external", name };
    if (where !== fn.decl && where.getSourceFile() === cx.entry) fn.exportSite = where;
  }
  return out;
}

/** External symbols are the target toolchain's namespace: each must be one the backend can give
 *  exactly (no libc name or macro, no linker-defined name) and unique. */
function checkExternalNames(cx: Context): void {
  const owners = new Map<string, FnInfo>();
  // Where to report: the export specifier that gave the name (export lists), else the function.
  const where = (fn: FnInfo): ts.Node => fn.exportSite ?? fn.decl.name!;
  for (const fn of cx.fns.values()) {
    if (fn.ir.linkage.k !== "external") continue;
    const name = fn.ir.linkage.name;
    const problem = cx.backend.externalNameProblem(name);
    if (problem) {
      cx.diags.error(where(fn), "TSK1029", `'${name}' would be the external symbol of '${fn.decl.name!.text}', but ${problem}: choose another name`);
      continue;
    }
    const other = owners.get(name);
    if (other) {
      cx.diags.error(where(fn), "TSK1029", `the external symbol '${name}' is already '${other.decl.name!.text}' in ${path.basename(other.decl.getSourceFile().fileName)} (an @extern function or an export of the entry): external symbols must be unique; rename one`);
      continue;
    }
    owners.set(name, fn);
  }
}

function functionBody(cx: Context, fn: FnInfo): void {
  const fs: FnScope = { cx, fn, temps: [] };
  for (const [i, p] of fn.ir.params.entries()) {
    const s = cx.checker.getSymbolAtLocation(fn.decl.parameters[i].name);
    if (s) cx.vars.set(s, { v: p, ty: fn.params[i].ty, global: false });
  }
  const body = lowerBlock(fs, fn.decl.body!.statements);
  if (fn.ret.k === "never") body.push({ k: "unreachable", why: "noreturn" });
  // tsc proved the end unreachable (a non-void function must return); should that proof ever have
  // a hole, the backend stops loudly rather than return garbage.
  else if (fn.ret.k !== "void") body.push({ k: "unreachable", why: "proved" });
  fn.ir.body = body;
  fn.ir.temps = fs.temps;
}

/** A module-level `let`/`const`: a global whose initializer must be a constant. */
function moduleVariables(cx: Context, st: ts.VariableStatement): Global[] {
  const out: Global[] = [];
  const list = st.declarationList;
  if (!(list.flags & (ts.NodeFlags.Let | ts.NodeFlags.Const))) {
    cx.diags.error(list, "TSK1011", "'var' is not in the subset: use 'let' or 'const'");
    return out;
  }
  const isConst = !!(list.flags & ts.NodeFlags.Const);
  const sf = st.getSourceFile();
  const fs: FnScope = { cx, fn: undefined, temps: [] };
  for (const d of list.declarations) {
    if (!ts.isIdentifier(d.name)) {
      cx.diags.error(d.name, "TSK1001", "destructuring is not in the subset: declare each variable");
      continue;
    }
    const name = d.name.text;
    // A rejected declaration is still declared (when its type is written), so its uses are not
    // reported again as unknown names.
    const declared = (): void => {
      const s = cx.checker.getSymbolAtLocation(d.name);
      const t = d.type && cx.typeOf(d.type, d, `'${name}'`);
      if (s && t) cx.vars.set(s, { v: cx.newVar(name, t, sf), ty: t, global: true });
    };
    if (!d.initializer) {
      cx.diags.error(d, "TSK1013", `'${name}' needs an initializer: give it a constant value, e.g. let ${name}: u32 = 0`);
      declared();
      continue;
    }
    if (nestsTooDeeply(d.initializer)) {
      cx.diags.error(d, "TSK1027", "this initializer nests too deeply for tsk: split it into several constants");
      continue;
    }
    let v: Val;
    try {
      if (isArrayDeclaration(cx, d)) {
        if (initializedInOrder(cx, st, d.initializer)) declareArray(fs, d as Parameters<typeof declareArray>[1], isConst);
        else rejectArray(cx, d);
        continue;
      }
      if (!initializedInOrder(cx, st, d.initializer)) {
        declared();
        continue;
      }
      if (isLayoutCall(cx, d.initializer)) {
        declareLayout(fs, d, isConst);
        continue;
      }
      v = lowerExpr(fs, d.initializer);
    } catch (e) {
      if (!(e instanceof RangeError)) throw e;
      cx.diags.error(d, "TSK1027", "this initializer nests too deeply for tsk: split it into several constants");
      continue;
    }
    if (v.k === "error") continue;
    // A view at a constant address is a constant too (natively that address).
    const constant = (v.k === "int" && v.js !== undefined) || (v.k === "bool" && v.js !== undefined) || (v.k === "view" && v.addr !== undefined);
    if (!constant) {
      cx.diags.error(d.initializer, "TSK1015", `module-level '${name}' needs a constant initializer (modules have no start-up code): initialise it in an init function`);
      declared();
      continue;
    }
    const ty: Ty | undefined = d.type ? cx.typeOf(d.type, d, `'${name}'`) : inferredType(cx, v);
    if (!ty) continue;
    const init = flow(fs, v, ty, d.initializer, `'${name}'`);
    const s = cx.checker.getSymbolAtLocation(d.name);
    if (init === undefined || !s) continue;
    const variable = cx.newVar(name, ty, sf);
    const info: VarInfo = { v: variable, ty, global: true };
    if (isConst && v.k === "int") info.value = BigInt(v.js!);
    if (isConst && v.k === "bool") info.boolValue = v.js;
    cx.vars.set(s, info);
    out.push({ v: variable, init: constantOf(v, ty), constant: isConst, loc: locOf(d) });
  }
  return out;
}

/** The constant a global starts with, in its own representation. */
function constantOf(v: Val, ty: Ty): Const {
  if (v.k === "bool") return { k: "bool", v: v.js! };
  if (v.k === "view") return { k: "int", v: v.addr!, rep: "u32", hex: true };
  const rep = repOfTy(ty);
  const js = BigInt((v as Val & { k: "int" }).js!);
  const bits = ((js % (1n << 32n)) + (1n << 32n)) % (1n << 32n);
  const hex = v.ir.k === "int" && v.ir.hex;
  return rep === "i32" ? { k: "int", v: js, rep: "i32", hex } : { k: "int", v: bits, rep: "u32", hex };
}

/**
 * Node runs a module's initializers top to bottom, after the modules it imports, and a module in an
 * import cycle may run before the other's initializers: there a constant is still undefined. The
 * target has no such order, so an initializer may read only constants and enums declared above it
 * in its own module, or in an imported module outside its cycle.
 */
function initializedInOrder(cx: Context, st: ts.Statement, init: ts.Expression): boolean {
  let ok = true;
  const sf = st.getSourceFile();
  forEachValueReference(cx, init, (n, decl) => {
    const dsf = decl.getSourceFile();
    if (dsf.isDeclarationFile) return;
    const later = dsf === sf && decl.getStart() > n.getStart();
    const cyclic = dsf !== sf && cx.loaded.inCycleWith(sf, dsf);
    if (later || cyclic) {
      cx.diags.error(n, "TSK1015", later
        ? `'${n.text}' is declared below this initializer: in Node it is not initialised yet here; declare it first`
        : `'${n.text}' comes from ${path.basename(dsf.fileName)}, which imports this module back: Node may run this initializer first, so move the constant out of the import cycle`);
      ok = false;
    }
  });
  return ok;
}

/** Recursion (direct or through other functions) is rejected at each call that closes a cycle. */
function checkRecursion(cx: Context): void {
  const edges = new Map<FnInfo, { to: FnInfo; node: ts.Node }[]>();
  for (const c of cx.calls) {
    if (!edges.has(c.from)) edges.set(c.from, []);
    edges.get(c.from)!.push({ to: c.to, node: c.node });
  }
  const sccOf = components(cx.fns.values(), (f) => (edges.get(f) ?? []).map((e) => e.to));
  for (const c of cx.calls) {
    if (sccOf.get(c.from) === sccOf.get(c.to)) {
      cx.diags.error(c.node, "TSK1012", `'${c.node.getText()}' makes '${c.from.decl.name!.text}' recursive: the kernel's stack is fixed and Node's is not, so write it as a loop`);
    }
  }
}

