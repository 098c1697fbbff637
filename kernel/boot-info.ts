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
/** Entries the BIOS reported beyond E820_MAX, which the loader had no room for. */
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
/** The first E820 entry. */
export const BI_E820_ENTRIES: u32 = 32;

/** An E820 entry as the BIOS returns it: base u64, length u64, type u32, ACPI 3 attributes u32. */
export const E820_ENTRY_SIZE: u32 = 24;
export const E820_BASE_LO: u32 = 0;
export const E820_BASE_HI: u32 = 4;
export const E820_LENGTH_LO: u32 = 8;
export const E820_LENGTH_HI: u32 = 12;
export const E820_TYPE: u32 = 16;
export const E820_ATTRS: u32 = 20;
/** Room for this many entries: 32 + 256 * 24 bytes ends at 0x2820, below stage 2. */
export const E820_MAX: u32 = 256;

/** Where the kernel is linked and loaded. */
export const KERNEL_BASE: u32 = 0x100000;
