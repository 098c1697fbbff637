; Stage 2: everything between the MBR and the kernel. Real mode: fills the boot info (magic, E820
; map, boot drive, kernel start), enables A20, reads the kernel's header, checks the E820 map has
; usable RAM for the whole image at 1 MiB, loads it there through a low bounce buffer (unreal mode
; copies), then enters 32-bit protected mode and jumps to KERNEL_BASE. Failures print
; `panic: <why>` on COM1 and leave QEMU through isa-debug-exit (exit code 35).
bits 16
%include "layout.inc"
%include "boot-info.inc"
org STAGE2_ADDR

%define KERNEL_LBA (1 + STAGE2_SECTORS)
%define SMAP 0x534d4150
%define CODE32 0x08
%define DATA32 0x10
%define BI(field) (BOOT_INFO_ADDR + field)

stage2:
    cli
    xor ax, ax
    mov ds, ax
    mov es, ax
    mov ss, ax
    mov sp, STAGE1_ADDR             ; stage 1 is done with; the stack grows down from it
    sti
    cld
    mov [boot_drive], dl
    call serial_init

    mov di, BOOT_INFO_ADDR          ; start from zeros: the kernel may read any field
    mov cx, (BI_E820_ENTRIES + E820_MAX * E820_ENTRY_SIZE) / 2
    xor ax, ax
    rep stosw
    mov dword [BI(BI_MAGIC)], BOOT_INFO_MAGIC
    mov dword [BI(BI_KERNEL_START)], KERNEL_BASE
    movzx eax, byte [boot_drive]
    mov [BI(BI_BOOT_DRIVE)], eax

    call read_e820
    call check_dropped
    call enable_a20
    call read_kernel_header
    call check_memory
    call load_kernel

    cli
    lgdt [gdt_desc]
    mov eax, cr0
    or eax, 1
    mov cr0, eax
    jmp CODE32:pmode

; ---- E820 ----------------------------------------------------------------------------------------
; Reads the BIOS's whole map: the first E820_MAX entries go into the boot info, the rest into a
; scratch buffer where they are only classified (kernel/boot-info.ts): usable ones are counted with
; their bytes (they only cost memory), any other non-empty one below 4 GiB is counted as a danger
; (it may reserve memory inside what a kept entry calls usable). Ends on CF, a bad signature, a
; continuation of 0; after E820_CALLS_MAX calls the map is taken as endless and the boot stops.
read_e820:
    xor ebx, ebx
    mov word [e820_calls], 0
.next:
    mov di, E820_SCRATCH            ; entries past E820_MAX are only counted
    mov eax, [BI(BI_E820_COUNT)]
    cmp eax, E820_MAX
    jae .call
    imul di, ax, E820_ENTRY_SIZE
    add di, BI(BI_E820_ENTRIES)
.call:
    mov dword [di + E820_ATTRS], 1  ; a BIOS that returns only 20 bytes leaves "valid" set
    mov eax, 0xe820
    mov edx, SMAP
    mov ecx, E820_ENTRY_SIZE
%ifdef TEST_E820_MAP
    call test_bios_e820             ; tests only: a canned map served as the BIOS would
%else
    int 0x15
%endif
    jc .done                        ; CF: no (more) entries
    cmp eax, SMAP
    jne .done
    cmp dword [BI(BI_E820_COUNT)], E820_MAX
    jae .drop
    inc dword [BI(BI_E820_COUNT)]
    jmp .counted
.drop:
    mov di, E820_SCRATCH
    inc dword [BI(BI_E820_DROPPED)]
    cmp dword [di + E820_TYPE], 1
    jne .drop_other
    inc dword [BI(BI_E820_DROPPED_USABLE)]
    mov eax, [di + E820_LENGTH_LO]
    add [BI(BI_E820_DROPPED_BYTES_LO)], eax
    mov eax, [di + E820_LENGTH_HI]
    adc [BI(BI_E820_DROPPED_BYTES_HI)], eax
    jnc .counted
    mov dword [BI(BI_E820_DROPPED_BYTES_LO)], 0xffffffff   ; saturate at 2^64 - 1
    mov dword [BI(BI_E820_DROPPED_BYTES_HI)], 0xffffffff
    jmp .counted
.drop_other:
    cmp dword [di + E820_BASE_HI], 0
    jne .counted                    ; at or above 4 GiB: out of the kernel's reach anyway
    mov eax, [di + E820_LENGTH_LO]
    or eax, [di + E820_LENGTH_HI]
    jz .counted                     ; empty: reserves nothing
    inc dword [BI(BI_E820_DROPPED_OTHER)]
.counted:
    test ebx, ebx
    jz .done
    inc word [e820_calls]
    cmp word [e820_calls], E820_CALLS_MAX
    jb .next
    mov si, msg_endless             ; a BIOS that never says "last": the rest of the map is unknown
    jmp panic
.done:
    ret

; No entry past E820_MAX may reserve memory the kept entries call usable: the kernel could not
; know, and this loader would copy the kernel there next. Refuse, naming the count and the limit
; (the kernel's e820.ts says the same words when handed such a boot info).
check_dropped:
    mov eax, [BI(BI_E820_DROPPED_OTHER)]
    test eax, eax
    jz .ok
    mov si, msg_dropped
    call panic_begin
    mov eax, [BI(BI_E820_DROPPED_OTHER)]
    call print_dec
    mov si, msg_dropped_mid
    call print
    mov eax, E820_MAX
    call print_dec
    mov si, msg_dropped_tail
    jmp panic_end
.ok:
    ret

%ifdef TEST_E820_MAP
; Tests only (test/boot.test.js, test/boot-mem.test.js assemble stage 2 with
; -DTEST_E820_MAP='"map.inc"'): the int 15h E820 call, answered from a canned map instead of the
; BIOS, so the loop above meets maps QEMU never produces. The map is a list of `E820 base, length,
; type[, repeat]` records (a record repeated makes long maps without a long stage 2). Returns the
; next entry at ES:DI, EAX = SMAP, ECX = 24, EBX = 0 after the last; CF when there is none.
%macro E820 3-4 1
%if %4 < 1
%error "E820 repeat count must be at least 1"
%endif
    dd %4
    dq %1, %2
    dd %3, 1
%endmacro
test_bios_e820:
    mov si, [test_rec]
    cmp si, test_map_end
    jae .none
    push di
    add si, 4
    mov cx, E820_ENTRY_SIZE
    rep movsb
    pop di
    mov si, [test_rec]
    inc dword [test_done]
    mov eax, [test_done]
    cmp eax, [si]
    jb .more                        ; this record has repeats left
    mov dword [test_done], 0
    add si, 4 + E820_ENTRY_SIZE
    mov [test_rec], si
.more:
    xor ebx, ebx
    cmp si, test_map_end
    jae .last
    inc ebx
.last:
    mov eax, SMAP
    mov ecx, E820_ENTRY_SIZE
    clc
    ret
.none:
    stc
    ret
test_rec:  dw test_map
test_done: dd 0
test_map:
%include TEST_E820_MAP
test_map_end:
%endif

; ---- A20 -----------------------------------------------------------------------------------------
; Port 92h ("fast A20") works in QEMU; if the line is still masked afterwards, ask the BIOS
; (int 15h AX=2401h). Checked, not assumed: with A20 off, the copy to 1 MiB would land on 0 and
; overwrite the IVT, the boot info and this code.
enable_a20:
    call a20_test
    jnz .on
    in al, 0x92
    or al, 2
    and al, 0xfe                    ; bit 0 would reset the machine
    out 0x92, al
    call a20_test
    jnz .on
    mov ax, 0x2401
    int 0x15
    call a20_test
    jnz .on
    mov si, msg_no_a20
    jmp panic
.on:
    ret

; ZF clear when A20 is on: 0000:0500 and FFFF:0510 (1 MiB + 0x500) are different bytes. Both are
; restored.
a20_test:
    push ds
    push es
    xor ax, ax
    mov ds, ax
    dec ax
    mov es, ax
    mov al, [ds:0x0500]
    mov ah, [es:0x0510]
    push ax
    mov byte [ds:0x0500], 0x00
    mov byte [es:0x0510], 0xff
    cmp byte [ds:0x0500], 0xff      ; equal: the write to 1 MiB wrapped to 0x500
    pop ax
    mov [es:0x0510], ah
    mov [ds:0x0500], al
    pop es
    pop ds
    ret

; ---- The kernel header: how much to load and how much memory the image needs ---------------------
read_kernel_header:
    mov eax, KERNEL_LBA
    mov cx, 1
    call read_chunk
    push ds
    mov ax, BOUNCE_SEG
    mov ds, ax
    mov eax, [KHDR_MAGIC]
    mov ebx, [KHDR_LOAD_END]
    mov ecx, [KHDR_END]
    pop ds
    mov si, msg_no_kernel
    cmp eax, KERNEL_HEADER_MAGIC
    jne panic
    mov si, msg_bad_header
    cmp ebx, KERNEL_BASE
    jbe panic
    cmp ebx, KERNEL_BASE + KERNEL_MAX_BYTES
    ja panic
    cmp ecx, ebx
    jb panic
    mov [kernel_end], ecx
    sub ebx, KERNEL_BASE - 511
    shr ebx, 9
    mov [kernel_sectors], ebx
    ret

; Is [KERNEL_BASE, kernel_end) RAM? It must be covered by usable (type 1) entries — one, or several
; adjacent or overlapping ones, as some BIOSes split RAM — and touched by no entry of another type.
; Zero-length entries and entries wrapping past 2^64 count for nothing, as in kernel/mem/e820.ts.
; QEMU -m 1M has no RAM above 1 MiB at all.
check_memory:
    mov dword [cover], KERNEL_BASE
.pass:                              ; [KERNEL_BASE, cover) is known to be usable
    mov ebx, [cover]
    cmp ebx, [kernel_end]
    jae .covered
    mov ecx, [BI(BI_E820_COUNT)]
    mov si, BI(BI_E820_ENTRIES)
.entry:
    jecxz .none                     ; a whole pass without progress
    cmp dword [si + E820_TYPE], 1
    jne .skip
    cmp dword [si + E820_BASE_HI], 0
    jne .skip
    cmp [si + E820_BASE_LO], ebx    ; must start at or below cover
    ja .skip
    call entry_end                  ; EDX:EAX = end, CF = wraps past 2^64
    jc .skip
    test edx, edx
    jnz .reaches_4g
    cmp eax, ebx
    jbe .skip                       ; ends at or below cover: no progress
    mov [cover], eax
    jmp .pass
.reaches_4g:
    mov dword [cover], 0xffffffff
    jmp .covered
.skip:
    add si, E820_ENTRY_SIZE
    dec ecx
    jmp .entry
.none:
    mov si, msg_no_ram
    call panic_begin
    mov eax, [kernel_end]
    call print_hex32
    mov si, msg_no_ram_tail
    jmp panic_end
.covered:
    mov ecx, [BI(BI_E820_COUNT)]
    mov si, BI(BI_E820_ENTRIES)
.other:
    jecxz .ok
    cmp dword [si + E820_TYPE], 1
    je .next
    cmp dword [si + E820_BASE_HI], 0
    jne .next                       ; starts at or above 4 GiB
    mov eax, [si + E820_LENGTH_LO]
    or eax, [si + E820_LENGTH_HI]
    jz .next                        ; zero length
    mov eax, [si + E820_BASE_LO]
    cmp eax, [kernel_end]
    jae .next                       ; starts after the kernel
    call entry_end
    jc .next                        ; wraps past 2^64: ignored
    test edx, edx
    jnz .clash                      ; starts below the kernel's end, ends above 4 GiB
    cmp eax, KERNEL_BASE
    jbe .next                       ; ends at or before the kernel
.clash:
    mov eax, [si + E820_BASE_LO]
    push eax
    mov si, msg_reserved
    call panic_begin
    pop eax
    call print_hex32
    mov si, msg_reserved_tail
    jmp panic_end
.next:
    add si, E820_ENTRY_SIZE
    dec ecx
    jmp .other
.ok:
    ret

; EDX:EAX = base + length of the entry at SI; CF set when that wraps past 2^64.
entry_end:
    mov eax, [si + E820_BASE_LO]
    mov edx, [si + E820_BASE_HI]
    add eax, [si + E820_LENGTH_LO]
    adc edx, [si + E820_LENGTH_HI]
    ret

; ---- Loading -------------------------------------------------------------------------------------
load_kernel:
    mov dword [load_lba], KERNEL_LBA
    mov dword [load_dest], KERNEL_BASE
.chunk:
    mov ecx, [kernel_sectors]
    jecxz .done
    cmp ecx, CHUNK_SECTORS
    jbe .fits
    mov ecx, CHUNK_SECTORS
.fits:
    sub [kernel_sectors], ecx
    mov [chunk], cx
    mov eax, [load_lba]
    call read_chunk
    movzx ecx, word [chunk]
    add [load_lba], ecx
    shl ecx, 7                      ; sectors -> dwords
    mov esi, BOUNCE_SEG << 4
    mov edi, [load_dest]
    call copy_high
    mov [load_dest], edi
    jmp .chunk
.done:
    ret

; Read CX sectors from LBA EAX to BOUNCE_SEG:0 (CX <= CHUNK_SECTORS, so within one segment).
read_chunk:
    mov [dap.count], cx
    mov [dap.lba], eax
    mov si, dap
    mov ah, 0x42
    mov dl, [boot_drive]
    int 0x13
    jc .error
    ret
.error:
    mov si, msg_disk
    jmp panic

; Copy ECX dwords from linear ESI to linear EDI (above 1 MiB). Real-mode segments cannot reach
; there, so DS/ES get 4 GiB limits first (unreal mode). Done before every copy because a BIOS call
; may have reloaded the segment caches; interrupts stay off so no handler does so mid-copy.
copy_high:
    cli
    push ds
    push es
    lgdt [gdt_desc]
    mov eax, cr0
    or al, 1
    mov cr0, eax
    jmp $ + 2
    mov bx, DATA32
    mov ds, bx
    mov es, bx
    and al, 0xfe
    mov cr0, eax
    jmp $ + 2
    xor bx, bx                      ; real-mode loads change the base, the 4 GiB limit stays
    mov ds, bx
    mov es, bx
    a32 rep movsd
    pop es
    pop ds
    sti
    ret

; ---- COM1 and failing ----------------------------------------------------------------------------
serial_init:                        ; the same settings as kernel/arch/serial.ts: 115200 8N1, FIFOs
    mov si, uart_init
.reg:
    lodsw
    cmp ah, 0xff
    je .done
    mov dx, COM1
    add dl, ah
    out dx, al
    jmp .reg
.done:
    ret

putc:                               ; AL; waits for the transmitter, QEMU drops bytes otherwise
    push dx
    push ax
    mov dx, COM1 + 5
.wait:
    in al, dx
    test al, 0x20
    jz .wait
    pop ax
    mov dx, COM1
    out dx, al
    pop dx
    ret

print:                              ; SI: zero-terminated
    lodsb
    test al, al
    jz .done
    call putc
    jmp print
.done:
    ret

print_hex32:                        ; EAX as 0x%08x
    push eax
    mov al, '0'
    call putc
    mov al, 'x'
    call putc
    pop eax
    mov cx, 8
.digit:
    rol eax, 4
    push eax
    and al, 0xf
    add al, '0'
    cmp al, '9'
    jbe .out
    add al, 'a' - '0' - 10
.out:
    call putc
    pop eax
    loop .digit
    ret

print_dec:                          ; EAX as unsigned decimal
    xor cx, cx
    mov ebx, 10
.div:
    xor edx, edx
    div ebx
    push dx
    inc cx
    test eax, eax
    jnz .div
.out:
    pop ax
    add al, '0'
    call putc
    loop .out
    ret

panic:                              ; SI: the reason
    call panic_begin
    mov si, empty
panic_end:                          ; SI: the rest of the line
    call print
    mov al, 10
    call putc
    mov al, EXIT_FAILURE
    out DEBUG_EXIT_PORT, al
    cli
.halt:
    hlt
    jmp .halt

panic_begin:                        ; prints "panic: " and SI
    push si
    mov si, msg_panic
    call print
    pop si
    jmp print

; ---- Protected mode ------------------------------------------------------------------------------
bits 32
pmode:
    mov ax, DATA32
    mov ds, ax
    mov es, ax
    mov fs, ax
    mov ss, ax
    mov gs, ax
    mov esp, STAGE1_ADDR
    mov eax, KERNEL_BASE            ; the entry sets its own stack and finds the boot info itself
    jmp eax

; ---- Data ----------------------------------------------------------------------------------------
align 8
gdt:
    dq 0
    dq 0x00cf9a000000ffff           ; 0x08: code, 32-bit, base 0, 4 GiB
    dq 0x00cf92000000ffff           ; 0x10: data, base 0, 4 GiB
gdt_desc:
    dw gdt_desc - gdt - 1
    dd gdt

align 4
dap:
    db 16, 0
.count: dw 0
.off:   dw 0
.seg:   dw BOUNCE_SEG
.lba:   dd 0, 0

kernel_sectors: dd 0
kernel_end:     dd 0
cover:          dd 0
load_lba:       dd 0
load_dest:      dd 0
chunk:          dw 0
e820_calls:     dw 0
boot_drive:     db 0

uart_init:                          ; value, register offset
    db 0x00, 1,  0x80, 3,  0x01, 0,  0x00, 1,  0x03, 3,  0xc7, 2,  0x03, 4,  0, 0xff

msg_panic:       db "panic: ", 0
msg_no_kernel:   db "no kernel after stage 2 (bad header magic)", 0
msg_bad_header:  db "bad kernel header (sizes out of range)", 0
msg_disk:        db "disk read error while loading the kernel", 0
msg_no_ram:      db "no usable RAM for the kernel at 0x00100000 up to ", 0
msg_no_ram_tail: db " (no usable E820 entries cover it)", 0
msg_no_a20:      db "the A20 line stays masked (port 92h and int 15h AX=2401h failed): memory above 1 MiB is unreachable", 0
msg_reserved:    db "an E820 entry that is not RAM, at ", 0
msg_reserved_tail: db ", overlaps where the kernel goes (from 0x00100000)", 0
msg_dropped:     db "e820: ", 0
msg_dropped_mid: db " entries past the loader's limit of ", 0
msg_dropped_tail: db " are not usable RAM: what they reserve is unknown", 0
msg_endless:     db "e820: the BIOS memory map did not end within 65535 entries", 0
empty:           db 0

; Pad to exactly STAGE2_SECTORS sectors; "TIMES value is negative" here means stage 2 outgrew them.
    times STAGE2_SECTORS * 512 - ($ - $$) db 0
