// A static i386 Linux executable around the i386 backend's object, made with no native tool: a
// tiny _start (NASM text, assembled by toolchain/asm) calls exported functions with constant
// arguments (from a table), prints each u32 result in decimal on its own line with the write
// system call (int 0x80) and exits 0; toolchain/link lays it out at the usual 0x08048000. Before the calls it
// maps the program's memory (mmap2, MAP_NORESERVE: pages cost nothing until touched), as the C
// runtime's host build does, with the same size (TSK_HOST_MEM of a 32-bit host build), so the
// memory intrinsics and layout views of a host program address the same bytes on both targets. The differential
// tests run it (directly, or through qemu-i386 where the host kernel cannot run i386 programs).
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { Assembler } = require("../../../../toolchain/asm/assemble");
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { link } = require("../../../../toolchain/link/link");
import { HOST_MEMORY } from "./gen";

export interface HostCall {
  /** The external (exported) name. */
  fn: string;
  /** Each argument's 32-bit pattern (negative numbers as i32). */
  args: number[];
}

/** The arena's size: the C runtime's TSK_HOST_MEM for a 32-bit host (compiler/runtime/tsk_runtime.h). */
const HOST_MEMORY_BYTES = 0x60000000;

const SCRIPT = `OUTPUT_FORMAT("elf32-i386")
OUTPUT_ARCH(i386)
ENTRY(_start)
SECTIONS
{
  . = 0x08048000;
  .text : { *(.text .text.*) }
  . = ALIGN(4096);
  .rodata : { *(.rodata .rodata.*) }
  . = ALIGN(4096);
  .data : { *(.data .data.*) }
  .bss : { *(.bss .bss.*) *(COMMON) }
}
`;

/** The _start object's source: calls in order, each result printed. The calls are a table in
 *  .data (per call: the function, its argument count, the arguments) walked by one loop, not an
 *  instruction sequence per call: a fuzzing run makes hundreds of calls per executable, and each
 *  line of assembly costs the in-process assembler. esi (the table cursor) and edi (the argument
 *  count) survive the calls: the backend's functions clobber only eax, ecx and edx (gen.ts). */
function startAsm(calls: HostCall[]): string {
  const out = ["bits 32", "global _start", `global ${HOST_MEMORY}`];
  for (const fn of new Set(calls.map((c) => c.fn))) out.push(`extern ${fn}`);
  out.push(
    "section .text",
    "_start:",
    "    mov eax, 192      ; mmap2(NULL, HOST_MEMORY_BYTES, READ|WRITE, PRIVATE|ANONYMOUS|NORESERVE, -1, 0)",
    "    xor ebx, ebx",
    `    mov ecx, ${HOST_MEMORY_BYTES}`,
    "    mov edx, 3",
    "    mov esi, 0x4022",
    "    mov edi, -1",
    "    xor ebp, ebp",
    "    int 0x80",
    "    cmp eax, -4096    ; -errno",
    "    ja no_memory",
    `    mov dword [${HOST_MEMORY}], eax`,
    "    mov esi, calls",
    "next_call:",
    "    cmp esi, calls_end",
    "    jae calls_done",
    "    mov edi, dword [esi + 4]  ; the argument count",
    "    mov ecx, edi",
    "push_args:           ; the last argument first (cdecl): argument k is at [esi + 4 + k*4]",
    "    test ecx, ecx",
    "    jz do_call",
    "    push dword [esi + ecx * 4 + 4]",
    "    dec ecx",
    "    jmp push_args",
    "do_call:",
    "    mov eax, dword [esi]",
    "    call eax",
    "    mov ecx, edi",
    "    shl ecx, 2",
    "    add esp, ecx      ; drop the arguments",
    "    lea esi, [esi + ecx + 8]",
    "    call print_u32",
    "    jmp next_call",
    "calls_done:",
    "    mov eax, 1        ; exit(0)",
    "    xor ebx, ebx",
    "    int 0x80",
    "no_memory:           ; say so on stderr, exit(3)",
    "    mov eax, 4",
    "    mov ebx, 2",
    "    mov ecx, no_memory_text",
    "    mov edx, no_memory_end - no_memory_text",
    "    int 0x80",
    "    mov eax, 1",
    "    mov ebx, 3",
    "    int 0x80",
    "; eax in decimal and a newline on stdout",
    "print_u32:",
    "    push ebx",
    "    mov ecx, buf_end",
    "    dec ecx",
    "    mov byte [ecx], 10",
    "    mov ebx, 10",
    ".digit:",
    "    xor edx, edx",
    "    div ebx",
    "    add dl, 48",
    "    dec ecx",
    "    mov [ecx], dl",
    "    test eax, eax",
    "    jnz .digit",
    "    mov edx, buf_end",
    "    sub edx, ecx",
    "    mov eax, 4        ; write(1, ecx, edx)",
    "    mov ebx, 1",
    "    int 0x80",
    "    pop ebx",
    "    ret",
    "section .data",
    "buf: times 16 db 0",
    "buf_end:",
    `${HOST_MEMORY}: dd 0`,
    'no_memory_text: db "tsk: cannot map the memory of the host program", 10',
    "no_memory_end:",
    "align 4",
    "calls:",
  );
  for (const c of calls) out.push(`    dd ${[c.fn, c.args.length, ...c.args.map((a) => BigInt.asIntN(32, BigInt(a)))].join(", ")}`);
  out.push("calls_end:", "");
  return out.join("\n");
}

/** The executable's bytes: `object` (the backend's) linked with a _start making `calls`. */
export function hostExecutable(object: Uint8Array, calls: HostCall[]): Uint8Array {
  const src = startAsm(calls);
  const start = new Assembler({ file: "start.asm", format: "elf32", readFile: () => src, werror: true }).run();
  const { elf } = link({ script: SCRIPT, scriptName: "host.ld", objects: [{ name: "start.o", bytes: start }, { name: "program.o", bytes: object }] });
  return elf;
}
