// The RAM sizes v86 can run, and the size syntax both emulators take ("128M", "2G", a plain number
// of MiB). Its own file, with no Node modules, because the playground's page (bundled by esbuild)
// checks its ?mem= the same way scripts/lib/v86.js checks TSK_MEM.
"use strict";

// Measured (bios/bios.bin, this kernel): v86 runs 1 MiB (the loader's "no RAM at 1 MiB" panic, as
// on QEMU) to 4095 MiB; at 4096 MiB it fails inside v86 ("RangeError: offset is out of bounds":
// guest RAM plus v86's own state must fit wasm32's 4 GiB). v86's SeaBIOS reports at most
// 0x7ffe0000 bytes from 1 MiB, so above 2 GiB the guest sees no more RAM (the sizes still boot).
const MIN_MIB = 1;
const MAX_MIB = 4095;

/** MiB in a size written as QEMU takes it ("128M", "2G", or a plain number of MiB), or NaN when it
 *  is not a size. */
function memMiB(mem) {
  const m = /^([1-9][0-9]*)([MG]?)$/.exec(String(mem));
  return m ? Number(m[1]) * (m[2] === "G" ? 1024 : 1) : NaN;
}

/**
 * Bytes of RAM for a size written as QEMU takes it (memMiB); throws an Error saying why when v86
 * cannot boot that size.
 */
function v86MemBytes(mem) {
  const mib = memMiB(mem);
  if (Number.isNaN(mib)) throw new Error(`${mem} is not a memory size: use e.g. 128M or 1G (a plain number means MiB)`);
  if (mib < MIN_MIB || mib > MAX_MIB) {
    throw new Error(`v86 cannot boot ${mem} of RAM: it runs ${MIN_MIB} MiB to ${MAX_MIB} MiB ` +
      "(at 4 GiB and above v86's own wasm memory overflows). " +
      "QEMU boots the other sizes (TSK_EMULATOR=qemu)");
  }
  return mib * 1024 * 1024;
}

module.exports = { v86MemBytes, memMiB, MIN_MIB, MAX_MIB };
