// panic(): the kernel's one way to give up. Prints `panic: <why>` and leaves QEMU with the failure code.
import { print, println } from "./arch/serial";
import { exitQemu, EXIT_FAILURE } from "./arch/qemu";

/** Report `why` on the console as `panic: <why>` and stop the machine with the failure exit code. */
export function panic(why: string): never {
  print("panic: ");
  println(why);
  exitQemu(EXIT_FAILURE);
}
