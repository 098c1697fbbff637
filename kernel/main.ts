// kmain: the kernel's entry, called by kernel/arch/entry.asm in protected mode with the boot info's
// address. Runs the data path of architecture.md §1 and leaves QEMU with the verdict.
import { serialInit, println } from "./arch/serial";
import { exitQemu, EXIT_SUCCESS } from "./arch/qemu";
import { BOOT_INFO_MAGIC, BootInfo } from "./boot-info";
import { memBoot } from "./mem/mem";
import { panic } from "./panic";

/** Boot: banner, memory map → PAT → allocator → paging → self-test, then `boot: ok` and exit 33. */
export function kmain(bootInfo: u32): void {
  serialInit();
  println("tsk: TypeScript kernel booting");
  if (BootInfo.at(bootInfo).magic !== BOOT_INFO_MAGIC) {
    panic("no boot info from the loader (bad magic)");
  }
  memBoot(bootInfo, BootInfo.at(bootInfo).kernelEnd);
  println("boot: ok");
  exitQemu(EXIT_SUCCESS);
}
