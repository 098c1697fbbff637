// The i386 registers the assembler knows: name -> {name, kind, size (bits), num (encoding)}.
"use strict";

const REGS = new Map();
const add = (names, kind, size) => names.forEach((name, num) => REGS.set(name, { name, kind, size, num }));
add(["al", "cl", "dl", "bl", "ah", "ch", "dh", "bh"], "gpr", 8);
add(["ax", "cx", "dx", "bx", "sp", "bp", "si", "di"], "gpr", 16);
add(["eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi"], "gpr", 32);
add(["es", "cs", "ss", "ds", "fs", "gs"], "sreg", 16);
for (const n of [0, 2, 3, 4]) REGS.set(`cr${n}`, { name: `cr${n}`, kind: "cr", size: 32, num: n });

/** The register named `name` (any case), or undefined. */
const register = (name) => REGS.get(String(name).toLowerCase());

module.exports = { register };
