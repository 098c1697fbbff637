// Statements: lowered one by one to C, each preceded by a #line directive naming its .ts line so
// gdb, addr2line and panic reports speak TypeScript.
import * as ts from "typescript";
import * as path from "path";
import { cType, intNameOf } from "./context";
import { FnScope, applyBinary, condition, flow, inferredType, inItsCaseClause, lowerExpr } from "./expr";
import { Ty, INT_RANGES, fits32, show, within, U32, describe } from "./types";
import { Val, constInt, exactCode, paren } from "./values";

export class Out {
  readonly lines: string[] = [];
  indent = 1;
  constructor(private readonly cwd: string) {}
  line(node: ts.Node): void {
    const sf = node.getSourceFile();
    const ln = sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1;
    const file = path.relative(this.cwd, sf.fileName).split(path.sep).join("/");
    this.lines.push(`#line ${ln} "${file}"`);
  }
  push(code: string): void {
    this.lines.push("  ".repeat(this.indent) + code);
  }
}

export function lowerBlock(fs: FnScope, out: Out, stmts: readonly ts.Statement[]): void {
  for (const s of stmts) lowerStmt(fs, out, s);
}

export function lowerStmt(fs: FnScope, out: Out, s: ts.Statement): void {
  try {
    lowerStatement(fs, out, s);
  } catch (e) {
    // A pathologically deep expression exhausts the compiler's own stack: say where, not how.
    if (!(e instanceof RangeError)) throw e;
    fs.cx.diags.error(s, "TSK1001", "this statement nests too deeply for tsk: split it into several statements");
  }
}

function lowerStatement(fs: FnScope, out: Out, s: ts.Statement): void {
  const { cx } = fs;
  const K = ts.SyntaxKind;
  switch (s.kind) {
    case K.Block:
      out.push("{");
      out.indent++;
      lowerBlock(fs, out, (s as ts.Block).statements);
      out.indent--;
      out.push("}");
      return;
    case K.EmptyStatement:
      return;
    case K.VariableStatement:
      return variables(fs, out, (s as ts.VariableStatement).declarationList);
    case K.ExpressionStatement:
      out.line(s);
      out.push(`${effect(fs, (s as ts.ExpressionStatement).expression)};`);
      return;
    case K.IfStatement: {
      const st = s as ts.IfStatement;
      out.line(st);
      out.push(`if (${condition(fs, st.expression) ?? "0"}) {`);
      body(fs, out, st.thenStatement);
      if (st.elseStatement) {
        out.push("} else {");
        body(fs, out, st.elseStatement);
      }
      out.push("}");
      return;
    }
    case K.WhileStatement: {
      const st = s as ts.WhileStatement;
      out.line(st);
      out.push(`while (${condition(fs, st.expression) ?? "0"}) {`);
      body(fs, out, st.statement);
      out.push("}");
      return;
    }
    case K.DoStatement: {
      const st = s as ts.DoStatement;
      out.line(st);
      out.push("do {");
      body(fs, out, st.statement);
      out.line(st.expression);
      out.push(`} while (${condition(fs, st.expression) ?? "0"});`);
      return;
    }
    case K.ForStatement:
      return forLoop(fs, out, s as ts.ForStatement);
    case K.BreakStatement:
    case K.ContinueStatement: {
      const st = s as ts.BreakOrContinueStatement;
      if (st.label) {
        cx.diags.error(st, "TSK1022", "labelled break/continue is not in the subset: use a flag or return from a function");
        return;
      }
      out.line(st);
      out.push(s.kind === K.BreakStatement ? "break;" : "continue;");
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
      cx.diags.error(s, "TSK1008", "classes are not in the subset");
      return;
    case K.LabeledStatement:
    case K.ForInStatement:
    case K.ForOfStatement:
    case K.WithStatement:
    case K.DebuggerStatement:
      cx.diags.error(s, "TSK1022", `${{ [K.LabeledStatement]: "labels", [K.ForInStatement]: "for...in", [K.ForOfStatement]: "for...of", [K.WithStatement]: "with", [K.DebuggerStatement]: "debugger" }[s.kind as number]} is not in the subset`);
      return;
    case K.TypeAliasDeclaration:
    case K.InterfaceDeclaration:
      return;
    default:
      cx.diags.error(s, "TSK1001", `${ts.SyntaxKind[s.kind]} is not in the subset`);
  }
}

/** A loop or branch body, always braced in C. */
function body(fs: FnScope, out: Out, s: ts.Statement): void {
  out.indent++;
  if (ts.isBlock(s)) lowerBlock(fs, out, s.statements);
  else lowerStmt(fs, out, s);
  out.indent--;
}

function variables(fs: FnScope, out: Out, list: ts.VariableDeclarationList, inFor = false): void {
  const { cx } = fs;
  if (!(list.flags & (ts.NodeFlags.Let | ts.NodeFlags.Const))) {
    cx.diags.error(list, "TSK1011", "'var' is not in the subset: use 'let' or 'const'");
    return;
  }
  const isConst = !!(list.flags & ts.NodeFlags.Const);
  for (const d of list.declarations) {
    const code = declaration(fs, d, isConst);
    if (code === undefined) continue;
    if (inFor) out.push(code);
    else {
      out.line(d);
      out.push(`${code};`);
    }
  }
}

/** `T name = init` for one local declaration, registering the variable. */
function declaration(fs: FnScope, d: ts.VariableDeclaration, isConst: boolean): string | undefined {
  const { cx } = fs;
  if (!ts.isIdentifier(d.name)) {
    cx.diags.error(d.name, "TSK1001", "destructuring is not in the subset: declare each variable");
    return undefined;
  }
  if (!d.initializer) {
    cx.diags.error(d, "TSK1013", `'${d.name.text}' needs an initializer: JavaScript would hold undefined, C garbage`);
    return undefined;
  }
  const v = lowerExpr(fs, d.initializer);
  let ty: Ty | undefined = d.type ? cx.typeOf(d.type, d, `'${d.name.text}'`) : inferredType(cx, v);
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
  const cname = cx.localName(d.name.text, fs.fn?.locals ?? new Set());
  const info = { cname, ty, global: false } as { cname: string; ty: Ty; global: boolean; value?: bigint; range?: import("./types").Range };
  if (isConst && v.k === "int" && init !== undefined) {
    if (v.js !== undefined) info.value = BigInt(v.js);
    else info.range = v.range;
  }
  // Registered even when the initializer was rejected, so later uses are still checked.
  cx.vars.set(s, info);
  if (init === undefined) return undefined;
  return `${isConst ? "const " : ""}${cType(ty)} ${cname} = ${init}`;
}


/** An expression statement: assignments, ++/--, calls. */
function effect(fs: FnScope, e: ts.Expression): string {
  const { cx } = fs;
  const K = ts.SyntaxKind;
  if (ts.isParenthesizedExpression(e)) return effect(fs, e.expression);
  if (ts.isBinaryExpression(e) && e.operatorToken.kind >= K.FirstAssignment && e.operatorToken.kind <= K.LastAssignment) {
    return assignment(fs, e);
  }
  if ((ts.isPostfixUnaryExpression(e) || ts.isPrefixUnaryExpression(e)) && (e.operator === K.PlusPlusToken || e.operator === K.MinusMinusToken)) {
    const target = targetOf(fs, e.operand);
    if (!target) return "(void)0";
    const op = e.operator === K.PlusPlusToken ? "+" : "-";
    const r = target.range;
    const next = op === "+" ? { lo: r.lo + 1n, hi: r.hi + 1n } : { lo: r.lo - 1n, hi: r.hi - 1n };
    if (!within(next, target.own)) {
      const n = e.operand.getText();
      cx.diags.error(e, "TSK1003", `'${e.getText()}' can leave the range of ${describe(target.ty)} (JavaScript does not wrap): write ${n} = ${intNameOf(target.ty)}(${n} ${op} 1)`);
      return "(void)0";
    }
    return `${target.cname}${op}${op}`;
  }
  const v = lowerExpr(fs, e);
  return v.k === "void" || v.k === "never" ? v.code : `(void)${paren(v.code)}`;
}

interface Target {
  cname: string;
  ty: Ty;
  range: import("./types").Range;
  own: import("./types").Range;
}

function targetOf(fs: FnScope, e: ts.Expression): Target | undefined {
  const { cx } = fs;
  if (!ts.isIdentifier(e)) {
    cx.diags.error(e, "TSK1008", "only variables can be assigned (memory is written through the arch/ layer)");
    return undefined;
  }
  const s = cx.symbolOf(e);
  const v = s && cx.vars.get(s);
  if (!v) return undefined; // tsc reports assignments to non-variables
  if (!inItsCaseClause(cx, s, e)) return undefined;
  const r = v.ty.k === "int" ? INT_RANGES[v.ty.name] : v.ty.k === "enum" ? v.ty.range : U32;
  return { cname: v.cname, ty: v.ty, range: r, own: r };
}

function assignment(fs: FnScope, e: ts.BinaryExpression): string {
  const { cx } = fs;
  const K = ts.SyntaxKind;
  const target = targetOf(fs, e.left);
  if (!target) return "(void)0";
  const op = e.operatorToken.kind;
  if (op === K.EqualsToken) {
    const v = lowerExpr(fs, e.right);
    const code = flow(fs, v, target.ty, e.right, `'${e.left.getText()}'`);
    return code === undefined ? "(void)0" : `${target.cname} = ${code}`;
  }
  // x op= y is x = x op y, checked as such (JavaScript computes it unwrapped).
  const binop = compoundOperator(op);
  if (binop === undefined) {
    cx.diags.error(e.operatorToken, "TSK1001", `'${e.operatorToken.getText()}' is not in the subset`);
    return "(void)0";
  }
  const v = applyBinary(fs, { node: e, left: e.left, right: e.right, op: binop }, lowerExpr(fs, e.left), lowerExpr(fs, e.right));
  if (v.k === "error") return "(void)0";
  const n = e.left.getText();
  const fix = `${n} = ${intNameOf(target.ty) ?? "u32"}(${n} ${ts.tokenToString(binop)} ${e.right.getText()})`;
  const code = flow(fs, v, target.ty, e, `'${n}'`, fix);
  return code === undefined ? "(void)0" : `${target.cname} = ${code}`;
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

function forLoop(fs: FnScope, out: Out, st: ts.ForStatement): void {
  out.line(st);
  let init = "";
  if (st.initializer) {
    if (ts.isVariableDeclarationList(st.initializer)) {
      const tmp = new Out("");
      variables(fs, tmp, st.initializer, true);
      if (tmp.lines.length > 1) {
        fs.cx.diags.error(st.initializer, "TSK1001", "declare one variable in a for loop's initializer");
      }
      init = tmp.lines.map((l) => l.trim()).join("");
    } else init = effect(fs, st.initializer);
  }
  const cond = st.condition ? condition(fs, st.condition) ?? "0" : "";
  const step = st.incrementor ? effect(fs, st.incrementor) : "";
  out.push(`for (${init}; ${cond}; ${step}) {`);
  body(fs, out, st.statement);
  out.push("}");
}

function returnStmt(fs: FnScope, out: Out, st: ts.ReturnStatement): void {
  const ret = fs.fn?.ret;
  out.line(st);
  if (!st.expression || !ret) {
    out.push("return;");
    return;
  }
  if (ret.k === "void") {
    out.push(`${effect(fs, st.expression)};`);
    out.push("return;");
    return;
  }
  const v = lowerExpr(fs, st.expression);
  const code = flow(fs, v, ret, st.expression, "the result");
  out.push(`return ${code ?? "0"};`);
}

function switchStmt(fs: FnScope, out: Out, st: ts.SwitchStatement): void {
  const { cx } = fs;
  out.line(st);
  const d = lowerExpr(fs, st.expression);
  if (d.k !== "int" || !fits32(d.range)) {
    if (d.k !== "error") cx.diags.error(st.expression, "TSK1023", `a switch needs an integer that fits 32 bits${d.k === "int" ? `, but '${st.expression.getText()}' can be ${show(d.range)}` : ""}`);
    return;
  }
  const disc = exactCode(d);
  out.push(`switch (${disc.code}) {`);
  const seen = new Set<bigint>();
  for (const clause of st.caseBlock.clauses) {
    if (ts.isCaseClause(clause)) {
      const v = lowerExpr(fs, clause.expression);
      if (v.k !== "int" || v.js === undefined) {
        if (v.k !== "error") cx.diags.error(clause.expression, "TSK1019", "a case must be a constant integer (a literal, a const or an enum member)");
        continue;
      }
      const c = BigInt(v.js);
      if (c < d.range.lo || c > d.range.hi) {
        cx.diags.error(clause.expression, "TSK1019", `case ${v.js} can never match '${st.expression.getText()}', which is ${show(d.range)}`);
        continue;
      }
      if (seen.has(c)) {
        cx.diags.error(clause.expression, "TSK1019", `case ${v.js} appears twice`);
        continue;
      }
      seen.add(c);
      out.push(`case ${disc.signed ? constInt(c).code : `${c}u`}: {`);
    } else {
      out.push("default: {");
    }
    out.indent++;
    lowerBlock(fs, out, clause.statements);
    out.indent--;
    out.push("}");
  }
  out.push("}");
}

