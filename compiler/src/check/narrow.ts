// Flow narrowing, small and sound: inside a region a guard dominates, a local variable or parameter
// that nothing in the region assigns has the range the guard proves (intersected with what was
// known). It is what proves typed-array indices (arrays.ts) from the programmer's own check:
//   if (i >= a.length) return panic("...");  a[i] = 0;      for (let i: u32 = 0; i < a.length; i++) a[i] = 0;
// Guards: comparisons (<, <=, >, >=, ===, ==) of such a variable with an integer expression
// without calls, `!`, `&&` (each conjunct when true), `||` (each disjunct when false). Regions: an
// if's branches, a while or for body (not the for's step), the right operand of && and ||, the
// branches of ?:, and the rest of a block after `if (guard) <exit>` (return, break, continue, or a
// call of a function returning never; or the same on the else side). Globals are never narrowed:
// any call may change them.
import * as ts from "typescript";
import { FnScope, lowerExpr } from "./expr";
import { Range, INT_RANGES } from "./types";
import { intNameOf } from "./context";

export type Facts = Map<ts.Symbol, Range>;

/** The narrowed range of a local, if a guard narrowed it here. */
export function narrowed(fs: FnScope, s: ts.Symbol): Range | undefined {
  return fs.narrow?.get(s);
}

/** A local or parameter of integer type, not a global (which any call may change). */
function narrowable(fs: FnScope, e: ts.Expression): ts.Symbol | undefined {
  while (ts.isParenthesizedExpression(e)) e = e.expression;
  if (!ts.isIdentifier(e)) return undefined;
  const s = fs.cx.symbolOf(e);
  const v = s && fs.cx.vars.get(s);
  if (!s || !v || v.global || v.value !== undefined || !intNameOf(v.ty)) return undefined;
  return s;
}

function hasCall(e: ts.Node): boolean {
  const todo: ts.Node[] = [e];
  while (todo.length) {
    const n = todo.pop()!;
    if (ts.isCallExpression(n) || ts.isNewExpression(n)) return true;
    ts.forEachChild(n, (c) => {
      todo.push(c);
    });
  }
  return false;
}

const FLIP: Record<string, string> = { "<": ">", "<=": ">=", ">": "<", ">=": "<=", "==": "==" };
const NEGATE: Record<string, string | undefined> = { "<": ">=", "<=": ">", ">": "<=", ">=": "<", "==": undefined, "!=": "==" };
const OPS: Partial<Record<ts.SyntaxKind, string>> = {
  [ts.SyntaxKind.LessThanToken]: "<",
  [ts.SyntaxKind.LessThanEqualsToken]: "<=",
  [ts.SyntaxKind.GreaterThanToken]: ">",
  [ts.SyntaxKind.GreaterThanEqualsToken]: ">=",
  [ts.SyntaxKind.EqualsEqualsEqualsToken]: "==",
  [ts.SyntaxKind.EqualsEqualsToken]: "==",
  [ts.SyntaxKind.ExclamationEqualsEqualsToken]: "!=",
  [ts.SyntaxKind.ExclamationEqualsToken]: "!=",
};

function intersect(a: Range, b: Range): Range {
  return { lo: a.lo > b.lo ? a.lo : b.lo, hi: a.hi < b.hi ? a.hi : b.hi };
}

function merge(a: Facts, b: Facts): Facts {
  const out = new Map(a);
  for (const [s, r] of b) out.set(s, out.has(s) ? intersect(out.get(s)!, r) : r);
  return out;
}

/** What `cond` evaluating to `truth` proves about locals (before intersecting with their ranges). */
export function factsOf(fs: FnScope, cond: ts.Expression, truth: boolean): Facts {
  const none: Facts = new Map();
  if (ts.isParenthesizedExpression(cond)) return factsOf(fs, cond.expression, truth);
  if (ts.isPrefixUnaryExpression(cond) && cond.operator === ts.SyntaxKind.ExclamationToken) return factsOf(fs, cond.operand, !truth);
  if (!ts.isBinaryExpression(cond)) return none;
  const k = cond.operatorToken.kind;
  // a && b true: both are; b is read where a held (as it is evaluated, and as condition() lowered
  // it), so its operands are lowered under a's facts. a || b false: likewise with both false.
  const both = (want: boolean): Facts => {
    const fa = factsOf(fs, (cond as ts.BinaryExpression).left, want);
    return merge(fa, withFacts(fs, fa, [(cond as ts.BinaryExpression).right], () => factsOf(fs, (cond as ts.BinaryExpression).right, want)));
  };
  if (k === ts.SyntaxKind.AmpersandAmpersandToken) return truth ? both(true) : none;
  if (k === ts.SyntaxKind.BarBarToken) return truth ? none : both(false);
  let op = OPS[k];
  if (!op) return none;
  if (!truth) op = NEGATE[op];
  if (!op || op === "!=") return none;
  let s = narrowable(fs, cond.left);
  let other = cond.right;
  if (!s) {
    s = narrowable(fs, cond.right);
    other = cond.left;
    op = FLIP[op];
  }
  if (!s || hasCall(other)) return none;
  const v = lowerExpr(fs, other);
  if (v.k !== "int") return none;
  const k2 = v.range;
  const r: Range = op === "<" ? { lo: -(1n << 64n), hi: k2.hi - 1n }
    : op === "<=" ? { lo: -(1n << 64n), hi: k2.hi }
    : op === ">" ? { lo: k2.lo + 1n, hi: 1n << 64n }
    : op === ">=" ? { lo: k2.lo, hi: 1n << 64n }
    : k2;
  return new Map([[s, r]]);
}

/** The locals and parameters assigned (=, op=, ++, --) anywhere in `nodes`. */
function assignedIn(fs: FnScope, nodes: readonly ts.Node[]): Set<ts.Symbol> {
  const out = new Set<ts.Symbol>();
  const todo: ts.Node[] = [...nodes];
  const K = ts.SyntaxKind;
  const target = (e: ts.Expression): void => {
    while (ts.isParenthesizedExpression(e)) e = e.expression;
    if (!ts.isIdentifier(e)) return;
    const s = fs.cx.symbolOf(e);
    if (s) out.add(s);
  };
  while (todo.length) {
    const n = todo.pop()!;
    if (ts.isBinaryExpression(n) && n.operatorToken.kind >= K.FirstAssignment && n.operatorToken.kind <= K.LastAssignment) target(n.left);
    if ((ts.isPrefixUnaryExpression(n) || ts.isPostfixUnaryExpression(n)) && (n.operator === K.PlusPlusToken || n.operator === K.MinusMinusToken)) target(n.operand);
    ts.forEachChild(n, (c) => {
      todo.push(c);
    });
  }
  return out;
}

/** Runs `run` with `facts` applied to the variables `region` does not assign. */
export function withFacts<T>(fs: FnScope, facts: Facts, region: readonly ts.Node[], run: () => T): T {
  if (!facts.size) return run();
  const assigned = assignedIn(fs, region);
  const before = fs.narrow;
  const next = new Map(before ?? []);
  for (const [s, r] of facts) {
    if (assigned.has(s)) continue;
    const v = fs.cx.vars.get(s)!;
    const known = next.get(s) ?? v.range ?? (v.ty.k === "enum" ? v.ty.range : INT_RANGES[intNameOf(v.ty)!]);
    const n = intersect(known, r);
    // An empty range: the region never runs; keep what was known (nothing to prove there).
    if (n.lo <= n.hi) next.set(s, n);
  }
  fs.narrow = next;
  try {
    return run();
  } finally {
    fs.narrow = before;
  }
}

/** `cond` as a guard of `region` (the branch taken when it is `truth`). */
export function guarded<T>(fs: FnScope, cond: ts.Expression, truth: boolean, region: readonly ts.Node[], run: () => T): T {
  return withFacts(fs, factsOf(fs, cond, truth), region, run);
}

/** Whether `s` always leaves the block it is in: return, break, continue, a call of a function
 *  returning never (panic), or a block or if whose every way ends so. */
export function exits(fs: FnScope, s: ts.Statement): boolean {
  if (ts.isReturnStatement(s) || ts.isBreakStatement(s) || ts.isContinueStatement(s)) return true;
  if (ts.isBlock(s)) return s.statements.length > 0 && exits(fs, s.statements[s.statements.length - 1]);
  if (ts.isIfStatement(s)) return !!s.elseStatement && exits(fs, s.thenStatement) && exits(fs, s.elseStatement);
  if (ts.isExpressionStatement(s)) {
    let e = s.expression;
    while (ts.isParenthesizedExpression(e)) e = e.expression;
    if (!ts.isCallExpression(e)) return false;
    const callee = ts.isPropertyAccessExpression(e.expression) ? e.expression.name : e.expression;
    const f = fs.cx.symbolOf(callee);
    const fn = f && fs.cx.fns.get(f);
    return !!fn && fn.ret.k === "never";
  }
  return false;
}

/** After `if (c) <exit>` (or `if (c) ... else <exit>`), what the rest of the block may assume,
 *  and the branch that falls through into it (part of the region: it must not assign either). */
export function afterGuard(fs: FnScope, s: ts.Statement): { facts: Facts; through: ts.Node[] } | undefined {
  if (!ts.isIfStatement(s)) return undefined;
  if (exits(fs, s.thenStatement)) return { facts: factsOf(fs, s.expression, false), through: s.elseStatement ? [s.elseStatement] : [] };
  if (s.elseStatement && exits(fs, s.elseStatement)) return { facts: factsOf(fs, s.expression, true), through: [s.thenStatement] };
  return undefined;
}
