; The kernel's first instructions, at KERNEL_BASE (0x100000) in 32-bit protected mode, and the few C
; library functions gcc calls even with -ffreestanding. Stage 2 reads the header below to know how
; many bytes to load and how much RAM the image needs (.bss included).
bits 32
%include "layout.inc"
%include "boot-info.inc"

extern kmain, idt_init
extern __kernel_load_end, __kernel_end, __bss_start, __bss_end, __lines_start

%define STACK_SIZE 0x10000

section .text.entry
global _start
_start:
    jmp short start
    dw 0
    dd KERNEL_HEADER_MAGIC          ; at KHDR_MAGIC
    dd __kernel_load_end            ; at KHDR_LOAD_END
    dd __kernel_end                 ; at KHDR_END

start:
    cld
    mov edi, __bss_start            ; a flat binary has no loader to zero .bss (the stack is in it
    mov ecx, __bss_end              ; too, so nothing may be pushed before this)
    sub ecx, edi
    xor eax, eax
    rep stosb
    mov esp, stack_top
    push 0                          ; known flags: interrupts off, DF clear
    popfd
    mov dword [BOOT_INFO_ADDR + BI_KERNEL_END], __kernel_end
    mov dword [BOOT_INFO_ADDR + BI_LINE_TABLE], __lines_start   ; for fault reports (fault.ts)
    mov dword [BOOT_INFO_ADDR + BI_STACK_TOP], stack_top        ; bounds the stack walk
    mov al, 0xff                    ; mask every IRQ on both 8259 PICs: the kernel runs with
    out 0xa1, al                    ; interrupts off, and the BIOS's mapping would deliver the
    out 0x21, al                    ; timer on vector 8, where it would pass for a double fault
    call idt_init                   ; exceptions 0-31 reach kernel/arch/fault.ts (idt.asm)
    xor ebp, ebp                    ; the end of the frame-pointer chain the stack walk follows
    push BOOT_INFO_ADDR
    call kmain

    mov esi, returned               ; kmain must never return: say so and fail
report:                             ; print the string at esi on COM1, then exit with failure
.char:
    lodsb
    test al, al
    jz .exit
    mov ah, al
    mov dx, COM1 + 5
.wait:
    in al, dx
    test al, 0x20
    jz .wait
    mov al, ah
    mov dx, COM1
    out dx, al
    jmp .char
.exit:
    mov al, EXIT_FAILURE
    out DEBUG_EXIT_PORT, al
.halt:
    cli
    hlt
    jmp .halt

; The default exception handler of a kernel without kernel/arch/fault.ts (idt.asm calls
; faultHandler): say so and fail.
global faultHandler:function weak
faultHandler:
    mov esi, no_handler
    jmp report

section .rodata
returned: db "panic: kmain returned", 10, 0
no_handler: db "fault: CPU exception, and the kernel has no faultHandler (kernel/arch/fault.ts)", 10, 0

; ---- cdecl C library: memcpy, memmove, memset, memcmp ----------------------------------------------
section .text
global memcpy, memmove, memset, memcmp

memcpy:                             ; void *memcpy(void *dst, const void *src, size_t n)
    push esi
    push edi
    mov edi, [esp + 12]
    mov esi, [esp + 16]
    mov ecx, [esp + 20]
.forward:
    mov eax, edi
    mov edx, ecx
    shr ecx, 2
    rep movsd
    mov ecx, edx
    and ecx, 3
    rep movsb
    pop edi
    pop esi
    ret

memmove:                            ; void *memmove(void *dst, const void *src, size_t n)
    push esi
    push edi
    mov edi, [esp + 12]
    mov esi, [esp + 16]
    mov ecx, [esp + 20]
    mov eax, edi
    sub eax, esi
    cmp eax, ecx                    ; dst - src >= n (unsigned): no harmful overlap going forward
    jae memcpy.forward
    lea esi, [esi + ecx - 1]        ; dst overlaps src's tail: copy from the end
    lea edi, [edi + ecx - 1]
    std
    rep movsb
    cld
    mov eax, [esp + 12]
    pop edi
    pop esi
    ret

memset:                             ; void *memset(void *dst, int c, size_t n)
    push edi
    mov edi, [esp + 8]
    movzx eax, byte [esp + 12]
    mov ecx, [esp + 16]
    imul eax, eax, 0x01010101
    mov edx, ecx
    shr ecx, 2
    rep stosd
    mov ecx, edx
    and ecx, 3
    rep stosb
    mov eax, [esp + 8]
    pop edi
    ret

memcmp:                             ; int memcmp(const void *a, const void *b, size_t n)
    push esi
    push edi
    mov esi, [esp + 12]
    mov edi, [esp + 16]
    mov ecx, [esp + 20]
    xor eax, eax
    jecxz .done
    repe cmpsb
    je .done
    movzx eax, byte [esi - 1]
    movzx edx, byte [edi - 1]
    sub eax, edx
.done:
    pop edi
    pop esi
    ret

section .bss
align 16
stack_bottom:
    resb STACK_SIZE
stack_top:
