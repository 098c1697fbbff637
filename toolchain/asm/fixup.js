// Filling in the fields the encoder left open, shared by the output formats: the range checks NASM
// makes (warnings that truncate, errors under the build's -Werror) and little-endian writes.
"use strict";
const { AsmError } = require("./errors");

/** Writes `v` (BigInt, any sign) into buf at pos as a `size`-byte little-endian field. */
function put(buf, pos, size, v) {
  let u = BigInt.asUintN(size * 8, v);
  for (let k = 0; k < size; k++) {
    buf[pos + k] = Number(u & 0xffn);
    u >>= 8n;
  }
}

const NAMES = { 1: "byte", 2: "word", 4: "dword", 8: "qword" };

/**
 * Checks that a plain value fits its field (signed or unsigned reading), as NASM's number-overflow
 * warnings do; the encoder already checked sign-extended imm8 and disp8 choices.
 */
function checkRange(f, v, warn) {
  if (f.size === 8 || f.signedByte) return;
  if (f.disp && f.size === 1) return;
  const bits = BigInt(f.size * 8);
  const lo = -(1n << (bits - 1n));
  const hi = (1n << bits) - 1n;
  if (v < lo || v > hi) warn(f.file, f.line, `${NAMES[f.size]} data exceeds bounds`, "number-overflow");
}

/** The displacement of a relative field that stays within its section. */
function relative(f, delta) {
  if (f.size === 1 && (delta < -128n || delta > 127n)) throw new AsmError(f.file, f.line, "short jump is out of range");
  return delta;
}

module.exports = { put, checkRange, relative };
