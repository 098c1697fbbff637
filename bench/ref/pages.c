/* The reference for bench:compiler: kernel/mem/pages.ts's algorithm written by hand in C, as one
 * would without tsk — next-fit over a bitmap from the last hit's word, full words skipped, the
 * lowest clear bit taken, the page zeroed; frees check alignment, range and double frees. The
 * bitmap covers the same 256 MiB machine with the same pages reserved as the TypeScript run. */
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>

#define PAGES 65536u
#define WORDS (PAGES / 32)
#define FIRST_FREE 0x202u /* low 1 MiB, kernel to 0x200000, two PAT pages: as memInit leaves it */

static uint32_t bitmap[WORDS];
static uint32_t cursor, nfree;
static uint32_t held_pages[PAGES];
static uint32_t held, rng = 1;
/* The machine's RAM: mapped the way the host runtime maps the TypeScript run's (the kind of mapping
 * decides huge pages and so TLB misses, which would otherwise dominate the comparison). */
static uint8_t *ref_memory;
uint8_t *refMemory(void) {
  if (!ref_memory) ref_memory = mmap(NULL, PAGES * 4096u, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  return ref_memory;
}

/* The same binary search pages.ts does (the subset has no count-trailing-zeros intrinsic). */
static uint32_t lowest_clear(uint32_t v) {
  uint32_t x = ~v, n = 0;
  if (!(x & 0xffff)) { n = 16; x >>= 16; }
  if (!(x & 0xff)) { n += 8; x >>= 8; }
  if (!(x & 0xf)) { n += 4; x >>= 4; }
  if (!(x & 0x3)) { n += 2; x >>= 2; }
  if (!(x & 0x1)) n += 1;
  return n;
}

/* What pat.ts's patIsRam decides: not the low 1 MiB, the kernel or the PAT, and a page the E820
 * map calls usable (wholly inside a usable entry, touching no other). */
static const struct { uint64_t base, length; uint32_t type; } e820[] = {
  {0, 0x9fc00, 1}, {0x9fc00, 0x400, 2}, {0x100000, PAGES * 4096ull - 0x100000, 1},
};
static int is_ram(uint32_t page) {
  if (page < FIRST_FREE || page >= PAGES) return 0;
  uint64_t start = (uint64_t)page << 12, end = start + 4096;
  int usable = 0;
  for (unsigned i = 0; i < sizeof e820 / sizeof e820[0]; i++) {
    uint64_t b = e820[i].base, e = b + e820[i].length;
    if (e820[i].type == 1 && b <= start && end <= e) usable = 1;
    else if (e820[i].type != 1 && b < end && start < e) return 0;
  }
  return usable;
}

static uint32_t take(uint32_t w, uint32_t v) {
  uint32_t bit = lowest_clear(v);
  bitmap[w] = v | (1u << bit);
  cursor = w;
  nfree--;
  uint32_t addr = (w * 32 + bit) * 4096u;
  memset(ref_memory + addr, 0, 4096);
  return addr;
}

static uint32_t ref_try_get_next_page(void) {
  if (!nfree) return 0;
  for (uint32_t w = cursor; w < WORDS; w++) if (bitmap[w] != 0xffffffffu) return take(w, bitmap[w]);
  for (uint32_t w = 0; w < cursor; w++) if (bitmap[w] != 0xffffffffu) return take(w, bitmap[w]);
  return 0;
}

static int ref_free_page(uint32_t addr) {
  if (addr & 0xfff) return 1;
  uint32_t page = addr >> 12;
  if (page >= PAGES) return 2;
  uint32_t mask = 1u << (page & 31);
  if (!(bitmap[page >> 5] & mask)) return 4;
  if (!is_ram(page)) return 3;
  bitmap[page >> 5] &= ~mask;
  nfree++;
  return 0;
}

uint32_t refSetup(uint32_t percent) {
  memset(bitmap, 0, sizeof bitmap);
  for (uint32_t p = 0; p < FIRST_FREE; p++) bitmap[p >> 5] |= 1u << (p & 31);
  nfree = PAGES - FIRST_FREE;
  cursor = 0;
  rng = 1;
  uint32_t target = nfree / 100 * percent;
  for (held = 0; held < target; held++) held_pages[held] = ref_try_get_next_page();
  return nfree;
}

uint32_t refPairs(uint32_t n) {
  uint32_t sum = 0;
  for (uint32_t i = 0; i < n; i++) {
    uint32_t p = ref_try_get_next_page();
    if (!held) { sum += ref_free_page(p); continue; }
    rng = rng * 1103515245u + 12345u;
    uint32_t slot = (rng >> 8) % held;
    uint32_t q = held_pages[slot];
    held_pages[slot] = p;
    if (ref_free_page(q)) sum += 0x10000;
    sum ^= p;
  }
  return sum;
}
