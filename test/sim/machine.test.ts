// The simulated machine itself: sparse memory (widths, unaligned access, fill32, zero chunks
// dropped), the write restriction, COM1, isa-debug-exit, hlt, control registers, page walks.
import * as assert from "assert";
import { SimMachine, MachineExit, installMachine } from "./machine";
import { load32, store8, store16, store32, load8, load16, fill32, outb, hlt, cli, sti, readCr0, writeCr0, writeCr3 } from "../../kernel/arch/cpu";

describe("sim: machine", function () {
  let m: SimMachine;
  beforeEach(function () {
    m = new SimMachine();
    installMachine(m);
  });

  it("untouched memory reads 0, anywhere in 4 GiB", function () {
    assert.strictEqual(load32(0), 0);
    assert.strictEqual(load32(0xfffffffc), 0);
    assert.strictEqual(load8(0x12345677), 0);
    assert.strictEqual(m.residentBytes(), 0);
  });

  it("stores and loads of every width, little-endian, aligned or not, across chunks", function () {
    store32(0x1000, 0xdeadbeef);
    assert.strictEqual(load32(0x1000), 0xdeadbeef);
    assert.strictEqual(load8(0x1000), 0xef);
    assert.strictEqual(load16(0x1002), 0xdead);
    store32(0x103e, 0x11223344); // straddles a 64-byte chunk
    assert.strictEqual(load32(0x103e), 0x11223344);
    assert.strictEqual(load16(0x1040), 0x1122);
    store16(0x2fff, 0xabcd); // straddles a page
    assert.strictEqual(load8(0x2fff), 0xcd);
    assert.strictEqual(load8(0x3000), 0xab);
    store8(0xffffffff, 0x7f);
    assert.strictEqual(load8(0xffffffff), 0x7f);
    assert.strictEqual(load32(0x80000000) >= 0, true);
  });

  it("fill32 fills words; zero-filling drops the chunks again", function () {
    fill32(0x10004, 0xa5a5a5a5, 1000);
    assert.strictEqual(load32(0x10000), 0);
    assert.strictEqual(load32(0x10004), 0xa5a5a5a5);
    assert.strictEqual(load32(0x10004 + 999 * 4), 0xa5a5a5a5);
    assert.strictEqual(load32(0x10004 + 1000 * 4), 0);
    assert.ok(m.residentBytes() >= 4000);
    fill32(0x10000, 0, 1024);
    fill32(0x11000, 0, 1);
    assert.strictEqual(m.residentBytes(), 0);
    store32(0x5000, 7);
    store32(0x5000, 0);
    assert.strictEqual(m.residentBytes(), 0);
  });

  it("restrictWrites stops the machine on a write outside the given pages; reads are free", function () {
    m.restrictWrites([[0x100, 0x200]]);
    store32(0x100000, 1);
    store32(0x1ffffc, 1);
    assert.strictEqual(load32(0x5000), 0);
    assert.throws(() => store32(0x200000, 1), /fault: write to 0x200000/);
    assert.throws(() => store32(0x1ffffe, 1), /fault/); // its last bytes are outside
    assert.throws(() => fill32(0x1ff000, 0, 1025), /fault/);
  });

  it("COM1 collects bytes sent while DLAB is clear; LSR always ready", function () {
    outb(0x3fb, 0x80);
    outb(0x3f8, 0x01); // divisor latch, not data
    outb(0x3fb, 0x03);
    outb(0x3f8, 0x68);
    outb(0x3f8, 0x69);
    assert.strictEqual(m.serialText(), "hi");
    assert.strictEqual(m.portIn(0x3fd, 1) & 0x20, 0x20);
  });

  it("isa-debug-exit and hlt with interrupts off stop the machine", function () {
    assert.throws(() => outb(0xf4, 0x10), (e: unknown) => e instanceof MachineExit && e.code === 0x10 && e.reason === "debug-exit");
    cli();
    assert.throws(() => hlt(), (e: unknown) => e instanceof MachineExit && e.reason === "halt");
    sti();
    hlt();
  });

  it("control registers; paging on with no CR3 faults; translate walks the tables", function () {
    assert.throws(() => writeCr0(0x80000001), /fault/);
    store32(0x2000, 0x3003); // PDE 0 -> table at 0x3000
    store32(0x3000 + 5 * 4, 0x7000 | 3); // page 5 -> 0x7000
    writeCr3(0x2000);
    writeCr0(0x80010001);
    assert.strictEqual(readCr0(), 0x80010001);
    assert.strictEqual(m.translate(0x5123), 0x7123);
    assert.strictEqual(m.translate(0x6000), null);
    assert.strictEqual(m.translate(0x400000), null);
  });
});
