// The simulated machine kernel code runs on in Node: implements `Machine` (kernel/arch/cpu.ts).
// - Physical memory: 4 GiB, sparse. Stored in 64-byte chunks allocated on the first non-zero write
//   (and dropped again when zero-filled), so a self-test that signs every page of 3 GiB costs one
//   chunk per page, not a page per page. Untouched memory reads as 0.
// - Optionally, writes can be restricted to a set of page ranges (restrictWrites): a kernel bug
//   that writes outside usable RAM then stops the machine like a fault would.
// - Ports: COM1 (0x3f8…0x3ff) with LSR always ready and a sink collecting transmitted bytes;
//   isa-debug-exit at 0xf4 (throws MachineExit, as QEMU exits); other ports read all-ones.
// - Control registers, interrupt flag, hlt (throws MachineExit with interrupts off: it would
//   never wake), rdtsc (a counter).
import type { Machine } from "../../kernel/arch/cpu";

/** Thrown when the simulated machine stops: isa-debug-exit, hlt with interrupts off, or a fault. */
export class MachineExit extends Error {
  constructor(
    /** The value written to isa-debug-exit (QEMU exits with code * 2 + 1), or -1 for other stops. */
    readonly code: number,
    readonly reason: "debug-exit" | "halt" | "fault",
    detail = "",
  ) {
    super(`machine stopped: ${reason}${reason === "debug-exit" ? ` 0x${code.toString(16)}` : ""}${detail ? `: ${detail}` : ""}`);
  }
}

const CHUNK_SHIFT = 6;
const CHUNK_WORDS = 16;
const COM1 = 0x3f8;
const DEBUG_EXIT = 0xf4;

export class SimMachine implements Machine {
  private slots = new Map<number, number>(); // chunk index (addr >>> 6) -> slot in the pool
  // Chunks stored per 4 KiB page (0..64), up to the highest page written: a page with none reads
  // as zeros and zero-fills as a no-op without a lookup per word or chunk (the self-test reads and
  // zeroes every page of RAM).
  private pageChunks = new Uint8Array(4096);
  // Both grow by doubling, from small: a test may make thousands of machines that touch little.
  private words = new Uint32Array(CHUNK_WORDS * 64);
  private freeSlots: number[] = [];
  private nextSlot = 0;
  private writable: Array<[number, number]> | null = null; // sorted [firstPage, endPage)
  private lastWritable = -1;

  readonly cr = [0, 0, 0, 0, 0];
  interrupts = false;
  private tsc = 0;
  private lcr = 0;
  /** Bytes sent on COM1. */
  readonly serial: number[] = [];
  /** Called for each byte sent on COM1 (e.g. to echo it). */
  onSerial: ((byte: number) => void) | null = null;
  /** Counters, for tests that want to know how much work something did. */
  readonly stats = { loads: 0, stores: 0 };

  // ---- memory ----

  private slotFor(chunk: number): number {
    let slot = this.slots.get(chunk);
    if (slot !== undefined) return slot;
    slot = this.freeSlots.pop();
    if (slot === undefined) {
      slot = this.nextSlot++;
      if ((slot + 1) * CHUNK_WORDS > this.words.length) {
        const bigger = new Uint32Array(this.words.length * 2);
        bigger.set(this.words);
        this.words = bigger;
      }
    }
    this.words.fill(0, slot * CHUNK_WORDS, (slot + 1) * CHUNK_WORDS);
    this.slots.set(chunk, slot);
    const page = chunk >>> 6;
    if (page >= this.pageChunks.length) {
      const bigger = new Uint8Array(Math.min(1 << 20, Math.max(page + 1, this.pageChunks.length * 2)));
      bigger.set(this.pageChunks);
      this.pageChunks = bigger;
    }
    this.pageChunks[page]++;
    return slot;
  }

  private dropIfZero(chunk: number, slot: number): void {
    const w = this.words;
    const base = slot * CHUNK_WORDS;
    for (let i = 0; i < CHUNK_WORDS; i++) if (w[base + i] !== 0) return;
    this.slots.delete(chunk);
    this.pageChunks[chunk >>> 6]--;
    this.freeSlots.push(slot);
  }

  /** No chunk of the page holding `addr` is stored (it reads as zeros). */
  private emptyPage(addr: number): boolean {
    const page = addr >>> 12;
    return page >= this.pageChunks.length || this.pageChunks[page] === 0;
  }

  private readWord(addr: number): number {
    if (this.emptyPage(addr)) return 0;
    const slot = this.slots.get(addr >>> CHUNK_SHIFT);
    return slot === undefined ? 0 : this.words[slot * CHUNK_WORDS + ((addr >>> 2) & (CHUNK_WORDS - 1))];
  }

  private writeWord(addr: number, value: number): void {
    const chunk = addr >>> CHUNK_SHIFT;
    if (value === 0) {
      const slot = this.slots.get(chunk);
      if (slot === undefined) return;
      this.words[slot * CHUNK_WORDS + ((addr >>> 2) & (CHUNK_WORDS - 1))] = 0;
      this.dropIfZero(chunk, slot);
      return;
    }
    const slot = this.slotFor(chunk);
    this.words[slot * CHUNK_WORDS + ((addr >>> 2) & (CHUNK_WORDS - 1))] = value;
  }

  private readByte(addr: number): number {
    addr = addr >>> 0;
    return (this.readWord(addr & ~3) >>> ((addr & 3) * 8)) & 0xff;
  }

  private writeByte(addr: number, value: number): void {
    addr = addr >>> 0;
    const a = (addr & ~3) >>> 0;
    const shift = (addr & 3) * 8;
    const w = this.readWord(a);
    this.writeWord(a, ((w & ~(0xff << shift)) | ((value & 0xff) << shift)) >>> 0);
  }

  private checkWrite(addr: number, bytes: number): void {
    if (!this.writable) return;
    for (const a of [addr >>> 0, (addr + bytes - 1) >>> 0]) {
      const page = a >>> 12;
      const r = this.writable[this.lastWritable];
      if (r && page >= r[0] && page < r[1]) continue;
      let lo = 0;
      let hi = this.writable.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (this.writable[mid][1] <= page) lo = mid + 1;
        else hi = mid;
      }
      if (lo < this.writable.length && this.writable[lo][0] <= page) {
        this.lastWritable = lo;
        continue;
      }
      throw new MachineExit(-1, "fault", `write to 0x${a.toString(16)}, outside the writable pages`);
    }
  }

  /** From now on, a write outside these page ranges ([first, end) page numbers) stops the machine. */
  restrictWrites(ranges: Array<[number, number]> | null): void {
    if (!ranges) {
      this.writable = null;
      return;
    }
    const sorted = ranges.filter(([a, b]) => b > a).sort((x, y) => x[0] - y[0]);
    const merged: Array<[number, number]> = [];
    for (const [a, b] of sorted) {
      const last = merged[merged.length - 1];
      if (last && a <= last[1]) last[1] = Math.max(last[1], b);
      else merged.push([a, b]);
    }
    this.writable = merged;
    this.lastWritable = -1;
  }

  load(addr: number, bytes: 1 | 2 | 4): number {
    this.stats.loads++;
    addr = addr >>> 0;
    if (bytes === 4 && (addr & 3) === 0) return this.readWord(addr);
    let v = 0;
    for (let i = bytes - 1; i >= 0; i--) v = v * 256 + this.readByte(addr + i);
    return v >>> 0;
  }

  store(addr: number, bytes: 1 | 2 | 4, value: number): void {
    this.stats.stores++;
    addr = addr >>> 0;
    this.checkWrite(addr, bytes);
    if (bytes === 4 && (addr & 3) === 0) {
      this.writeWord(addr, value >>> 0);
      return;
    }
    for (let i = 0; i < bytes; i++) this.writeByte(addr + i, (value >>> (8 * i)) & 0xff);
  }

  fill32(addr: number, value: number, count: number): void {
    addr = addr >>> 0;
    value = value >>> 0;
    if (count === 0) return;
    this.checkWrite(addr, count * 4);
    if ((addr & 3) !== 0) {
      for (let i = 0; i < count; i++) this.store(addr + i * 4, 4, value);
      return;
    }
    let a = addr;
    const end = addr + count * 4;
    while (a < end) {
      // Zeros over a page holding none: nothing to do up to the page's end.
      if (value === 0 && this.emptyPage(a)) {
        a = Math.min(end, (Math.floor(a / 4096) + 1) * 4096);
        continue;
      }
      // Whole chunks at a time where the range covers them.
      if ((a & ((1 << CHUNK_SHIFT) - 1)) === 0 && end - a >= CHUNK_WORDS * 4) {
        const chunk = (a >>> CHUNK_SHIFT) >>> 0;
        if (value === 0) {
          const slot = this.slots.get(chunk);
          if (slot !== undefined) {
            this.slots.delete(chunk);
            this.pageChunks[chunk >>> 6]--;
            this.freeSlots.push(slot);
          }
        } else {
          const slot = this.slotFor(chunk);
          this.words.fill(value, slot * CHUNK_WORDS, (slot + 1) * CHUNK_WORDS);
        }
        a += CHUNK_WORDS * 4;
      } else {
        this.writeWord(a >>> 0, value);
        a += 4;
      }
    }
  }

  /** Bytes of simulated memory actually stored (non-zero chunks). */
  residentBytes(): number {
    return this.slots.size * CHUNK_WORDS * 4;
  }

  /** A copy of `length` bytes from `addr` (for tests comparing memory before and after). */
  readBytes(addr: number, length: number): Uint8Array {
    const out = new Uint8Array(length);
    for (let i = 0; i < length; i++) out[i] = this.readByte(addr + i);
    return out;
  }

  /** Write bytes without the write restriction (what firmware and the loader do before the kernel). */
  writeBytes(addr: number, data: Uint8Array): void {
    for (let i = 0; i < data.length; i++) this.writeByte(addr + i, data[i]);
  }

  /** Write a word without the write restriction. */
  poke32(addr: number, value: number): void {
    this.writeWord(addr >>> 0, value >>> 0);
  }

  /** Read a word (no counters). */
  peek32(addr: number): number {
    return this.readWord(addr >>> 0);
  }

  // ---- ports ----

  portIn(port: number, bytes: 1 | 2 | 4): number {
    if (port >= COM1 && port < COM1 + 8) {
      if (port === COM1 + 5) return 0x60; // LSR: transmitter holding register and line empty
      return 0;
    }
    return bytes === 1 ? 0xff : bytes === 2 ? 0xffff : 0xffffffff;
  }

  portOut(port: number, bytes: 1 | 2 | 4, value: number): void {
    if (port === DEBUG_EXIT) throw new MachineExit(value & 0xff, "debug-exit");
    if (port === COM1 + 3) this.lcr = value & 0xff;
    if (port === COM1 && (this.lcr & 0x80) === 0) {
      const b = value & 0xff;
      this.serial.push(b);
      if (this.onSerial) this.onSerial(b);
    }
  }

  /** Everything sent on COM1 so far, as text. */
  serialText(): string {
    return Buffer.from(this.serial).toString("latin1");
  }

  // ---- CPU ----

  readCr(n: number): number {
    return this.cr[n] >>> 0;
  }

  writeCr(n: number, value: number): void {
    value = value >>> 0;
    if (n === 0 && (value & 0x80000000) !== 0 && (this.cr[3] === 0 || (this.cr[3] & 0xfff) !== 0)) {
      throw new MachineExit(-1, "fault", `paging enabled with CR3=0x${this.cr[3].toString(16)}`);
    }
    this.cr[n] = value;
  }

  invlpg(_addr: number): void {}

  setInterrupts(enabled: boolean): void {
    this.interrupts = enabled;
  }

  hlt(): void {
    if (!this.interrupts) throw new MachineExit(-1, "halt", "hlt with interrupts off");
  }

  rdtsc(): number {
    this.tsc += 1000;
    return this.tsc >>> 0;
  }

  /** Walk the page tables from CR3 as the MMU would: the physical address for `vaddr`, or null. */
  translate(vaddr: number): number | null {
    vaddr = vaddr >>> 0;
    const pde = this.readWord(((this.cr[3] & ~0xfff) + (vaddr >>> 22) * 4) >>> 0);
    if ((pde & 1) === 0) return null;
    const pte = this.readWord(((pde & ~0xfff) + ((vaddr >>> 12) & 0x3ff) * 4) >>> 0);
    if ((pte & 1) === 0) return null;
    return ((pte & ~0xfff) + (vaddr & 0xfff)) >>> 0;
  }
}

/** Make `machine` the one kernel/arch/cpu.ts talks to. */
export function installMachine(machine: Machine): void {
  (globalThis as { __tskMachine?: Machine }).__tskMachine = machine;
}
