// The typed IR between the checker and the backends. Everything in it is already proved: integer
// operations carry the machine representation they compute in (wrapping is explicit as `conv`),
// evaluation order is fixed by temporaries where it matters, control flow is structured. It names
// things by identity (objects), never by a target's spelling: backends choose the names.
import { IntName } from "../check/types";

/** Machine representations. i64 only appears as a conversion feeding a comparison or a runtime op. */
export type Rep = IntName | "i64" | "bool" | "str" | "void";

/** A source position, for #line and debug info. `file` is absolute. */
export interface Loc {
  file: string;
  line: number;
}

/** A module of the program (one .ts file). `path` is relative to the entry's directory, no extension. */
export interface Module {
  file: string;
  path: string;
}

/** A variable: a parameter, a local, or a module-level global. */
export interface Var {
  name: string;
  rep: Exclude<Rep, "void" | "i64">;
  /** Defined at module level in `module`. */
  module?: Module;
}

/** A temporary the checker introduced to fix evaluation order. */
export interface Temp {
  id: number;
  rep: Exclude<Rep, "void">;
}

/** How a function is linked: internal, or external under exactly `name` (the entry module's exports
 *  the boot stub and tests call, `@extern` functions assembly calls). */
export type Linkage = { k: "internal" } | { k: "external"; name: string };

export interface Fn {
  name: string;
  module: Module;
  params: Var[];
  ret: Exclude<Rep, "i64" | "str">;
  /** Never returns (its result type is never). */
  noreturn: boolean;
  linkage: Linkage;
  loc: Loc;
  body: Stmt[];
  /** Temporaries used in the body. */
  temps: Temp[];
}

/** A module-level typed array (`const a = new Uint32Array(N)`): `length` elements of `elem`,
 *  zero at start (natively a static array in .bss). */
export interface ArrayObj {
  name: string;
  module: Module;
  elem: "u8" | "u16" | "u32" | "i32";
  length: number;
  loc: Loc;
}

export interface Global {
  v: Var;
  init: Const;
  constant: boolean;
  loc: Loc;
}

/** Operations the runtime (or a backend's own code) provides: JavaScript semantics C lacks. */
export type RuntimeOp = "div_u32" | "div_i64" | "mod_u32" | "mod_i64" | "char_at";

export type Const = { k: "int"; v: bigint; rep: "u32" | "i32"; hex?: boolean } | { k: "bool"; v: boolean };

export type BinOp = "+" | "-" | "*" | "%" | "&" | "|" | "^" | "<<" | ">>";
export type CmpOp = "==" | "!=" | "<" | "<=" | ">" | ">=";

export type Expr =
  | Const
  | { k: "str"; text: string }
  | { k: "var"; v: Var }
  | { k: "temp"; t: Temp }
  /** Representation change with C's conversion rules (unsigned: modulo 2^n; to i32: two's complement). */
  | { k: "conv"; to: Rep; x: Expr }
  /** On u32: modular; on i32: only `>>` (arithmetic shift). Operands have `rep`. */
  | { k: "bin"; op: BinOp; a: Expr; b: Expr; rep: "u32" | "i32" }
  /** Operands share one representation. */
  | { k: "cmp"; op: CmpOp; a: Expr; b: Expr }
  | { k: "not"; x: Expr }
  /** Bitwise complement of a u32. */
  | { k: "bnot"; x: Expr }
  | { k: "logic"; op: "&&" | "||"; a: Expr; b: Expr }
  | { k: "cond"; c: Expr; a: Expr; b: Expr; rep: Rep }
  | { k: "call"; fn: Fn; args: Expr[] }
  | { k: "intrinsic"; name: string; args: Expr[]; rep: Rep }
  | { k: "runtime"; op: RuntimeOp; args: Expr[] }
  | { k: "strlen"; s: Expr }
  /** arr[i]: `i` is a u32 the checker proved below arr.length (backends emit no check). */
  | { k: "index"; arr: ArrayObj; i: Expr }
  /** Evaluate each temporary's value in order, then `body`. */
  | { k: "seq"; temps: { t: Temp; x: Expr }[]; body: Expr }
  /** A call that never returns standing for a value of `rep` (`return panic("...")`). */
  | { k: "never"; call: Expr; rep: Rep };

/** A statement that fits a for loop's head. */
export type Simple =
  | { k: "decl"; v: Var; init: Expr; constant: boolean; loc: Loc }
  | { k: "assign"; v: Var; x: Expr; loc: Loc }
  | { k: "step"; v: Var; op: "+" | "-"; loc: Loc }
  | { k: "expr"; x: Expr; loc: Loc }
  /** arr[i] = x: evaluate `pre` (temporaries, in order), then `i`, then `x` (already in arr.elem);
   *  `i` is a constant, a local or a temporary (nothing `x` can change), proved below arr.length. */
  | { k: "store"; arr: ArrayObj; pre: { t: Temp; x: Expr }[]; i: Expr; x: Expr; loc: Loc };

export type Stmt =
  | Simple
  | { k: "block"; body: Stmt[] }
  | { k: "if"; c: Expr; then: Stmt[]; else?: Stmt[]; loc: Loc }
  | { k: "while"; c: Expr; body: Stmt[]; loc: Loc }
  | { k: "do"; body: Stmt[]; c: Expr; loc: Loc; condLoc: Loc }
  | { k: "for"; init?: Simple; c?: Expr; step?: Simple; body: Stmt[]; loc: Loc }
  | { k: "break"; loc: Loc }
  | { k: "continue"; loc: Loc }
  | { k: "return"; x?: Expr; loc: Loc }
  /** `signed`: the discriminant and case values are i32, else u32. */
  | { k: "switch"; disc: Expr; signed: boolean; cases: { value?: bigint; body: Stmt[] }[]; loc: Loc }
  /** The end of a function tsc proved unreachable (never, or a non-void function's end). */
  | { k: "unreachable"; why: "noreturn" | "proved" };

export interface Program {
  entry: Module;
  modules: Module[];
  globals: Global[];
  /** Module-level typed arrays. */
  arrays: ArrayObj[];
  fns: Fn[];
  /** For `tsk run`: the function whose u32 result the host program prints. */
  hostMain?: Fn;
}

/** The representation of an expression's value. */
export function repOf(e: Expr): Rep {
  switch (e.k) {
    case "int":
      return e.rep;
    case "bool":
    case "cmp":
    case "not":
    case "logic":
      return "bool";
    case "str":
      return "str";
    case "var":
      return e.v.rep;
    case "temp":
      return e.t.rep;
    case "conv":
      return e.to;
    case "bin":
      return e.rep;
    case "bnot":
      return "u32";
    case "cond":
    case "intrinsic":
    case "never":
      return e.rep;
    case "call":
      return e.fn.ret;
    case "runtime":
      return "u32";
    case "strlen":
      return "u32";
    case "index":
      return e.arr.elem;
    case "seq":
      return repOf(e.body);
  }
}
