// How diagnostics name a piece of syntax: in the words of the language, never TypeScript's internal
// node names (SpreadElement, EnumDeclaration), which mean nothing to the program's author.
import * as ts from "typescript";

const K = ts.SyntaxKind;
const NAMES: Partial<Record<ts.SyntaxKind, string>> = {
  [K.SpreadElement]: "spread syntax '...'",
  [K.SpreadAssignment]: "spread syntax '...'",
  [K.TaggedTemplateExpression]: "a tagged template",
  [K.RegularExpressionLiteral]: "a regular expression",
  [K.MetaProperty]: "'import.meta' and 'new.target'",
  [K.ImportKeyword]: "a dynamic import()",
  [K.OmittedExpression]: "an omitted expression",
  [K.JsxElement]: "JSX",
  [K.JsxSelfClosingElement]: "JSX",
  [K.JsxFragment]: "JSX",
  [K.EnumDeclaration]: "an enum declared inside a function",
  [K.ModuleDeclaration]: "a namespace",
  [K.ImportDeclaration]: "an import inside a function",
  [K.ExportDeclaration]: "an export inside a function",
  [K.ExportAssignment]: "'export =' or 'export default'",
  [K.ImportEqualsDeclaration]: "'import ... ='",
  [K.ClassStaticBlockDeclaration]: "a static block",
  [K.ExpressionWithTypeArguments]: "an instantiation expression",
  [K.PrivateIdentifier]: "a private name",
};

/** A phrase naming `n`'s kind of syntax, e.g. "spread syntax '...'". */
export function describeNode(n: ts.Node): string {
  const known = NAMES[n.kind];
  if (known) return known;
  // Anything else: its kind in plain words ("ClassStaticBlock" -> "class static block"), quoted text.
  const words = (ts.SyntaxKind[n.kind] ?? "syntax").replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase();
  const text = n.getText().split("\n")[0].slice(0, 30);
  return `'${text}' (${words})`;
}

/** How deep the compiler's own recursion (the checker, the IR, each backend's printer) may go: syntax
 *  nested deeper than this is TSK1027 wherever it is, so whether a program compiles never depends on
 *  how much stack a process happens to have left (a mocha worker, an editor's language service). */
export const MAX_NESTING = 1000;

/** Whether the syntax under `node` nests deeper than MAX_NESTING levels. Iterative: a tree too deep
 *  for recursion is exactly what it must measure. */
export function nestsTooDeeply(node: ts.Node): boolean {
  const stack: [ts.Node, number][] = [[node, 0]];
  while (stack.length) {
    const [n, d] = stack.pop()!;
    if (d > MAX_NESTING) return true;
    ts.forEachChild(n, (c) => {
      stack.push([c, d + 1]);
    });
  }
  return false;
}
