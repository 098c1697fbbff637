// The NASM %defines of kernel/boot-info.ts's exports: each u32 constant under its own name, each
// memory layout's field offsets under the layout's prefix and the field in capitals (BootInfo's
// e820DroppedBytesLo is BI_E820_DROPPED_BYTES_LO), the names boot/*.asm and entry.asm use. Shared
// by scripts/gen-boot-info.js (the build) and playground/editor/image.js (the page), so both
// generate the same build/boot-info.inc.
"use strict";

/** The NASM prefix of each layout boot-info.ts exports. */
const PREFIXES = { BootInfo: "BI_", E820Entry: "E820_" };

function isLayout(v) {
  return typeof v === "object" && v !== null && typeof v.at === "function" && typeof v.offsets === "object";
}

/** camelCase -> CAMEL_CASE. */
function capitals(name) {
  return name.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toUpperCase();
}

/** `exports` (kernel/boot-info.ts's, evaluated with the prelude's layout()) as the include file's text
 *  and the name -> value table it defines. */
function renderDefines(exports) {
  const defines = new Map();
  const define = (name, value, what) => {
    if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) {
      throw new Error(`kernel/boot-info.ts: ${what} = ${String(value)} is not a u32 constant`);
    }
    if (defines.has(name)) throw new Error(`kernel/boot-info.ts: ${what} defines ${name} a second time`);
    defines.set(name, value);
  };
  for (const [name, value] of Object.entries(exports)) {
    if (!isLayout(value)) {
      define(name, value, `export ${name}`);
      continue;
    }
    const prefix = PREFIXES[name];
    if (!prefix) throw new Error(`kernel/boot-info.ts: layout ${name} has no NASM prefix (add it to scripts/lib/boot-info-defines.js)`);
    for (const [field, offset] of Object.entries(value.offsets)) define(prefix + capitals(field), offset, `${name}.offsets.${field}`);
  }
  const lines = [`; Generated from kernel/boot-info.ts by scripts/gen-boot-info.js: do not edit.`];
  for (const [name, value] of defines) lines.push(`%define ${name} 0x${value.toString(16)}`);
  return { text: lines.join("\n") + "\n", constants: Object.fromEntries(defines) };
}

module.exports = { renderDefines, PREFIXES };
