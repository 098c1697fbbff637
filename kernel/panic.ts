// panic(): the kernel's one way to give up. Prints `panic: <why>`, then (kernel/arch/fault.ts)
// `panic: at <file>:<line> (<function>)` naming the .ts line that called panic and the stack walk,
// and leaves QEMU with the failure code.
import { print, println } from "./arch/serial";
import { exitQemu, EXIT_FAILURE } from "./arch/qemu";
import { faultPanicReport } from "./arch/fault";

/** Report `why` on the console as `panic: <why>`, with the caller's location and the stack, and
 *  stop the machine with the failure exit code. */
export function panic(why: string): never {
  print("panic: ");
  println(why);
  faultPanicReport();
  exitQemu(EXIT_FAILURE);
}
