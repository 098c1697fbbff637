// The i386 backend's code generator: IR in, NASM text out (toolchain/asm assembles it). A simple
// accumulator machine, exact before fast: every value lives in eax (a str in eax = len, edx = ptr;
// an i64 in edx:eax), canonical for its representation (u8/u16 zero-extended, bool 0 or 1), and
// an intermediate goes through the stack unless the other operand is simple (a constant or a
// variable: an immediate, a memory operand or ecx; see operands()): small local choices of
// instruction form, no register allocation. Functions are cdecl with `push ebp; mov ebp, esp`
// frames (the fault report's stack walk and assembly callers rely on them); only eax, ecx and edx
// are clobbered (ebx and edi are saved around the few sequences that need them). Before each
// statement a local label marks where its .ts line starts: the line map (lines.ts) reads them back.
import * as path from "path";
import { ArrayObj, Expr, Fn, Loc, Program, Rep, repOf, Simple, Stmt, Temp, Var } from "../../ir/ir";

export type Mode = "kernel" | "host";

/** One line-map mark: the label before a statement's code and the .ts place it stands for. */
export interface Mark {
  label: string;
  file: string;
  line: number;
  func: string;
  /** For an inlined function's code: the frames it was inlined into, innermost first. */
  outer?: { file: string; line: number; func: string }[];
  /** On a function's first mark: its parameters, at [ebp + offset] once the frame is set up. */
  params?: { name: string; offset: number; rep: Rep }[];
}

export class I386Error extends Error {}

const CC_UNSIGNED: Record<string, string> = { "==": "e", "!=": "ne", "<": "b", "<=": "be", ">": "a", ">=": "ae" };
const CC_SIGNED: Record<string, string> = { "==": "e", "!=": "ne", "<": "l", "<=": "le", ">": "g", ">=": "ge" };
const CC_NOT: Record<string, string> = { e: "ne", ne: "e", b: "ae", ae: "b", be: "a", a: "be", l: "ge", ge: "l", le: "g", g: "le" };
const CC_CODE: Record<string, number> = { e: 4, ne: 5, b: 2, ae: 3, be: 6, a: 7, l: 12, ge: 13, le: 14, g: 15 };

/** `setCC al` as bytes (toolchain/asm's encoder has no setcc; the bytes are the instruction). */
function setcc(cc: string): string {
  return `db 0x0f, 0x${(0x90 + CC_CODE[cc]).toString(16)}, 0xc0 ; set${cc} al`;
}

/** Byte size of a slot holding `rep`. */
function slotBytes(rep: Rep): number {
  return rep === "str" || rep === "i64" ? 8 : 4;
}

interface Names {
  fn(f: Fn): string;
  global(v: Var): string;
  array(a: ArrayObj): string;
}

/** An array element's operand size and scale. */
const ELEM: Record<ArrayObj["elem"], { size: string; scale: number; reg: string }> = {
  u8: { size: "byte", scale: 1, reg: "al" },
  u16: { size: "word", scale: 2, reg: "ax" },
  u32: { size: "dword", scale: 4, reg: "eax" },
  i32: { size: "dword", scale: 4, reg: "eax" },
};

class FnGen {
  private readonly out: string[] = [];
  private readonly slots = new Map<Var | Temp, number>();
  private frame = 0;
  private label = 0;
  private readonly loops: { brk: string; cont?: string }[] = [];

  constructor(
    private readonly fn: Fn,
    private readonly names: Names,
    private readonly strings: (text: string) => string,
    private readonly marks: Mark[],
    private readonly rel: (file: string) => string,
    private readonly mode: Mode,
    private readonly globalSlots: Map<Var, string>,
  ) {}

  run(): string[] {
    let off = 8;
    for (const p of this.fn.params) {
      this.slots.set(p, off);
      off += slotBytes(p.rep);
    }
    for (const t of this.fn.temps) this.local(t);
    this.declare(this.fn.body);
    const name = this.names.fn(this.fn);
    const o = this.out;
    o.push(`${name}:`);
    this.mark(this.fn.loc);
    this.marks[this.marks.length - 1].params = this.fn.params.map((p) => ({ name: p.name, offset: this.slots.get(p)!, rep: p.rep }));
    o.push("push ebp", "mov ebp, esp");
    // The frame's size is known only at the end (inlined calls take slots as they are met).
    const sub = o.length;
    o.push("");
    this.stmts(this.fn.body);
    o[sub] = this.frame ? `sub esp, ${this.frame}` : "nop";
    if (!this.frame) o.splice(sub, 1);
    o.push(".ret:", "leave", "ret", "");
    return reloadsDropped(o);
  }

  private local(x: Var | Temp): void {
    this.frame += slotBytes(x.rep);
    this.slots.set(x, -this.frame);
  }

  private declare(list: Stmt[]): void {
    for (const s of list) {
      switch (s.k) {
        case "decl":
          this.local(s.v);
          break;
        case "block":
          this.declare(s.body);
          break;
        case "if":
          this.declare(s.then);
          if (s.else) this.declare(s.else);
          break;
        case "while":
        case "do":
          this.declare(s.body);
          break;
        case "for":
          if (s.init?.k === "decl") this.local(s.init.v);
          this.declare(s.body);
          break;
        case "switch":
          for (const c of s.cases) this.declare(c.body);
          break;
      }
    }
  }

  private fresh(): string {
    return `.l${this.label++}`;
  }

  /** The statement being lowered (inlined code's caller). */
  private cur: Loc | undefined;

  private mark(loc: Loc): void {
    this.cur = loc;
    const label = `.m${this.marks.length}`;
    this.out.push(`${label}:`);
    this.marks.push({ label: `${this.names.fn(this.fn)}${label}`, file: this.rel(loc.file), line: loc.line, func: this.fn.name });
  }

  /** The memory operand of a variable or temporary (its first dword). */
  private where(x: Var | Temp, plus = 0): string {
    if ("name" in x && x.module) {
      const g = this.globalSlots.get(x);
      if (!g) throw new I386Error(`tsk: internal error: no global '${x.name}'`);
      return `[${g}${plus ? ` + ${plus}` : ""}]`;
    }
    const off = this.slots.get(x);
    if (off === undefined) throw new I386Error(`tsk: internal error (i386): no slot for '${"name" in x ? x.name : `t${x.id}`}'`);
    const o = off + plus;
    return `[ebp ${o < 0 ? "-" : "+"} ${Math.abs(o)}]`;
  }

  private load(x: Var | Temp): void {
    const at = this.where(x);
    switch (x.rep) {
      case "u8":
      case "bool":
        this.out.push(`movzx eax, byte ${at}`);
        return;
      case "u16":
        this.out.push(`movzx eax, word ${at}`);
        return;
      case "u32":
      case "i32":
        this.out.push(`mov eax, dword ${at}`);
        return;
      case "str":
      case "i64":
        this.out.push(`mov eax, dword ${at}`, `mov edx, dword ${this.where(x, 4)}`);
        return;
    }
  }

  private store(x: Var | Temp): void {
    const at = this.where(x);
    switch (x.rep) {
      case "u8":
      case "bool":
        this.out.push(`mov byte ${at}, al`);
        return;
      case "u16":
        this.out.push(`mov word ${at}, ax`);
        return;
      case "u32":
      case "i32":
        this.out.push(`mov dword ${at}, eax`);
        return;
      case "str":
      case "i64":
        this.out.push(`mov dword ${at}, eax`, `mov dword ${this.where(x, 4)}, edx`);
        return;
    }
  }

  // ---- statements ----

  private stmts(list: Stmt[]): void {
    for (const s of list) this.stmt(s);
  }

  private simple(s: Simple): void {
    switch (s.k) {
      case "decl":
      case "assign": {
        const x = s.k === "decl" ? s.init : s.x;
        // A constant into a 32-bit variable: stored as an immediate.
        if (x.k === "int" && (s.v.rep === "u32" || s.v.rep === "i32")) {
          this.out.push(`mov dword ${this.where(s.v)}, ${imm32(x.v)}`);
          return;
        }
        this.expr(x);
        this.store(s.v);
        return;
      }
      case "step":
        // x++ / x-- on a numeric variable: wrap as C's conversion back to the variable's type does
        // (on a 32-bit one, the add in memory wraps by itself).
        if (s.v.rep === "u32" || s.v.rep === "i32") {
          this.out.push(`${s.op === "+" ? "add" : "sub"} dword ${this.where(s.v)}, 1`);
          return;
        }
        this.load(s.v);
        this.out.push(s.op === "+" ? "add eax, 1" : "sub eax, 1");
        this.canon(s.v.rep);
        this.store(s.v);
        return;
      case "expr":
        this.expr(s.x);
        return;
      case "store": {
        // The temporaries, the index (a constant, local or temporary: nothing the value changes),
        // then the value, stored at its width (scaled index addressing).
        for (const { t, x } of s.pre) {
          this.expr(x);
          this.store(t);
        }
        const el = ELEM[s.arr.elem];
        this.expr(s.i);
        this.out.push("push eax");
        this.expr(s.x);
        this.out.push("pop ecx", `mov ${el.size} [${this.names.array(s.arr)} + ecx${el.scale > 1 ? `*${el.scale}` : ""}], ${el.reg}`);
        return;
      }
    }
  }

  private stmt(s: Stmt): void {
    const o = this.out;
    switch (s.k) {
      case "decl":
      case "assign":
      case "step":
      case "expr":
      case "store":
        this.mark(s.loc);
        this.simple(s);
        return;
      case "block":
        this.stmts(s.body);
        return;
      case "if": {
        this.mark(s.loc);
        const els = this.fresh();
        const end = this.fresh();
        this.jumpIf(s.c, false, els);
        this.stmts(s.then);
        if (s.else) o.push(`jmp ${end}`);
        o.push(`${els}:`);
        if (s.else) {
          this.stmts(s.else);
          o.push(`${end}:`);
        }
        return;
      }
      case "while": {
        const top = this.fresh();
        const end = this.fresh();
        o.push(`${top}:`);
        this.mark(s.loc);
        this.jumpIf(s.c, false, end);
        this.loops.push({ brk: end, cont: top });
        this.stmts(s.body);
        this.loops.pop();
        o.push(`jmp ${top}`, `${end}:`);
        return;
      }
      case "do": {
        const top = this.fresh();
        const cond = this.fresh();
        const end = this.fresh();
        o.push(`${top}:`);
        this.mark(s.loc);
        this.loops.push({ brk: end, cont: cond });
        this.stmts(s.body);
        this.loops.pop();
        o.push(`${cond}:`);
        this.mark(s.condLoc);
        this.jumpIf(s.c, true, top);
        o.push(`${end}:`);
        return;
      }
      case "for": {
        const top = this.fresh();
        const step = this.fresh();
        const end = this.fresh();
        this.mark(s.loc);
        if (s.init) this.simple(s.init);
        o.push(`${top}:`);
        if (s.c) {
          this.mark(s.loc);
          this.jumpIf(s.c, false, end);
        }
        this.loops.push({ brk: end, cont: step });
        this.stmts(s.body);
        this.loops.pop();
        o.push(`${step}:`);
        if (s.step) {
          this.mark(s.loc);
          this.simple(s.step);
        }
        o.push(`jmp ${top}`, `${end}:`);
        return;
      }
      case "break": {
        this.mark(s.loc);
        const l = this.loops[this.loops.length - 1];
        if (!l) throw new I386Error("tsk: internal error (i386): break outside a loop or switch");
        o.push(`jmp ${l.brk}`);
        return;
      }
      case "continue": {
        this.mark(s.loc);
        const l = [...this.loops].reverse().find((x) => x.cont);
        if (!l) throw new I386Error("tsk: internal error (i386): continue outside a loop");
        o.push(`jmp ${l.cont}`);
        return;
      }
      case "return":
        this.mark(s.loc);
        if (s.x) this.expr(s.x);
        o.push("jmp .ret");
        return;
      case "switch": {
        this.mark(s.loc);
        this.expr(s.disc);
        const end = this.fresh();
        const labels = s.cases.map(() => this.fresh());
        let dflt = end;
        s.cases.forEach((c, i) => {
          if (c.value === undefined) dflt = labels[i];
          else o.push(`cmp eax, ${imm32(c.value)}`, `je ${labels[i]}`);
        });
        o.push(`jmp ${dflt}`);
        // Bodies in order: a case without break falls into the next, as in C and JavaScript.
        this.loops.push({ brk: end });
        s.cases.forEach((c, i) => {
          o.push(`${labels[i]}:`);
          this.stmts(c.body);
        });
        this.loops.pop();
        o.push(`${end}:`);
        return;
      }
      case "unreachable":
        // Should tsc's proof ever have a hole, stop loudly (invalid opcode, reported with its line).
        o.push("db 0x0f, 0x0b ; ud2");
        return;
    }
  }

  // ---- expressions: the value ends in eax (edx too for str and i64) ----

  /** Makes eax canonical for `rep` after 32-bit arithmetic (the C conversion to that type). */
  private canon(rep: Rep): void {
    if (rep === "u8") this.out.push("movzx eax, al");
    else if (rep === "u16") this.out.push("movzx eax, ax");
    else if (rep === "bool") this.out.push("test eax, eax", setcc("ne"), "movzx eax, al");
  }

  private expr(e: Expr): void {
    const o = this.out;
    switch (e.k) {
      case "int":
        o.push(e.v === 0n ? "xor eax, eax" : `mov eax, ${imm32(e.v)}`);
        return;
      case "bool":
        o.push(e.v ? "mov eax, 1" : "xor eax, eax");
        return;
      case "str":
        o.push(`mov eax, ${Buffer.byteLength(e.text, "latin1")}`, `mov edx, ${this.strings(e.text)}`);
        return;
      case "var":
        this.load(e.v);
        return;
      case "temp":
        this.load(e.t);
        return;
      case "conv":
        return this.conv(e.to, e.x);
      case "bin":
        return this.bin(e);
      case "cmp":
        return this.cmp(e.op, e.a, e.b);
      case "not":
        this.expr(e.x);
        o.push("xor eax, 1");
        return;
      case "bnot":
        this.expr(e.x);
        o.push("not eax");
        return;
      case "logic": {
        const end = this.fresh();
        this.expr(e.a);
        o.push("test eax, eax", `${e.op === "&&" ? "jz" : "jnz"} ${end}`);
        this.expr(e.b);
        o.push(`${end}:`);
        return;
      }
      case "cond": {
        const els = this.fresh();
        const end = this.fresh();
        this.jumpIf(e.c, false, els);
        this.expr(e.a);
        o.push(`jmp ${end}`, `${els}:`);
        this.expr(e.b);
        o.push(`${end}:`);
        return;
      }
      case "call":
        return this.call(e.fn, e.args);
      case "intrinsic":
        return this.intrinsic(e.name, e.args);
      case "runtime":
        return this.runtime(e.op, e.args);
      case "strlen":
        this.expr(e.s);
        return;
      case "index": {
        // Zero-extended (u8, u16) or the whole dword (u32, i32): canonical for the element's rep.
        const el = ELEM[e.arr.elem];
        const at = `[${this.names.array(e.arr)} + ecx${el.scale > 1 ? `*${el.scale}` : ""}]`;
        this.expr(e.i);
        this.out.push("mov ecx, eax", el.scale === 4 ? `mov eax, dword ${at}` : `movzx eax, ${el.size} ${at}`);
        return;
      }
      case "seq":
        for (const { t, x } of e.temps) {
          this.expr(x);
          this.store(t);
        }
        this.expr(e.body);
        return;
      case "never":
        this.expr(e.call);
        o.push("xor eax, eax", "xor edx, edx");
        return;
    }
  }

  /** Jumps to `label` when the bool `c` is `when`, falling through otherwise: a comparison, a
   *  negation or a && / || becomes flags and jumps instead of a 0/1 value then a test. */
  private jumpIf(c: Expr, when: boolean, label: string): void {
    const o = this.out;
    if (c.k === "not") return this.jumpIf(c.x, !when, label);
    if (c.k === "logic") {
      // a && b is false when a is; a || b true when a is: short-circuit on a, then decide by b.
      const decidesOnA = (c.op === "&&") !== when;
      if (decidesOnA) {
        this.jumpIf(c.a, when, label);
        this.jumpIf(c.b, when, label);
      } else {
        const skip = this.fresh();
        this.jumpIf(c.a, !when, skip);
        this.jumpIf(c.b, when, label);
        o.push(`${skip}:`);
      }
      return;
    }
    if (c.k === "cmp") {
      const rep = repOf(c.a);
      const n = rep === "i64" ? narrowCmp(c.a, c.b) : undefined;
      if (n || (rep !== "i64" && rep !== "str" && rep !== "void")) {
        const ca = n?.a ?? c.a;
        const cb = n?.b ?? c.b;
        const and = bits32(ca);
        if ((c.op === "==" || c.op === "!=") && cb.k === "int" && cb.v === 0n && and.k === "bin" && and.op === "&" && and.b.k === "int") {
          // (x & m) == 0: test sets ZF from the and without computing it into eax.
          this.expr(and.a);
          o.push(`test eax, ${imm32(and.b.v)}`, `j${(c.op === "==") === when ? "e" : "ne"} ${label}`);
          return;
        }
        const imm = this.operands(ca, cb, true, true);
        const cc = (n ? (n.signed ? CC_SIGNED : CC_UNSIGNED) : rep === "i32" ? CC_SIGNED : CC_UNSIGNED)[c.op];
        // Against 0, test sets the same ZF, SF and CF = OF = 0 as cmp, one byte shorter.
        o.push(imm === "0" ? "test eax, eax" : `cmp eax, ${imm ?? "ecx"}`, `j${when ? cc : CC_NOT[cc]} ${label}`);
        return;
      }
    }
    this.expr(c);
    o.push("test eax, eax", `${when ? "jnz" : "jz"} ${label}`);
  }

  private conv(to: Rep, x: Expr): void {
    const from = repOf(x);
    this.expr(x);
    if (from === to) return;
    if (from === "str" || to === "str" || to === "void" || from === "void") {
      throw new I386Error(`tsk: the i386 backend cannot convert ${from} to ${to}`);
    }
    if (to === "i64") {
      // From a 32-bit representation: sign-extend an i32, zero-extend the rest.
      if (from === "i32") this.out.push("cdq");
      else this.out.push("xor edx, edx");
      return;
    }
    // From i64 or a 32-bit value: the low 32 bits, narrowed as C's unsigned conversion narrows.
    this.canon(to);
  }

  /** a, then b: a on the stack top ([esp]), b in eax. */
  private pair(a: Expr, b: Expr): void {
    this.expr(a);
    this.out.push("push eax");
    this.expr(b);
  }

  /** An operand read with no effect and no register but ecx: a constant or a 32-bit-or-narrower
   *  variable. Such a right operand is loaded straight into ecx (or used as an immediate) after
   *  the left one is evaluated: the same order, without the round trip through the stack. */
  private operand(x: Expr): { imm?: string; load?: string; mem?: string } | undefined {
    if (x.k === "int") return { imm: imm32(x.v) };
    if (x.k === "bool") return { imm: x.v ? "1" : "0" };
    const v = x.k === "var" ? x.v : x.k === "temp" ? x.t : undefined;
    if (!v) return undefined;
    const at = this.where(v);
    switch (v.rep) {
      case "u8":
      case "bool":
        return { load: `movzx ecx, byte ${at}` };
      case "u16":
        return { load: `movzx ecx, word ${at}` };
      case "u32":
      case "i32":
        return { load: `mov ecx, dword ${at}`, mem: `dword ${at}` };
    }
    return undefined;
  }

  /** a into eax and b into ecx, a evaluated first. Returns b's immediate when `immOk` and b is a
   *  constant (then ecx is not loaded). */
  private operands(a: Expr, b: Expr, immOk: boolean, memOk = false): string | undefined {
    const fast = this.operand(b);
    if (fast) {
      this.expr(a);
      if (fast.imm !== undefined && immOk) return fast.imm;
      if (fast.mem !== undefined && memOk) return fast.mem;
      this.out.push(fast.load ?? `mov ecx, ${fast.imm}`);
      return undefined;
    }
    // A simple left operand and a right one that writes nothing: their order cannot be observed,
    // so b first, then a straight into eax (no round trip through the stack).
    if (this.operand(a) && pure(b)) {
      this.expr(b);
      this.out.push("mov ecx, eax");
      this.expr(a);
      return undefined;
    }
    this.pair(a, b);
    this.out.push("mov ecx, eax", "pop eax");
    return undefined;
  }

  private bin(e: Expr & { k: "bin" }): void {
    const o = this.out;
    const ALU: Record<string, string> = { "+": "add", "-": "sub", "&": "and", "|": "or", "^": "xor" };
    if (ALU[e.op] || e.op === "*") {
      // Commutative, a simple and b not: b first, then a as the right operand (an immediate or
      // memory), when nothing b does can change a.
      const comm = e.op !== "-";
      if (comm && !this.operand(e.b) && this.operand(e.a) && (e.a.k === "int" || e.a.k === "bool" || pure(e.b))) {
        return this.bin({ ...e, a: e.b, b: e.a });
      }
    }
    if (ALU[e.op]) {
      const imm = this.operands(e.a, e.b, true, true);
      o.push(`${ALU[e.op]} eax, ${imm ?? "ecx"}`);
      return;
    }
    const shift = e.op === "<<" ? "shl" : e.op === ">>" ? (e.rep === "i32" ? "sar" : "shr") : undefined;
    if (shift && e.b.k === "int") {
      // A constant count: the immediate form, masked & 31 as JavaScript (and the CPU) mask it.
      this.expr(e.a);
      const n = Number(BigInt.asUintN(5, e.b.v));
      if (n) o.push(`${shift} eax, ${n}`);
      return;
    }
    if (e.op === "*" && (e.b.k === "int" || e.a.k === "int")) {
      // A constant factor (either side: a constant has no effect to order): the low 32 bits of
      // the product are a shift for a power of two, else imul's immediate form.
      const [x, c] = e.b.k === "int" ? [e.a, e.b.v] : [e.b, (e.a as { v: bigint }).v];
      this.expr(x);
      const v = BigInt.asUintN(32, c);
      if (v === 0n) o.push("xor eax, eax");
      else if ((v & (v - 1n)) === 0n) {
        const k = v.toString(2).length - 1;
        if (k) o.push(`shl eax, ${k}`);
      } else o.push(`imul eax, eax, ${imm32(v)}`);
      return;
    }
    // The CPU masks a shift count & 31 itself: a mask the IR applies for JavaScript's sake, `& m`
    // with m's low five bits set, leaves the same low five bits and can go.
    let b = e.b;
    while (shift && b.k === "bin" && b.op === "&" && b.b.k === "int" && (b.b.v & 31n) === 31n) b = b.a;
    if (e.op === "*") {
      o.push(`imul eax, ${this.operands(e.a, b, false, true) ?? "ecx"}`);
      return;
    }
    this.operands(e.a, b, false);
    switch (e.op) {
      case "+":
        o.push("add eax, ecx");
        return;
      case "-":
        o.push("sub eax, ecx");
        return;
      case "*":
        o.push("imul eax, ecx");
        return;
      case "&":
        o.push("and eax, ecx");
        return;
      case "|":
        o.push("or eax, ecx");
        return;
      case "^":
        o.push("xor eax, ecx");
        return;
      case "<<":
        o.push("shl eax, cl");
        return;
      case ">>":
        o.push(e.rep === "i32" ? "sar eax, cl" : "shr eax, cl");
        return;
      case "%":
        // The checker emits a bare % only where the divisor is never 0 (else the runtime op).
        if (e.rep === "i32") throw new I386Error("tsk: internal error (i386): % on i32 outside the runtime op");
        o.push("xor edx, edx", "div ecx", "mov eax, edx");
        return;
    }
  }

  private cmp(op: string, a: Expr, b: Expr): void {
    const o = this.out;
    const n = narrowCmp(a, b);
    if (n) {
      const imm = this.operands(n.a, n.b, true, true);
      o.push(imm === "0" ? "test eax, eax" : `cmp eax, ${imm ?? "ecx"}`, setcc((n.signed ? CC_SIGNED : CC_UNSIGNED)[op]), "movzx eax, al");
      return;
    }
    const rep = repOf(a);
    if (rep === "str" || rep === "void") throw new I386Error(`tsk: the i386 backend cannot compare ${rep} values`);
    if (rep === "i64") {
      // a's 64 bits on the stack, b in edx:eax: the high words decide (signed) unless equal, then
      // the low words (unsigned).
      this.expr(a);
      o.push("push edx", "push eax");
      this.expr(b);
      const hi = this.fresh();
      const end = this.fresh();
      o.push("cmp dword [esp + 4], edx", `jne ${hi}`, "cmp dword [esp], eax", setcc(CC_UNSIGNED[op]), `jmp ${end}`, `${hi}:`, setcc(CC_SIGNED[op]), `${end}:`, "movzx eax, al", "add esp, 8");
      return;
    }
    const imm = this.operands(a, b, true, true);
    o.push(imm === "0" ? "test eax, eax" : `cmp eax, ${imm ?? "ecx"}`, setcc((rep === "i32" ? CC_SIGNED : CC_UNSIGNED)[op]), "movzx eax, al");
  }

  /** A call of a small leaf function whose body is one `return x` (or one expression statement)
   *  calling nothing: lowered in place, as gcc -O2 inlines the arch layer's one-line helpers. Its
   *  arguments are evaluated left to right into slots of this frame that stand for its parameters
   *  (and its temporaries), then its expression is evaluated here. Its code's line-map rows are
   *  the calling statement's. */
  private inline(fn: Fn, args: Expr[]): boolean {
    // tsc's proof that a non-void function's end is unreachable follows its return: not code.
    const body = fn.body.filter((x) => x.k !== "unreachable");
    if (fn.linkage.k !== "internal" || fn.noreturn || body.length !== 1) return false;
    const st = body[0];
    const x = st.k === "return" ? st.x : st.k === "expr" ? st.x : undefined;
    if (!x || (st.k === "return") !== (fn.ret !== "void") || !leaf(x)) return false;
    for (const p of fn.params) this.local(p);
    for (const t of fn.temps) this.local(t);
    args.forEach((a, i) => {
      this.expr(a);
      this.store(fn.params[i]);
    });
    // The callee's own line, inlined into the calling statement's (an inline chain, as gcc's DWARF
    // gives the native line table), then back to the caller's line.
    const caller = this.cur;
    const label = `.m${this.marks.length}`;
    this.out.push(`${label}:`);
    this.marks.push({
      label: `${this.names.fn(this.fn)}${label}`, file: this.rel(st.loc.file), line: st.loc.line, func: fn.name,
      outer: caller ? [{ file: this.rel(caller.file), line: caller.line, func: this.fn.name }] : [],
    });
    this.expr(x);
    if (caller) this.mark(caller);
    return true;
  }

  private call(fn: Fn, args: Expr[]): void {
    const o = this.out;
    if (this.inline(fn, args)) return;
    const sizes = fn.params.map((p) => slotBytes(p.rep));
    const total = sizes.reduce((x, y) => x + y, 0);
    if (args.length !== fn.params.length) throw new I386Error(`tsk: internal error (i386): ${fn.name} called with ${args.length} arguments`);
    // Arguments that are all constants or 32-bit variables (reads with no effect, so in any order)
    // are pushed, last first.
    const simple = args.map((a) => this.operand(a));
    if (total && total === 4 * args.length && simple.every((x) => x && (x.imm ?? x.mem) !== undefined)) {
      for (const x of simple.reverse()) o.push(`push ${x!.mem ?? `dword ${x!.imm}`}`);
    } else if (total) {
      // Room for the arguments first, then each argument stored in place, left to right (every
      // evaluation leaves esp where it found it).
      o.push(`sub esp, ${total}`);
      let off = 0;
      args.forEach((a, i) => {
        this.expr(a);
        const rep = fn.params[i].rep;
        o.push(`mov dword [esp + ${off}], eax`);
        if (rep === "str") o.push(`mov dword [esp + ${off + 4}], edx`);
        off += sizes[i];
      });
    }
    o.push(`call ${this.names.fn(fn)}`);
    if (total) o.push(`add esp, ${total}`);
    // cdecl leaves the upper bits of a narrow result unspecified (assembly callees, gcc's code).
    if (fn.ret === "u8" || fn.ret === "bool") o.push("movzx eax, al");
    else if (fn.ret === "u16") o.push("movzx eax, ax");
  }

  /** Evaluates args left to right onto the stack; the first ends deepest. */
  private pushArgs(args: Expr[]): void {
    for (const a of args) {
      this.expr(a);
      this.out.push("push eax");
    }
  }

  private intrinsic(name: string, args: Expr[]): void {
    const o = this.out;
    // A host program's memory is an arena its start-up code maps (host.ts, HOST_MEMORY), as the C
    // runtime's host build maps one: every address is an offset into it.
    const host = this.mode === "host";
    if (host && !HOST_INTRINSICS.has(name)) {
      throw new I386Error(`tsk: the i386 host target has no machine for intrinsic '${name}' (only memory: load, store, fill32): it runs only in the kernel`);
    }
    const base = (reg: string) => (host ? [`add ${reg}, dword [${HOST_MEMORY}]`] : []);
    // One argument: in eax. Two: the first in eax, the second in ecx (or an immediate), left to
    // right as operands() orders them.
    const W: Record<string, [string, string]> = {
      load8: ["movzx eax, byte", ""], load16: ["movzx eax, word", ""], load32: ["mov eax, dword", ""],
      store8: ["byte", "cl"], store16: ["word", "cx"], store32: ["dword", "ecx"],
    };
    if (name.startsWith("load") && W[name]) {
      this.expr(args[0]);
      o.push(...base("eax"), `${W[name][0]} [eax]`);
      return;
    }
    if (name.startsWith("store") && W[name]) {
      const imm = this.operands(args[0], args[1], name === "store32");
      o.push(...base("eax"), `mov ${W[name][0]} [eax], ${imm ?? W[name][1]}`);
      return;
    }
    if (name === "outb" || name === "outw" || name === "outl") {
      this.operands(args[0], args[1], false);
      o.push("mov edx, eax", "mov eax, ecx", `out dx, ${name === "outb" ? "al" : name === "outw" ? "ax" : "eax"}`);
      return;
    }
    if (name === "fill32" && this.operand(args[1]) && this.operand(args[2])) {
      // The address evaluated first; the value and count are reads with no effect, so in any order.
      this.expr(args[0]);
      o.push(...base("eax"), "push edi", "mov edi, eax");
      this.expr(args[2]);
      o.push("mov ecx, eax");
      this.expr(args[1]);
      o.push("cld", "rep stosd", "pop edi");
      return;
    }
    // Arguments left to right onto the stack: the last is at [esp].
    this.pushArgs(args);
    switch (name) {
      case "fill32":
        o.push("mov ecx, dword [esp]", "mov eax, dword [esp + 4]", "mov edx, dword [esp + 8]", ...base("edx"), "push edi", "mov edi, edx", "cld", "rep stosd", "pop edi", "add esp, 12");
        return;
      case "inb":
        o.push("pop edx", "in al, dx", "movzx eax, al");
        return;
      case "inw":
        o.push("pop edx", "in ax, dx", "movzx eax, ax");
        return;
      case "inl":
        o.push("pop edx", "in eax, dx");
        return;
      case "cli":
      case "sti":
      case "hlt":
        o.push(name);
        return;
      case "readCr0":
      case "readCr2":
      case "readCr3":
      case "readCr4":
        o.push(`mov eax, cr${name.slice(-1)}`);
        return;
      case "writeCr0":
      case "writeCr3":
      case "writeCr4":
        o.push("pop eax", `mov cr${name.slice(-1)}, eax`);
        return;
      case "invlpg":
        o.push("pop eax", "db 0x0f, 0x01, 0x38 ; invlpg [eax]");
        return;
      case "rdtsc":
        o.push("db 0x0f, 0x31 ; rdtsc");
        return;
      case "breakpoint":
        o.push("int3");
        return;
    }
    throw new I386Error(`tsk: the i386 backend has no intrinsic '${name}'`);
  }

  /** Whether an i64 runtime operand is signed; it must be a conversion from a 32-bit value, whose
   *  magnitude then fits 32 bits (what the checker produces; anything else is refused). */
  private narrowI64(x: Expr): { x: Expr; signed: boolean } {
    if (x.k === "conv" && x.to === "i64") {
      const r = repOf(x.x);
      if (r === "u8" || r === "u16" || r === "u32" || r === "i32" || r === "bool") return { x: x.x, signed: r === "i32" };
    }
    if (x.k === "int") return { x: { k: "int", v: x.v, rep: x.v < 0n ? "i32" : "u32" }, signed: x.v < 0n };
    throw new I386Error("tsk: the i386 backend handles 64-bit operands only as conversions of 32-bit values");
  }

  private runtime(op: string, args: Expr[]): void {
    const o = this.out;
    switch (op) {
      case "div_u32":
      case "mod_u32": {
        // JavaScript: x / 0 and x % 0 give 0 once coerced.
        this.pair(args[0], args[1]);
        const zero = this.fresh();
        const end = this.fresh();
        o.push("mov ecx, eax", "pop eax", "test ecx, ecx", `jz ${zero}`, "xor edx, edx", "div ecx");
        if (op === "mod_u32") o.push("mov eax, edx");
        o.push(`jmp ${end}`, `${zero}:`, "xor eax, eax", `${end}:`);
        return;
      }
      case "div_i64":
      case "mod_i64": {
        // Sign and magnitude: both operands are 32-bit values widened, so each magnitude fits 32
        // bits (|-2^31| = 2^31) and one unsigned div gives the quotient and remainder; the result
        // is their low 32 bits with JavaScript's signs (quotient: a's xor b's; remainder: a's).
        const a = this.narrowI64(args[0]);
        const b = this.narrowI64(args[1]);
        this.pair(a.x, b.x);
        const zero = this.fresh();
        const end = this.fresh();
        o.push("mov ecx, eax", "pop eax", "test ecx, ecx", `jz ${zero}`, "push ebx", "xor ebx, ebx");
        if (a.signed) {
          const l = this.fresh();
          o.push("test eax, eax", `jns ${l}`, "neg eax", "xor ebx, 3", `${l}:`);
        }
        if (b.signed) {
          const l = this.fresh();
          o.push("test ecx, ecx", `jns ${l}`, "neg ecx", "xor ebx, 1", `${l}:`);
        }
        o.push("xor edx, edx", "div ecx");
        const done = this.fresh();
        if (op === "div_i64") o.push("test ebx, 1");
        else o.push("mov eax, edx", "test ebx, 2");
        o.push(`jz ${done}`, "neg eax", `${done}:`, "pop ebx", `jmp ${end}`, `${zero}:`, "xor eax, eax", `${end}:`);
        return;
      }
      case "char_at": {
        // s.charCodeAt(i): 0 outside the string (NaN coerced).
        const i = this.narrowI64(args[1]);
        this.expr(args[0]);
        o.push("push edx", "push eax");
        this.expr(i.x);
        const out = this.fresh();
        const end = this.fresh();
        if (i.signed) o.push("test eax, eax", `js ${out}`);
        o.push("cmp eax, dword [esp]", `jae ${out}`, "mov ecx, dword [esp + 4]", "movzx eax, byte [ecx + eax]", `jmp ${end}`, `${out}:`, "xor eax, eax", `${end}:`, "add esp, 8");
        return;
      }
    }
    throw new I386Error(`tsk: the i386 backend has no runtime operation '${op}'`);
  }
}

/** Whether `e` calls no function (intrinsics and runtime operations are inline code). */
function leaf(e: Expr): boolean {
  switch (e.k) {
    case "call":
    case "never":
      return false;
    case "conv":
    case "not":
    case "bnot":
      return leaf(e.x);
    case "bin":
    case "cmp":
    case "logic":
      return leaf(e.a) && leaf(e.b);
    case "cond":
      return leaf(e.c) && leaf(e.a) && leaf(e.b);
    case "intrinsic":
    case "runtime":
      return e.args.every(leaf);
    case "strlen":
      return leaf(e.s);
    case "index":
      return leaf(e.i);
    case "seq":
      return e.temps.every((t) => leaf(t.x)) && leaf(e.body);
    default:
      return true;
  }
}

/** `x` under conversions between u32 and i32, which keep its 32 bits as they are. */
function bits32(x: Expr): Expr {
  const r32 = (r: Rep) => r === "u32" || r === "i32";
  while (x.k === "conv" && r32(x.to) && r32(repOf(x.x))) x = x.x;
  return x;
}

/** A 64-bit comparison of two 32-bit values widened the same way (or one and a constant in its
 *  range) as a 32-bit one: both sign-extended compare as i32, both zero-extended as u32; a value
 *  in [0, 2^31) (u8, u16, bool, a small constant) is either. Mixed signs stay 64-bit. */
function narrowCmp(a: Expr, b: Expr): { a: Expr; b: Expr; signed: boolean } | undefined {
  const side = (x: Expr): { x: Expr; s: "s" | "u" | "any" } | undefined => {
    if (x.k === "conv" && x.to === "i64") {
      if (x.x.k === "int") return side(x.x);
      const r = repOf(x.x);
      if (r === "i32") return { x: x.x, s: "s" };
      if (r === "u32") return { x: x.x, s: "u" };
      if (r === "u8" || r === "u16" || r === "bool") return { x: x.x, s: "any" };
      return undefined;
    }
    if (x.k === "int") {
      if (x.v >= 0n && x.v < 2n ** 31n) return { x: { k: "int", v: x.v, rep: "u32" }, s: "any" };
      if (x.v < 0n && x.v >= -(2n ** 31n)) return { x: { k: "int", v: x.v, rep: "i32" }, s: "s" };
      if (x.v >= 2n ** 31n && x.v < 2n ** 32n) return { x: { k: "int", v: x.v, rep: "u32" }, s: "u" };
    }
    return undefined;
  };
  const l = side(a);
  const r = side(b);
  if (!l || !r || (l.s !== "any" && r.s !== "any" && l.s !== r.s)) return undefined;
  return { a: l.x, b: r.x, signed: l.s === "s" || r.s === "s" };
}

/** The code without the reload of a value just stored from eax (a statement's result read back
 *  by the next one): only line-map marks, which nothing jumps to, may stand between the two, and
 *  eax holds the value canonical for its width, as the reload would make it. */
function reloadsDropped(code: string[]): string[] {
  const out: string[] = [];
  let stored: string | undefined;
  for (const line of code) {
    if (stored !== undefined && line === stored) {
      stored = undefined;
      continue;
    }
    if (/^\.m\d+:$/.test(line)) {
      out.push(line);
      continue;
    }
    const m = /^mov (dword|word|byte) (\[[^\]]*\]), (eax|ax|al)$/.exec(line);
    stored = m ? (m[1] === "dword" ? `mov eax, dword ${m[2]}` : `movzx eax, ${m[1]} ${m[2]}`) : undefined;
    out.push(line);
  }
  return out;
}

/** Whether evaluating `e` writes nothing (no call, store, port access or temporary), so reading
 *  a variable before or after it gives the same value. */
function pure(e: Expr): boolean {
  switch (e.k) {
    case "int":
    case "bool":
    case "str":
    case "var":
    case "temp":
      return true;
    case "conv":
    case "not":
    case "bnot":
      return pure(e.x);
    case "bin":
    case "cmp":
    case "logic":
      return pure(e.a) && pure(e.b);
    case "cond":
      return pure(e.c) && pure(e.a) && pure(e.b);
    case "intrinsic":
      return (e.name === "load8" || e.name === "load16" || e.name === "load32") && e.args.every(pure);
    case "runtime":
      return e.args.every(pure);
    case "strlen":
      return pure(e.s);
    case "index":
      return pure(e.i);
    default:
      return false;
  }
}

/** A 32-bit immediate as NASM text: the bit pattern as a signed decimal (no overflow warnings). */
function imm32(v: bigint): string {
  return `${BigInt.asIntN(32, v)}`;
}

/** The host start-up code's word holding the memory arena's address (compiler/src/backend/i386/host.ts). */
export const HOST_MEMORY = "tsk_host_mem";
/** The intrinsics a host program has a machine for: memory, in the arena. */
const HOST_INTRINSICS = new Set(["load8", "load16", "load32", "store8", "store16", "store32", "fill32"]);

/** NASM's reserved words an external symbol cannot be spelled as (registers, size keywords...). */
export const NASM_RESERVED = new Set(
  ("eax ebx ecx edx esi edi esp ebp ax bx cx dx si di sp bp al ah bl bh cl ch dl dh cs ds es fs gs ss " +
    "cr0 cr2 cr3 cr4 dr0 dr1 dr2 dr3 dr6 dr7 byte word dword qword tword oword near far short strict rel abs " +
    "seg wrt nosplit times section segment global extern common bits use16 use32 org align alignb db dw dd dq " +
    "resb resw resd resq incbin equ st0 st1 st2 st3 st4 st5 st6 st7 mm0 mm1 mm2 mm3 mm4 mm5 mm6 mm7 " +
    "xmm0 xmm1 xmm2 xmm3 xmm4 xmm5 xmm6 xmm7 __SECT__ a16 a32 o16 o32 rep repe repz repne repnz lock").split(" "),
);

/** The symbol a host program's start-up code calls for `tsk run`'s main(). */
export const HOST_MAIN = "tsk_host_main";

export interface Generated {
  asm: string;
  marks: Mark[];
}

/** The whole NASM source of `p`: .text (a marker first, then every function), .rodata (strings,
 *  constant globals), .data (the other globals). */
export function generate(p: Program, mode: Mode, cwd: string): Generated {
  const fnName = new Map<Fn, string>();
  let n = 0;
  for (const f of p.fns) fnName.set(f, f.linkage.k === "external" ? f.linkage.name : `tsk_f${n++}_${f.name}`);
  const globalSlots = new Map<Var, string>();
  p.globals.forEach((g, i) => globalSlots.set(g.v, `tsk_g${i}_${g.v.name}`));
  const arrayNames = new Map<ArrayObj, string>();
  p.arrays.forEach((a, i) => arrayNames.set(a, `tsk_a${i}_${a.name}`));
  const names: Names = {
    fn: (f) => {
      const x = fnName.get(f);
      if (!x) throw new I386Error(`tsk: internal error (i386): no name for '${f.name}'`);
      return x;
    },
    global: (v) => globalSlots.get(v)!,
    array: (a) => {
      const x = arrayNames.get(a);
      if (!x) throw new I386Error(`tsk: internal error (i386): no array '${a.name}'`);
      return x;
    },
  };
  const strs = new Map<string, string>();
  const strings = (text: string): string => {
    if (!strs.has(text)) strs.set(text, `tsk_s${strs.size}`);
    return strs.get(text)!;
  };
  const rel = (file: string) => path.relative(cwd, file).split(path.sep).join("/");
  const marks: Mark[] = [];
  const text: string[] = [];
  for (const f of p.fns) text.push(...new FnGen(f, names, strings, marks, rel, mode, globalSlots).run());

  const out: string[] = [
    `; Generated by tsk's i386 backend from ${rel(p.entry.file)}: do not edit; edit the TypeScript.`,
    "bits 32",
  ];
  for (const f of p.fns) if (f.linkage.k === "external") out.push(`global ${f.linkage.name}`);
  if (mode === "host") out.push(`extern ${HOST_MEMORY}`);
  out.push("global tsk_code_start", "section .text", "tsk_code_start:", ...text.map((l) => (l.endsWith(":") || l === "" ? l : `    ${l}`)));
  if (p.hostMain) {
    // tsk run's entry: the program's main() under a name the host start-up code calls.
    out.push(`global ${HOST_MAIN}`, `${HOST_MAIN}:`, `    jmp ${names.fn(p.hostMain)}`);
  }
  out.push("section .rodata");
  for (const [s, label] of strs) {
    const bytes = [...Buffer.from(s, "latin1")].concat(0);
    out.push(`${label}: db ${bytes.join(", ")}`);
  }
  const data = (constant: boolean) => {
    for (const g of p.globals) {
      if (g.constant !== constant) continue;
      const v = g.init.k === "bool" ? (g.init.v ? 1n : 0n) : g.init.v;
      out.push(`${globalSlots.get(g.v)}: dd ${imm32(v)}`);
    }
  };
  out.push("align 4");
  data(true);
  out.push("section .data", "align 4");
  data(false);
  if (p.arrays.length) {
    // Zero at start, as JavaScript's new Uint32Array(N) is: reserved in .bss, not in the image.
    out.push("section .bss");
    for (const a of p.arrays) out.push("alignb 4", `${arrayNames.get(a)}: ${a.elem === "u8" ? "resb" : a.elem === "u16" ? "resw" : "resd"} ${a.length}`);
  }
  out.push("");
  return { asm: out.join("\n"), marks };
}
