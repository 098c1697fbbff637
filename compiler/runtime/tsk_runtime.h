/* tsk runtime: the C that every program tsk emits includes. It owns the few operations whose C
 * meaning differs from JavaScript's (division, modulo, string indexing) and the machine intrinsics
 * of kernel/arch/cpu.ts. Every helper returns exactly what the JavaScript expression would after the
 * coercion the checker demands (e.g. u32(a / 0) is 0 in both worlds). */
#ifndef TSK_RUNTIME_H
#define TSK_RUNTIME_H
#include <stdint.h>
#include <stdbool.h>

typedef struct { uint32_t len; const char *s; } tsk_str;
#define TSK_STR(lit) ((tsk_str){ (uint32_t)(sizeof(lit) - 1), (lit) })

/* a / b truncated toward zero, as ToUint32/ToInt32 truncate; x / 0 gives 0 (±Infinity and NaN
 * convert to 0). Results are the low 32 bits, which the caller casts to the coercion's type. */
static inline uint32_t tsk_div_u32(uint32_t a, uint32_t b) { return b ? a / b : 0u; }
static inline uint32_t tsk_div_i64(int64_t a, int64_t b) { return b ? (uint32_t)(a / b) : 0u; }
/* a % b with the dividend's sign (C99 and JavaScript agree); x % 0 is NaN, which converts to 0. */
static inline uint32_t tsk_mod_u32(uint32_t a, uint32_t b) { return b ? a % b : 0u; }
static inline uint32_t tsk_mod_i64(int64_t a, int64_t b) { return b ? (uint32_t)(a % b) : 0u; }
/* s.charCodeAt(i): NaN (hence 0 once coerced) outside the string. */
static inline uint32_t tsk_char_at(tsk_str s, int64_t i) {
  return (i >= 0 && i < (int64_t)s.len) ? (uint32_t)(unsigned char)s.s[i] : 0u;
}

#if defined(TSK_HOST)
/* A host program (tsk run) has no machine to touch: an intrinsic there is a usage error. */
#include <stdio.h>
#include <stdlib.h>
static inline __attribute__((noreturn)) void tsk_no_machine(const char *what) {
  fprintf(stderr, "tsk run: the machine intrinsic %s is not available in a host program\n", what);
  exit(70);
}
#define TSK_NO_MACHINE(name) tsk_no_machine(name)
static inline uint8_t tsk_load8(uint32_t a) { (void)a; TSK_NO_MACHINE("load8"); }
static inline uint16_t tsk_load16(uint32_t a) { (void)a; TSK_NO_MACHINE("load16"); }
static inline uint32_t tsk_load32(uint32_t a) { (void)a; TSK_NO_MACHINE("load32"); }
static inline void tsk_store8(uint32_t a, uint8_t v) { (void)a; (void)v; TSK_NO_MACHINE("store8"); }
static inline void tsk_store16(uint32_t a, uint16_t v) { (void)a; (void)v; TSK_NO_MACHINE("store16"); }
static inline void tsk_store32(uint32_t a, uint32_t v) { (void)a; (void)v; TSK_NO_MACHINE("store32"); }
static inline void tsk_fill32(uint32_t a, uint32_t v, uint32_t n) { (void)a; (void)v; (void)n; TSK_NO_MACHINE("fill32"); }
static inline uint8_t tsk_inb(uint16_t p) { (void)p; TSK_NO_MACHINE("inb"); }
static inline uint16_t tsk_inw(uint16_t p) { (void)p; TSK_NO_MACHINE("inw"); }
static inline uint32_t tsk_inl(uint16_t p) { (void)p; TSK_NO_MACHINE("inl"); }
static inline void tsk_outb(uint16_t p, uint8_t v) { (void)p; (void)v; TSK_NO_MACHINE("outb"); }
static inline void tsk_outw(uint16_t p, uint16_t v) { (void)p; (void)v; TSK_NO_MACHINE("outw"); }
static inline void tsk_outl(uint16_t p, uint32_t v) { (void)p; (void)v; TSK_NO_MACHINE("outl"); }
static inline void tsk_cli(void) { TSK_NO_MACHINE("cli"); }
static inline void tsk_sti(void) { TSK_NO_MACHINE("sti"); }
static inline void tsk_hlt(void) { TSK_NO_MACHINE("hlt"); }
static inline uint32_t tsk_read_cr0(void) { TSK_NO_MACHINE("readCr0"); }
static inline uint32_t tsk_read_cr2(void) { TSK_NO_MACHINE("readCr2"); }
static inline uint32_t tsk_read_cr3(void) { TSK_NO_MACHINE("readCr3"); }
static inline uint32_t tsk_read_cr4(void) { TSK_NO_MACHINE("readCr4"); }
static inline void tsk_write_cr0(uint32_t v) { (void)v; TSK_NO_MACHINE("writeCr0"); }
static inline void tsk_write_cr3(uint32_t v) { (void)v; TSK_NO_MACHINE("writeCr3"); }
static inline void tsk_write_cr4(uint32_t v) { (void)v; TSK_NO_MACHINE("writeCr4"); }
static inline void tsk_invlpg(uint32_t a) { (void)a; TSK_NO_MACHINE("invlpg"); }
static inline uint32_t tsk_rdtsc(void) { TSK_NO_MACHINE("rdtsc"); }
#else
/* Physical memory is reached through volatile accesses so that gcc keeps every one. */
static inline uint8_t tsk_load8(uint32_t a) { return *(volatile uint8_t *)(uintptr_t)a; }
static inline uint16_t tsk_load16(uint32_t a) { return *(volatile uint16_t *)(uintptr_t)a; }
static inline uint32_t tsk_load32(uint32_t a) { return *(volatile uint32_t *)(uintptr_t)a; }
static inline void tsk_store8(uint32_t a, uint8_t v) { *(volatile uint8_t *)(uintptr_t)a = v; }
static inline void tsk_store16(uint32_t a, uint16_t v) { *(volatile uint16_t *)(uintptr_t)a = v; }
static inline void tsk_store32(uint32_t a, uint32_t v) { *(volatile uint32_t *)(uintptr_t)a = v; }
static inline void tsk_fill32(uint32_t a, uint32_t v, uint32_t n) {
  __asm__ volatile("cld; rep stosl" : "+D"(a), "+c"(n) : "a"(v) : "memory");
}
static inline uint8_t tsk_inb(uint16_t p) { uint8_t v; __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(p)); return v; }
static inline uint16_t tsk_inw(uint16_t p) { uint16_t v; __asm__ volatile("inw %1, %0" : "=a"(v) : "Nd"(p)); return v; }
static inline uint32_t tsk_inl(uint16_t p) { uint32_t v; __asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(p)); return v; }
static inline void tsk_outb(uint16_t p, uint8_t v) { __asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(p)); }
static inline void tsk_outw(uint16_t p, uint16_t v) { __asm__ volatile("outw %0, %1" : : "a"(v), "Nd"(p)); }
static inline void tsk_outl(uint16_t p, uint32_t v) { __asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(p)); }
static inline void tsk_cli(void) { __asm__ volatile("cli" ::: "memory"); }
static inline void tsk_sti(void) { __asm__ volatile("sti" ::: "memory"); }
static inline void tsk_hlt(void) { __asm__ volatile("hlt" ::: "memory"); }
#define TSK_READ_CR(n) static inline uint32_t tsk_read_cr##n(void) { uint32_t v; __asm__ volatile("mov %%cr" #n ", %0" : "=r"(v)); return v; }
TSK_READ_CR(0) TSK_READ_CR(2) TSK_READ_CR(3) TSK_READ_CR(4)
#define TSK_WRITE_CR(n) static inline void tsk_write_cr##n(uint32_t v) { __asm__ volatile("mov %0, %%cr" #n : : "r"(v) : "memory"); }
TSK_WRITE_CR(0) TSK_WRITE_CR(3) TSK_WRITE_CR(4)
static inline void tsk_invlpg(uint32_t a) { __asm__ volatile("invlpg (%0)" : : "r"((uintptr_t)a) : "memory"); }
static inline uint32_t tsk_rdtsc(void) { uint32_t lo, hi; __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi)); (void)hi; return lo; }
#endif
#endif
