// The line table as the build made it before it read DWARF itself: from binutils (`objdump
// --dwarf=decodedline` for the row addresses, `addr2line -f -i -a` for each one's inline chain, `nm`
// and `objdump -t` for where an assembly object's code landed). Kept only as the reference the
// JavaScript DWARF reader (toolchain/dwarf, scripts/lib/lines.js) is tested against: both must make
// the same table, byte for byte, from the same ELF.
"use strict";
const path = require("path");
const { spawnSync } = require("child_process");
const { addSectionLabel, composeTable, listingRows, tsName } = require("../../scripts/lib/lines");

function tool(cmd, args, input) {
  const r = spawnSync(cmd, args, { encoding: "utf8", maxBuffer: 256 << 20, input });
  if (r.error || r.status !== 0) {
    throw new Error(`${cmd} failed: ${r.error ? r.error.message : (r.stderr || "").trim()}`);
  }
  return r.stdout;
}

/** Every address that starts a row of the ELF's line program, sorted, unique. */
function rowAddresses(elf) {
  const out = tool("objdump", ["--dwarf=decodedline", elf]);
  const set = new Set();
  for (const m of out.matchAll(/^\S+\s+(?:\d+|-)\s+0x([0-9a-f]+)\b/gm)) set.add(parseInt(m[1], 16));
  return [...set].sort((a, b) => a - b);
}

/** The inline chain of every address: [{file, line, func}] with the .ts levels only. */
function resolve(elf, addrs, root) {
  const chains = new Map();
  const out = tool("addr2line", ["-f", "-i", "-a", "-e", elf], addrs.map((a) => `0x${a.toString(16)}`).join("\n") + "\n");
  const lines = out.split("\n");
  let cur = null;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    if (/^0x[0-9a-f]+$/.test(l)) {
      cur = [];
      chains.set(parseInt(l, 16), cur);
      continue;
    }
    if (!l || !cur) continue;
    const func = l;
    const loc = lines[++i] || "";
    const m = /^(.*):(\d+)(?: \(discriminator \d+\))?$/.exec(loc);
    if (!m || !m[1].endsWith(".ts")) continue;
    let file = m[1];
    if (path.isAbsolute(file)) file = path.relative(root, file);
    file = file.split(path.sep).join("/");
    cur.push({ file, line: Number(m[2]), func: tsName(func, file) });
  }
  return chains;
}

/**
 * Rows for the code of an assembly source, whose object carries no DWARF: from nasm's listing
 * (`-l`), each instruction of the file itself (not of its includes; a macro's expansion counts as
 * the line invoking it) as {start, chain: [{file, line, func}]}, func being the label before it.
 * Where each section of the object landed comes from its labels: the same name in the linked ELF.
 * Without this a stack walk ends in `?` at the entry stub's `call kmain` (and the fault stubs).
 */
function asmRows(elf, { source, object, listing }) {
  const sections = new Map(); // section -> {base, labels: [{value, name}]}
  const elfAddrs = new Map();
  for (const m of tool("nm", ["--defined-only", elf]).matchAll(/^([0-9a-f]+) \w (\S+)$/gm)) {
    elfAddrs.set(m[2], elfAddrs.has(m[2]) ? null : parseInt(m[1], 16)); // null: ambiguous
  }
  for (const m of tool("objdump", ["-t", object]).matchAll(/^([0-9a-f]+) [lg] {5}[ F] (\.text\S*)\t[0-9a-f]+ (\S+)$/gm)) {
    addSectionLabel(sections, elfAddrs, m[2], parseInt(m[1], 16), m[3]);
  }
  return listingRows(listing, sections, source);
}

/** The table for `elf` made with binutils (scripts/lib/lines.js has the layout). asm: [{source, object,
 *  listing}] for the assembly objects linked in (asmRows). */
function lineTableBinutils(elf, { root = process.cwd(), asm = [] } = {}) {
  const addrs = rowAddresses(elf);
  return composeTable(addrs, resolve(elf, addrs, root), asm.map((a) => asmRows(elf, a)));
}

/** nm -n's code symbols of `elf`, one "address type name" line each (for comparing textSymbols). */
function textSymbolsBinutils(elf) {
  return tool("nm", ["-n", elf]).split("\n").filter((l) => / [tT] /.test(l));
}

module.exports = { lineTableBinutils, rowAddresses, resolve, textSymbolsBinutils };
