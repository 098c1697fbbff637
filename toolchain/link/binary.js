// The flat binary of the linked image, as `objcopy -O binary` writes it from the ELF: the bytes of
// every allocated section that has contents (not NOBITS, not empty), from the lowest address to the
// end of the last such byte, gaps zero-filled. This is kernel.bin, what stage 2 loads at KERNEL_BASE.
"use strict";
const { SHT, SHF } = require("./elf-read");
const { sectionBytes } = require("./elf-write");

/** objcopy -O binary: the allocated sections with contents, from the lowest address to the end
 *  of the last byte, gaps zero-filled. */
function writeBinary(lay) {
  const loadable = lay.outputs.filter((o) => (o.flags & SHF.ALLOC) && o.type !== SHT.NOBITS && o.size > 0);
  if (!loadable.length) return Buffer.alloc(0);
  const lo = Math.min(...loadable.map((o) => o.addr));
  const hi = Math.max(...loadable.map((o) => o.addr + o.size));
  const buf = Buffer.alloc(hi - lo);
  for (const o of loadable) sectionBytes(o).copy(buf, o.addr - lo);
  return buf;
}

module.exports = { writeBinary };
