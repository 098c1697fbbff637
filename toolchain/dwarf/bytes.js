// Little-endian byte cursors for DWARF: a Reader over a Buffer (fixed-size integers, LEB128,
// NUL-terminated strings; reading past the end is an error naming the section) and a Writer that
// grows as it goes. DWARF's variable-length integers are LEB128: 7 bits a byte, low first, the top
// bit saying another byte follows; the signed form sign-extends from the last byte's bit 6.
"use strict";
const { DwarfError } = require("./errors");

class Reader {
  /** buf: the bytes; what: how an error names them (".debug_line"); pos: where to start. */
  constructor(buf, what, pos = 0) {
    this.buf = buf;
    this.what = what;
    this.pos = pos;
  }

  need(n) {
    if (this.pos + n > this.buf.length) {
      throw new DwarfError(`${this.what}: truncated at offset 0x${this.pos.toString(16)} (${n} byte(s) needed, ${this.buf.length - this.pos} left)`);
    }
  }

  u8() {
    this.need(1);
    return this.buf[this.pos++];
  }

  u16() {
    this.need(2);
    const v = this.buf.readUInt16LE(this.pos);
    this.pos += 2;
    return v;
  }

  u32() {
    this.need(4);
    const v = this.buf.readUInt32LE(this.pos);
    this.pos += 4;
    return v;
  }

  i8() {
    const v = this.u8();
    return v >= 0x80 ? v - 0x100 : v;
  }

  /** An unsigned integer of `n` bytes (1, 2, 4 or 8; 8 only when it fits a JavaScript number). */
  uN(n) {
    if (n === 1) return this.u8();
    if (n === 2) return this.u16();
    if (n === 4) return this.u32();
    if (n === 8) {
      const lo = this.u32();
      const hi = this.u32();
      return hi * 0x100000000 + lo;
    }
    throw new DwarfError(`${this.what}: unsupported integer size ${n}`);
  }

  uleb() {
    return this.leb(false);
  }

  sleb() {
    return this.leb(true);
  }

  /** A LEB128 number; a signed one is negative when its last byte's bit 6 is set. */
  leb(signed) {
    let v = 0;
    let mul = 1;
    for (;;) {
      const b = this.u8();
      v += (b & 0x7f) * mul;
      mul *= 128;
      if (!(b & 0x80)) return signed && b & 0x40 ? v - mul : v;
    }
  }

  cstr() {
    const end = this.buf.indexOf(0, this.pos);
    if (end < 0) throw new DwarfError(`${this.what}: unterminated string at offset 0x${this.pos.toString(16)}`);
    const s = this.buf.toString("utf8", this.pos, end);
    this.pos = end + 1;
    return s;
  }

  skip(n) {
    this.need(n);
    this.pos += n;
  }
}

class Writer {
  constructor() {
    this.bytes = [];
  }

  get length() {
    return this.bytes.length;
  }

  u8(v) {
    this.bytes.push(v & 0xff);
    return this;
  }

  u16(v) {
    return this.u8(v).u8(v >>> 8);
  }

  u32(v) {
    return this.u16(v & 0xffff).u16(v >>> 16);
  }

  /** Overwrites the u32 at `at` (a length known only after what it measures is written). */
  patch32(at, v) {
    for (let i = 0; i < 4; i++) this.bytes[at + i] = (v >>> (8 * i)) & 0xff;
  }

  uleb(v) {
    if (!Number.isInteger(v) || v < 0) throw new DwarfError(`uleb: ${v} is not a non-negative integer`);
    do {
      let b = v % 128;
      v = Math.floor(v / 128);
      if (v) b |= 0x80;
      this.u8(b);
    } while (v);
    return this;
  }

  sleb(v) {
    if (!Number.isInteger(v)) throw new DwarfError(`sleb: ${v} is not an integer`);
    for (;;) {
      const b = ((v % 128) + 128) % 128;
      v = Math.floor(v / 128);
      const done = (v === 0 && !(b & 0x40)) || (v === -1 && (b & 0x40));
      this.u8(done ? b : b | 0x80);
      if (done) return this;
    }
  }

  cstr(s) {
    for (const b of Buffer.from(s, "utf8")) this.u8(b);
    return this.u8(0);
  }

  buffer() {
    return Buffer.from(this.bytes);
  }
}

module.exports = { Reader, Writer };
