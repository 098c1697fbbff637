// Diagnostics in tsc's format, `file(line,col): error TSKnnnn: message`, one code per subset rule.
// The format is a contract (editors and CI problem matchers parse it); the table below is the
// documentation of every rule (README.md shows it).
import * as ts from "typescript";
import * as path from "path";

export const RULES = {
  TSK1001: "syntax outside the subset: null, async, `??`, unary `+`, destructuring, several variables in a for head... (the message names it and what to write instead)",
  TSK1002: "a type outside the subset: use u8, u16, u32, i32, boolean, an enum, or string for a literal parameter",
  TSK1003: "a value whose range may not fit where it goes: coerce it, e.g. u32(a + b)",
  TSK1004: "a product that may exceed 2^53 (JavaScript loses precision): use Math.imul(a, b)",
  TSK1005: "division or modulo: coerce the result at once and give operands that fit 32 bits",
  TSK1006: "a non-integer literal, or an integer literal outside -2^31..2^32-1",
  TSK1007: "functions as values (arrow functions, function expressions, closures)",
  TSK1008: "classes, objects, arrays, `new`, `this`",
  TSK1009: "strings other than ASCII literals passed to a `string` parameter",
  TSK1010: "exceptions (`throw`, `try`)",
  TSK1011: "`var`: use `let` or `const`",
  TSK1012: "recursion: the kernel's stack is fixed and Node's is not",
  TSK1013: "a variable without an initializer or a needed type annotation",
  TSK1014: "a machine intrinsic called from a module that does not declare `// @tsk-uses-intrinsics` in its leading comments",
  TSK1015: "module-level code other than declarations with constant initializers",
  TSK1016: "an assignment, `++` or `--` used as a value",
  TSK1017: "`as`, `!` and `<T>` casts (they convert nothing at run time)",
  TSK1018: "a global or library call outside the subset (only the prelude coercions and Math.imul)",
  TSK1019: "a `case` that is not a constant, or that can never match its `switch`",
  TSK1020: "a parameter that is optional, defaulted, a rest parameter, destructured, a `this:` parameter, or typed void or never",
  TSK1021: "an import that is not a relative path to a .ts module of the program",
  TSK1022: "labels, `for...in`, `for...of`, `with`, `debugger`, comma, `delete`, `typeof`, `void`, `in`, `instanceof`, `**`",
  TSK1023: "a condition or comparison on a value that is not boolean and may not fit 32 bits",
  TSK1024: "generic functions and type parameters",
  TSK1025: "a function without an explicit result type, or with a parameter without a type",
  TSK1026: "a declaration without its value: `declare`, an overload or function without a body, an enum declared twice in one module",
  TSK1027: "code nested too deeply for the compiler (an expression, statement or initializer): split it",
  TSK1028: "a name Node's module system or JavaScript owns: `require`, `module`, `exports`, `__filename`, `__dirname`, an export named `__esModule`, `__proto__`",
  TSK1029: "an external symbol the target cannot give exactly: an entry export or `@extern` named like a libc function or macro, `_start`, `_init`, or taken twice",
  TSK1030: "`tsk run` on a module that does not export function main(): u32",
  TSK1031: "an enum Node cannot see or compute: declared in a .d.ts, a script or a /// <reference> file, or a member computed from another module",
  TSK1032: "a typed array declared other than as a module-level `const a = new Uint32Array(N)` (or Uint8Array, Uint16Array, Int32Array)",
  TSK1033: "a typed array's length that is not a constant, or outside 1 element..64 MiB",
  TSK1034: "an array index not proved in 0..length-1 (by its range, a mask, or a guard such as `if (i >= a.length) return panic(...)`), or not an integer",
  TSK1035: "a typed array used other than as a[i] or a.length: passed, returned, assigned, compared, a method, a parameter typed as an array",
  TSK1040: "a typed array of an element type outside the subset (Int8Array, Int16Array, Uint8ClampedArray, Float32Array, Float64Array, BigInt64Array, BigUint64Array)",
  TSK1036: "a memory layout declared other than `const X = layout(size, align, { field: [offset, \"u32\"] })` at module level, with constant size, alignment and offsets",
  TSK1037: "two fields of a memory layout overlap",
  TSK1038: "a field of a memory layout outside the structure (a negative offset, or past its size)",
  TSK1039: "a memory layout's alignment: not a power of two, a size not a multiple of it, a field not aligned to its width or wider than it",
  TSK1045: "a layout view at an address that may not be a u32: coerce it, e.g. E.at(u32(base + i * E.size))",
  TSK1046: "a layout or a view used as something else than field access: compared, tested, computed with, coerced, or the layout itself as a value",
} as const;

export type Code = keyof typeof RULES;

export interface Diagnostic {
  file: string;
  line: number; // 1-based
  col: number; // 1-based
  code: string; // TSKnnnn or TSnnnn
  message: string;
  /** The offending text as offsets into the file (editors underline it), when there is a file. */
  start?: number;
  length?: number;
}

/** Diagnostics are one line each (problem matchers read line by line): source quoted in a message
 *  has its line breaks folded. */
function oneLine(message: string): string {
  return message.replace(/\s*\n\s*/g, " ");
}

export class Diagnostics {
  readonly list: Diagnostic[] = [];
  private seen = new Set<string>();

  /** Report `message` at `node` under rule `code`. */
  error(node: ts.Node, code: Code, message: string): void {
    const sf = node.getSourceFile();
    const start = node.getStart(sf);
    const { line, character } = sf.getLineAndCharacterOfPosition(start);
    this.push({ file: sf.fileName, line: line + 1, col: character + 1, code, message: oneLine(message), start, length: node.end - start });
  }

  /** Take tsc's own diagnostics, in the same shape. */
  addTs(d: ts.Diagnostic): void {
    const message = oneLine(ts.flattenDiagnosticMessageText(d.messageText, " "));
    if (d.file && d.start !== undefined) {
      const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
      this.push({ file: d.file.fileName, line: line + 1, col: character + 1, code: `TS${d.code}`, message, start: d.start, length: d.length ?? 0 });
    } else {
      this.push({ file: "", line: 0, col: 0, code: `TS${d.code}`, message });
    }
  }

  private push(d: Diagnostic): void {
    const key = `${d.file}:${d.line}:${d.col}:${d.code}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.list.push(d);
  }

  get count(): number {
    return this.list.length;
  }
}

/** `file(line,col): error CODE: message`, the file relative to `cwd` as tsc prints it. */
export function formatDiagnostic(d: Diagnostic, cwd = process.cwd()): string {
  if (!d.file) return `error ${d.code}: ${d.message}`;
  const rel = path.relative(cwd, d.file).split(path.sep).join("/");
  return `${rel}(${d.line},${d.col}): error ${d.code}: ${d.message}`;
}
