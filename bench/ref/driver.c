/* bench:compiler's driver: one host program holding the TypeScript allocator (C emitted by tsk,
 * placed before this file in the same translation unit) and the hand-written reference. Alternates
 * the two at each fill level and prints one line per measurement:
 *   RESULT <fill%> <ts ns/pair> <ref ns/pair> <ts checksum> <ref checksum>
 * Medians of REPS runs; both start from the same state every time. */
#include <stdio.h>
#include <string.h>
#include <time.h>

uint32_t tsSetup(uint32_t percent);
uint32_t tsPairs(uint32_t n);
uint32_t refSetup(uint32_t percent);
uint32_t refPairs(uint32_t n);
uint8_t *refMemory(void);

#define REPS 7
#define PAIRS 20000u

static double now_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1e9 + t.tv_nsec;
}

static int cmp(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

int main(void) {
  /* Touch all simulated RAM up front so neither side pays first-touch page faults in the loop. */
  memset(tsk_host_mem, 0, 0x10000000u);
  memset(refMemory(), 0, 0x10000000u);
  static const uint32_t fills[] = {0, 50, 90, 99};
  for (unsigned f = 0; f < sizeof fills / sizeof fills[0]; f++) {
    double ts[REPS], ref[REPS];
    uint32_t tsum = 0, rsum = 0;
    for (int r = 0; r < REPS; r++) {
      tsSetup(fills[f]);
      double t0 = now_ns();
      tsum = tsPairs(PAIRS);
      ts[r] = (now_ns() - t0) / PAIRS;
      refSetup(fills[f]);
      t0 = now_ns();
      rsum = refPairs(PAIRS);
      ref[r] = (now_ns() - t0) / PAIRS;
    }
    qsort(ts, REPS, sizeof ts[0], cmp);
    qsort(ref, REPS, sizeof ref[0], cmp);
    fprintf(stderr, "RESULT %u %.2f %.2f %u %u\n", fills[f], ts[REPS / 2], ref[REPS / 2], tsum, rsum);
  }
  return 0;
}
