// Random BIOS maps for the property tests: small memory (the low 12 MiB, so a run takes
// milliseconds), mixed with the entries the sanitiser must clip or ignore.
import fc from "fast-check";
import { E820Entry } from "../sim/bios";

const MiB = 0x100000;
const U64 = (1n << 64n) - 1n;

/** An entry in the low 12 MiB, aligned or not, mostly usable. */
const smallEntry: fc.Arbitrary<E820Entry> = fc
  .record({
    base: fc.oneof(fc.integer({ min: 0, max: 12 * MiB }), fc.integer({ min: 0, max: 3072 }).map((p) => p * 4096)),
    length: fc.oneof(
      fc.integer({ min: 0, max: 6 * MiB }),
      fc.integer({ min: 0, max: 1536 }).map((p) => p * 4096),
      fc.integer({ min: 0, max: 8192 }),
    ),
    type: fc.oneof(
      { arbitrary: fc.constant(1), weight: 6 },
      { arbitrary: fc.constantFrom(2, 3, 4, 5), weight: 3 },
      { arbitrary: fc.integer({ min: 0, max: 0xffffffff }), weight: 1 },
    ),
  })
  .map((e) => ({ base: BigInt(e.base), length: BigInt(e.length), type: e.type }));

/** Entries the sanitiser must ignore or clip: huge, wrapping, above 4 GiB, zero length. None of
 *  them adds usable memory below 4 GiB (that would make top, and the run, large). */
const oddEntry: fc.Arbitrary<E820Entry> = fc.oneof(
  // Reserved anywhere in the 64-bit space (often wrapping, or covering everything up to 4 GiB).
  fc.record({ base: fc.bigInt({ min: 0n, max: U64 }), length: fc.bigInt({ min: 0n, max: U64 }), type: fc.constantFrom(2, 4, 9) }),
  // Reserved from high in the 32-bit space across 4 GiB.
  fc.record({ base: fc.bigInt({ min: 0xf0000000n, max: 0x1ffffffffn }), length: fc.bigInt({ min: 0n, max: 1n << 33n }), type: fc.constant(2) }),
  // Usable at or above 4 GiB, possibly wrapping.
  fc.record({ base: fc.bigInt({ min: 1n << 32n, max: U64 }), length: fc.bigInt({ min: 0n, max: U64 }), type: fc.constant(1) }),
  // Usable wrapping past 2^64 (ignored even though its wrapped end would be low).
  fc.bigInt({ min: 1n, max: 1n << 24n }).map((end) => ({ base: U64 - 0xfffn, length: 0x1000n + end, type: 1 })),
  // Zero length, usable, anywhere below 4 GiB.
  fc.bigInt({ min: 0n, max: 0xffffffffn }).map((b) => ({ base: b, length: 0n, type: 1 })),
);

export const mapArb = fc.array(fc.oneof({ arbitrary: smallEntry, weight: 10 }, { arbitrary: oddEntry, weight: 1 }), { maxLength: 12 });
/** A kernel image's end: at least one page (its .bss holds the kernel's static arrays and stack). */
export const kernelEndArb = fc.integer({ min: 0x101000, max: 0x300000 });


/** Maps longer than the loader's table (E820_MAX = 256): a short random map, filler up to around
 *  the limit (zero-length, duplicates of the map's own usable entries, reserved high), then a tail
 *  past it that often reserves pages inside the usable RAM of the entries kept. */
export const longMapArb: fc.Arbitrary<E820Entry[]> = fc
  .record({
    head: fc.array(smallEntry, { minLength: 1, maxLength: 8 }),
    filler: fc.integer({ min: 240, max: 300 }),
    fillKind: fc.constantFrom("zero", "dup", "high"),
    tail: fc.array(
      fc.oneof(
        smallEntry,
        // A reserved page or range inside the low 12 MiB, where the head's RAM is.
        fc.record({ page: fc.integer({ min: 0, max: 3071 }), pages: fc.integer({ min: 1, max: 64 }), type: fc.constantFrom(2, 3, 4, 5, 7) })
          .map((r) => ({ base: BigInt(r.page * 4096), length: BigInt(r.pages * 4096), type: r.type })),
      ),
      { maxLength: 6 },
    ),
  })
  .map(({ head, filler, fillKind, tail }) => {
    const fill: E820Entry[] = [];
    for (let i = 0; i < filler; i++) {
      if (fillKind === "zero") fill.push({ base: BigInt(i * 4096), length: 0n, type: 2 });
      else if (fillKind === "dup") fill.push({ ...head[i % head.length] });
      else fill.push({ base: 0xfffc0000n, length: 0x40000n, type: 2 });
    }
    return [...head, ...fill, ...tail];
  });
