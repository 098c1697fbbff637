// @tsk-intrinsics
// The machine: every instruction the kernel needs that TypeScript cannot express. Natively, tsk
// lowers each call to a volatile access or inline assembly (compiler/runtime/tsk_runtime.h) and
// ignores the bodies below; in Node each body forwards to the simulated machine a test installed.
// Only code under kernel/arch/ and tests may import this module (tsk enforces it: TSK1014).

/** What a simulated machine provides; see test/sim/machine.ts. */
export interface Machine {
  load(addr: number, bytes: 1 | 2 | 4): number;
  store(addr: number, bytes: 1 | 2 | 4, value: number): void;
  fill32(addr: number, value: number, count: number): void;
  portIn(port: number, bytes: 1 | 2 | 4): number;
  portOut(port: number, bytes: 1 | 2 | 4, value: number): void;
  readCr(n: number): number;
  writeCr(n: number, value: number): void;
  invlpg(addr: number): void;
  setInterrupts(enabled: boolean): void;
  hlt(): void;
  rdtsc(): number;
  /** int3: the kernel's deliberate trap (kernel/arch/fault.ts). A simulator may ignore it. */
  breakpoint?(): void;
}

function m(): Machine {
  const machine = (globalThis as { __tskMachine?: Machine }).__tskMachine;
  if (!machine) throw new Error("kernel/arch/cpu.ts: no simulated machine installed (test/sim/machine.ts)");
  return machine;
}

/** Read a byte of physical memory. */
export function load8(addr: u32): u8 { return m().load(addr, 1); }
/** Read 16 bits of physical memory (little-endian). */
export function load16(addr: u32): u16 { return m().load(addr, 2); }
/** Read 32 bits of physical memory (little-endian). */
export function load32(addr: u32): u32 { return m().load(addr, 4); }
/** Write a byte of physical memory. */
export function store8(addr: u32, value: u8): void { m().store(addr, 1, value); }
/** Write 16 bits of physical memory. */
export function store16(addr: u32, value: u16): void { m().store(addr, 2, value); }
/** Write 32 bits of physical memory. */
export function store32(addr: u32, value: u32): void { m().store(addr, 4, value); }
/** Write `count` copies of the 32-bit `value` from `addr` on (rep stosd). */
export function fill32(addr: u32, value: u32, count: u32): void { m().fill32(addr, value, count); }

/** Read a byte from an I/O port. */
export function inb(port: u16): u8 { return m().portIn(port, 1); }
/** Read 16 bits from an I/O port. */
export function inw(port: u16): u16 { return m().portIn(port, 2); }
/** Read 32 bits from an I/O port. */
export function inl(port: u16): u32 { return m().portIn(port, 4); }
/** Write a byte to an I/O port. */
export function outb(port: u16, value: u8): void { m().portOut(port, 1, value); }
/** Write 16 bits to an I/O port. */
export function outw(port: u16, value: u16): void { m().portOut(port, 2, value); }
/** Write 32 bits to an I/O port. */
export function outl(port: u16, value: u32): void { m().portOut(port, 4, value); }

/** Disable interrupts. */
export function cli(): void { m().setInterrupts(false); }
/** Enable interrupts. */
export function sti(): void { m().setInterrupts(true); }
/** Halt until the next interrupt. */
export function hlt(): void { m().hlt(); }

/** Control registers. */
export function readCr0(): u32 { return m().readCr(0); }
export function readCr2(): u32 { return m().readCr(2); }
export function readCr3(): u32 { return m().readCr(3); }
export function readCr4(): u32 { return m().readCr(4); }
export function writeCr0(value: u32): void { m().writeCr(0, value); }
export function writeCr3(value: u32): void { m().writeCr(3, value); }
export function writeCr4(value: u32): void { m().writeCr(4, value); }
/** Drop the TLB entry for the page holding `addr`. */
export function invlpg(addr: u32): void { m().invlpg(addr); }
/** Raise #BP (int3): kernel/arch/fault.ts uses it to have its own stack walked. */
export function breakpoint(): void { m().breakpoint?.(); }
/** The low 32 bits of the time-stamp counter. */
export function rdtsc(): u32 { return m().rdtsc(); }
