// Runs the real kernel/mem code on a fresh simulated machine for one BIOS map: what
// `npm run simulate` and the mem tests share. Kernel modules keep their state in module variables;
// memInit re-initialises all of it, so one process can run any number of maps.
import { SimMachine, MachineExit, installMachine } from "./machine";
import { E820Entry, writeBootInfo, BootInfoOptions, usableRanges } from "./bios";
import { BOOT_INFO_ADDR, KERNEL_BASE } from "../../kernel/boot-info";
import { serialInit } from "../../kernel/arch/serial";
import { memInit } from "../../kernel/mem/mem";
import { pagingInit } from "../../kernel/mem/paging";
import { selftestRun } from "../../kernel/mem/selftest";

export interface SimOptions extends BootInfoOptions {
  kernelEnd?: number;
  /** Also turn paging on and run the allocator self-test, as the kernel does at boot. */
  allocAll?: boolean;
  /** Called for each byte the kernel sends on COM1. */
  onSerial?: (byte: number) => void;
  /** Stop the machine on any write outside usable RAM above the kernel and the kernel's run table
   *  (default true). Usable by the rule applied to every entry, dropped ones included: a write to
   *  a page any entry reserves stops the machine. */
  restrictWrites?: boolean;
}

export interface SimResult {
  machine: SimMachine;
  output: string;
  /** How the machine stopped (a panic is a debug-exit with code 0x11), or null if memInit returned. */
  exit: MachineExit | null;
}

/** Boot the memory manager on `entries`: memInit (and with allocAll paging + self-test). */
export function simulate(entries: E820Entry[], opts: SimOptions = {}): SimResult {
  const kernelEnd = opts.kernelEnd ?? 0x200000;
  const machine = new SimMachine();
  writeBootInfo(machine, entries, { ...opts, kernelEnd });
  if (opts.onSerial) machine.onSerial = opts.onSerial;
  installMachine(machine);
  if (opts.restrictWrites ?? true) {
    const kernelLastPage = Math.max(KERNEL_BASE >>> 12, Math.ceil(kernelEnd / 4096));
    const ranges: Array<[number, number]> = usableRanges(entries)
      .map(([a, b]): [number, number] => [Math.max(a, kernelLastPage), b])
      .filter(([a, b]) => b > a);
    machine.restrictWrites(ranges);
  }
  let exit: MachineExit | null = null;
  try {
    serialInit();
    memInit(BOOT_INFO_ADDR, kernelEnd >>> 0);
    if (opts.allocAll) {
      pagingInit();
      selftestRun();
    }
  } catch (e) {
    if (!(e instanceof MachineExit)) throw e;
    exit = e;
  }
  return { machine, output: machine.serialText(), exit };
}
