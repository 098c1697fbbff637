// The boot info: the one block of memory stage 2 fills for the kernel. Its layout is defined here
// only; the build generates build/boot-info.inc (NASM %defines) from this module, so the loader and
// the kernel cannot disagree.

/** Where stage 2 writes the boot info (low memory, never handed out by the allocator). */
export const BOOT_INFO_ADDR: u32 = 0x1000;
/** 'TSKB', little-endian, at offset 0: the kernel refuses to start without it. */
export const BOOT_INFO_MAGIC: u32 = 0x424b5354;

// Field offsets, each a u32 unless said otherwise.
export const BI_MAGIC: u32 = 0;
/** Number of E820 entries stored (at most E820_MAX). */
export const BI_E820_COUNT: u32 = 4;
/** Entries the BIOS reported beyond E820_MAX, which the loader had no room for (all kinds). */
export const BI_E820_DROPPED: u32 = 8;
/** The kernel image's first byte (0x100000). */
export const BI_KERNEL_START: u32 = 12;
/** One past the kernel's last byte, .bss included (written by the entry stub from the linker). */
export const BI_KERNEL_END: u32 = 16;
/** The BIOS boot drive (DL). */
export const BI_BOOT_DRIVE: u32 = 20;
/** The kernel's address-to-.ts-line table (scripts/lib/lines.js; written by the entry stub). */
export const BI_LINE_TABLE: u32 = 24;
/** The top of the kernel stack (written by the entry stub): the stack walk stays below it. */
export const BI_STACK_TOP: u32 = 28;
/** Of the dropped entries, those of type 1 (usable): they only cost memory. */
export const BI_E820_DROPPED_USABLE: u32 = 32;
/** The dropped usable entries' total length in bytes, 64-bit (low, high dword); saturates at
 *  2^64 - 1 rather than wrapping. */
export const BI_E820_DROPPED_BYTES_LO: u32 = 36;
export const BI_E820_DROPPED_BYTES_HI: u32 = 40;
/** Of the dropped entries, those that are not usable, not empty and start below 4 GiB: they may
 *  reserve memory nobody can know about, so stage 2 refuses to load the kernel (and the kernel to
 *  run) when this is not 0. */
export const BI_E820_DROPPED_OTHER: u32 = 44;
/** Unused, reserved: it held the address of the kernel's run table, which is now a typed array of
 *  kernel/mem/e820.ts (in the kernel's .bss). Kept so no other offset moves (boot/stage2.asm's
 *  build/boot-info.inc). */
export const BI_RUN_TABLE: u32 = 48;
/** The first E820 entry. */
export const BI_E820_ENTRIES: u32 = 52;

/** An E820 entry as the BIOS returns it: base u64, length u64, type u32, ACPI 3 attributes u32. */
export const E820_ENTRY_SIZE: u32 = 24;
export const E820_BASE_LO: u32 = 0;
export const E820_BASE_HI: u32 = 4;
export const E820_LENGTH_LO: u32 = 8;
export const E820_LENGTH_HI: u32 = 12;
export const E820_TYPE: u32 = 16;
export const E820_ATTRS: u32 = 20;
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
