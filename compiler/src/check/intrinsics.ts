// The machine intrinsics of kernel/arch/cpu.ts (each backend lowers them: the C backend to the
// runtime header's functions), and who may call them.
import * as ts from "typescript";

export const INTRINSICS: ReadonlySet<string> = new Set([
  "load8", "load16", "load32", "store8", "store16", "store32", "fill32",
  "inb", "inw", "inl", "outb", "outw", "outl",
  "cli", "sti", "hlt",
  "readCr0", "readCr2", "readCr3", "readCr4", "writeCr0", "writeCr3", "writeCr4",
  "invlpg", "rdtsc", "breakpoint",
]);

/** The directive a module writes among its leading comments to call intrinsics. */
export const USES_INTRINSICS = "@tsk-uses-intrinsics";

/** Whether `sf` may call intrinsics: it says so itself, in a `// @tsk-uses-intrinsics` line among
 *  the comments before its first statement (the arch layer, in-kernel tests, benchmarks). A property
 *  of the module's source, so it holds whatever the working directory or checkout path. */
export function mayCallIntrinsics(sf: ts.SourceFile): boolean {
  const head = sf.text.slice(0, sf.statements.length ? sf.statements[0].getStart(sf) : sf.text.length);
  return /^\s*\/\/\s*@tsk-uses-intrinsics\b/m.test(head);
}
