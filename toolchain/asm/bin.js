// Output format `bin`: the flat image of the one .text section, every address resolved against
// `org` (what nasm -f bin writes for the loader's stages).
"use strict";
const { AsmError } = require("./errors");
const { put, checkRange, relative } = require("./fixup");

function writeBin({ sections, org, warn }) {
  const sec = sections[0];
  if (!sec) return Buffer.alloc(0);
  const buf = Buffer.from(sec.data);
  for (const f of sec.fixups) {
    const { val } = f;
    if (val.base && val.base.kind !== "section") throw new AsmError(f.file, f.line, "binary output does not support external references");
    const pos = Number(f.pos);
    let v;
    if (f.pcrel) {
      v = val.base ? val.v - f.end : val.v - (org + f.end);
      relative(f, v);
    } else {
      v = val.base ? org + val.v : val.v;
      checkRange(f, v, warn);
    }
    put(buf, pos, f.size, v);
  }
  return buf;
}

module.exports = { writeBin };
