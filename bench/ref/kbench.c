/* The benchmark image's harness and real entry (`npm run bench`, bench/run.js). bench/image.js
 * builds one C translation unit from: the C tsk emits for bench/kernel/main.ts (the kernel's own
 * kernel/mem code, plus thin exported forwards), bench/ref/kpages.c (the same allocator written by
 * hand in C) and this file; the kernel's gcc flags, entry stub, linker script and loader do the
 * rest (scripts/lib/build.js, whose `cSource` option takes this combined file).
 *
 * Design: kernel/arch/entry.asm calls kmain, defined here. kmain lets the TypeScript side start the
 * memory manager as the kernel does (tsBenchInit: e820:, pat:, mem: lines), snapshots the PAT as
 * memInit left it, and then measures both allocators with one set of loops, so the only code that
 * differs between the two columns is the allocator itself:
 *   - pairs at 0/50/90/99 % fill: from the snapshot, take fill% of the free pages (their addresses
 *     go to a held list), then batches of getNextPage + freePage of a pseudo-randomly chosen held
 *     page (the new page takes its slot), so next-fit scans for real; cycles by rdtsc per sample of
 *     two batches per side, one run first and one second (the second finds the same pages in the
 *     host's caches), medians of the samples. After each phase the two bitmaps, held lists
 *     and checksums must be equal (the same algorithm makes the same choices), else the image
 *     fails.
 *   - zeroing: zeroPage (tsk's fill32, rep stosl) vs the reference's __builtin_memset, on the same
 *     pages, alternating batches, medians.
 *   - alloc-all: tryGetNextPage until it returns 0, from the snapshot; rounds alternating, medians.
 * Before all of it, every free page is touched once (bench_warm_up: QEMU allocates host memory for
 * guest RAM on first touch, which would bill whichever side came first).
 * rdtsc here is the full 64-bit counter (TypeScript's intrinsic gives the low half; the harness is C
 * and needs totals beyond 2^32). Under QEMU TCG it reads the host's TSC (architecture.md §6):
 * cycles are host cycles, comparable only within one run.
 *
 * Serial output, one line per figure (bench/run.js parses them; test/bench.test.js checks them):
 *   bench: mem top=<pages> words=<bitmap words> free=<free pages>
 *   bench: pair fill=<%> held=<pages held> pairs=<per sample> ts=<median cycles/sample> c=<...> batches=<samples>
 *   bench: zero pages=<per batch> ts=<median cycles/batch> c=<...> batches=<n>
 *   bench: allocall pages=<n> ts=<median total cycles> c=<...> rounds=<n>
 *   bench: ok
 * or `bench: FAILED: <why>` and the failure exit. */
#include <stdint.h>

uint32_t tsBenchInit(uint32_t bootInfo);
void tsPagesInit(void);
uint32_t tsTryGetNextPage(void);
uint32_t tsFreePage(uint32_t addr);
uint32_t tsFreePageCount(void);
void tsZeroPage(uint32_t addr);
uint32_t tsPatBase(void);
uint32_t tsPatWords(void);
uint32_t tsPatTop(void);
uint32_t tsPatFirst(void);
uint32_t tsPatCount(void);
uint32_t tsKernelFirst(void);
uint32_t tsKernelLast(void);
uint32_t tsPatCountFree(void);
uint32_t tsGetNextPage(void);
uint32_t tsRunCount(void);
uint32_t tsRunFirst(uint32_t i);
uint32_t tsRunEnd(uint32_t i);

#define HELD_MAX (1u << 18)  /* 1 GiB of pages: enough for 99 % of a 1 GiB machine */
#define PAIR_BATCHES 61
#define PAIRS_PER_BATCH 256
#define ZERO_BATCHES 41
#define ZERO_PAGES 64

static uint32_t pristine[REF_MAX_WORDS];
static uint32_t held_ts[HELD_MAX], held_c[HELD_MAX];
static uint32_t bench_held;

/* ---- console and exit ---- */
static inline void bench_outb(uint16_t p, uint8_t v) { __asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(p)); }
static inline uint8_t bench_inb(uint16_t p) { uint8_t v; __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(p)); return v; }
static void bench_putc(char c) { while (!(bench_inb(0x3fd) & 0x20)) {} bench_outb(0x3f8, (uint8_t)c); }
static void bench_print(const char *s) { while (*s) bench_putc(*s++); }
static void bench_dec(uint64_t v) { /* no 64-bit division: that would need libgcc */
  static const uint64_t pow10[] = {10000000000000000000ull, 1000000000000000000ull, 100000000000000000ull,
    10000000000000000ull, 1000000000000000ull, 100000000000000ull, 10000000000000ull, 1000000000000ull,
    100000000000ull, 10000000000ull, 1000000000ull, 100000000ull, 10000000ull, 1000000ull, 100000ull,
    10000ull, 1000ull, 100ull, 10ull, 1ull};
  int started = 0;
  for (unsigned i = 0; i < sizeof pow10 / sizeof pow10[0]; i++) {
    char d = '0';
    while (v >= pow10[i]) { v -= pow10[i]; d++; }
    if (d != '0' || started || i == sizeof pow10 / sizeof pow10[0] - 1) { bench_putc(d); started = 1; }
  }
}
static void bench_field(const char *name, uint64_t v) { bench_print(name); bench_dec(v); }
static __attribute__((noreturn)) void bench_exit(uint8_t code) {
  bench_outb(0xf4, code);
  for (;;) __asm__ volatile("cli; hlt");
}
static __attribute__((noreturn)) void bench_fail(const char *why) {
  bench_print("bench: FAILED: ");
  bench_print(why);
  bench_putc('\n');
  bench_exit(0x11);
}
static __attribute__((noreturn)) void ref_panic(const char *why) {
  bench_print("panic: ");
  bench_print(why);
  bench_putc('\n');
  bench_exit(0x11);
}

static inline uint64_t bench_rdtsc(void) {
  uint32_t lo, hi;
  __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
  return ((uint64_t)hi << 32) | lo;
}

/* Empty QEMU's software TLB (and its jump cache) before each timed batch. The two sides touch the
 * same pages in turn (the same algorithm picks the same pages), so without this the second would
 * find the first's translations cached. Toggling CR0.WP makes QEMU flush (any change of PG, WP or
 * PE does); with paging off it changes nothing else. */
static inline void cold_tlb(void) {
  uint32_t cr0;
  __asm__ volatile("mov %%cr0, %0" : "=r"(cr0));
  __asm__ volatile("mov %0, %%cr0" : : "r"(cr0 ^ 0x10000u) : "memory");
  __asm__ volatile("mov %0, %%cr0" : : "r"(cr0) : "memory");
}

/* ---- state: both allocators from the snapshot ---- */
static void reset_ts(void) {
  volatile uint32_t *pat = (volatile uint32_t *)tsPatBase();
  for (uint32_t w = 0; w < ref_words; w++) pat[w] = pristine[w];
  tsPagesInit();
}

static void reset_c(void) {
  for (uint32_t w = 0; w < ref_words; w++) ref_bitmap[w] = pristine[w];
  ref_pages_init();
}

static void check_same(const char *what) {
  volatile uint32_t *pat = (volatile uint32_t *)tsPatBase();
  for (uint32_t w = 0; w < ref_words; w++)
    if (pat[w] != ref_bitmap[w]) bench_fail(what);
  if (tsFreePageCount() != ref_free) bench_fail(what);
  for (uint32_t i = 0; i < bench_held; i++)
    if (held_ts[i] != held_c[i]) bench_fail(what);
}

/* ---- the loops, one per side, the same text (a macro) with only the allocator differing ---- */
#define PAIRS(name, get, put, held)                                                     \
  static uint32_t name(uint32_t n, uint32_t *rng) {                                     \
    uint32_t sum = 0;                                                                   \
    for (uint32_t i = 0; i < n; i++) {                                                  \
      uint32_t p = get();                                                               \
      if (!bench_held) { sum += put(p); continue; }                                     \
      *rng = *rng * 1103515245u + 12345u;                                               \
      uint32_t slot = (*rng >> 8) % bench_held;                                         \
      uint32_t q = held[slot];                                                          \
      held[slot] = p;                                                                   \
      if (put(q)) sum += 0x10000;                                                       \
      sum ^= p;                                                                         \
    }                                                                                   \
    return sum;                                                                         \
  }
PAIRS(pairs_ts, tsGetNextPage, tsFreePage, held_ts)
PAIRS(pairs_c, ref_get_next_page, ref_free_page, held_c)

#define FILL(name, get, held)                                                           \
  static void name(uint32_t n) {                                                        \
    for (uint32_t i = 0; i < n; i++) held[i] = get();                                   \
  }
FILL(fill_ts, tsTryGetNextPage, held_ts)
FILL(fill_c, ref_try_get_next_page, held_c)

#define ZERO(name, zero)                                                                \
  static void name(uint32_t first, uint32_t n) {                                        \
    for (uint32_t i = 0; i < n; i++) zero(first + i * 4096u);                           \
  }
ZERO(zero_ts, tsZeroPage)
ZERO(zero_c, ref_zero_page)

#define ALLOC_ALL(name, get)                                                            \
  static uint32_t name(void) {                                                          \
    uint32_t n = 0;                                                                     \
    while (get()) n++;                                                                  \
    return n;                                                                           \
  }
ALLOC_ALL(alloc_all_ts, tsTryGetNextPage)
ALLOC_ALL(alloc_all_c, ref_try_get_next_page)

static uint64_t median(uint64_t *v, unsigned n) {
  for (unsigned i = 1; i < n; i++) /* insertion sort: n is small */
    for (unsigned j = i; j > 0 && v[j - 1] > v[j]; j--) { uint64_t t = v[j]; v[j] = v[j - 1]; v[j - 1] = t; }
  return v[n / 2];
}

static void bench_pairs(uint32_t percent) {
  static uint64_t ts[PAIR_BATCHES], c[PAIR_BATCHES];
  reset_ts();
  reset_c();
  uint32_t target = ref_free / 100 * percent; /* as bench/compiler/pages-bench.ts computes it */
  if (target > HELD_MAX) target = HELD_MAX;
  bench_held = 0;
  fill_ts(target);
  fill_c(target);
  bench_held = target;
  check_same("the two allocators differ after filling");
  uint32_t rng_ts = 1, rng_c = 1, sum_ts = 0, sum_c = 0;
  for (unsigned k = 0; k < PAIR_BATCHES; k++) {
    /* The same algorithm takes the same pages, so whichever side runs second finds them in the
     * host's caches (QEMU's guest RAM is host memory): worth up to 20 % at 99 % fill. So each
     * sample is two rounds, TypeScript first then C first, each side timed in both: both sides do
     * the same work, once cold and once warm. */
    cold_tlb();
    uint64_t t0 = bench_rdtsc();
    sum_ts ^= pairs_ts(PAIRS_PER_BATCH, &rng_ts);
    uint64_t t1 = bench_rdtsc();
    sum_c ^= pairs_c(PAIRS_PER_BATCH, &rng_c);
    uint64_t t2 = bench_rdtsc();
    cold_tlb();
    uint64_t t3 = bench_rdtsc();
    sum_c ^= pairs_c(PAIRS_PER_BATCH, &rng_c);
    uint64_t t4 = bench_rdtsc();
    sum_ts ^= pairs_ts(PAIRS_PER_BATCH, &rng_ts);
    uint64_t t5 = bench_rdtsc();
    ts[k] = (t1 - t0) + (t5 - t4);
    c[k] = (t2 - t1) + (t4 - t3);
  }
  if (sum_ts != sum_c) bench_fail("the two allocators returned different pages");
  check_same("the two allocators differ after the pairs");
  bench_field("bench: pair fill=", percent);
  bench_field(" held=", target);
  bench_field(" pairs=", 2 * PAIRS_PER_BATCH);
  bench_field(" ts=", median(ts, PAIR_BATCHES));
  bench_field(" c=", median(c, PAIR_BATCHES));
  bench_field(" batches=", PAIR_BATCHES);
  bench_putc('\n');
}

static void bench_zero(void) {
  static uint64_t ts[ZERO_BATCHES], c[ZERO_BATCHES];
  reset_ts();
  uint32_t first = tsTryGetNextPage(); /* ZERO_PAGES consecutive free pages: from a fresh PAT the */
  for (uint32_t i = 1; i < ZERO_PAGES; i++) /* first ones follow each other; checked */
    if (tsTryGetNextPage() != first + i * 4096u) bench_fail("no run of free pages to zero");
  for (unsigned b = 0; b < ZERO_BATCHES; b++) {
    cold_tlb();
    uint64_t t0 = bench_rdtsc();
    zero_ts(first, ZERO_PAGES);
    uint64_t t1 = bench_rdtsc();
    cold_tlb();
    uint64_t t2 = bench_rdtsc();
    zero_c(first, ZERO_PAGES);
    uint64_t t3 = bench_rdtsc();
    ts[b] = t1 - t0;
    c[b] = t3 - t2;
  }
  bench_field("bench: zero pages=", ZERO_PAGES);
  bench_field(" ts=", median(ts, ZERO_BATCHES));
  bench_field(" c=", median(c, ZERO_BATCHES));
  bench_field(" batches=", ZERO_BATCHES);
  bench_putc('\n');
}

#define ALLOC_ALL_ROUNDS 2

static void bench_alloc_all(void) {
  static uint64_t ts[2 * ALLOC_ALL_ROUNDS], c[2 * ALLOC_ALL_ROUNDS];
  uint32_t n_ts = 0, n_c = 0;
  bench_held = 0;
  for (unsigned r = 0; r < 2 * ALLOC_ALL_ROUNDS; r++) { /* the order alternates, as for pairs */
    for (int side = 0; side < 2; side++) {
      int ts_side = (side == 0) == !(r & 1);
      if (ts_side) reset_ts(); else reset_c();
      cold_tlb();
      uint64_t t0 = bench_rdtsc();
      uint32_t n = ts_side ? alloc_all_ts() : alloc_all_c();
      uint64_t t1 = bench_rdtsc();
      if (ts_side) { n_ts = n; ts[r] = t1 - t0; } else { n_c = n; c[r] = t1 - t0; }
    }
    if (n_ts != n_c || tsFreePageCount() != 0 || ref_free != 0) bench_fail("alloc-all counts differ");
    check_same("the two allocators differ after alloc-all");
  }
  bench_field("bench: allocall pages=", n_ts);
  bench_field(" ts=", median(ts, 2 * ALLOC_ALL_ROUNDS));
  bench_field(" c=", median(c, 2 * ALLOC_ALL_ROUNDS));
  bench_field(" rounds=", 2 * ALLOC_ALL_ROUNDS);
  bench_putc('\n');
}

/* QEMU backs guest RAM with host memory allocated on first touch (a host page fault and a zeroed
 * host page per guest page): whichever side touched a page first would pay for it. Touch every
 * free page once before measuring anything. */
static void bench_warm_up(void) {
  reset_c();
  bench_held = 0;
  while (ref_try_get_next_page()) {}
}

void kmain(uint32_t bootInfo) {
  uint32_t free = tsBenchInit(bootInfo);
  uint32_t words = tsPatWords();
  if (words > REF_MAX_WORDS) bench_fail("bitmap larger than the reference's");
  uint32_t runs = tsRunCount();
  if (runs > REF_MAX_RUNS) bench_fail("more runs than the reference's table");
  for (uint32_t i = 0; i < runs; i++) {
    ref_runs[2 * i] = tsRunFirst(i);
    ref_runs[2 * i + 1] = tsRunEnd(i);
  }
  ref_init(words, tsPatTop(), tsKernelFirst(), tsKernelLast(), tsPatFirst(), tsPatCount(), runs);
  volatile uint32_t *pat = (volatile uint32_t *)tsPatBase();
  for (uint32_t w = 0; w < words; w++) pristine[w] = pat[w];
  reset_c();
  if (ref_free != free || tsPatCountFree() != free) bench_fail("free counts differ at start");
  bench_field("bench: mem top=", tsPatTop());
  bench_field(" words=", words);
  bench_field(" free=", free);
  bench_putc('\n');
  bench_warm_up();
  static const uint32_t fills[] = {0, 50, 90, 99};
  for (unsigned i = 0; i < sizeof fills / sizeof fills[0]; i++) bench_pairs(fills[i]);
  bench_zero();
  bench_alloc_all();
  bench_print("bench: ok\n");
  bench_exit(0x10);
}
