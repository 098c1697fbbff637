// ModR/M, SIB and displacement bytes of a register or memory operand, with NASM's choices: the first
// register written is the base, `[x*1]` and `[x*2]` with no base become `[x]` and `[x+x]`, an esp
// index swaps with the base, the shortest displacement a known plain number allows (a displacement
// that needs a relocation, i.e. mentions a label, is always full size), and bp/ebp with no
// displacement gets a zero disp8. Addresses with registers of both sizes, or impossible
// combinations, are errors.
"use strict";

class EncodeError extends Error {}

const fitsS8 = (v) => v >= -128n && v <= 127n;

/**
 * The address size (16 or 32) of a memory operand: from its registers, else the mode's.
 */
function addressSize(mem, bits) {
  const sizes = new Set(mem.regs.map((r) => r.reg.size));
  if (sizes.size > 1) throw new EncodeError("invalid effective address: 16- and 32-bit registers mixed");
  return sizes.size ? [...sizes][0] : bits;
}

/**
 * Encodes `rm` (a reg or mem operand) with `regField` in ModR/M.reg.
 * value(node) evaluates an expression. Returns {bytes, disp: {at, size, val} | null, asize}.
 */
function modrm(regField, rm, bits, value) {
  if (rm.type === "reg") return { bytes: [0xc0 | (regField << 3) | rm.reg.num], disp: null, asize: bits };
  const asize = addressSize(rm, bits);
  const disp = rm.disp ? value(rm.disp) : null;
  // a displacement is "small" only if it is a known plain number; a forward reference in the
  // first pass is optimistic (0), as NASM's is, and later passes settle it
  const dv = disp ? disp.v : 0n;
  const plain = !disp || !disp.base;
  const regs = rm.regs.map((r) => {
    let scale = 1n;
    if (r.scale) {
      const s = value(r.scale);
      if (s.base || s.unknown) throw new EncodeError("invalid effective address: the scale must be a constant");
      scale = s.v;
    }
    return { reg: r.reg, scale };
  });
  if (asize === 16) return { ...modrm16(regField, regs, disp, dv, plain), asize };
  return { ...modrm32(regField, regs, disp, dv, plain), asize };
}

function modrm16(regField, regs, disp, dv, plain) {
  for (const r of regs) if (r.scale !== 1n) throw new EncodeError("invalid effective address: 16-bit addressing has no scale");
  const names = regs.map((r) => r.reg.name).sort().join("+");
  const RM = { "bx+si": 0, "bx+di": 1, "bp+si": 2, "bp+di": 3, si: 4, di: 5, bp: 6, bx: 7 };
  if (!regs.length) {
    return { bytes: [(regField << 3) | 6], disp: { at: 1, size: 2, val: disp || { v: 0n, base: null } } };
  }
  if (!(names in RM)) throw new EncodeError(`invalid effective address: [${names}]`);
  const rm = RM[names];
  let mod;
  if (plain && dv === 0n && rm !== 6) mod = 0;
  else if (plain && fitsS8(BigInt.asIntN(16, dv))) mod = 1;
  else mod = 2;
  const bytes = [(mod << 6) | (regField << 3) | rm];
  const d = mod === 0 ? null : { at: 1, size: mod === 1 ? 1 : 2, val: disp || { v: 0n, base: null }, wrap16: true };
  return { bytes, disp: d };
}

function modrm32(regField, regs, disp, dv, plain) {
  let base = null;
  let index = null;
  let scale = 1n;
  for (const r of regs) {
    if (r.scale === 1n && !base) base = r.reg;
    else if (!index) { index = r.reg; scale = r.scale; }
    else throw new EncodeError("invalid effective address: too many registers");
  }
  if (![1n, 2n, 4n, 8n].includes(scale)) throw new EncodeError(`invalid effective address: scale ${scale}`);
  // NASM: [x*2] with no base is [x+x] (shorter than a disp32 form)
  if (!base && index && scale === 2n) { base = index; scale = 1n; }
  if (index && index.num === 4) {
    if (scale === 1n && base && base.num !== 4) [base, index] = [index, base];
    else throw new EncodeError("invalid effective address: esp cannot be an index");
  }
  const sib = (s, i, b) => ({ 1: 0, 2: 1, 4: 2, 8: 3 })[String(s)] << 6 | (i << 3) | b;
  if (!base && !index) {
    return { bytes: [(regField << 3) | 5], disp: { at: 1, size: 4, val: disp || { v: 0n, base: null } } };
  }
  if (!base) {
    return { bytes: [(regField << 3) | 4, sib(scale, index.num, 5)], disp: { at: 2, size: 4, val: disp || { v: 0n, base: null } } };
  }
  let mod;
  if (plain && dv === 0n && base.num !== 5) mod = 0;
  else if (plain && fitsS8(dv)) mod = 1;
  else mod = 2;
  const bytes = [];
  if (index || base.num === 4) {
    bytes.push((mod << 6) | (regField << 3) | 4, sib(scale, index ? index.num : 4, base.num));
  } else bytes.push((mod << 6) | (regField << 3) | base.num);
  const d = mod === 0 ? null : { at: bytes.length, size: mod === 1 ? 1 : 4, val: disp || { v: 0n, base: null } };
  return { bytes, disp: d };
}

module.exports = { modrm, addressSize, EncodeError };
