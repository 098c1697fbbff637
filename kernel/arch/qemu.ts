// @tsk-uses-intrinsics. Leaving QEMU: the isa-debug-exit device at port 0xf4 (QEMU exits with (value << 1) | 1).
import { outb, cli, hlt } from "./cpu";
import { serialDrain } from "./serial";

const DEBUG_EXIT_PORT: u16 = 0xf4;
/** Written for success: QEMU exits 33. */
export const EXIT_SUCCESS: u8 = 0x10;
/** Written for failure: QEMU exits 35. */
export const EXIT_FAILURE: u8 = 0x11;

/** Leave QEMU with `code`, once the serial console has sent everything; on a machine without the
 *  device, stop the CPU for good. */
export function exitQemu(code: u8): never {
  serialDrain();
  outb(DEBUG_EXIT_PORT, code);
  cli();
  while (true) {
    hlt();
  }
}
