// Names JavaScript or Node's module system own: declaring them in a module changes what Node runs
// (TSK1028). Node wraps each CommonJS module in function (exports, require, module, __filename,
// __dirname), and the transpiled module writes `exports.x = ...` and calls `require(...)` from
// inside it: a declaration of one of those names shadows the wrapper's. `__esModule` is the flag the
// transpiler sets on `exports`; `__proto__` is an object's prototype, not a property.
import * as ts from "typescript";
import { Context } from "./context";

const WRAPPER = new Set(["require", "module", "exports", "__filename", "__dirname"]);

/** The identifier `n` is the name a declaration introduces (or an export's public name). */
function declaredName(n: ts.Identifier): "binding" | "export" | "member" | undefined {
  const p = n.parent;
  if (!p) return undefined;
  if (ts.isExportSpecifier(p)) return p.name === n ? "export" : undefined;
  if (ts.isEnumMember(p) || ts.isPropertyAssignment(p) || ts.isPropertySignature(p) || ts.isMethodDeclaration(p) || ts.isPropertyDeclaration(p)) return p.name === n ? "member" : undefined;
  if (
    ts.isVariableDeclaration(p) || ts.isFunctionDeclaration(p) || ts.isParameter(p) || ts.isEnumDeclaration(p) || ts.isClassDeclaration(p) ||
    ts.isImportSpecifier(p) || ts.isImportClause(p) || ts.isNamespaceImport(p) || ts.isImportEqualsDeclaration(p) || ts.isModuleDeclaration(p)
  ) {
    return p.name === n ? "binding" : undefined;
  }
  return undefined;
}

export function checkModuleNames(cx: Context, sf: ts.SourceFile): void {
  // Iterative: a pathologically deep expression must not overflow this walk (it is reported later).
  const todo: ts.Node[] = [sf];
  while (todo.length) {
    const n = todo.pop()!;
    if (ts.isIdentifier(n)) {
      const kind = declaredName(n);
      if (kind && n.text === "__proto__") {
        cx.diags.error(n, "TSK1028", "the name __proto__ means an object's prototype in JavaScript (an enum member or export so named sets it instead of a value): choose another name");
      } else if (kind === "binding" && WRAPPER.has(n.text)) {
        cx.diags.error(n, "TSK1028", `'${n.text}' is a name Node's module wrapper gives every module (the transpiled module uses it): declaring it changes what Node runs; choose another name`);
      } else if (kind === "export" && (WRAPPER.has(n.text) || n.text === "__esModule")) {
        cx.diags.error(n, "TSK1028", `exporting a function as '${n.text}' collides with Node's module system (${n.text === "__esModule" ? "the transpiler's own flag on exports" : "a name of the module wrapper"}): export it under another name`);
      }
    }
    ts.forEachChild(n, (c) => {
      todo.push(c);
    });
  }
  // `export function __esModule()` and `export const __esModule`: the export's own name.
  for (const st of sf.statements) {
    const names: ts.Identifier[] = [];
    if ((ts.isFunctionDeclaration(st) || ts.isEnumDeclaration(st)) && st.name && ts.getModifiers(st)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) names.push(st.name);
    if (ts.isVariableStatement(st) && ts.getModifiers(st)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) {
      for (const d of st.declarationList.declarations) if (ts.isIdentifier(d.name)) names.push(d.name);
    }
    for (const name of names) {
      if (name.text === "__esModule") cx.diags.error(name, "TSK1028", "exporting '__esModule' collides with the flag Node's transpiled modules set on exports: choose another name");
    }
  }
}
