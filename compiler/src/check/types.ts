// The subset's value types and the integer ranges the checker proves for every expression.
// Ranges are exact bigints: they bound the mathematical value JavaScript computes, which is what
// makes a native lowering in 32-bit modular arithmetic provably equal (docs/subset.md).

export type IntName = "u8" | "u16" | "u32" | "i32";

export interface Range {
  lo: bigint;
  hi: bigint;
}

/** A memory layout (check/layouts.ts): a structure's size, alignment and fields, all proved. */
export interface LayoutDesc {
  name: string;
  size: bigint;
  align: bigint;
  fields: ReadonlyMap<string, { offset: bigint; width: IntName }>;
}

export type Ty =
  | { k: "int"; name: IntName }
  /** A view of a layout at an address (natively the u32 address). */
  | { k: "view"; layout: LayoutDesc }
  /** id: the declaration (an enum's identity: two modules may each declare one of the same name). */
  | { k: "enum"; name: string; id: object; range: Range; values: bigint[] }
  | { k: "bool" }
  | { k: "string" }
  | { k: "void" }
  | { k: "never" };

export const TWO32 = 1n << 32n;
export const TWO31 = 1n << 31n;
/** Beyond this magnitude a JavaScript number no longer holds every integer exactly. */
export const EXACT = 1n << 53n;

export const INT_RANGES: Record<IntName, Range> = {
  u8: { lo: 0n, hi: 255n },
  u16: { lo: 0n, hi: 65535n },
  u32: { lo: 0n, hi: TWO32 - 1n },
  i32: { lo: -TWO31, hi: TWO31 - 1n },
};
export const U32 = INT_RANGES.u32;
export const I32 = INT_RANGES.i32;

export function rangeOf(t: Ty): Range | undefined {
  if (t.k === "int") return INT_RANGES[t.name];
  if (t.k === "enum") return t.range;
  return undefined;
}

export function point(v: bigint): Range {
  return { lo: v, hi: v };
}
export function within(r: Range, outer: Range): boolean {
  return r.lo >= outer.lo && r.hi <= outer.hi;
}
export function union(a: Range, b: Range): Range {
  return { lo: a.lo < b.lo ? a.lo : b.lo, hi: a.hi > b.hi ? a.hi : b.hi };
}
export function isExact(r: Range): boolean {
  return r.lo >= -EXACT && r.hi <= EXACT;
}
/** True when the value is fully known from its low 32 bits (as either u32 or i32). */
export function fits32(r: Range): boolean {
  return within(r, U32) || within(r, I32);
}
export function isConst(r: Range): boolean {
  return r.lo === r.hi;
}

export function show(r: Range): string {
  const f = (v: bigint) => (v < 0n ? "-" : "") + (v < 0n ? -v : v).toString(v > 4096n || v < -4096n ? 16 : 10).replace(/^/, v > 4096n || v < -4096n ? "0x" : "");
  return r.lo === r.hi ? f(r.lo) : `${f(r.lo)}..${f(r.hi)}`;
}

export function describe(t: Ty): string {
  switch (t.k) {
    case "int":
      return t.name;
    case "enum":
      return t.name;
    case "view":
      return `View<typeof ${t.layout.name}>`;
    default:
      return t.k === "bool" ? "boolean" : t.k;
  }
}

// ---- what JavaScript's ToInt32 / ToUint32 do to a range ----

/** The range of ToInt32(v) for v in r. */
export function asInt32(r: Range): Range {
  if (within(r, I32)) return r;
  if (r.lo >= TWO31 && r.hi < TWO32) return { lo: r.lo - TWO32, hi: r.hi - TWO32 };
  return I32;
}
/** The range of ToUint32(v) for v in r. */
export function asUint32(r: Range): Range {
  if (within(r, U32)) return r;
  if (r.lo >= -TWO31 && r.hi < 0n) return { lo: r.lo + TWO32, hi: r.hi + TWO32 };
  return U32;
}
/** The range of v mod 2^bits (unsigned) for v in r. */
export function asUnsigned(r: Range, bits: bigint): Range {
  const m = 1n << bits;
  if (r.lo >= 0n && r.hi < m) return r;
  return { lo: 0n, hi: m - 1n };
}
export function bitLength(v: bigint): bigint {
  let n = 0n;
  while (v > 0n) {
    v >>= 1n;
    n++;
  }
  return n;
}

/** Interval arithmetic for the exact operators. */
export function add(a: Range, b: Range): Range {
  return { lo: a.lo + b.lo, hi: a.hi + b.hi };
}
export function sub(a: Range, b: Range): Range {
  return { lo: a.lo - b.hi, hi: a.hi - b.lo };
}
export function mul(a: Range, b: Range): Range {
  const c = [a.lo * b.lo, a.lo * b.hi, a.hi * b.lo, a.hi * b.hi];
  return { lo: c.reduce((x, y) => (x < y ? x : y)), hi: c.reduce((x, y) => (x > y ? x : y)) };
}
export function neg(a: Range): Range {
  return { lo: -a.hi, hi: -a.lo };
}
export function abs(v: bigint): bigint {
  return v < 0n ? -v : v;
}
