// The C backend's printer: IR in, one C translation unit out (runtime include, globals,
// prototypes, functions, #line before every statement). Parentheses come from the IR's structure
// and C's precedence table, never from looking at C text.
import * as path from "path";
import { Const, Expr, Fn, Loc, Program, Rep, RuntimeOp, Simple, Stmt, Temp } from "../../ir/ir";
import { CNames } from "./names";

/** kernel: freestanding i386; host: a host program with main() (tsk run); hostlib: host, no main. */
export type Mode = "kernel" | "host" | "hostlib";

const C_TYPE: Record<Exclude<Rep, "void">, string> = {
  u8: "uint8_t",
  u16: "uint16_t",
  u32: "uint32_t",
  i32: "int32_t",
  i64: "int64_t",
  bool: "bool",
  str: "tsk_str",
};
export function cType(r: Rep): string {
  return r === "void" ? "void" : C_TYPE[r];
}

/** The runtime header's function for each intrinsic. */
export const INTRINSIC_C: Record<string, string> = {
  load8: "tsk_load8", load16: "tsk_load16", load32: "tsk_load32",
  store8: "tsk_store8", store16: "tsk_store16", store32: "tsk_store32", fill32: "tsk_fill32",
  inb: "tsk_inb", inw: "tsk_inw", inl: "tsk_inl", outb: "tsk_outb", outw: "tsk_outw", outl: "tsk_outl",
  cli: "tsk_cli", sti: "tsk_sti", hlt: "tsk_hlt",
  readCr0: "tsk_read_cr0", readCr2: "tsk_read_cr2", readCr3: "tsk_read_cr3", readCr4: "tsk_read_cr4",
  writeCr0: "tsk_write_cr0", writeCr3: "tsk_write_cr3", writeCr4: "tsk_write_cr4",
  invlpg: "tsk_invlpg", rdtsc: "tsk_rdtsc", breakpoint: "tsk_breakpoint",
};
const RUNTIME_C: Record<RuntimeOp, string> = {
  div_u32: "tsk_div_u32", div_i64: "tsk_div_i64", mod_u32: "tsk_mod_u32", mod_i64: "tsk_mod_i64", char_at: "tsk_char_at",
};

// C's precedence levels, tightest first (C11 6.5).
const PRIMARY = 16;
const UNARY = 15;
const BIN_PREC: Record<string, number> = {
  "*": 13, "%": 13, "+": 12, "-": 12, "<<": 11, ">>": 11, "<": 10, "<=": 10, ">": 10, ">=": 10, "==": 9, "!=": 9,
  "&": 8, "^": 7, "|": 6, "&&": 5, "||": 4,
};
const COND = 3;
const ASSIGN = 2;
const COMMA = 1;

interface Printed {
  text: string;
  prec: number;
}

export class CPrinter {
  constructor(
    private readonly names: CNames,
    private readonly cwd: string,
  ) {}

  /** `e` as C text usable where precedence `min` is required (parenthesised when looser). */
  expr(e: Expr, min = COMMA): string {
    const p = this.print(e);
    return p.prec < min ? `(${p.text})` : p.text;
  }

  private print(e: Expr): Printed {
    switch (e.k) {
      case "int":
        return constant(e);
      case "bool":
        return { text: e.v ? "true" : "false", prec: PRIMARY };
      case "str":
        return { text: `TSK_STR("${escape(e.text)}")`, prec: PRIMARY };
      case "var":
        return { text: this.names.name(e.v), prec: PRIMARY };
      case "temp":
        return { text: tempName(e.t), prec: PRIMARY };
      case "conv":
        return { text: `(${cType(e.to)})${this.expr(e.x, UNARY)}`, prec: UNARY };
      case "bin":
      case "cmp":
      case "logic": {
        const prec = BIN_PREC[e.op];
        // Operands of bitwise operators and shifts are parenthesised when compound, for the reader
        // (C's precedence there surprises); everything else only as precedence requires.
        const clear = e.op === "&" || e.op === "|" || e.op === "^" || e.op === "<<" || e.op === ">>" || e.k === "logic";
        const left = this.expr(e.a, clear ? UNARY : prec);
        const right = this.expr(e.b, clear ? UNARY : prec + 1);
        return { text: `${left} ${e.op} ${right}`, prec };
      }
      case "not":
        return { text: `!${this.expr(e.x, UNARY)}`, prec: UNARY };
      case "bnot":
        return { text: `~${this.expr(e.x, UNARY)}`, prec: UNARY };
      case "cond":
        return { text: `${this.expr(e.c, COND + 1)} ? ${this.expr(e.a, COND + 1)} : ${this.expr(e.b, COND)}`, prec: COND };
      case "call":
        return { text: `${this.names.name(e.fn)}(${this.args(e.args)})`, prec: PRIMARY };
      case "intrinsic": {
        const c = INTRINSIC_C[e.name];
        if (!c) throw new Error(`tsk: internal error: the C backend has no intrinsic '${e.name}'`);
        return { text: `${c}(${this.args(e.args)})`, prec: PRIMARY };
      }
      case "runtime":
        return { text: `${RUNTIME_C[e.op]}(${this.args(e.args)})`, prec: PRIMARY };
      case "strlen":
        return { text: `${this.expr(e.s, PRIMARY)}.len`, prec: PRIMARY };
      case "index":
        return { text: `${this.names.name(e.arr)}[${this.expr(e.i)}]`, prec: PRIMARY };
      case "seq": {
        // C leaves operand order unspecified; the comma operator sequences the temporaries.
        const parts = e.temps.map(({ t, x }) => `${tempName(t)} = ${this.expr(x, ASSIGN)}`);
        return { text: [...parts, this.expr(e.body, ASSIGN)].join(", "), prec: COMMA };
      }
      case "never": {
        const zero = e.rep === "bool" ? "false" : `(${cType(e.rep)})0`;
        return { text: `${this.expr(e.call, ASSIGN)}, ${zero}`, prec: COMMA };
      }
    }
  }

  private args(args: Expr[]): string {
    return args.map((a) => this.expr(a, ASSIGN)).join(", ");
  }

  line(loc: Loc): string {
    return `#line ${loc.line} "${path.relative(this.cwd, loc.file).split(path.sep).join("/")}"`;
  }

  /** A simple statement without its `;` (for loop heads use it too). */
  simple(s: Simple): string {
    switch (s.k) {
      case "decl":
        return `${s.constant ? "const " : ""}${cType(s.v.rep)} ${this.names.name(s.v)} = ${this.expr(s.init, ASSIGN)}`;
      case "assign":
        return `${this.names.name(s.v)} = ${this.expr(s.x, ASSIGN)}`;
      case "step":
        return `${this.names.name(s.v)}${s.op}${s.op}`;
      case "expr": {
        const p = this.print(s.x);
        if (isVoid(s.x)) return p.text;
        return `(void)${p.prec < UNARY ? `(${p.text})` : p.text}`;
      }
      case "store": {
        // The temporaries first (the comma operator sequences them), then the store; the index
        // is a constant, a local or a temporary, which nothing in the value changes.
        const pre = s.pre.map(({ t, x }) => `${tempName(t)} = ${this.expr(x, ASSIGN)}, `).join("");
        return `${pre}${this.names.name(s.arr)}[${this.expr(s.i)}] = ${this.expr(s.x, ASSIGN)}`;
      }
    }
  }

  stmts(list: Stmt[], indent: number, out: string[]): void {
    for (const s of list) this.stmt(s, indent, out);
  }

  private stmt(s: Stmt, indent: number, out: string[]): void {
    const pad = "  ".repeat(indent);
    switch (s.k) {
      case "decl":
      case "assign":
      case "step":
      case "expr":
      case "store":
        out.push(this.line(s.loc), `${pad}${this.simple(s)};`);
        return;
      case "block":
        out.push(`${pad}{`);
        this.stmts(s.body, indent + 1, out);
        out.push(`${pad}}`);
        return;
      case "if":
        out.push(this.line(s.loc), `${pad}if (${this.expr(s.c)}) {`);
        this.stmts(s.then, indent + 1, out);
        if (s.else) {
          out.push(`${pad}} else {`);
          this.stmts(s.else, indent + 1, out);
        }
        out.push(`${pad}}`);
        return;
      case "while":
        out.push(this.line(s.loc), `${pad}while (${this.expr(s.c)}) {`);
        this.stmts(s.body, indent + 1, out);
        out.push(`${pad}}`);
        return;
      case "do":
        out.push(this.line(s.loc), `${pad}do {`);
        this.stmts(s.body, indent + 1, out);
        out.push(this.line(s.condLoc), `${pad}} while (${this.expr(s.c)});`);
        return;
      case "for": {
        const init = s.init ? this.simple(s.init) : "";
        const c = s.c ? this.expr(s.c) : "";
        const step = s.step ? this.simple(s.step) : "";
        out.push(this.line(s.loc), `${pad}for (${init}; ${c}; ${step}) {`);
        this.stmts(s.body, indent + 1, out);
        out.push(`${pad}}`);
        return;
      }
      case "break":
      case "continue":
        out.push(this.line(s.loc), `${pad}${s.k};`);
        return;
      case "return":
        out.push(this.line(s.loc), `${pad}return${s.x ? ` ${this.expr(s.x)}` : ""};`);
        return;
      case "switch":
        out.push(this.line(s.loc), `${pad}switch (${this.expr(s.disc)}) {`);
        for (const c of s.cases) {
          const label = c.value === undefined ? "default" : `case ${s.signed ? (c.value < 0n ? signedLiteral(c.value) : `${c.value}`) : `${c.value}u`}`;
          out.push(`${pad}${label}: {`);
          this.stmts(c.body, indent + 1, out);
          out.push(`${pad}}`);
        }
        out.push(`${pad}}`);
        return;
      case "unreachable":
        // noreturn: tells gcc; proved: should tsc's proof ever have a hole, stop loudly (invalid
        // opcode, reported with its .ts line) rather than return garbage.
        out.push(`${pad}${s.why === "noreturn" ? "__builtin_unreachable();" : "__builtin_trap();"}`);
        return;
    }
  }

  signature(fn: Fn): string {
    const params = fn.params.length ? fn.params.map((p) => `${cType(p.rep)} ${this.names.name(p)}`).join(", ") : "void";
    const attrs = fn.noreturn ? "__attribute__((noreturn)) " : "";
    return `${fn.linkage.k === "external" ? "" : "static "}${attrs}${cType(fn.ret)} ${this.names.name(fn)}(${params})`;
  }

  fn(fn: Fn): string {
    const out = [this.line(fn.loc), `${this.signature(fn)} {`];
    for (const t of fn.temps) out.push(`  ${cType(t.rep)} ${tempName(t)};`);
    this.stmts(fn.body, 1, out);
    out.push("}", "");
    return out.join("\n");
  }
}

function isVoid(e: Expr): boolean {
  return (e.k === "call" && e.fn.ret === "void") || (e.k === "intrinsic" && e.rep === "void") || (e.k === "seq" && isVoid(e.body));
}

function tempName(t: Temp): string {
  return `tsk_t${t.id}`;
}

function signedLiteral(v: bigint): string {
  return v === -(1n << 31n) ? "(-2147483647 - 1)" : `(${v})`;
}

function constant(c: Const & { k: "int" }): Printed {
  if (c.rep === "i32") {
    if (c.v < 0n) return { text: signedLiteral(c.v), prec: PRIMARY };
    return { text: `${c.v}`, prec: PRIMARY };
  }
  return { text: c.v > 4096n || c.hex ? `0x${c.v.toString(16)}u` : `${c.v}u`, prec: PRIMARY };
}

/** A string literal's text as C source (printable ASCII, checked; `?` escaped against trigraphs). */
function escape(text: string): string {
  let c = "";
  for (const ch of text) {
    c += ch === "\\" ? "\\\\" : ch === '"' ? '\\"' : ch === "\n" ? "\\n" : ch === "\r" ? "\\r" : ch === "\t" ? "\\t" : ch === "?" ? "\\?" : ch;
  }
  return c;
}

/** The whole translation unit. */
export function emitC(p: Program, mode: Mode, cwd: string): string {
  const names = new CNames(p);
  const pr = new CPrinter(names, cwd);
  const globals: string[] = [];
  for (const g of p.globals) {
    const init = g.init.k === "bool" ? (g.init.v ? "true" : "false") : constant(g.init).text;
    globals.push(pr.line(g.loc), `static ${g.constant ? "const " : ""}${cType(g.v.rep)} ${names.name(g.v)} = ${init};`);
  }
  for (const a of p.arrays) {
    // Zero at start, in .bss, as JavaScript's new Uint32Array(N) is.
    globals.push(pr.line(a.loc), `static ${cType(a.elem)} ${names.name(a)}[${a.length}];`);
  }
  const protos = p.fns.map((f) => `${pr.signature(f)};`);
  const bodies = p.fns.map((f) => pr.fn(f));
  const parts = [
    `/* Generated by tsk from ${path.relative(cwd, p.entry.file).split(path.sep).join("/")}: do not edit; edit the TypeScript. */`,
    mode !== "kernel" ? "#define TSK_HOST 1" : "",
    `#include "tsk_runtime.h"`,
    "",
    ...globals,
    "",
    ...protos,
    "",
    ...bodies,
  ];
  if (mode === "host" && p.hostMain) {
    parts.push(["#include <stdio.h>", "int main(void) {", `  printf("%u\\n", (unsigned)(uint32_t)${names.name(p.hostMain)}());`, "  return 0;", "}", ""].join("\n"));
  }
  return parts.filter((x, i) => x !== "" || parts[i - 1] !== "").join("\n") + "\n";
}
