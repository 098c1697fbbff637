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
/* A host program (tsk run, differential tests, host benchmarks) runs on a small stand-in for the
 * machine: physical memory is a 4 GiB lazily-committed mapping (every u32 address is valid, as on
 * the metal), COM1 writes go to stdout and its line status always says "ready", isa-debug-exit
 * (port 0xf4) ends the program with QEMU's exit code, control registers are plain storage. Anything
 * else (other ports, hlt) has no meaning on a host: the program stops and says so. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
static inline __attribute__((noreturn)) void tsk_no_machine(const char *what) {
  fprintf(stderr, "tsk: %s has no meaning in a host program\n", what);
  exit(70);
}
static uint8_t *tsk_host_mem;
static uint32_t tsk_host_cr[5];
#if UINTPTR_MAX > 0xffffffffu
#define TSK_HOST_MEM ((size_t)1 << 32)
#elif !defined(TSK_HOST_MEM)
/* A 32-bit host process cannot map 4 GiB: such builds (benchmarks, which measure i386 code) get
 * this much, and must keep their addresses below it (they are not checked). */
#define TSK_HOST_MEM ((size_t)0x60000000u)
#endif
__attribute__((constructor)) static void tsk_host_init(void) {
  void *p = mmap(NULL, TSK_HOST_MEM, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (p == MAP_FAILED) tsk_no_machine("4 GiB of simulated physical memory (mmap failed)");
  tsk_host_mem = p;
}
static inline uint8_t tsk_load8(uint32_t a) { return *(volatile uint8_t *)(tsk_host_mem + a); }
static inline uint16_t tsk_load16(uint32_t a) { return *(volatile uint16_t *)(tsk_host_mem + a); }
static inline uint32_t tsk_load32(uint32_t a) { return *(volatile uint32_t *)(tsk_host_mem + a); }
static inline void tsk_store8(uint32_t a, uint8_t v) { *(volatile uint8_t *)(tsk_host_mem + a) = v; }
static inline void tsk_store16(uint32_t a, uint16_t v) { *(volatile uint16_t *)(tsk_host_mem + a) = v; }
static inline void tsk_store32(uint32_t a, uint32_t v) { *(volatile uint32_t *)(tsk_host_mem + a) = v; }
static inline void tsk_fill32(uint32_t a, uint32_t v, uint32_t n) {
  uint32_t *p = (uint32_t *)(tsk_host_mem + a);
  if (v == 0) { memset(p, 0, (size_t)n * 4); return; } /* what a C kernel's page zeroing does */
  for (uint32_t i = 0; i < n; i++) p[i] = v;
}
static inline uint8_t tsk_inb(uint16_t p) {
  if (p == 0x3fd) return 0x60; /* COM1 LSR: holding and shift registers empty (putc, serialDrain) */
  if (p >= 0x3f8 && p <= 0x3ff) return 0;
  tsk_no_machine("reading this I/O port");
}
static inline uint16_t tsk_inw(uint16_t p) { (void)p; tsk_no_machine("inw"); }
static inline uint32_t tsk_inl(uint16_t p) { (void)p; tsk_no_machine("inl"); }
static inline void tsk_outb(uint16_t p, uint8_t v) {
  if (p == 0x3f8) { putchar(v); return; }
  if (p > 0x3f8 && p <= 0x3ff) return; /* COM1 set-up */
  if (p == 0xf4) { fflush(stdout); exit((v << 1) | 1); }
  tsk_no_machine("writing this I/O port");
}
static inline void tsk_outw(uint16_t p, uint16_t v) { (void)p; (void)v; tsk_no_machine("outw"); }
static inline void tsk_outl(uint16_t p, uint32_t v) { (void)p; (void)v; tsk_no_machine("outl"); }
static inline void tsk_cli(void) {}
static inline void tsk_sti(void) {}
static inline void tsk_hlt(void) { tsk_no_machine("hlt"); }
static inline uint32_t tsk_read_cr0(void) { return tsk_host_cr[0]; }
static inline uint32_t tsk_read_cr2(void) { return tsk_host_cr[2]; }
static inline uint32_t tsk_read_cr3(void) { return tsk_host_cr[3]; }
static inline uint32_t tsk_read_cr4(void) { return tsk_host_cr[4]; }
static inline void tsk_write_cr0(uint32_t v) { tsk_host_cr[0] = v; }
static inline void tsk_write_cr3(uint32_t v) { tsk_host_cr[3] = v; }
static inline void tsk_write_cr4(uint32_t v) { tsk_host_cr[4] = v; }
static inline void tsk_invlpg(uint32_t a) { (void)a; }
static inline void tsk_breakpoint(void) {}
static inline uint32_t tsk_rdtsc(void) { uint32_t lo, hi; __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi)); (void)hi; return lo; }
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
static inline void tsk_breakpoint(void) { __asm__ volatile("int3" ::: "memory"); }
#endif
#endif
