/* The in-kernel reference for `npm run bench` (bench/run.js): kernel/mem/pages.ts's allocator,
 * written by hand in C as a C kernel would have it, compiled into the benchmark image with the
 * kernel's own gcc flags, in the same translation unit as the C tsk emits (bench/image.js).
 *
 * Same algorithm, step for step, so that TS/C measures the compiler and not the algorithm:
 *  - allocation: next-fit from the word of the last hit (`cursor`) to the end, then from word 0 to
 *    the cursor; a full word (0xffffffff) is skipped in one comparison; the lowest clear bit is
 *    found with the same binary search (the subset has no count-trailing-zeros intrinsic); the page
 *    is zeroed (rep stosl: gcc expands __builtin_memset so, as tsk's fill32 is; Linux's 32-bit
 *    string.h maps memset to __builtin_memset too).
 *  - free: alignment, range, double free (clear bit), then "not RAM" exactly as pat.ts's patIsRam:
 *    low 1 MiB, the kernel image, the PAT's own pages, then e820.ts's e820PageUsable: the same
 *    binary search over the same sanitised run table (pairs of u32 [first page, end page), sorted,
 *    disjoint) that e820Init built (a typed array in the kernel's .bss), copied into a C array of
 *    the same shape by the harness.
 * The differences are the ones a C programmer would make: plain `uint32_t *` pointers for the
 * bitmap and the run table instead of volatile loads and stores through the arch layer.
 *
 * State: a bitmap of its own (ref_bitmap, in .bss, room for 4 GiB), which the harness
 * (bench/ref/kbench.c) fills with a copy of the PAT as memInit left it, so both allocators start
 * from the same bits; kbench.c checks after every phase that the two bitmaps are still equal. */
#include <stdint.h>

#define REF_MAX_WORDS 32768u /* 2^20 pages below 4 GiB / 32 */
#define REF_LOW_PAGES 256u

static uint32_t ref_bitmap[REF_MAX_WORDS];
static uint32_t ref_words, ref_top, ref_cursor, ref_free;
static uint32_t ref_kernel_first, ref_kernel_last, ref_pat_first, ref_pat_count;

#define REF_MAX_RUNS 512u /* kernel/boot-info.ts RUN_TABLE_MAX */
static uint32_t ref_runs[2 * REF_MAX_RUNS]; /* e820.ts's runs: [2i] first page, [2i+1] end */
static uint32_t ref_run_count;

/* Set up from the geometry patInit chose; the bitmap and run table contents are the harness's to
 * copy. */
static void ref_init(uint32_t words, uint32_t top, uint32_t kernel_first, uint32_t kernel_last,
                     uint32_t pat_first, uint32_t pat_count, uint32_t run_count) {
  ref_words = words;
  ref_top = top;
  ref_kernel_first = kernel_first;
  ref_kernel_last = kernel_last;
  ref_pat_first = pat_first;
  ref_pat_count = pat_count;
  ref_run_count = run_count;
}

/* pagesInit: cursor 0, free = the clear bits. */
static void ref_pages_init(void) {
  uint32_t n = 0;
  for (uint32_t w = 0; w < ref_words; w++) n += 32 - __builtin_popcount(ref_bitmap[w]);
  ref_cursor = 0;
  ref_free = n;
}

/* e820.ts's e820PageUsable: the first run whose end is above the page, then is it inside. */
static int ref_page_usable(uint32_t page) {
  uint32_t lo = 0, hi = ref_run_count;
  while (lo < hi) {
    uint32_t mid = (lo + hi) >> 1;
    if (ref_runs[2 * mid + 1] <= page) lo = mid + 1;
    else hi = mid;
  }
  return lo < ref_run_count && ref_runs[2 * lo] <= page;
}

static int ref_is_ram(uint32_t page) {
  if (page < REF_LOW_PAGES || page >= ref_top) return 0;
  if (page >= ref_kernel_first && page < ref_kernel_last) return 0;
  if (page >= ref_pat_first && page < ref_pat_first + ref_pat_count) return 0;
  return ref_page_usable(page);
}

static uint32_t ref_lowest_clear(uint32_t v) {
  uint32_t x = ~v, n = 0;
  if (!(x & 0xffff)) { n = 16; x >>= 16; }
  if (!(x & 0xff)) { n += 8; x >>= 8; }
  if (!(x & 0xf)) { n += 4; x >>= 4; }
  if (!(x & 0x3)) { n += 2; x >>= 2; }
  if (!(x & 0x1)) n += 1;
  return n;
}

static void ref_zero_page(uint32_t addr) {
  __builtin_memset((void *)addr, 0, 4096);
}

static uint32_t ref_take(uint32_t w, uint32_t v) {
  uint32_t bit = ref_lowest_clear(v);
  ref_bitmap[w] = v | (1u << bit);
  ref_cursor = w;
  ref_free--;
  uint32_t addr = (w * 32 + bit) * 4096u;
  ref_zero_page(addr);
  return addr;
}

static uint32_t ref_try_get_next_page(void) {
  if (!ref_free) return 0;
  for (uint32_t w = ref_cursor; w < ref_words; w++)
    if (ref_bitmap[w] != 0xffffffffu) return ref_take(w, ref_bitmap[w]);
  for (uint32_t w = 0; w < ref_cursor; w++)
    if (ref_bitmap[w] != 0xffffffffu) return ref_take(w, ref_bitmap[w]);
  return 0;
}

/* getNextPage: the same, or panic. */
static __attribute__((noreturn)) void ref_panic(const char *why);
static uint32_t ref_get_next_page(void) {
  uint32_t addr = ref_try_get_next_page();
  if (!addr) ref_panic("out of memory");
  return addr;
}

/* 0 ok, 1 unaligned, 2 out of range, 3 not RAM, 4 already free (pages.ts's FREE_*). */
static uint32_t ref_free_page(uint32_t addr) {
  if (addr & 0xfff) return 1;
  uint32_t page = addr >> 12;
  if (page >= ref_top) return 2;
  uint32_t *word = &ref_bitmap[page >> 5];
  uint32_t mask = 1u << (page & 31);
  uint32_t v = *word;
  if (!(v & mask)) return 4;
  if (!ref_is_ram(page)) return 3;
  *word = v & ~mask;
  ref_free++;
  return 0;
}
