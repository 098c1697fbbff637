; Stage 1: the MBR. Owns the first 512 bytes of the disk: sets up segments and a stack, loads stage 2
; (STAGE2_SECTORS sectors from LBA 1) to STAGE2_ADDR with int 13h AH=42h and jumps there with the
; boot drive still in DL. On a disk error it says so and halts.
bits 16
%include "layout.inc"
org STAGE1_ADDR

start:
    cli
    xor ax, ax
    mov ds, ax
    mov es, ax
    mov ss, ax
    mov sp, STAGE1_ADDR
    jmp 0:.cs_zero                  ; some BIOSes enter at 07c0:0000; make CS agree with org
.cs_zero:
    sti
    cld
    mov [drive], dl

.next_chunk:
    mov cx, [remaining]
    jcxz .loaded
    cmp cx, CHUNK_SECTORS
    jbe .fits
    mov cx, CHUNK_SECTORS
.fits:
    mov [dap.count], cx
    push cx                         ; the BIOS may rewrite dap.count and clobber registers
    mov si, dap
    mov ah, 0x42
    mov dl, [drive]
    int 0x13
    pop cx
    jc disk_error
    sub [remaining], cx
    add [dap.lba], cx
    shl cx, 5                       ; sectors -> paragraphs: the next chunk starts at offset 0 again,
    add [dap.seg], cx               ; so no read ever crosses a 64 KiB segment
    jmp .next_chunk

.loaded:
    mov dl, [drive]
    jmp 0:STAGE2_ADDR

disk_error:
    mov si, msg
.char:
    lodsb
    test al, al
    jz .halt
    mov ah, 0x0e                    ; teletype, for a screen
    mov bx, 7
    int 0x10
    mov dx, COM1 + 5                ; and COM1, for QEMU's -serial stdio
    mov ah, al
.tx_wait:
    in al, dx
    test al, 0x20
    jz .tx_wait
    mov al, ah
    mov dx, COM1
    out dx, al
    jmp .char
.halt:
    cli
    hlt
    jmp .halt

msg:        db "stage1: disk read error", 13, 10, 0
drive:      db 0
remaining:  dw STAGE2_SECTORS

align 4
dap:                                ; disk address packet for AH=42h
    db 16, 0
.count: dw 0
.off:   dw 0
.seg:   dw STAGE2_ADDR >> 4
.lba:   dd 1, 0

    times 510 - ($ - $$) db 0
    dw 0xaa55
