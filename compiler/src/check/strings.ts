// Strings: ASCII literals passed to `string` parameters, s.length and s.charCodeAt(i) (TSK1009).
import * as ts from "typescript";
import { ERROR, Val, exactOf, fits32 } from "./values";
import { FnScope, lowerExpr } from "./expr";

export function stringLiteral(fs: FnScope, a: ts.StringLiteral | ts.NoSubstitutionTemplateLiteral): Val {
  for (const ch of a.text) {
    const code = ch.charCodeAt(0);
    if (code > 0x7e || (code < 0x20 && code !== 10 && code !== 13 && code !== 9)) {
      fs.cx.diags.error(a, "TSK1009", "string literals must be printable ASCII (plus \\n, \\r, \\t): charCodeAt would differ from the bytes sent");
      return ERROR;
    }
  }
  return { k: "string", ir: { k: "str", text: a.text }, effects: false, stable: true };
}

export function charCodeAt(fs: FnScope, e: ts.CallExpression, callee: ts.PropertyAccessExpression): Val {
  const s = lowerExpr(fs, callee.expression);
  if (s.k === "error") return ERROR;
  if (s.k !== "string" || e.arguments.length !== 1) {
    fs.cx.diags.error(callee, "TSK1009", "charCodeAt takes one index, on a string parameter: write s.charCodeAt(i) with s a string parameter");
    return ERROR;
  }
  const i = lowerExpr(fs, e.arguments[0]);
  if (i.k === "error") return ERROR;
  if (i.k !== "int" || !fits32(i.range)) {
    fs.cx.diags.error(e.arguments[0], "TSK1023", "the index must be an integer that fits 32 bits: coerce it, e.g. u32(i)");
    return ERROR;
  }
  const ex = exactOf(i);
  return { k: "nonint", ir: { k: "runtime", op: "char_at", args: [s.ir, { k: "conv", to: "i64", x: ex.ir }] }, range: { lo: 0n, hi: 127n }, effects: i.effects, stable: i.stable };
}
