// Statements: checked one by one and lowered to structured IR statements, each carrying its .ts
// line (backends turn it into #line or debug info, so gdb, addr2line and panic reports speak
// TypeScript).
import * as ts from "typescript";
import { intNameOf } from "./context";
import { FnScope, condition, flow, inferredType, inItsCaseClause, lowerExpr } from "./expr";
import { applyBinary } from "./arith";
import { Range, Ty, INT_RANGES, fits32, show, within, U32, describe } from "./types";
import { exactOf } from "./values";
import { Expr, Loc, Simple, Stmt, Var } from "../ir/ir";
import { describeNode, nestsTooDeeply } from "./syntax";
import { fieldAssignment, fieldStep } from "./layouts";
import { afterGuard, guarded, narrowed, withFacts } from "./narrow";
import { elementStore } from "./arrays";

export function locOf(node: ts.Node): Loc {
  const sf = node.getSourceFile();
  return { file: sf.fileName, line: sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1 };
}

export function lowerBlock(fs: FnScope, stmts: readonly ts.Statement[], from = 0, out: Stmt[] = []): Stmt[] {
  for (let i = from; i < stmts.length; i++) {
    lowerStmt(fs, out, stmts[i]);
    // After `if (guard) return ...;` the rest of the block knows the guard failed (narrow.ts).
    const g = i + 1 < stmts.length ? afterGuard(fs, stmts[i]) : undefined;
    if (g?.facts.size) return withFacts(fs, g.facts, [...stmts.slice(i + 1), ...g.through], () => lowerBlock(fs, stmts, i + 1, out));
  }
  return out;
}

export function lowerStmt(fs: FnScope, out: Stmt[], s: ts.Statement): void {
  const outermost = !fs.nestingMeasured;
  if (outermost && nestsTooDeeply(s)) {
    fs.cx.diags.error(s, "TSK1027", "this statement nests too deeply for tsk: split it into several statements");
    return;
  }
  fs.nestingMeasured = true;
  try {
    lowerStatement(fs, out, s);
  } catch (e) {
    // A pathologically deep expression exhausts the compiler's own stack: say where, not how.
    if (!(e instanceof RangeError)) throw e;
    fs.cx.diags.error(s, "TSK1027", "this statement nests too deeply for tsk: split it into several statements");
  } finally {
    if (outermost) fs.nestingMeasured = false;
  }
}

function lowerStatement(fs: FnScope, out: Stmt[], s: ts.Statement): void {
  const { cx } = fs;
  const K = ts.SyntaxKind;
  switch (s.kind) {
    case K.Block:
      out.push({ k: "block", body: lowerBlock(fs, (s as ts.Block).statements) });
      return;
    case K.EmptyStatement:
      return;
    case K.VariableStatement:
      return variables(fs, out, (s as ts.VariableStatement).declarationList);
    case K.ExpressionStatement: {
      const x = effect(fs, (s as ts.ExpressionStatement).expression, locOf(s));
      if (x) out.push(x);
      return;
    }
    case K.IfStatement: {
      const st = s as ts.IfStatement;
      const c = condition(fs, st.expression);
      const then = guarded(fs, st.expression, true, [st.thenStatement], () => body(fs, st.thenStatement));
      const els = st.elseStatement ? guarded(fs, st.expression, false, [st.elseStatement], () => body(fs, st.elseStatement!)) : undefined;
      if (c) out.push({ k: "if", c, then, else: els, loc: locOf(st) });
      return;
    }
    case K.WhileStatement: {
      const st = s as ts.WhileStatement;
      const c = condition(fs, st.expression);
      const b = guarded(fs, st.expression, true, [st.statement], () => body(fs, st.statement));
      if (c) out.push({ k: "while", c, body: b, loc: locOf(st) });
      return;
    }
    case K.DoStatement: {
      const st = s as ts.DoStatement;
      const b = body(fs, st.statement);
      const c = condition(fs, st.expression);
      if (c) out.push({ k: "do", body: b, c, loc: locOf(st), condLoc: locOf(st.expression) });
      return;
    }
    case K.ForStatement:
      return forLoop(fs, out, s as ts.ForStatement);
    case K.BreakStatement:
    case K.ContinueStatement: {
      const st = s as ts.BreakOrContinueStatement;
      if (st.label) {
        cx.diags.error(st, "TSK1022", "labelled break/continue is not in the subset: use a flag, or move the loops into a function and return");
        return;
      }
      out.push({ k: s.kind === K.BreakStatement ? "break" : "continue", loc: locOf(st) });
      return;
    }
    case K.ReturnStatement:
      return returnStmt(fs, out, s as ts.ReturnStatement);
    case K.SwitchStatement:
      return switchStmt(fs, out, s as ts.SwitchStatement);
    case K.ThrowStatement:
    case K.TryStatement:
      cx.diags.error(s, "TSK1010", "exceptions are not in the subset: return a status code, or call panic()");
      return;
    case K.FunctionDeclaration:
      cx.diags.error(s, "TSK1007", "nested functions are closures, which are not in the subset: move it to module level");
      return;
    case K.ClassDeclaration:
      cx.diags.error(s, "TSK1008", "classes are not in the subset: use module-level functions and variables");
      return;
    case K.LabeledStatement:
    case K.ForInStatement:
    case K.ForOfStatement:
    case K.WithStatement:
    case K.DebuggerStatement: {
      const alt: Record<number, string> = {
        [K.LabeledStatement]: "labels are not in the subset: use a flag, or move the loops into a function and return",
        [K.ForInStatement]: "for...in is not in the subset: there are no objects; loop over an index with for (let i: u32 = 0; ...)",
        [K.ForOfStatement]: "for...of is not in the subset: loop over an index with for (let i: u32 = 0; i < a.length; i++)",
        [K.WithStatement]: "with is not in the subset: name each variable",
        [K.DebuggerStatement]: "debugger is not in the subset: call the breakpoint() intrinsic from the arch layer",
      };
      cx.diags.error(s, "TSK1022", alt[s.kind]);
      return;
    }
    case K.TypeAliasDeclaration:
    case K.InterfaceDeclaration:
      return;
    default:
      cx.diags.error(s, "TSK1001", `${describeNode(s)} is not in the subset here: declare it at module level, or write the statement as docs/subset.md shows`);
  }
}

/** A loop or branch body. */
function body(fs: FnScope, s: ts.Statement): Stmt[] {
  if (ts.isBlock(s)) return lowerBlock(fs, s.statements);
  const out: Stmt[] = [];
  lowerStmt(fs, out, s);
  return out;
}

function variables(fs: FnScope, out: Stmt[], list: ts.VariableDeclarationList): void {
  const { cx } = fs;
  if (!(list.flags & (ts.NodeFlags.Let | ts.NodeFlags.Const))) {
    cx.diags.error(list, "TSK1011", "'var' is not in the subset: use 'let' or 'const'");
    return;
  }
  const isConst = !!(list.flags & ts.NodeFlags.Const);
  for (const d of list.declarations) {
    const decl = declaration(fs, d, isConst);
    if (decl) out.push(decl);
  }
}

/** One local declaration, registering the variable. */
function declaration(fs: FnScope, d: ts.VariableDeclaration, isConst: boolean): Simple | undefined {
  const { cx } = fs;
  if (!ts.isIdentifier(d.name)) {
    cx.diags.error(d.name, "TSK1001", "destructuring is not in the subset: declare each variable");
    return undefined;
  }
  if (!d.initializer) {
    cx.diags.error(d, "TSK1013", `'${d.name.text}' needs an initializer (JavaScript would hold undefined, C garbage): give it a value, e.g. = 0`);
    return undefined;
  }
  const v = lowerExpr(fs, d.initializer);
  const ty: Ty | undefined = d.type ? cx.typeOf(d.type, d, `'${d.name.text}'`) : inferredType(cx, v);
  if (!ty) {
    if (!d.type && v.k !== "error") cx.diags.error(d.name, "TSK1013", `'${d.name.text}' needs a type annotation, e.g. let ${d.name.text}: u32 = ...`);
    return undefined;
  }
  if (ty.k === "string" || ty.k === "void" || ty.k === "never") {
    cx.diags.error(d, "TSK1009", `'${d.name.text}': variables hold integers and booleans only`);
    return undefined;
  }
  const init = flow(fs, v, ty, d.initializer, `'${d.name.text}'`);
  const s = cx.checker.getSymbolAtLocation(d.name);
  if (!s) return undefined;
  const variable = cx.newVar(d.name.text, ty);
  const info = { v: variable, ty, global: false } as { v: Var; ty: Ty; global: boolean; value?: bigint; range?: Range };
  if (isConst && v.k === "int" && init !== undefined) {
    if (v.js !== undefined) info.value = BigInt(v.js);
    else info.range = v.range;
  }
  // Registered even when the initializer was rejected, so later uses are still checked.
  cx.vars.set(s, info);
  if (init === undefined) return undefined;
  return { k: "decl", v: variable, init, constant: isConst, loc: locOf(d) };
}

/** An expression statement: assignments, ++/--, calls. Undefined after a diagnostic. */
function effect(fs: FnScope, e: ts.Expression, loc: Loc): Simple | undefined {
  const { cx } = fs;
  const K = ts.SyntaxKind;
  if (ts.isParenthesizedExpression(e)) return effect(fs, e.expression, loc);
  if (ts.isBinaryExpression(e) && e.operatorToken.kind >= K.FirstAssignment && e.operatorToken.kind <= K.LastAssignment) {
    return assignment(fs, e, loc);
  }
  if ((ts.isPostfixUnaryExpression(e) || ts.isPrefixUnaryExpression(e)) && (e.operator === K.PlusPlusToken || e.operator === K.MinusMinusToken)) {
    const stored = fieldStep(fs, e, loc);
    if (stored !== undefined) return stored ?? undefined;
    if (ts.isElementAccessExpression(e.operand)) {
      return elementStore(fs, e.operand, e.operator === K.PlusPlusToken ? K.PlusToken : K.MinusToken, undefined, e, loc);
    }
    const target = targetOf(fs, e.operand);
    if (!target) return undefined;
    const op = e.operator === K.PlusPlusToken ? "+" : "-";
    // What a guard proved about the value before the step (a for loop's condition: narrow.ts).
    const s = ts.isIdentifier(e.operand) ? cx.symbolOf(e.operand) : undefined;
    const r = (s && narrowed(fs, s)) ?? target.range;
    const next = op === "+" ? { lo: r.lo + 1n, hi: r.hi + 1n } : { lo: r.lo - 1n, hi: r.hi - 1n };
    if (!within(next, target.range)) {
      const n = e.operand.getText();
      cx.diags.error(e, "TSK1003", `'${e.getText()}' can leave the range of ${describe(target.ty)} (JavaScript does not wrap): write ${n} = ${intNameOf(target.ty)}(${n} ${op} 1)`);
      return undefined;
    }
    return { k: "step", v: target.v, op, loc };
  }
  const v = lowerExpr(fs, e);
  if (v.k === "error") return undefined;
  return { k: "expr", x: v.ir, loc };
}

interface Target {
  v: Var;
  ty: Ty;
  range: Range;
}

function targetOf(fs: FnScope, e: ts.Expression): Target | undefined {
  const { cx } = fs;
  if (!ts.isIdentifier(e)) {
    cx.diags.error(e, "TSK1008", "only variables can be assigned: write memory through a function of the arch/ layer");
    return undefined;
  }
  const s = cx.symbolOf(e);
  const v = s && cx.vars.get(s);
  if (!v) return undefined; // tsc reports assignments to non-variables
  if (!inItsCaseClause(cx, s, e)) return undefined;
  const r = v.ty.k === "int" ? INT_RANGES[v.ty.name] : v.ty.k === "enum" ? v.ty.range : U32;
  return { v: v.v, ty: v.ty, range: r };
}

function assignment(fs: FnScope, e: ts.BinaryExpression, loc: Loc): Simple | undefined {
  const { cx } = fs;
  const K = ts.SyntaxKind;
  const op = e.operatorToken.kind;
  if (op === K.EqualsToken || compoundOperator(op) !== undefined) {
    const stored = fieldAssignment(fs, e, op === K.EqualsToken ? undefined : compoundOperator(op), loc);
    if (stored !== undefined) return stored ?? undefined;
  }
  if (ts.isElementAccessExpression(e.left)) {
    const binop = op === K.EqualsToken ? undefined : compoundOperator(op);
    if (op !== K.EqualsToken && binop === undefined) {
      cx.diags.error(e.operatorToken, "TSK1001", `'${e.operatorToken.getText()}' is not in the subset: write ${e.left.getText()} = ... with the subset's operators`);
      return undefined;
    }
    return elementStore(fs, e.left, binop, e.right, e, loc);
  }
  const target = targetOf(fs, e.left);
  if (!target) return undefined;
  if (op === K.EqualsToken) {
    const v = lowerExpr(fs, e.right);
    const x = flow(fs, v, target.ty, e.right, `'${e.left.getText()}'`);
    return x === undefined ? undefined : { k: "assign", v: target.v, x, loc };
  }
  // x op= y is x = x op y, checked as such (JavaScript computes it unwrapped).
  const binop = compoundOperator(op);
  if (binop === undefined) {
    const t = e.operatorToken.getText();
    cx.diags.error(e.operatorToken, "TSK1001", `'${t}' is not in the subset: write ${e.left.getText()} = ${t === "**=" ? "a product" : `(${e.left.getText()} ${t.slice(0, -1)} ...)`} with the subset's operators`);
    return undefined;
  }
  const v = applyBinary(fs, { node: e, left: e.left, right: e.right, op: binop }, lowerExpr(fs, e.left), lowerExpr(fs, e.right));
  if (v.k === "error") return undefined;
  const n = e.left.getText();
  const fix = `${n} = ${intNameOf(target.ty) ?? "u32"}(${n} ${ts.tokenToString(binop)} ${e.right.getText()})`;
  const x = flow(fs, v, target.ty, e, `'${n}'`, fix);
  return x === undefined ? undefined : { k: "assign", v: target.v, x, loc };
}

function compoundOperator(op: ts.SyntaxKind): ts.SyntaxKind | undefined {
  const K = ts.SyntaxKind;
  const map: Partial<Record<ts.SyntaxKind, ts.SyntaxKind>> = {
    [K.PlusEqualsToken]: K.PlusToken,
    [K.MinusEqualsToken]: K.MinusToken,
    [K.AsteriskEqualsToken]: K.AsteriskToken,
    [K.SlashEqualsToken]: K.SlashToken,
    [K.PercentEqualsToken]: K.PercentToken,
    [K.AmpersandEqualsToken]: K.AmpersandToken,
    [K.BarEqualsToken]: K.BarToken,
    [K.CaretEqualsToken]: K.CaretToken,
    [K.LessThanLessThanEqualsToken]: K.LessThanLessThanToken,
    [K.GreaterThanGreaterThanEqualsToken]: K.GreaterThanGreaterThanToken,
    [K.GreaterThanGreaterThanGreaterThanEqualsToken]: K.GreaterThanGreaterThanGreaterThanToken,
  };
  return map[op];
}

function forLoop(fs: FnScope, out: Stmt[], st: ts.ForStatement): void {
  const loc = locOf(st);
  let init: Simple | undefined;
  let ok = true;
  if (st.initializer) {
    if (ts.isVariableDeclarationList(st.initializer)) {
      const tmp: Stmt[] = [];
      variables(fs, tmp, st.initializer);
      if (st.initializer.declarations.length > 1) {
        fs.cx.diags.error(st.initializer, "TSK1001", "declare one variable in a for loop's initializer: declare the others before the loop");
        ok = false;
      }
      init = tmp[0] as Simple | undefined;
      if (!init) ok = false;
    } else {
      init = effect(fs, st.initializer, loc);
      if (!init) ok = false;
    }
  }
  let c: Expr | undefined;
  if (st.condition) {
    c = condition(fs, st.condition);
    if (!c) ok = false;
  }
  let step: Simple | undefined;
  if (st.incrementor) {
    // The step runs after the body, so the condition still holds there for a variable the body
    // does not assign: `i++` in `for (...; i < a.length; i++)` cannot leave u32.
    const incrementor = st.incrementor;
    step = st.condition ? guarded(fs, st.condition, true, [st.statement], () => effect(fs, incrementor, loc)) : effect(fs, incrementor, loc);
    if (!step) ok = false;
  }
  // The condition guards the body (the step may assign the variable; the body may not).
  const b = st.condition ? guarded(fs, st.condition, true, [st.statement], () => body(fs, st.statement)) : body(fs, st.statement);
  if (ok) out.push({ k: "for", init, c, step, body: b, loc });
}

function returnStmt(fs: FnScope, out: Stmt[], st: ts.ReturnStatement): void {
  const ret = fs.fn?.ret;
  const loc = locOf(st);
  if (!st.expression || !ret) {
    out.push({ k: "return", loc });
    return;
  }
  if (ret.k === "void") {
    const x = effect(fs, st.expression, loc);
    if (x) out.push(x);
    out.push({ k: "return", loc });
    return;
  }
  const v = lowerExpr(fs, st.expression);
  const x = flow(fs, v, ret, st.expression, "the result");
  if (x) out.push({ k: "return", x, loc });
}

function switchStmt(fs: FnScope, out: Stmt[], st: ts.SwitchStatement): void {
  const { cx } = fs;
  const d = lowerExpr(fs, st.expression);
  if (d.k !== "int" || !fits32(d.range)) {
    if (d.k !== "error") cx.diags.error(st.expression, "TSK1023", `a switch needs an integer that fits 32 bits${d.k === "int" ? `, but '${st.expression.getText()}' can be ${show(d.range)}: coerce it, e.g. u32(${st.expression.getText()})` : ""}`);
    return;
  }
  const disc = exactOf(d);
  const cases: { value?: bigint; body: Stmt[] }[] = [];
  const seen = new Set<bigint>();
  for (const clause of st.caseBlock.clauses) {
    let value: bigint | undefined;
    if (ts.isCaseClause(clause)) {
      const v = lowerExpr(fs, clause.expression);
      if (v.k !== "int" || v.js === undefined) {
        if (v.k !== "error") cx.diags.error(clause.expression, "TSK1019", "a case must be a constant integer (a literal, a const or an enum member): use if/else for a computed value");
        continue;
      }
      const c = BigInt(v.js);
      if (c < d.range.lo || c > d.range.hi) {
        cx.diags.error(clause.expression, "TSK1019", `case ${v.js} can never match '${st.expression.getText()}', which is ${show(d.range)}: remove it, or widen the value's type`);
        continue;
      }
      if (seen.has(c)) {
        cx.diags.error(clause.expression, "TSK1019", `case ${v.js} appears twice: merge the two cases`);
        continue;
      }
      seen.add(c);
      value = c;
    }
    cases.push({ value, body: lowerBlock(fs, clause.statements) });
  }
  out.push({ k: "switch", disc: disc.ir, signed: disc.signed, cases, loc: locOf(st) });
}
