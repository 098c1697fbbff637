// What the lowering knows about the program: every function, global, local and enum by its
// TypeScript symbol, their subset types, and the C names they get.
import * as ts from "typescript";
import * as path from "path";
import { Diagnostics } from "./diagnostics";
import { Loaded, isIntrinsicsModule, isPrelude } from "./program";
import { C_TYPES, IntName, Range, Ty, INT_RANGES, U32, I32, within } from "./types";
import { C_LIBRARY_NAMES } from "./c-names";

export interface FnInfo {
  decl: ts.FunctionDeclaration;
  cname: string;
  params: { name: string; ty: Ty; cname: string }[];
  ret: Ty;
  exported: boolean;
  /** C names of its parameters and locals, each unique in the function. */
  locals: Set<string>;
  /** `@extern` in its doc comment: an external C symbol under its own name, for assembly to call. */
  externC: boolean;
}

export interface VarInfo {
  cname: string;
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
  ty: Ty;
}

const C_RESERVED = new Set(
  ("auto break case char const continue default do double else enum extern float for goto if inline int long " +
    "register restrict return short signed sizeof static struct switch typedef union unsigned void volatile while " +
    "main bool true false asm typeof _Bool NULL errno printf exit abort memcpy memset memmove memcmp " +
    "free malloc calloc realloc puts putchar abs labs div rand srand atoi strlen strcmp fprintf stdout stderr").split(" "),
);

/** Names C or its headers may already mean: keywords, library functions, gcc's predefined macros,
 *  the runtime's, `*_t` types, MACROS. */
export function cReserved(name: string): boolean {
  return C_RESERVED.has(name) || C_LIBRARY_NAMES.has(name) || /_t$/.test(name) || /^[A-Z][A-Z0-9_]*$/.test(name) || /^_[A-Z_]/.test(name);
}

export class Context {
  readonly checker: ts.TypeChecker;
  readonly fns = new Map<ts.Symbol, FnInfo>();
  readonly vars = new Map<ts.Symbol, VarInfo>();
  readonly enums = new Map<ts.Symbol, EnumInfo>();
  /** C names taken by globals and functions: locals must not shadow them. */
  readonly globalNames = new Set<string>();
  /** Call graph edges, for the recursion rule. */
  readonly calls: { from: FnInfo; to: FnInfo; node: ts.Node }[] = [];

  constructor(
    readonly loaded: Loaded,
    readonly diags: Diagnostics,
    readonly entry: ts.SourceFile,
  ) {
    this.checker = loaded.checker;
  }

  /** `mem/pat.ts` under the root → `mem_pat`. */
  modulePrefix(sf: ts.SourceFile): string {
    const rel = path.relative(this.loaded.root, sf.fileName).replace(/\.ts$/, "");
    const prefix = rel
      .split(/[\\/]/)
      .map((p) => (p === ".." ? "up" : p.replace(/[^A-Za-z0-9]/g, "_")))
      .join("_");
    return /^[0-9]/.test(prefix) ? `m${prefix}` : prefix;
  }

  /** The C name of a module-level declaration. The entry module's exports keep their own names
   *  (the boot stub calls `kmain`, tests call `main`); everything else is prefixed by its module. */
  globalName(sf: ts.SourceFile, name: string, exported = false): string {
    const prefix = sf === this.entry && exported ? "" : this.modulePrefix(sf);
    let c = prefix ? `${prefix}_${name}` : name;
    if (cReserved(c) || c.startsWith("tsk_")) c = `tsk_${c}`;
    // Distinct TypeScript names can meet in C (a_b.ts's c and a.ts's b_c): number the later ones.
    for (let n = 2, base = c; this.globalNames.has(c); n++) c = `${base}_${n}`;
    this.globalNames.add(c);
    return c;
  }

  /** A C name for a parameter or local, unique among `used` (the function's) and apart from every
   *  global, so that no C name ever shadows another (as distinct TypeScript names could meet). */
  localName(name: string, used: Set<string>): string {
    const base = cReserved(name) || name.startsWith("tsk_") ? `${name}_` : name;
    let c = base;
    for (let n = 2; used.has(c) || this.globalNames.has(c); n++) c = `${base}${n}`;
    used.add(c);
    return c;
  }

  /** The enum type named `name` (an expression's enum identity is its name). */
  enumByName(name: string): Ty | undefined {
    for (const e of this.enums.values()) if (e.name === name) return e.ty;
    return undefined;
  }

  /** The symbol behind an identifier, through imports and re-exports. */
  symbolOf(node: ts.Node): ts.Symbol | undefined {
    let s = this.checker.getSymbolAtLocation(node);
    while (s && s.flags & ts.SymbolFlags.Alias) s = this.checker.getAliasedSymbol(s);
    return s;
  }

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
      }
    }
    this.diags.error(node, "TSK1002", `${what} has type '${node.getText()}', which is not in the subset: use u8, u16, u32, i32, boolean or an enum`);
    return undefined;
  }

  /** Register an enum declaration: members must be integer constants that fit 32 bits. */
  declareEnum(decl: ts.EnumDeclaration): void {
    const s = this.checker.getSymbolAtLocation(decl.name);
    if (!s) return;
    if (this.enums.has(s) || [...this.enums.values()].some((e) => e.name === decl.name.text)) {
      this.diags.error(decl.name, "TSK1001", `enum '${decl.name.text}' is declared twice: declare each enum once, with all its members`);
      return;
    }
    let lo: bigint | undefined;
    let hi: bigint | undefined;
    const values: bigint[] = [];
    for (const m of decl.members) {
      const v = this.checker.getConstantValue(m);
      if (typeof v !== "number" || !Number.isInteger(v)) {
        this.diags.error(m, "TSK1006", `enum member '${m.name.getText()}' must have an integer value`);
        continue;
      }
      const b = BigInt(v);
      if (!within({ lo: b, hi: b }, U32) && !within({ lo: b, hi: b }, I32)) {
        this.diags.error(m, "TSK1006", `enum member '${m.name.getText()}' = ${v} does not fit 32 bits`);
        continue;
      }
      values.push(b);
      lo = lo === undefined || b < lo ? b : lo;
      hi = hi === undefined || b > hi ? b : hi;
    }
    const range = { lo: lo ?? 0n, hi: hi ?? 0n };
    if (!within(range, U32) && !within(range, I32)) {
      this.diags.error(decl.name, "TSK1006", `enum '${decl.name.text}' mixes values that fit neither u32 nor i32 together`);
    }
    this.enums.set(s, { name: decl.name.text, ty: { k: "enum", name: decl.name.text, range, values } });
  }
}

/** The C type that holds values of `t`. */
export function cType(t: Ty): string {
  switch (t.k) {
    case "int":
      return C_TYPES[t.name];
    case "enum":
      return t.range.lo < 0n ? "int32_t" : "uint32_t";
    case "bool":
      return "bool";
    case "string":
      return "tsk_str";
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
