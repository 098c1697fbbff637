// The gcc flags the C backend's output depends on. No imports: scripts/lib/build.js loads this
// file on its own (through compiler/node/register.js) for the kernel build.

/** gcc flags shared by every host build (tsk run, differential tests; architecture.md §2). */
export const GCC_FLAGS = ["-std=gnu11", "-O2", "-fno-strict-aliasing", "-Wall", "-Wno-unused-function", "-Wno-unused-variable", "-Wno-unused-but-set-variable", "-Wno-parentheses"];

/**
 * gcc flags without which the kernel's C would not mean what the TypeScript means:
 * -m32: the kernel's i386 (u32 arithmetic, 32-bit addresses);
 * -ffreestanding -nostdlib: no libc, no assumptions about library functions' meanings;
 * -fno-delete-null-pointer-checks: address 0 is an address like any other to a kernel (as in
 *   Linux's build); without it gcc deletes `load32(0)` as undefined behaviour, silently.
 */
export const KERNEL_GCC_FLAGS = ["-m32", "-ffreestanding", "-nostdlib", "-fno-delete-null-pointer-checks"];
