// What a backend is: it turns the checked IR program into something a machine runs, and it owns
// the target's namespace of external symbols. check/ talks to a backend only through this
// interface, so a new target (e.g. i386 machine code without gcc) plugs in without touching it.
import { Program } from "../ir/ir";

export interface Backend<Out = unknown> {
  /** A short name for reports and test titles ("c", ...). */
  readonly name: string;
  /** Why `name` cannot be an external symbol on this target (a libc name or macro, a name the
   *  linker or start-up code defines...), or undefined when it can be given exactly. */
  externalNameProblem(name: string): string | undefined;
  /** Lower a program that checked without diagnostics. */
  emit(program: Program): Out;
}
