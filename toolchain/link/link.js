// The linker as a function: objects (ELF32 i386 relocatable) + a GNU ld script -> an ELF32
// executable and its flat binary, with no binutils. Steps, one module each: read the objects
// (elf-read.js), parse the script (script.js), resolve symbols (symbols.js), lay out sections and
// script symbols (layout.js, with merge.js for string sections), apply relocations (relocate.js),
// write the ELF (elf-write.js) and the flat binary (binary.js). Pure: bytes in, bytes out, so the
// browser can call it as Node does.
"use strict";
const { readObject } = require("./elf-read");
const { parseScript } = require("./script");
const { resolveSymbols } = require("./symbols");
const { layout } = require("./layout");
const { relocate } = require("./relocate");
const { writeElf } = require("./elf-write");
const { writeBinary } = require("./binary");
const { LinkError } = require("./errors");

/** Every name a script statement assigns (outside PROVIDE, which only fills undefined ones). */
function scriptAssigned(statements, out = new Set()) {
  for (const st of statements) {
    if (st.k === "assign" && st.name !== ".") out.add(st.name);
    if (st.k === "section") scriptAssigned(st.contents, out);
  }
  return out;
}

/**
 * script: the linker script's text; scriptName: its path for messages; objects: [{name, bytes}] in
 * link order; defsyms: {NAME: number | string} (--defsym; strings are parsed as script numbers).
 * Returns {elf, binary, symbols: Map name -> address (the globals and script symbols), entry}.
 * Throws LinkError.
 */
function link({ script, scriptName = "script", objects, defsyms = {} }) {
  const tree = parseScript(script, scriptName);
  const objs = objects.map((o) => readObject(o.bytes, o.name));
  const defs = new Map();
  for (const [name, value] of Object.entries(defsyms)) {
    if (!/^[A-Za-z_.$][A-Za-z0-9_.$]*$/.test(name)) throw new LinkError(`--defsym: bad symbol name \`${name}'`);
    let v;
    try {
      v = typeof value === "number" ? BigInt(value) : BigInt(String(value).trim());
    } catch {
      throw new LinkError(`--defsym ${name}=${value}: not a number`);
    }
    defs.set(name, v);
  }
  const assigned = scriptAssigned(tree.statements, new Set(defs.keys()));
  const globals = resolveSymbols(objs, assigned);
  const lay = layout({ script: tree, objects: objs, globals, defsyms: defs, scriptName });
  relocate(lay, globals);
  const elf = writeElf(lay, objs, globals);
  const binary = writeBinary(lay);
  const symbols = new Map();
  for (const g of globals.values()) if (g.sym || g.common) symbols.set(g.name, lay.globalAddress(g));
  for (const [name, s] of lay.scriptSyms) symbols.set(name, s.value);
  return { elf, binary, symbols, entry: lay.entry };
}

module.exports = { link, LinkError };
