// A lowered expression: the C code and what the checker proved about the JavaScript value.
// For integers the C code's value, cast to uint32_t, is the JavaScript value modulo 2^32; the range
// says which exact value that is, which is all a consumer needs to know it is the same value.
import { IntName, Range, Ty, TWO32, fits32, within, U32, INT_RANGES, C_TYPES, point } from "./types";

interface Common {
  code: string;
  /** Evaluating it may call a function or touch the machine. */
  effects: boolean;
  /** Reads only locals and constants: its value cannot change while other operands run. */
  stable: boolean;
}
export type Val =
  /** en: the enum it is a value of (a member, or typed as that enum), by the enum's name. */
  | (Common & { k: "int"; ct: IntName; range: Range; js?: number; en?: string })
  /** A division (or a modulo that may be NaN, or charCodeAt): only a truncating coercion may take it. */
  | (Common & { k: "nonint"; range: Range; js?: number })
  | (Common & { k: "bool"; js?: boolean })
  | (Common & { k: "string" })
  | (Common & { k: "void" | "never" })
  | { k: "error"; code: string; effects: boolean; stable: boolean };

export const ERROR: Val = { k: "error", code: "0", effects: false, stable: true };

/** `code` wrapped in parentheses unless it is already a single primary expression. */
export function paren(code: string): string {
  if (/^[A-Za-z0-9_.]+$/.test(code)) return code;
  if (/^\(.*\)$/.test(code) && balanced(code.slice(1, -1))) return code;
  const call = /^[A-Za-z_][A-Za-z0-9_]*\((.*)\)$/.exec(code);
  if (call && balanced(call[1])) return code;
  return `(${code})`;
}
function balanced(s: string): boolean {
  let depth = 0;
  for (const ch of s) {
    if (ch === "(") depth++;
    else if (ch === ")" && --depth < 0) return false;
  }
  return depth === 0;
}

/** The C literal for a constant integer the JavaScript value `v` (its low 32 bits when wider). */
export function constInt(v: bigint): Val & { k: "int" } {
  const js = Number(v);
  if (v >= 0n && v < TWO32) {
    const code = v > 4096n ? `0x${v.toString(16)}u` : `${v}u`;
    return { k: "int", code, ct: "u32", range: point(v), js, effects: false, stable: true };
  }
  if (v < 0n && v >= -(1n << 31n)) {
    const code = v === -(1n << 31n) ? "(-2147483647 - 1)" : `(${v})`;
    return { k: "int", code, ct: "i32", range: point(v), js, effects: false, stable: true };
  }
  const bits = ((v % TWO32) + TWO32) % TWO32;
  return { k: "int", code: `0x${bits.toString(16)}u`, ct: "u32", range: point(v), js, effects: false, stable: true };
}

/** The value's low 32 bits as a uint32_t expression. */
export function u32Code(v: { code: string; ct?: IntName | "bool" }): string {
  return v.ct === "u32" ? paren(v.code) : `(uint32_t)${paren(v.code)}`;
}
export function i32Code(v: { code: string; ct?: IntName | "bool" }): string {
  return v.ct === "i32" ? paren(v.code) : `(int32_t)${paren(v.code)}`;
}

/** The exact value as C sees it, for a value that fits 32 bits: unsigned when it can be. */
export function exactCode(v: Val & { k: "int" }): { code: string; signed: boolean } {
  if (within(v.range, U32)) return { code: u32Code(v), signed: false };
  return { code: i32Code(v), signed: true };
}

/** Convert an integer value to the C type of `name` (the checker has proved it fits, or it wraps on purpose). */
export function toIntType(v: { code: string; ct: IntName }, name: IntName): string {
  return v.ct === name ? v.code : `(${C_TYPES[name]})${paren(v.code)}`;
}

export function fitsType(r: Range, t: Ty): boolean {
  if (t.k === "int") return within(r, INT_RANGES[t.name]);
  if (t.k === "enum") return within(r, t.range);
  return false;
}

export { fits32 };
