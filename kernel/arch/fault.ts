// @tsk-uses-intrinsics. CPU exceptions and the kernel's post-mortem report. kernel/arch/idt.asm sends exceptions 0-31
// to faultHandler (an `@extern` function: tsk gives it its own name as an external C symbol) with
// the address of the saved frame; the report is
//
//   fault: page fault (#14) err=0x00000000 eip=0x0010123a cr2=0x00000000
//   fault: at kernel/arch/fault.ktest.ts:31 (test_expect_fault_14_nullRead)
//   stack:
//     #0 0x0010123a kernel/arch/fault.ktest.ts:31 (test_expect_fault_14_nullRead)
//     #1 0x00100f33 kernel/test/main.ts:30 (kmain)
//
// then the failure exit (QEMU exits 35). Lines come from the table the build embeds
// (symbols.ts); frames from the ebp chain (gcc keeps frame pointers and, with
// -fno-optimize-sibling-calls, one frame per call; the entry stub zeroes ebp before kmain, which
// ends the chain). Each frame lists its inline levels innermost first ("inlined in ...").
//
// Deliberate traps. The subset cannot read ebp or eip, so code that wants its own stack walked
// (panic, a failed test assertion naming its line) asks this handler to do it: it records what it
// wants in `trapKind` and executes `int3` (the breakpoint() intrinsic), which raises #BP (vector 3)
// with eip just past it, paging on or not. The handler recognises the trap by the kind being set
// and the vector, and then
//   TRAP_PANIC: reports the stack, naming the first frame outside the report machinery (panic.ts,
//               this file, symbols.ts, kernel/test/ktap.ts) as the panic's location, and exits;
//   TRAP_WHERE: prints that caller location and resumes after the int3;
//   TRAP_EXEC:  resumes at the address the caller gave (tests use it to run an instruction the
//               subset cannot express, such as a real division by zero).
// In the Node simulator breakpoint() does nothing, so the caller carries on without a location.
// An int3 nobody asked for is reported like any other exception ("breakpoint (#3)").
import { load32, store32, readCr2, breakpoint } from "./cpu";
import { print, println, printHex32, printDec } from "./serial";
import { exitQemu, EXIT_FAILURE } from "./qemu";
import { symChain, symLevels, symIsMachinery, symPrintLevel } from "./symbols";
import { BOOT_INFO_ADDR, BootInfo } from "../boot-info";

// The frame idt.asm builds (offsets from the address faultHandler receives).
const F_EBP: u32 = 8;
const F_VECTOR: u32 = 32;
const F_ERROR: u32 = 36;
const F_EIP: u32 = 40;
/** Bytes of the frame up to and including eflags: the interrupted code's stack starts above. */
const F_SIZE: u32 = 52;

const MAX_FRAMES: u32 = 32;
const VECTOR_BP: u32 = 3;

const TRAP_NONE: u32 = 0;
const TRAP_PANIC: u32 = 1;
const TRAP_WHERE: u32 = 2;
const TRAP_EXEC: u32 = 3;

let trapKind: u32 = 0;
let trapArg: u32 = 0;
/** Set while a report is being printed: a fault inside the report ends the run at once. */
let reporting: boolean = false;

// The stack walk's state (the subset has no tuples): the frame's code address, the address to
// look up (a return address minus one: the call instruction), its ebp and the lowest valid ebp.
let walkPc: u32 = 0;
let walkLookup: u32 = 0;
let walkEbp: u32 = 0;
let walkFloor: u32 = 0;
let walkCount: u32 = 0;
/** Where the last TRAP_EXEC came from (0: none): code run that way has no frame of its own, so the
 *  walk shows the trap site as the frame after the faulting one, then goes on from ebp. */
let execSite: u32 = 0;
let walkExec: u32 = 0;

/** Exception names as the Intel SDM gives them (vol. 3, table 6-1). */
function printName(v: u32): void {
  switch (v) {
    case 0: print("divide error"); break;
    case 1: print("debug"); break;
    case 2: print("NMI"); break;
    case 3: print("breakpoint"); break;
    case 4: print("overflow"); break;
    case 5: print("BOUND range exceeded"); break;
    case 6: print("invalid opcode"); break;
    case 7: print("device not available"); break;
    case 8: print("double fault"); break;
    case 9: print("coprocessor segment overrun"); break;
    case 10: print("invalid TSS"); break;
    case 11: print("segment not present"); break;
    case 12: print("stack-segment fault"); break;
    case 13: print("general protection"); break;
    case 14: print("page fault"); break;
    case 16: print("x87 floating-point error"); break;
    case 17: print("alignment check"); break;
    case 18: print("machine check"); break;
    case 19: print("SIMD floating-point exception"); break;
    case 20: print("virtualization exception"); break;
    case 21: print("control protection exception"); break;
    case 28: print("hypervisor injection exception"); break;
    case 29: print("VMM communication exception"); break;
    case 30: print("security exception"); break;
    default: print("reserved exception"); break;
  }
}

function walkStart(eip: u32, ebp: u32, floor: u32): void {
  walkPc = eip;
  walkLookup = eip;
  walkEbp = ebp;
  walkFloor = floor;
  walkCount = 0;
  walkExec = execSite;
}

/** Step to the caller's frame; false when the chain ends (ebp 0, out of the stack, or too deep). */
function walkNext(): boolean {
  const top: u32 = BootInfo.at(BOOT_INFO_ADDR).stackTop;
  const ebp: u32 = walkEbp;
  walkCount = u32(walkCount + 1);
  if (walkExec !== 0) {
    walkPc = walkExec;
    walkLookup = walkExec;
    walkExec = 0;
    return true;
  }
  if (walkCount >= MAX_FRAMES || ebp === 0 || (ebp & 3) !== 0 || ebp < walkFloor || ebp > u32(top - 8)) {
    return false;
  }
  const ret: u32 = load32(u32(ebp + 4));
  if (ret === 0) {
    return false;
  }
  walkPc = ret;
  walkLookup = u32(ret - 1);
  walkEbp = load32(ebp);
  walkFloor = u32(ebp + 8);
  return true;
}

function printFrame(): void {
  print("  #");
  printDec(walkCount);
  print(" ");
  printHex32(walkPc);
  const chain: u32 = symChain(walkLookup);
  if (chain === 0) {
    println(" ?");
    return;
  }
  const n: u32 = symLevels(chain);
  for (let i: u32 = 0; i < n; i = u32(i + 1)) {
    print(i === 0 ? " " : "     inlined in ");
    symPrintLevel(chain, i);
    println("");
  }
}

function printStack(eip: u32, ebp: u32, floor: u32): void {
  println("stack:");
  walkStart(eip, ebp, floor);
  printFrame();
  while (walkNext()) {
    printFrame();
  }
}

/** Print the first location of the walk outside the report machinery (`?` if none); true if found. */
function printCaller(eip: u32, ebp: u32, floor: u32): boolean {
  walkStart(eip, ebp, floor);
  while (true) {
    const chain: u32 = symChain(walkLookup);
    if (chain !== 0) {
      const n: u32 = symLevels(chain);
      for (let i: u32 = 0; i < n; i = u32(i + 1)) {
        if (!symIsMachinery(chain, i)) {
          symPrintLevel(chain, i);
          return true;
        }
      }
    }
    if (!walkNext()) {
      print("?");
      return false;
    }
  }
}

/** The one handler of exceptions 0-31 (see the header). Returns only from a deliberate trap that
 *  resumes; otherwise reports and leaves QEMU with the failure code.
 *  @extern called by kernel/arch/idt.asm */
export function faultHandler(frame: u32): void {
  const vector: u32 = load32(u32(frame + F_VECTOR));
  const err: u32 = load32(u32(frame + F_ERROR));
  const eip: u32 = load32(u32(frame + F_EIP));
  const ebp: u32 = load32(u32(frame + F_EBP));
  const floor: u32 = u32(frame + F_SIZE);
  const kind: u32 = trapKind;
  if (kind !== TRAP_NONE && vector === VECTOR_BP) {
    trapKind = TRAP_NONE;
    if (kind === TRAP_WHERE) {
      print("at ");
      printCaller(eip, ebp, floor);
      return;
    }
    if (kind === TRAP_EXEC) {
      execSite = eip;
      store32(u32(frame + F_EIP), trapArg);
      return;
    }
    reporting = true;
    print("panic: at ");
    printCaller(eip, ebp, floor);
    println("");
    printStack(eip, ebp, floor);
    exitQemu(EXIT_FAILURE);
  }
  if (reporting) {
    print("fault: ");
    printName(vector);
    print(" (#");
    printDec(vector);
    print(") eip=");
    printHex32(eip);
    println(" while reporting: giving up");
    exitQemu(EXIT_FAILURE);
  }
  reporting = true;
  const cr2: u32 = readCr2();
  print("fault: ");
  printName(vector);
  print(" (#");
  printDec(vector);
  print(") err=");
  printHex32(err);
  print(" eip=");
  printHex32(eip);
  print(" cr2=");
  printHex32(cr2);
  println("");
  print("fault: at ");
  const chain: u32 = symChain(eip);
  if (chain === 0) {
    print("?");
  } else {
    symPrintLevel(chain, 0);
  }
  println("");
  printStack(eip, ebp, floor);
  exitQemu(EXIT_FAILURE);
}

/** Raise a deliberate trap of `kind` (see the header); false when the CPU did not fault. */
function trap(kind: u32, arg: u32): boolean {
  trapKind = kind;
  trapArg = arg;
  breakpoint();
  if (trapKind === TRAP_NONE) {
    return true;
  }
  trapKind = TRAP_NONE;
  return false;
}

/** For panic(), after it printed `panic: <why>`: print `panic: at <caller's .ts line>` and the
 *  stack, then exit with the failure code. Returns only where the trap does not work (Node). */
export function faultPanicReport(): void {
  trap(TRAP_PANIC, 0);
}

/** Print `at <file>:<line> (<function>)` of the first caller outside the report machinery (for a
 *  failed assertion naming its line). False, printing nothing, where the trap does not work. */
export function faultPrintCaller(): boolean {
  return trap(TRAP_WHERE, 0);
}

/** Run the machine code at `addr` (for tests of the exception path: e.g. a real `div` by zero,
 *  which the subset cannot express). The code must not return: it ends in an exception. Returns
 *  only where the trap does not work. */
export function faultExec(addr: u32): void {
  trap(TRAP_EXEC, addr);
}
