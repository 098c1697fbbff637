// A checked expression: its IR and what the checker proved about the JavaScript value.
// For integers the IR's value, read as uint32, is the JavaScript value modulo 2^32; the range says
// which exact value that is, which is all a consumer needs to know it is the same value.
import { Expr, Rep } from "../ir/ir";
import { IntName, LayoutDesc, Range, Ty, TWO32, fits32, within, U32, INT_RANGES, point } from "./types";

interface Common {
  ir: Expr;
  /** Evaluating it may call a function or touch the machine. */
  effects: boolean;
  /** Reads only locals and constants: its value cannot change while other operands run. */
  stable: boolean;
}
export type Val =
  /** en: the enum it is a value of (a member, or typed as that enum), by the enum's identity. */
  | (Common & { k: "int"; ct: IntName; range: Range; js?: number; en?: EnumId })
  /** A division (or a modulo that may be NaN, or charCodeAt): only a truncating coercion may take
   *  it. Its IR computes the truncated value's low 32 bits as a u32. */
  | (Common & { k: "nonint"; range: Range; js?: number })
  | (Common & { k: "bool"; js?: boolean })
  | (Common & { k: "string" })
  /** A layout view: its IR is the u32 address; addr: that address when it is a constant. */
  | (Common & { k: "view"; layout: LayoutDesc; addr?: bigint })
  | (Common & { k: "void" | "never" })
  | { k: "error"; ir: Expr; effects: boolean; stable: boolean };

/** An enum's identity: its declaration (two modules may each declare an enum of the same name). */
export type EnumId = object;

export const ERROR: Val = { k: "error", ir: { k: "int", v: 0n, rep: "u32" }, effects: false, stable: true };

/** The constant integer the JavaScript value `v` (its low 32 bits when wider). */
export function constInt(v: bigint): Val & { k: "int" } {
  const js = Number(v);
  if (v >= 0n && v < TWO32) return { k: "int", ir: { k: "int", v, rep: "u32" }, ct: "u32", range: point(v), js, effects: false, stable: true };
  if (v < 0n && v >= -(1n << 31n)) return { k: "int", ir: { k: "int", v, rep: "i32" }, ct: "i32", range: point(v), js, effects: false, stable: true };
  const bits = ((v % TWO32) + TWO32) % TWO32;
  return { k: "int", ir: { k: "int", v: bits, rep: "u32" }, ct: "u32", range: point(v), js, effects: false, stable: true };
}

/** `x` in representation `to` (no conversion when it already is). */
export function conv(x: Expr, from: Rep, to: Rep): Expr {
  return from === to ? x : { k: "conv", to, x };
}

/** The value's low 32 bits as a u32. */
export function u32Of(v: { ir: Expr; ct: IntName }): Expr {
  return conv(v.ir, v.ct, "u32");
}
export function i32Of(v: { ir: Expr; ct: IntName }): Expr {
  return conv(v.ir, v.ct, "i32");
}

/** The exact value, for a value that fits 32 bits: unsigned when it can be. */
export function exactOf(v: Val & { k: "int" }): { ir: Expr; signed: boolean } {
  if (within(v.range, U32)) return { ir: u32Of(v), signed: false };
  return { ir: i32Of(v), signed: true };
}

/** Convert an integer value to `name` (the checker has proved it fits, or it wraps on purpose). */
export function toIntType(v: { ir: Expr; ct: IntName }, name: IntName): Expr {
  return conv(v.ir, v.ct, name);
}

export function fitsType(r: Range, t: Ty): boolean {
  if (t.k === "int") return within(r, INT_RANGES[t.name]);
  if (t.k === "enum") return within(r, t.range);
  return false;
}

export { fits32 };
