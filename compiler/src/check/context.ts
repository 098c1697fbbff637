// What the checker knows about the program: every function, global, local and enum by its
// TypeScript symbol, their subset types, and the IR objects they become. No target names here:
// backends name things.
import * as ts from "typescript";
import * as path from "path";
import { Diagnostics } from "../front/diagnostics";
import { Loaded, isIntrinsicsModule, isPrelude } from "../front/program";
import { Fn, Module, Rep, Var } from "../ir/ir";
import { IntName, LayoutDesc, Range, Ty, INT_RANGES, U32, I32, within } from "./types";
import { Backend } from "../backend/backend";
import { viewTypeOf } from "./layouts";
import { arrayTypeProblem } from "./arrays";

export interface FnInfo {
  decl: ts.FunctionDeclaration;
  params: { name: string; ty: Ty }[];
  ret: Ty;
  exported: boolean;
  /** `@extern` in its doc comment: an external symbol under its own name, for assembly to call. */
  externC: boolean;
  /** The export specifier that made it external (`export { f as kmain }`), for diagnostics. */
  exportSite?: ts.Node;
  ir: Fn;
}

export interface VarInfo {
  v: Var;
  ty: Ty;
  /** The value, when it is a constant known at compile time. */
  value?: bigint;
  /** The value of a boolean constant. */
  boolValue?: boolean;
  /** What the checker proved about a `const` local beyond its type. */
  range?: Range;
  global: boolean;
}

export interface EnumInfo {
  name: string;
  ty: Ty & { k: "enum" };
}

export class Context {
  readonly checker: ts.TypeChecker;
  readonly fns = new Map<ts.Symbol, FnInfo>();
  readonly vars = new Map<ts.Symbol, VarInfo>();
  readonly enums = new Map<ts.Symbol, EnumInfo>();
  /** Memory layouts (check/layouts.ts), by the symbol of their module-level const. */
  readonly layouts = new Map<ts.Symbol, LayoutDesc>();
  /** Functions whose declaration was rejected: calls to them are not reported again. */
  readonly rejectedFns = new Set<ts.Symbol>();
  /** Call graph edges, for the recursion rule. */
  readonly calls: { from: FnInfo; to: FnInfo; node: ts.Node }[] = [];
  private readonly moduleOf = new Map<ts.SourceFile, Module>();

  constructor(
    readonly loaded: Loaded,
    readonly diags: Diagnostics,
    readonly entry: ts.SourceFile,
    readonly backend: Backend,
  ) {
    this.checker = loaded.checker;
  }

  /** The IR module of a source file: its path relative to the entry's directory. */
  module(sf: ts.SourceFile): Module {
    let m = this.moduleOf.get(sf);
    if (!m) {
      const rel = path.relative(this.loaded.root, sf.fileName).replace(/\.ts$/, "").split(path.sep).join("/");
      m = { file: sf.fileName, path: rel };
      this.moduleOf.set(sf, m);
    }
    return m;
  }

  /** A new IR variable of type `ty` (module-level when `sf` is given). */
  newVar(name: string, ty: Ty, sf?: ts.SourceFile): Var {
    return { name, rep: repOfTy(ty) as Var["rep"], module: sf ? this.module(sf) : undefined };
  }

  /** The enum type of declaration `id`, if registered. */
  enumById(id: object): (Ty & { k: "enum" }) | undefined {
    for (const e of this.enums.values()) if (e.ty.id === id) return e.ty;
    return undefined;
  }

  /** The symbol behind an identifier, through imports and re-exports. Remembered per node: the
   *  rules ask again about nodes already asked about (a kernel check: 3,354 questions, 1,893 nodes),
   *  and the checker resolves the name anew each time (a walk up the scopes), with the same answer. */
  symbolOf(node: ts.Node): ts.Symbol | undefined {
    if (this.symbols.has(node)) return this.symbols.get(node);
    let s = this.checker.getSymbolAtLocation(node);
    while (s && s.flags & ts.SymbolFlags.Alias) s = this.checker.getAliasedSymbol(s);
    this.symbols.set(node, s);
    return s;
  }
  private readonly symbols = new Map<ts.Node, ts.Symbol | undefined>();

  declFile(s: ts.Symbol): ts.SourceFile | undefined {
    const d = s.declarations?.[0];
    return d?.getSourceFile();
  }

  isPreludeSymbol(s: ts.Symbol): boolean {
    const f = this.declFile(s);
    return !!f && isPrelude(f);
  }

  isIntrinsicSymbol(s: ts.Symbol): boolean {
    const f = this.declFile(s);
    return !!f && isIntrinsicsModule(f) && !!(s.flags & ts.SymbolFlags.Function);
  }

  /** The subset type a type annotation names, or a TSK1002 diagnostic and undefined. */
  typeOf(node: ts.TypeNode | undefined, where: ts.Node, what: string): Ty | undefined {
    if (!node) return undefined;
    switch (node.kind) {
      case ts.SyntaxKind.BooleanKeyword:
        return { k: "bool" };
      case ts.SyntaxKind.VoidKeyword:
        return { k: "void" };
      case ts.SyntaxKind.NeverKeyword:
        return { k: "never" };
      case ts.SyntaxKind.StringKeyword:
        return { k: "string" };
      case ts.SyntaxKind.NumberKeyword:
        this.diags.error(node, "TSK1002", `${what} has type 'number': choose u8, u16, u32 or i32 (a JavaScript number can hold fractions; the subset's integers cannot)`);
        return undefined;
    }
    const view = viewTypeOf(this, node, what);
    if (view !== undefined) return view || undefined;
    if (arrayTypeProblem(this, node, what)) return undefined;
    if (ts.isTypeReferenceNode(node) && ts.isIdentifier(node.typeName) && !node.typeArguments) {
      const s = this.symbolOf(node.typeName);
      if (s && this.isPreludeSymbol(s)) {
        const n = node.typeName.text;
        if (n === "bool") return { k: "bool" };
        if (n in INT_RANGES) return { k: "int", name: n as IntName };
      }
      if (s && s.flags & ts.SymbolFlags.Enum) {
        const e = this.enums.get(s);
        if (e) return e.ty;
        if (!this.enumInProgram(s, node)) return undefined;
      }
    }
    this.diags.error(node, "TSK1002", `${what} has type '${node.getText()}', which is not in the subset: use u8, u16, u32, i32, boolean or an enum`);
    return undefined;
  }

  /** False, after a TSK1031 diagnostic at `at`, for an enum declared where only the type checker
   *  sees it (a .d.ts, a script file, a `/// <reference>`d file): Node never loads it. */
  enumInProgram(s: ts.Symbol, at: ts.Node): boolean {
    const sf = this.declFile(s);
    if (sf && this.loaded.modules.includes(sf)) return true;
    const where = sf ? path.basename(sf.fileName) : "a file outside the program";
    this.diags.error(at, "TSK1031", `the enum '${s.name}' is declared in ${where}, which only the type checker sees (a .d.ts, a script or a /// <reference>d file) and Node never loads: declare the enum in a module and import it`);
    return false;
  }

  /** Register an enum declaration: members must be integer constants that fit 32 bits. */
  declareEnum(decl: ts.EnumDeclaration): void {
    const s = this.checker.getSymbolAtLocation(decl.name);
    if (!s) return;
    if (this.enums.has(s)) {
      this.diags.error(decl.name, "TSK1026", `enum '${decl.name.text}' is declared twice in this module: declare each enum once, with all its members`);
      return;
    }
    let lo: bigint | undefined;
    let hi: bigint | undefined;
    const values: bigint[] = [];
    for (const m of decl.members) {
      const v = this.checker.getConstantValue(m);
      if (typeof v !== "number" || !Number.isInteger(v)) {
        this.diags.error(m, "TSK1006", `enum member '${m.name.getText()}' must have an integer value: give it an integer literal, e.g. ${m.name.getText()} = 1`);
        continue;
      }
      const b = BigInt(v);
      if (!within({ lo: b, hi: b }, U32) && !within({ lo: b, hi: b }, I32)) {
        this.diags.error(m, "TSK1006", `enum member '${m.name.getText()}' = ${v} does not fit 32 bits: choose a value in -2^31..2^32-1`);
        continue;
      }
      values.push(b);
      lo = lo === undefined || b < lo ? b : lo;
      hi = hi === undefined || b > hi ? b : hi;
    }
    const range = { lo: lo ?? 0n, hi: hi ?? 0n };
    if (!within(range, U32) && !within(range, I32)) {
      this.diags.error(decl.name, "TSK1006", `enum '${decl.name.text}' mixes values that fit neither u32 nor i32 together: keep them all non-negative, or all within i32`);
    }
    this.enums.set(s, { name: decl.name.text, ty: { k: "enum", name: decl.name.text, id: decl, range, values } });
  }
}

/** The machine representation of values of `t`. */
export function repOfTy(t: Ty): Rep {
  switch (t.k) {
    case "int":
      return t.name;
    case "enum":
      return t.range.lo < 0n ? "i32" : "u32";
    case "bool":
      return "bool";
    case "string":
      return "str";
    case "view":
      return "u32";
    case "void":
    case "never":
      return "void";
  }
}

/** The integer representation `t` is held in natively. */
export function intNameOf(t: Ty): IntName | undefined {
  if (t.k === "int") return t.name;
  if (t.k === "enum") return t.range.lo < 0n ? "i32" : "u32";
  return undefined;
}
