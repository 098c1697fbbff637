// The boot info: the one block of memory stage 2 fills for the kernel. Its layout is defined here
// only, as memory layouts (docs/subset.md); the build generates build/boot-info.inc (NASM %defines)
// from this module, so the loader and the kernel cannot disagree.

/** Where stage 2 writes the boot info (low memory, never handed out by the allocator). */
export const BOOT_INFO_ADDR: u32 = 0x1000;
/** 'TSKB', little-endian, at offset 0: the kernel refuses to start without it. */
export const BOOT_INFO_MAGIC: u32 = 0x424b5354;

/** The boot info's header (stage 2 and the entry stub write it; every field a u32). scripts/gen-boot-info.js
 *  names each field's offset for NASM as BI_ and the field in capitals: e820DroppedBytesLo is
 *  BI_E820_DROPPED_BYTES_LO. */
export const BootInfo = layout(52, 4, {
  /** BOOT_INFO_MAGIC: the kernel refuses to start without it. */
  magic: [0, "u32"],
  /** Number of E820 entries stored (at most E820_MAX). */
  e820Count: [4, "u32"],
  /** Entries the BIOS reported beyond E820_MAX, which the loader had no room for (all kinds). */
  e820Dropped: [8, "u32"],
  /** The kernel image's first byte (0x100000). */
  kernelStart: [12, "u32"],
  /** One past the kernel's last byte, .bss included (written by the entry stub from the linker). */
  kernelEnd: [16, "u32"],
  /** The BIOS boot drive (DL). */
  bootDrive: [20, "u32"],
  /** The kernel's address-to-.ts-line table (scripts/lib/lines.js; written by the entry stub). */
  lineTable: [24, "u32"],
  /** The top of the kernel stack (written by the entry stub): the stack walk stays below it. */
  stackTop: [28, "u32"],
  /** Of the dropped entries, those of type 1 (usable): they only cost memory. */
  e820DroppedUsable: [32, "u32"],
  /** The dropped usable entries' total length in bytes, 64-bit (low, high dword); saturates at
   *  2^64 - 1 rather than wrapping. */
  e820DroppedBytesLo: [36, "u32"],
  e820DroppedBytesHi: [40, "u32"],
  /** Of the dropped entries, those that are not usable, not empty and start below 4 GiB: they may
   *  reserve memory nobody can know about, so stage 2 refuses to load the kernel (and the kernel to
   *  run) when this is not 0. */
  e820DroppedOther: [44, "u32"],
  // Offset 48: unused, reserved. It held the address of the kernel's run table, which is now a
  // typed array of kernel/mem/e820.ts (in the kernel's .bss); kept so that no offset moves.
});
/** The E820 entries follow the header. */
export const BI_E820_ENTRIES: u32 = BootInfo.size;

/** An E820 entry as the BIOS returns it: base u64, length u64, type u32, ACPI 3 attributes u32.
 *  NASM names its offsets E820_ and the field in capitals (E820_LENGTH_HI). */
export const E820Entry = layout(24, 4, {
  baseLo: [0, "u32"],
  baseHi: [4, "u32"],
  lengthLo: [8, "u32"],
  lengthHi: [12, "u32"],
  type: [16, "u32"],
  attrs: [20, "u32"],
});
export const E820_ENTRY_SIZE: u32 = E820Entry.size;
/** Room for this many entries: 52 + 256 * 24 bytes ends at 0x2834, below stage 2. */
export const E820_MAX: u32 = 256;
/** Stage 2 stops asking the BIOS after this many calls: a BIOS whose map never ends must not hang
 *  the boot, and since the rest of its map is unknown, stage 2 then stops with a panic. (65535:
 *  boot/stage2.asm's message says the number.) */
export const E820_CALLS_MAX: u32 = 0xffff;

/** The run table's room: E820_MAX entries make at most E820_MAX runs (each usable entry adds at
 *  most one run and each other entry splits at most one run in two). */
export const RUN_TABLE_MAX: u32 = 512;

/** Where the kernel is linked and loaded. */
export const KERNEL_BASE: u32 = 0x100000;
