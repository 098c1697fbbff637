// @tsk-uses-intrinsics. The console: COM1 (16550 UART at 0x3f8), polled. Everything the kernel says goes through here.
import { inb, outb } from "./cpu";

const COM1: u16 = 0x3f8;
const LSR_TX_EMPTY: u8 = 0x20;
/** LSR bit 6: the holding register and the shift register are both empty (the last byte is out). */
const LSR_TX_IDLE: u8 = 0x40;

/** Program COM1 for 115200 baud, 8N1, FIFOs on, interrupts off. */
export function serialInit(): void {
  outb(COM1 + 1, 0x00);
  outb(COM1 + 3, 0x80);
  outb(COM1 + 0, 0x01);
  outb(COM1 + 1, 0x00);
  outb(COM1 + 3, 0x03);
  outb(COM1 + 2, 0xc7);
  outb(COM1 + 4, 0x03);
}

/** Send one byte. Waits for the transmitter: QEMU drops bytes written while it is busy. */
export function putc(c: u8): void {
  while ((inb(COM1 + 5) & LSR_TX_EMPTY) === 0) {}
  outb(COM1, c);
}

/** Wait until every byte sent has left the UART. A byte QEMU could not pass on at once (its side of
 *  the serial pipe full) waits in the shift register; leaving the machine then (exitQemu) would cut
 *  the log's last line short. */
export function serialDrain(): void {
  while ((inb(COM1 + 5) & LSR_TX_IDLE) === 0) {}
}

/** Send an ASCII string literal. */
export function print(s: string): void {
  for (let i: u32 = 0; i < s.length; i = u32(i + 1)) {
    putc(u8(s.charCodeAt(i)));
  }
}

/** Send a string literal and a newline. */
export function println(s: string): void {
  print(s);
  putc(10);
}

/** Send the low `digits` hex digits of `v`, lower case, no prefix. */
export function printHex(v: u32, digits: u32): void {
  let shift: u32 = u32(digits * 4);
  while (shift > 0) {
    shift = u32(shift - 4);
    const nibble: u32 = (v >>> shift) & 0xf;
    putc(u8(nibble < 10 ? nibble + 48 : nibble + 87));
  }
}

/** Send `0x` and 8 hex digits. */
export function printHex32(v: u32): void {
  print("0x");
  printHex(v, 8);
}

/** Send `v` in decimal. */
export function printDec(v: u32): void {
  let divisor: u32 = 1000000000;
  while (divisor > 1 && divisor > v) {
    divisor = u32(divisor / 10);
  }
  while (divisor > 0) {
    putc(u8(u32(v / divisor) % 10 + 48));
    divisor = u32(divisor / 10);
  }
}
