// Global symbol resolution across the input objects, with ld's rules: one strong definition per
// name (a second is an error naming both objects), a strong definition beats a COMMON one and a
// COMMON beats a weak one, COMMONs of one name merge to the largest size and alignment, a weak
// undefined symbol left undefined is 0. Names the linker script assigns (and --defsym) count as
// defined. What stays undefined is an error naming each symbol and the object that references it.
"use strict";
const { LinkError } = require("./errors");
const { SHN, STB } = require("./elf-read");

/**
 * objects: read objects in link order; scriptNames: Set of names the script/--defsym define.
 * Returns Map name -> {name, object, sym (the defining symbol) | null, common: {size, align,
 * object} | null, weak, refs: [object names]}. Throws on duplicates and undefined symbols.
 */
function resolveSymbols(objects, scriptNames) {
  const table = new Map();
  const entry = (name) => {
    let g = table.get(name);
    if (!g) table.set(name, (g = { name, object: null, sym: null, common: null, weak: false, refs: [], weakRef: true, seen: table.size }));
    return g;
  };
  const dups = [];
  for (const obj of objects) {
    for (const sym of obj.symbols) {
      if (sym.bind === STB.LOCAL || !sym.name) continue;
      if (sym.bind !== STB.GLOBAL && sym.bind !== STB.WEAK) {
        throw new LinkError(`${obj.name}: symbol \`${sym.name}' has binding ${sym.bind}, which this linker does not support`);
      }
      const g = entry(sym.name);
      const weak = sym.bind === STB.WEAK;
      if (sym.shndx === SHN.UNDEF) {
        if (!g.refs.includes(obj.name)) g.refs.push(obj.name);
        if (!weak) g.weakRef = false;
      } else if (sym.shndx === SHN.COMMON) {
        if (g.sym && !g.weak) continue;
        if (g.sym && g.weak) { g.sym = null; g.object = null; g.weak = false; }
        if (g.common) {
          // bfd: a bigger common moves the symbol to the bigger one's object; alignment is the largest.
          if (sym.size > g.common.size) Object.assign(g.common, { size: sym.size, object: obj, type: sym.type });
          g.common.align = Math.max(g.common.align, sym.value || 1);
        } else g.common = { size: sym.size, align: sym.value || 1, object: obj, type: sym.type };
      } else if (g.sym && !g.weak) {
        if (!weak) dups.push(`multiple definition of \`${sym.name}': first defined in ${g.object.name}, again in ${obj.name}`);
      } else if (g.sym && g.weak) {
        if (!weak) Object.assign(g, { sym, object: obj, weak: false });
      } else if (g.common) {
        if (!weak) Object.assign(g, { sym, object: obj, weak: false, common: null });
      } else Object.assign(g, { sym, object: obj, weak });
    }
  }
  if (dups.length) throw new LinkError(dups.join("\nlink: "));
  const undef = [];
  for (const g of table.values()) {
    if (g.sym || g.common || scriptNames.has(g.name) || g.weakRef) continue;
    undef.push(`undefined symbol \`${g.name}', referenced by ${g.refs.join(", ")}`);
  }
  if (undef.length) throw new LinkError(undef.join("\nlink: "));
  return table;
}

/** bfd_hash_hash of a name (64-bit unsigned long arithmetic, as on the x86-64 host ld runs on). */
function bfdHash(name) {
  const M = (1n << 64n) - 1n;
  let h = 0n;
  const bytes = Buffer.from(name, "latin1");
  for (const c of bytes) {
    h = (h + BigInt(c) + (BigInt(c) << 17n)) & M;
    h ^= h >> 2n;
  }
  const len = BigInt(bytes.length);
  h = (h + len + (len << 17n)) & M;
  h ^= h >> 2n;
  return h;
}

/** The order ld allocates the common symbols of one object: lang_common walks the global hash
 *  table (bfd's default 4051 buckets, in bucket order, newest entry first within a bucket). */
function commonOrder(list) {
  const bucket = (g) => Number(bfdHash(g.name) % 4051n);
  return list.slice().sort((a, b) => bucket(a) - bucket(b) || b.seen - a.seen);
}

module.exports = { resolveSymbols, commonOrder };
