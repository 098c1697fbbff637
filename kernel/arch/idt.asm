; CPU exceptions 0-31: the IDT, one stub per vector, and the common path into TypeScript.
;
; Why here and not in TypeScript: the subset has no `lidt` intrinsic and cannot take a function's
; address, so the table is built in NASM (idt_init, called by entry.asm before kmain) and the stubs
; call kernel/arch/fault.ts's `faultHandler(frame: u32): void`, which its doc comment marks
; `@extern`: tsk then emits it as an external C symbol under its own name (other functions are
; `static`, named after their module).
;
; Each stub pushes a dummy error code where the CPU pushes none, then its vector, so every frame
; has one layout. The common stub saves the general registers (pusha) and passes the frame's
; address; kernel/arch/fault.ts reads it with these offsets (keep both in step):
;
;   frame +0 edi  +4 esi  +8 ebp  +12 esp(pusha's copy)  +16 ebx  +20 edx  +24 ecx  +28 eax
;         +32 vector  +36 error code  +40 eip  +44 cs  +48 eflags      (same privilege: no ss:esp)
;
; faultHandler either never returns (a report, then the failure exit) or returns after changing the
; frame (a deliberate trap that asked to resume somewhere: see fault.ts); the stub then restores the
; registers and irets to the frame's eip.
bits 32

global idt_init
; A kernel without fault.ts (the hand-written C kernels of test/boot.test.js) still links:
; entry.asm has a weak default that says so and fails. (It cannot live in this file: NASM binds a
; call to a symbol of the same file at assembly time, weak or not.)
extern faultHandler

section .text

; Exceptions that push an error code: #DF 8, #TS 10, #NP 11, #SS 12, #GP 13, #PF 14, #AC 17,
; #CP 21, #VC 29, #SX 30.
%macro STUB 1
isr_%1:
%if %1 = 8 || (%1 >= 10 && %1 <= 14) || %1 = 17 || %1 = 21 || %1 = 29 || %1 = 30
%else
    push 0
%endif
    push %1
    jmp fault_common
%endmacro

%assign v 0
%rep 32
STUB v
%assign v v + 1
%endrep

fault_common:
    cld
    pusha
    mov eax, esp
    push eax                        ; faultHandler(frame)
    call faultHandler
    add esp, 4
    popa
    add esp, 8                      ; vector and error code
    iret

; Fill the 32 gates (32-bit interrupt gates, DPL 0, the current code segment) and load the IDT.
idt_init:
    push ebx
    mov ecx, 0
    mov bx, cs
.gate:
    mov eax, [isr_table + ecx * 4]
    mov edx, eax
    and eax, 0x0000ffff             ; low dword: selector << 16 | offset 15..0
    movzx ebx, bx
    shl ebx, 16
    or eax, ebx
    shr ebx, 16
    mov [idt + ecx * 8], eax
    and edx, 0xffff0000             ; high dword: offset 31..16 | P=1 DPL=0 type=0xE (32-bit int gate)
    or edx, 0x00008e00
    mov [idt + ecx * 8 + 4], edx
    inc ecx
    cmp ecx, 32
    jb .gate
    lidt [idt_desc]
    pop ebx
    ret

section .rodata
align 4
isr_table:
%assign v 0
%rep 32
    dd isr_ %+ v
%assign v v + 1
%endrep

idt_desc:
    dw 32 * 8 - 1
    dd idt

section .bss
align 8
idt:
    resb 32 * 8
