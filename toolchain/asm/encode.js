// i386 instruction encoder for the mnemonics tsk's assembly uses, choosing what NASM (-O, its
// default) chooses: register-to-register ALU/mov use the `r/m, reg` opcode, accumulator short forms
// (`cmp al, imm8`, `and eax, imm32`, `mov eax, [moffs]`) and sign-extended imm8 forms when the value
// fits, `shl r, 1` as D1, jumps short when the target is known and in range (optimistic for a
// forward reference in the first pass), prefixes in NASM's order (rep/lock, segment, o16/o32,
// a16/a32). Anything else is rejected with an error rather than encoded some other way.
//
// encode(ins, env) -> {bytes, fixups}; a fixup {at, size, val, pcrel} is a field the assembler fills
// once values are final (a label's address, a relocation, or a jump displacement).
// env: {bits, value(node) -> {v, base, unknown}, at: the instruction's address (section-relative)}.
"use strict";
const { modrm, addressSize, EncodeError } = require("./modrm");

const ALU = { add: 0, or: 1, adc: 2, sbb: 3, and: 4, sub: 5, xor: 6, cmp: 7 };
const SHIFT = { rol: 0, ror: 1, rcl: 2, rcr: 3, shl: 4, sal: 4, shr: 5, sar: 7 };
const UNARY = { not: 2, neg: 3, mul: 4, div: 6, idiv: 7 };
const CC = { o: 0, no: 1, b: 2, c: 2, nae: 2, ae: 3, nb: 3, nc: 3, e: 4, z: 4, ne: 5, nz: 5, be: 6, na: 6, a: 7, nbe: 7,
  s: 8, ns: 9, p: 10, pe: 10, np: 11, po: 11, l: 12, nge: 12, ge: 13, nl: 13, le: 14, ng: 14, g: 15, nle: 15 };
// no operands: opcode bytes; `size` marks the ones whose operand size (16/32) picks a 66 prefix
const PLAIN = {
  cli: [0xfa], sti: [0xfb], cld: [0xfc], std: [0xfd], hlt: [0xf4], nop: [0x90], clc: [0xf8], stc: [0xf9], cmc: [0xf5],
  ret: [0xc3], retn: [0xc3], retf: [0xcb], leave: [0xc9], int3: [0xcc], into: [0xce], lahf: [0x9f], sahf: [0x9e],
  movsb: [0xa4], cmpsb: [0xa6], stosb: [0xaa], lodsb: [0xac], scasb: [0xae], insb: [0x6c], outsb: [0x6e],
};
const SIZED = { // [opcode, operand size or 0 for the mode's]
  movsw: [0xa5, 16], movsd: [0xa5, 32], cmpsw: [0xa7, 16], cmpsd: [0xa7, 32], stosw: [0xab, 16], stosd: [0xab, 32],
  lodsw: [0xad, 16], lodsd: [0xad, 32], scasw: [0xaf, 16], scasd: [0xaf, 32], insw: [0x6d, 16], insd: [0x6d, 32],
  outsw: [0x6f, 16], outsd: [0x6f, 32],
  pusha: [0x60, 0], pushaw: [0x60, 16], pushad: [0x60, 32], popa: [0x61, 0], popaw: [0x61, 16], popad: [0x61, 32],
  pushf: [0x9c, 0], pushfw: [0x9c, 16], pushfd: [0x9c, 32], popf: [0x9d, 0], popfw: [0x9d, 16], popfd: [0x9d, 32],
  iret: [0xcf, 0], iretw: [0xcf, 16], iretd: [0xcf, 32],
  cbw: [0x98, 16], cwde: [0x98, 32], cwd: [0x99, 16], cdq: [0x99, 32],
};
const REP = { rep: 0xf3, repe: 0xf3, repz: 0xf3, repne: 0xf2, repnz: 0xf2, lock: 0xf0 };
const SEG = { es: 0x26, cs: 0x2e, ss: 0x36, ds: 0x3e, fs: 0x64, gs: 0x65 };

const sbyte = (v, size) => {
  const x = BigInt.asIntN(size, v);
  return x >= -128n && x <= 127n;
};

function encode(ins, env) {
  const e = new Encoding(ins, env);
  e.run();
  return e.result();
}

class Encoding {
  constructor(ins, env) {
    this.ins = ins;
    this.env = env;
    this.bits = env.bits;
    this.osize = null; // operand size needing a 66 prefix when it differs from the mode
    this.asize = null;
    this.seg = null;
    this.body = [];
    this.fixups = [];
    this.prefixOps = { rep: null, o: null, a: null };
    for (const p of ins.prefixes) {
      if (p in REP) {
        if (this.prefixOps.rep !== null) throw new EncodeError("instruction has conflicting prefixes");
        this.prefixOps.rep = REP[p];
      } else if (p in SEG) this.seg = SEG[p];
      else if (p === "o16" || p === "o32") this.prefixOps.o = p === "o16" ? 16 : 32;
      else if (p === "a16" || p === "a32") this.prefixOps.a = p === "a16" ? 16 : 32;
    }
  }

  fail(msg = "invalid combination of opcode and operands") {
    throw new EncodeError(msg);
  }

  value(node) {
    return this.env.value(node);
  }

  /** Emits ModR/M for `rm` with reg field `r`; records the address size and segment override. */
  modrm(r, rm) {
    const m = modrm(r, rm, this.bits, (n) => this.value(n));
    if (rm.type === "mem") {
      this.setAsize(m.asize);
      if (rm.seg) this.setSeg(rm.seg);
    }
    const start = this.body.length;
    this.body.push(...m.bytes);
    if (m.disp) {
      for (let k = 0; k < m.disp.size; k++) this.body.push(0);
      this.fixups.push({ at: start + m.disp.at, size: m.disp.size, val: m.disp.val, pcrel: false, disp: true });
    }
  }

  setAsize(a) {
    if (this.asize !== null && this.asize !== a) this.fail("address size conflict");
    this.asize = a;
  }

  setSeg(sreg) {
    const p = SEG[sreg.name];
    if (this.seg !== null && this.seg !== p) this.fail("conflicting segment overrides");
    this.seg = p;
  }

  setOsize(s) {
    if (s !== 16 && s !== 32) this.fail(`invalid operand size ${s}`);
    this.osize = s;
  }

  imm(node, size, signedByte = false) {
    const val = this.value(node);
    const at = this.body.length;
    for (let k = 0; k < size; k++) this.body.push(0);
    this.fixups.push({ at, size, val, pcrel: false, signedByte });
  }

  rel(val, size) {
    const at = this.body.length;
    for (let k = 0; k < size; k++) this.body.push(0);
    this.fixups.push({ at, size, val, pcrel: true });
  }

  /** A size keyword on an immediate must match the operation (or be `byte` where imm8 is sign-extended). */
  immSize(o, size, byteOk) {
    if (o.jump) this.fail(`\`${o.jump}' on an immediate operand`);
    if (o.size && o.size !== size && !(byteOk && o.size === 8)) this.fail("mismatch in operand sizes");
  }

  /** The operand size of a two-operand instruction from its register/memory sizes. */
  sizeOf(...ops) {
    let s = 0;
    for (const o of ops) {
      const os = o.type === "reg" ? o.reg.size : o.size || 0;
      if (!os) continue;
      if (s && os !== s && o.type !== "imm") this.fail("mismatch in operand sizes");
      if (!s || o.type !== "imm") s = s || os;
    }
    return s;
  }

  result() {
    const pre = [];
    if (this.prefixOps.rep !== null) pre.push(this.prefixOps.rep);
    if (this.seg !== null) pre.push(this.seg);
    const o = this.prefixOps.o || this.osize;
    if (o && o !== this.bits) pre.push(0x66);
    const a = this.prefixOps.a || this.asize;
    if (a && a !== this.bits) pre.push(0x67);
    const fixups = this.fixups.map((f) => ({ ...f, at: f.at + pre.length }));
    return { bytes: [...pre, ...this.body], fixups };
  }

  run() {
    const { mnem, ops } = this.ins;
    const n = ops.length;
    if (mnem in PLAIN && !(n && /^ret/.test(mnem))) {
      if (n) this.fail();
      this.body.push(...PLAIN[mnem]);
      return;
    }
    if (mnem in SIZED) {
      if (n) this.fail();
      const [op, size] = SIZED[mnem];
      this.setOsize(size || this.bits);
      this.body.push(op);
      return;
    }
    if (mnem in ALU) return this.alu(ALU[mnem], ops);
    if (mnem in SHIFT) return this.shift(SHIFT[mnem], ops);
    if (mnem in UNARY) return this.unary(UNARY[mnem], ops);
    if (mnem[0] === "j" && mnem.slice(1) in CC) return this.jcc(CC[mnem.slice(1)], ops);
    switch (mnem) {
      case "mov": return this.mov(ops);
      case "test": return this.test(ops);
      case "movzx": case "movsx": return this.movx(mnem === "movzx" ? 0xb6 : 0xbe, ops);
      case "lea": return this.lea(ops);
      case "inc": case "dec": return this.incdec(mnem === "inc" ? 0 : 1, ops);
      case "push": return this.push(ops);
      case "pop": return this.pop(ops);
      case "imul": return this.imul(ops);
      case "jmp": return this.jmp(ops);
      case "call": return this.call(ops);
      case "jcxz": case "jecxz": return this.loopish(0xe3, ops, mnem === "jcxz" ? 16 : 32);
      case "loop": case "loope": case "loopz": case "loopne": case "loopnz":
        return this.loopish({ loop: 0xe2, loope: 0xe1, loopz: 0xe1, loopne: 0xe0, loopnz: 0xe0 }[mnem], ops, null);
      case "int": return this.int(ops);
      case "ret": case "retn": case "retf": return this.retImm(mnem, ops);
      case "in": return this.inOut(ops, true);
      case "out": return this.inOut(ops, false);
      case "lgdt": case "lidt": case "sgdt": case "sidt": return this.descTable({ sgdt: 0, sidt: 1, lgdt: 2, lidt: 3 }[mnem], ops);
      default: throw new EncodeError(`unsupported instruction \`${mnem}'`);
    }
  }

  isReg(o, kind = "gpr") { return o.type === "reg" && o.reg.kind === kind; }
  isRm(o) { return this.isReg(o) || o.type === "mem"; }

  alu(n, ops) {
    if (ops.length !== 2) this.fail();
    const [d, s] = ops;
    if (this.isRm(d) && this.isReg(s)) {
      const size = this.sizeOf(d, s);
      if (size !== 8) this.setOsize(size);
      this.body.push(n * 8 + (size === 8 ? 0 : 1));
      return this.modrm(s.reg.num, d);
    }
    if (this.isReg(d) && s.type === "mem") {
      const size = this.sizeOf(d, s);
      if (size !== 8) this.setOsize(size);
      this.body.push(n * 8 + (size === 8 ? 2 : 3));
      return this.modrm(d.reg.num, s);
    }
    if (this.isRm(d) && s.type === "imm") {
      const size = this.sizeOf(d);
      if (!size) this.fail("operation size not specified");
      this.immSize(s, size, true);
      const v = this.value(s.expr);
      // `byte` on the immediate asks for the sign-extended imm8 form; `dword` does not forbid it
      const small = s.size === 8 || (!v.base && sbyte(v.v, size));
      if (size === 8) {
        if (this.isReg(d) && d.reg.num === 0) { this.body.push(n * 8 + 4); return this.imm(s.expr, 1); }
        this.body.push(0x80);
        this.modrm(n, d);
        return this.imm(s.expr, 1);
      }
      this.setOsize(size);
      if (small) {
        this.body.push(0x83);
        this.modrm(n, d);
        return this.imm(s.expr, 1, true);
      }
      if (this.isReg(d) && d.reg.num === 0) { this.body.push(n * 8 + 5); return this.imm(s.expr, size / 8); }
      this.body.push(0x81);
      this.modrm(n, d);
      return this.imm(s.expr, size / 8);
    }
    this.fail();
  }

  test(ops) {
    if (ops.length !== 2) this.fail();
    let [d, s] = ops;
    if (this.isReg(d) && s.type === "mem") [d, s] = [s, d];
    if (this.isRm(d) && this.isReg(s)) {
      const size = this.sizeOf(d, s);
      if (size !== 8) this.setOsize(size);
      this.body.push(size === 8 ? 0x84 : 0x85);
      return this.modrm(s.reg.num, d);
    }
    if (this.isRm(d) && s.type === "imm") {
      const size = this.sizeOf(d);
      if (!size) this.fail("operation size not specified");
      this.immSize(s, size, false);
      if (size !== 8) this.setOsize(size);
      if (this.isReg(d) && d.reg.num === 0) this.body.push(size === 8 ? 0xa8 : 0xa9);
      else { this.body.push(size === 8 ? 0xf6 : 0xf7); this.modrm(0, d); }
      return this.imm(s.expr, size / 8);
    }
    this.fail();
  }

  /** A memory operand with only a displacement (the moffs forms take it). */
  isMoffs(o) {
    return o.type === "mem" && !o.regs.length;
  }

  mov(ops) {
    if (ops.length !== 2) this.fail();
    const [d, s] = ops;
    if (this.isReg(d, "sreg") || this.isReg(s, "sreg")) {
      const [sr, other, op] = this.isReg(d, "sreg") ? [d, s, 0x8e] : [s, d, 0x8c];
      if (!this.isRm(other)) this.fail();
      if (other.type === "reg" && other.reg.size === 8) this.fail();
      if (other.type === "mem" && other.size && other.size !== 16) this.fail("mismatch in operand sizes");
      if (other.type === "reg" && op === 0x8c) this.setOsize(other.reg.size);
      this.body.push(op);
      return this.modrm(sr.reg.num, other);
    }
    if (this.isReg(d, "cr") || this.isReg(s, "cr")) {
      const [cr, g, op] = this.isReg(d, "cr") ? [d, s, 0x22] : [s, d, 0x20];
      if (!this.isReg(g) || g.reg.size !== 32) this.fail();
      this.body.push(0x0f, op);
      return this.modrm(cr.reg.num, g);
    }
    if (this.isRm(d) && this.isReg(s)) {
      const size = this.sizeOf(d, s);
      if (size !== 8) this.setOsize(size);
      if (s.reg.num === 0 && this.isMoffs(d)) return this.moffs(size === 8 ? 0xa2 : 0xa3, d);
      this.body.push(size === 8 ? 0x88 : 0x89);
      return this.modrm(s.reg.num, d);
    }
    if (this.isReg(d) && s.type === "mem") {
      const size = this.sizeOf(d, s);
      if (size !== 8) this.setOsize(size);
      if (d.reg.num === 0 && this.isMoffs(s)) return this.moffs(size === 8 ? 0xa0 : 0xa1, s);
      this.body.push(size === 8 ? 0x8a : 0x8b);
      return this.modrm(d.reg.num, s);
    }
    if (this.isReg(d) && s.type === "imm") {
      const size = d.reg.size;
      this.immSize(s, size, false);
      if (size !== 8) this.setOsize(size);
      this.body.push((size === 8 ? 0xb0 : 0xb8) + d.reg.num);
      return this.imm(s.expr, size / 8);
    }
    if (d.type === "mem" && s.type === "imm") {
      const size = this.sizeOf(d);
      if (!size) this.fail("operation size not specified");
      this.immSize(s, size, false);
      if (size !== 8) this.setOsize(size);
      this.body.push(size === 8 ? 0xc6 : 0xc7);
      this.modrm(0, d);
      return this.imm(s.expr, size / 8);
    }
    this.fail();
  }

  moffs(op, mem) {
    const asize = addressSize(mem, this.bits);
    this.setAsize(asize);
    if (mem.seg) this.setSeg(mem.seg);
    this.body.push(op);
    const val = mem.disp ? this.value(mem.disp) : { v: 0n, base: null };
    const at = this.body.length;
    for (let k = 0; k < asize / 8; k++) this.body.push(0);
    this.fixups.push({ at, size: asize / 8, val, pcrel: false, disp: true });
  }

  movx(op, [d, s, ...more]) {
    if (more.length || !d || !s || !this.isReg(d) || !this.isRm(s) || d.reg.size === 8) this.fail();
    const from = s.type === "reg" ? s.reg.size : s.size;
    if (!from) this.fail("operation size not specified");
    if (from >= d.reg.size || from === 32) this.fail();
    this.setOsize(d.reg.size);
    this.body.push(0x0f, op + (from === 16 ? 1 : 0));
    this.modrm(d.reg.num, s);
  }

  lea([d, s, ...more]) {
    if (more.length || !d || !s || !this.isReg(d) || s.type !== "mem" || d.reg.size === 8) this.fail();
    this.setOsize(d.reg.size);
    this.body.push(0x8d);
    this.modrm(d.reg.num, s);
  }

  incdec(n, ops) {
    if (ops.length !== 1 || !this.isRm(ops[0])) this.fail();
    const [o] = ops;
    const size = this.sizeOf(o);
    if (!size) this.fail("operation size not specified");
    if (size !== 8) this.setOsize(size);
    if (this.isReg(o) && size !== 8) { this.body.push(0x40 + n * 8 + o.reg.num); return; }
    this.body.push(size === 8 ? 0xfe : 0xff);
    this.modrm(n, o);
  }

  unary(n, ops) {
    if (ops.length !== 1 || !this.isRm(ops[0])) this.fail();
    const size = this.sizeOf(ops[0]);
    if (!size) this.fail("operation size not specified");
    if (size !== 8) this.setOsize(size);
    this.body.push(size === 8 ? 0xf6 : 0xf7);
    this.modrm(n, ops[0]);
  }

  push(ops) {
    if (ops.length !== 1) this.fail();
    const [o] = ops;
    if (this.isReg(o, "sreg")) {
      this.body.push(...[[0x06], [0x0e], [0x16], [0x1e], [0x0f, 0xa0], [0x0f, 0xa8]][o.reg.num]);
      return;
    }
    if (this.isReg(o)) {
      if (o.reg.size === 8) this.fail();
      this.setOsize(o.reg.size);
      this.body.push(0x50 + o.reg.num);
      return;
    }
    if (o.type === "mem") {
      if (!o.size) this.fail("operation size not specified");
      this.setOsize(o.size);
      this.body.push(0xff);
      return this.modrm(6, o);
    }
    if (o.type === "imm") {
      const size = o.size && o.size !== 8 ? o.size : this.bits;
      this.setOsize(size);
      const v = this.value(o.expr);
      if (o.size === 8 || (!v.base && sbyte(v.v, size))) {
        this.body.push(0x6a);
        return this.imm(o.expr, 1, true);
      }
      this.body.push(0x68);
      return this.imm(o.expr, size / 8);
    }
    this.fail();
  }

  pop(ops) {
    if (ops.length !== 1) this.fail();
    const [o] = ops;
    if (this.isReg(o, "sreg")) {
      if (o.reg.name === "cs") this.fail("`pop cs' is not a valid instruction");
      this.body.push(...[[0x07], null, [0x17], [0x1f], [0x0f, 0xa1], [0x0f, 0xa9]][o.reg.num]);
      return;
    }
    if (this.isReg(o)) {
      if (o.reg.size === 8) this.fail();
      this.setOsize(o.reg.size);
      this.body.push(0x58 + o.reg.num);
      return;
    }
    if (o.type === "mem") {
      if (!o.size) this.fail("operation size not specified");
      this.setOsize(o.size);
      this.body.push(0x8f);
      return this.modrm(0, o);
    }
    this.fail();
  }

  shift(n, ops) {
    if (ops.length !== 2 || !this.isRm(ops[0])) this.fail();
    const [d, c] = ops;
    const size = this.sizeOf(d);
    if (!size) this.fail("operation size not specified");
    if (size !== 8) this.setOsize(size);
    const w = size === 8 ? 0 : 1;
    if (this.isReg(c) && c.reg.name === "cl") { this.body.push(0xd2 + w); return this.modrm(n, d); }
    if (c.type !== "imm") this.fail();
    const v = this.value(c.expr);
    if (!v.base && !v.unknown && v.v === 1n) { this.body.push(0xd0 + w); return this.modrm(n, d); }
    this.body.push(0xc0 + w);
    this.modrm(n, d);
    this.imm(c.expr, 1);
  }

  imul(ops) {
    if (ops.length === 1) return this.unary(5, ops);
    let [d, s, i] = ops;
    if (ops.length === 2 && this.isReg(d) && s.type === "imm") { i = s; s = d; }
    if (!this.isReg(d) || d.reg.size === 8 || !this.isRm(s)) this.fail();
    const size = this.sizeOf(d, s);
    this.setOsize(size);
    if (!i) { this.body.push(0x0f, 0xaf); return this.modrm(d.reg.num, s); }
    if (i.type !== "imm") this.fail();
    this.immSize(i, size, true);
    const v = this.value(i.expr);
    if (i.size === 8 || (!v.base && sbyte(v.v, size))) {
      this.body.push(0x6b);
      this.modrm(d.reg.num, s);
      return this.imm(i.expr, 1, true);
    }
    this.body.push(0x69);
    this.modrm(d.reg.num, s);
    this.imm(i.expr, size / 8);
  }

  /** Whether a rel8 reaches `target` from an instruction of `shortLen` bytes at `$`. */
  shortReaches(target, shortLen) {
    if (target.unknown) return true; // optimistic in the first pass, as NASM
    const at = this.env.at; // where the instruction really starts (`$` may be a `times` line's start)
    if (target.base !== at.base) return false;
    const delta = target.v - (at.v + BigInt(shortLen));
    return delta >= -128n && delta <= 127n;
  }

  /** The prefix bytes result() will add (their count moves a short jump's end). */
  prefixLen() {
    return this.result().bytes.length - this.body.length;
  }

  jumpTarget(o) {
    if (o.type !== "imm") this.fail();
    if (o.size) this.fail("a size on a jump target is not supported");
    return this.value(o.expr);
  }

  jcc(cc, ops) {
    if (ops.length !== 1) this.fail();
    const [o] = ops;
    const t = this.jumpTarget(o);
    if (o.jump === "far") this.fail("a conditional jump cannot be far");
    if (o.jump === "short" || (o.jump !== "near" && this.shortReaches(t, this.prefixLen() + 2))) {
      this.body.push(0x70 + cc);
      return this.rel(t, 1);
    }
    this.body.push(0x0f, 0x80 + cc);
    this.rel(t, this.bits / 8);
  }

  jmp(ops) {
    if (ops.length !== 1) this.fail();
    const [o] = ops;
    if (o.type === "far") return this.far(0xea, o);
    if (this.isRm(o)) return this.indirect(4, o);
    const t = this.jumpTarget(o);
    if (o.jump === "far") this.fail("`jmp far' needs a segment:offset or a memory operand");
    if (o.jump === "short" || (o.jump !== "near" && this.shortReaches(t, this.prefixLen() + 2))) {
      this.body.push(0xeb);
      return this.rel(t, 1);
    }
    this.body.push(0xe9);
    this.rel(t, this.bits / 8);
  }

  call(ops) {
    if (ops.length !== 1) this.fail();
    const [o] = ops;
    if (o.type === "far") return this.far(0x9a, o);
    if (this.isRm(o)) return this.indirect(2, o);
    const t = this.jumpTarget(o);
    if (o.jump === "short") this.fail("`call short' does not exist");
    this.body.push(0xe8);
    this.rel(t, this.bits / 8);
  }

  indirect(n, o) {
    const size = o.type === "reg" ? o.reg.size : o.size || this.bits;
    if (size === 8) this.fail();
    this.setOsize(size);
    this.body.push(0xff);
    this.modrm(n, o);
  }

  far(op, o) {
    const size = o.size || this.bits;
    this.setOsize(size);
    this.body.push(op);
    this.imm(o.off, size / 8);
    this.imm(o.seg, 2);
  }

  loopish(op, ops, asize) {
    if (ops.length !== 1) this.fail();
    if (asize) this.setAsize(asize);
    const t = this.jumpTarget(ops[0]);
    if (ops[0].jump && ops[0].jump !== "short") this.fail();
    this.body.push(op);
    this.rel(t, 1);
  }

  int([o, ...more]) {
    if (!o || more.length || o.type !== "imm") this.fail();
    this.body.push(0xcd);
    this.imm(o.expr, 1);
  }

  retImm(mnem, ops) {
    if (ops.length !== 1 || ops[0].type !== "imm") this.fail();
    this.body.push(mnem === "retf" ? 0xca : 0xc2);
    this.imm(ops[0].expr, 2);
  }

  inOut(ops, isIn) {
    if (ops.length !== 2) this.fail();
    const [acc, port] = isIn ? ops : [ops[1], ops[0]];
    if (!this.isReg(acc) || acc.reg.num !== 0) this.fail();
    const size = acc.reg.size;
    if (size !== 8) this.setOsize(size);
    const w = size === 8 ? 0 : 1;
    if (this.isReg(port) && port.reg.name === "dx") { this.body.push((isIn ? 0xec : 0xee) + w); return; }
    if (port.type !== "imm") this.fail();
    this.body.push((isIn ? 0xe4 : 0xe6) + w);
    this.imm(port.expr, 1);
  }

  descTable(n, ops) {
    if (ops.length !== 1 || ops[0].type !== "mem") this.fail();
    this.body.push(0x0f, 0x01);
    this.modrm(n, ops[0]);
  }
}

// Operand-less instructions this encoder does not support: alone on a line they must be reported as
// unsupported, not taken for a label without a colon.
const UNSUPPORTED_BARE = new Set(("aaa aas daa das xlat xlatb cpuid rdtsc rdtscp rdmsr wrmsr rdpmc invd wbinvd clts ud2 " +
  "pause wait fwait fninit finit fnclex fclex emms lfence mfence sfence sysenter sysexit syscall sysret rsm int1 " +
  "icebp salc cmpsq movsq stosq lodsq scasq cqo cdqe iretq pushfq popfq swapgs monitor mwait xgetbv").split(" "));

/** Whether `word` (lower case) is a mnemonic, supported or not, so a lone word is no label. */
function isMnemonic(word) {
  return word in PLAIN || word in SIZED || UNSUPPORTED_BARE.has(word) || /^(ret|retn|retf)$/.test(word);
}

module.exports = { encode, isMnemonic, EncodeError };
