// A seeded generator of random subset programs for differential fuzzing: integer expressions over
// parameters of every integer type, and small functions with loops, branches and switches.
// Trees, not strings, so a failing case can be shrunk.

/** Deterministic PRNG (mulberry32): the same seed gives the same programs on every machine. */
export class Rng {
  constructor(private s: number) {}
  next(): number {
    let t = (this.s = (this.s + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)];
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
}

export type Node =
  | { t: "leaf"; text: string }
  | { t: "call"; fn: string; args: Node[] }
  | { t: "bin"; op: string; a: Node; b: Node }
  | { t: "un"; op: string; a: Node }
  | { t: "cond"; c: Node; a: Node; b: Node }
  /** A typed array read; `i` is already masked (or reduced) into the array's range. */
  | { t: "index"; arr: string; i: Node };

export function show(n: Node): string {
  switch (n.t) {
    case "leaf":
      return n.text;
    case "call":
      return `${n.fn}(${n.args.map(show).join(", ")})`;
    case "bin":
      return `(${show(n.a)} ${n.op} ${show(n.b)})`;
    case "un":
      return `(${n.op}${show(n.a)})`;
    case "cond":
      return `(${show(n.c)} ? ${show(n.a)} : ${show(n.b)})`;
    case "index":
      return `${n.arr}[${show(n.i)}]`;
  }
}

/** Every strictly smaller tree one step away: children, and leaves in place of subtrees. */
export function shrinks(n: Node): Node[] {
  const out: Node[] = [];
  const leaf: Node = { t: "leaf", text: "a" };
  switch (n.t) {
    case "leaf":
      return n.text === "a" ? [] : [leaf];
    case "call":
      out.push(...n.args);
      n.args.forEach((a, i) => shrinks(a).forEach((s) => out.push({ ...n, args: n.args.map((x, j) => (j === i ? s : x)) })));
      break;
    case "bin":
      out.push(n.a, n.b);
      shrinks(n.a).forEach((s) => out.push({ ...n, a: s }));
      shrinks(n.b).forEach((s) => out.push({ ...n, b: s }));
      break;
    case "un":
      out.push(n.a);
      shrinks(n.a).forEach((s) => out.push({ ...n, a: s }));
      break;
    case "cond":
      out.push(n.a, n.b);
      shrinks(n.a).forEach((s) => out.push({ ...n, a: s }));
      shrinks(n.b).forEach((s) => out.push({ ...n, b: s }));
      break;
    case "index":
      out.push(leaf);
      // The index keeps its mask (the outer node): shrink what is masked.
      if (n.i.t === "bin") shrinks(n.i.a).forEach((s) => out.push({ ...n, i: { ...(n.i as Node & { t: "bin" }), a: s } }));
      break;
  }
  return out;
}

export const PARAMS = "a: u32, b: u32, c: i32, d: u8, e: u16";
const VARS = ["a", "b", "c", "d", "e"];

/** Module state and calls that change it: operands and arguments around them must be evaluated
 *  left to right natively too; typed arrays of every element type (their elements carry state from
 *  call to call, in both worlds). Every generated program starts with this. */
export const PRELUDE = [
  "let g0: u32 = 1;",
  "let g1: i32 = -1;",
  "const A8 = new Uint8Array(256);",
  "const A16 = new Uint16Array(16);",
  "const A32 = new Uint32Array(8);",
  "const AI = new Int32Array(5);",
  "function s0(k: u32): u32 { g0 = u32(Math.imul(g0, 31) + k); return g0; }",
  "function s1(k: i32): i32 { g1 = i32(g1 ^ k); g0 = u32(g0 + 1); return g1; }",
  // Stores into the element an enclosing compound store may have read, and at a global index.
  "function s2(k: u32): u32 { A32[g0 & 7] = u32(A32[g0 & 7] + k); g0 = u32(g0 + 3); return A32[k & 7]; }",
].join("\n");
const EDGE = ["0", "1", "2", "3", "7", "31", "32", "255", "0x7fffffff", "0x80000000", "0xffffffff", "0xfffffffe", "4096", "0x10000", "65535", "1000000007"];
const COERCE = ["u32", "i32", "u8", "u16"];

function leaf(r: Rng): Node {
  if (r.chance(0.1)) return { t: "leaf", text: r.pick(["g0", "g1"]) };
  if (r.chance(0.6)) return { t: "leaf", text: r.pick(VARS) };
  if (r.chance(0.6)) return { t: "leaf", text: r.pick(EDGE) };
  return { t: "leaf", text: String(r.int(0x7fffffff)) };
}

/** A random integer expression; coercions sprinkled so most of them pass the checker. */
export function expr(r: Rng, depth: number): Node {
  if (depth <= 0 || r.chance(0.15)) return leaf(r);
  const d = depth - 1;
  const k = r.int(14);
  let n: Node;
  if (k < 4) n = { t: "bin", op: r.pick(["+", "-", "+", "-", "*"]), a: expr(r, d), b: expr(r, d) };
  else if (k < 5) n = { t: "bin", op: "*", a: expr(r, d), b: { t: "leaf", text: r.pick(["3", "4096", "0x10001", "1000"]) } };
  else if (k < 7) n = { t: "bin", op: r.pick(["&", "|", "^", "<<", ">>", ">>>"]), a: expr(r, d), b: expr(r, d) };
  else if (k < 8) n = { t: "call", fn: r.pick(COERCE), args: [{ t: "bin", op: r.pick(["/", "%"]), a: coerced(r, d), b: coerced(r, d) }] };
  else if (k < 9) n = { t: "bin", op: "%", a: coerced(r, d), b: { t: "leaf", text: r.pick(["3", "10", "4096", "7"]) } };
  else if (k < 10) n = { t: "call", fn: "Math.imul", args: [expr(r, d), expr(r, d)] };
  else if (k < 11) n = { t: "un", op: r.pick(["-", "~"]), a: expr(r, d) };
  else if (k < 12 && r.chance(0.3)) n = r.chance(0.5) ? { t: "call", fn: "s0", args: [{ t: "call", fn: "u32", args: [expr(r, d)] }] } : { t: "call", fn: "s1", args: [{ t: "call", fn: "i32", args: [expr(r, d)] }] };
  else if (k < 12 && r.chance(0.35)) n = arrayRead(r, d);
  else if (k < 12) n = { t: "cond", c: { t: "bin", op: r.pick(["<", "<=", ">", ">=", "===", "!=="]), a: coerced(r, d), b: coerced(r, d) }, a: coerced(r, d), b: coerced(r, d) };
  else n = coerced(r, d);
  return r.chance(0.35) ? { t: "call", fn: r.pick(COERCE), args: [n] } : n;
}

/** A read of one of PRELUDE's arrays, its index proved by a mask, a u8's range or a modulo. */
function arrayRead(r: Rng, d: number): Node {
  switch (r.int(4)) {
    case 0:
      return { t: "index", arr: "A8", i: r.chance(0.5) ? { t: "leaf", text: "d" } : { t: "bin", op: "&", a: expr(r, d), b: { t: "leaf", text: "255" } } };
    case 1:
      return { t: "index", arr: "A16", i: { t: "bin", op: "&", a: expr(r, d), b: { t: "leaf", text: "15" } } };
    case 2:
      return { t: "index", arr: "A32", i: { t: "bin", op: "&", a: expr(r, d), b: { t: "leaf", text: "7" } } };
    default:
      return { t: "index", arr: "AI", i: { t: "bin", op: "%", a: { t: "call", fn: "u32", args: [expr(r, d)] }, b: { t: "leaf", text: "5" } } };
  }
}

function coerced(r: Rng, depth: number): Node {
  const n = expr(r, depth);
  if (n.t === "leaf" || (n.t === "call" && COERCE.includes(n.fn))) return n;
  return { t: "call", fn: r.pick(COERCE), args: [n] };
}

/** A function body built from statements around random expressions: `return` last, always. */
export function statements(r: Rng): string {
  const e = (): string => show(coerced(r, 3));
  const lines = [`let x: u32 = u32(${e()});`, `let y: i32 = i32(${e()});`, `let z: u8 = u8(${e()});`];
  const n = 2 + r.int(4);
  for (let i = 0; i < n; i++) {
    switch (r.int(6) + (r.chance(0.4) ? 6 : 0)) {
      case 0:
        lines.push(`if (${e()} < ${e()}) { x = u32(x + ${e()}); } else { y = i32(y - ${e()}); }`);
        break;
      case 1:
        lines.push(`for (let i: u32 = 0; i < u32(d & 15); i = u32(i + 1)) { x = u32(Math.imul(x, 31) + i + u32(y)); if ((x & 7) === 3) { continue; } z = u8(z + 1); if (z === 200) { break; } }`);
        break;
      case 2:
        lines.push(`while (z < 40) { z = u8(z + 7); y = i32(y ^ i32(${e()})); }`);
        break;
      case 3:
        lines.push(`switch (x & 3) { case 0: x = u32(x ^ ${e()}); case 1: y = i32(y + 1); break; case 2: { z = u8(${e()}); break; } default: x = u32(x >>> 1); }`);
        break;
      case 4:
        lines.push(`do { x = u32(x + 0x9e3779b9); z = u8(z + 1); } while ((x & 0x300) !== 0 && z < 100);`);
        break;
      case 5:
        lines.push(`z |= u8(${e()}); x ^= u32(z); y >>= 1;`);
        break;
      // Typed arrays: stores wrapping to each element type (negative values, values past 2^32,
      // products), compound stores, indices proved by masks, loop conditions and guards.
      case 6:
        lines.push(`A32[x & 7] = ${e()}; A16[y & 15] = ${e()} * 3; A8[z] = -${e()}; AI[u32(x) % 5] = ${e()} + 0xffffffff;`);
        break;
      case 7:
        lines.push(`A16[z & 15] += ${e()}; AI[x % 5] -= ${e()}; A8[d] ^= ${e()}; A32[y & 7] *= 3; AI[z % 5] >>= 1; A16[x & 15]++; A8[z]--;`);
        break;
      case 8:
        lines.push(`for (let i: u32 = 0; i < A32.length; i++) { A32[i] = u32(A32[i] * 5 + ${e()}); if (i < A16.length) { A16[i] = A16[i] ^ x; } }`);
        break;
      case 9:
        lines.push(`for (let k: u32 = 0; k < 3; k++) { const j: u32 = u32(${e()}); if (j >= A16.length) continue; A16[j] = u16(A16[j] + k); x = u32(x + A16[j]); }`);
        break;
      case 10:
        lines.push(`if (c >= 0 && c < AI.length) { AI[c] = ${e()}; } x = u32(x + (y >= 0 && y < AI.length ? AI[y] : 7));`);
        break;
      default:
        // The index read before the call that moves g0; the old element before the call stores it.
        lines.push(`A32[g0 & 7] = s2(u32(${e()})); A32[g0 & 7] += s2(x); A8[g0 & 255] -= u8(s0(z)); x = u32(x ^ s2(z));`);
    }
  }
  lines.push(`return u32(u32(x ^ u32(y)) + z + A32[x & 7] + A16[z & 15] + u32(AI[u32(y) % 5]) + A8[x & 255]);`);
  return lines.join("\n  ");
}

/** Argument tuples covering each type's edges, then random ones. */
export function tuples(r: Rng, n: number): number[][] {
  const u = [0, 1, 0x7fffffff, 0x80000000, 0xffffffff, 4096, 3];
  const i = [0, -1, 1, -0x80000000, 0x7fffffff, -4096];
  const out: number[][] = [];
  for (let k = 0; k < n; k++) {
    const rand = k >= 3;
    out.push([
      rand ? r.int(0x100000000) : r.pick(u),
      rand ? r.int(0x100000000) : r.pick(u),
      rand ? r.int(0x100000000) | 0 : r.pick(i),
      r.int(256),
      rand ? r.int(65536) : r.pick([0, 65535, 1]),
    ]);
  }
  return out;
}

export interface ModuleProgram {
  /** Library modules, file name -> source. */
  libs: Record<string, string>;
  /** The entry's imports and declarations, before its functions. */
  head: string;
  /** The entry's functions, body0..body{n-1}(PARAMS): u32. */
  fns: string[];
}

/** The entry module "main.ts" with only the functions `keep`, exported as m{i}. */
export function mainSource(p: ModuleProgram, keep: number[]): string {
  return [p.head, ...keep.map((i) => p.fns[i]), `export { ${keep.map((i) => `body${i} as m${i}`).join(", ")} };`].join("\n") + "\n";
}

/** A program of several modules; the entry (mainSource) exports m0..m{n-1}(PARAMS): u32. It crosses every module edge the subset has: named and aliased imports,
 *  `import * as`, export lists (`export { x as y }`), enums imported by member and as types, an enum
 *  of the same name in two modules, constants and globals initialised from imports, an imported
 *  mutable global read after calls that change it, enum switches, and exported typed arrays indexed
 *  from the entry (by name and through `import * as`). */
export function modules(r: Rng, n: number): ModuleProgram {
  const libs = 1 + r.int(3);
  const files: Record<string, string> = {};
  const lit = (): string => r.pick(EDGE);
  for (let k = 0; k < libs; k++) {
    // Increasing values (so every member is distinct), some implicit (the previous one plus 1).
    let v = r.int(1000) - (r.chance(0.3) ? 600 : 0);
    const members = ["A", "B", "C", "D"].map((m, i) => {
      if (i > 0 && r.chance(0.4)) {
        v += 1;
        return m;
      }
      if (i > 0) v += 1 + r.int(100);
      return `${m} = ${v}`;
    });
    const src = [
      `// Generated library module ${k}.`,
      // The same enum name in each library: each module's own enum.
      `export enum Kind {\n  ${members.join(",\n  ")},\n}`,
      `export const K${k}: u32 = ${lit()};`,
      `let counter: u32 = ${r.int(100)};`,
      `export let G${k}: u32 = ${lit()};`,
      // An exported typed array, its length from a constant: indexed from the entry too.
      `const LEN${k} = ${[4, 8, 16][k % 3]};`,
      `export const T${k} = new Uint32Array(LEN${k});`,
      `export function bump${k}(a: u32): u32 {\n  counter = u32(counter + a);\n  G${k} = u32(G${k} * 3 + counter);\n  T${k}[a & ${[4, 8, 16][k % 3] - 1}] += counter;\n  return counter;\n}`,
      `export function kindOf${k}(a: u32): Kind {\n  switch (a & 3) {\n    case 0:\n      return Kind.A;\n    case 1:\n      return Kind.B;\n    case 2:\n      return Kind.C;\n    default:\n      return Kind.D;\n  }\n}`,
      `function weigh(k: Kind): u32 {\n  switch (k) {\n    case Kind.A:\n      return 1;\n    case Kind.B:\n      return ${r.int(50)};\n    case Kind.C:\n      return u32(K${k} & 0xff);\n    default:\n      return ${r.int(9)};\n  }\n}`,
      `export { weigh as weight${k} };`,
    ];
    files[`lib${k}.ts`] = src.join("\n") + "\n";
  }
  const imports: string[] = [];
  for (let k = 0; k < libs; k++) {
    if (r.chance(0.3)) imports.push(`import * as L${k} from "./lib${k}";`);
    else imports.push(`import { Kind as Kind${k}, K${k}, G${k}, bump${k}, kindOf${k}, weight${k}, T${k} } from "./lib${k}";`);
  }
  // Qualified or plain names, whichever way the module was imported.
  const q = (k: number, name: string): string => (imports[k].startsWith("import *") ? `L${k}.${name === `Kind${k}` ? "Kind" : name}` : name);
  const main = [
    "// Generated entry module.",
    ...imports,
    PRELUDE,
    // An enum named like the libraries': the entry's own.
    `enum Kind {\n  X = ${r.int(7)},\n  Y = ${7 + r.int(7)},\n}`,
    ...Array.from({ length: libs }, (_, k) => `const C${k}: u32 = ${q(k, `K${k}`)};`),
    ...Array.from({ length: libs }, (_, k) => `let H${k}: u32 = ${q(k, `K${k}`)};`),
  ];
  const fns: string[] = [];
  for (let i = 0; i < n; i++) {
    const k = r.int(libs);
    const e1 = show(coerced(r, 2));
    const e2 = show(coerced(r, 2));
    const body = [
      `const t: ${imports[k].startsWith("import *") ? `L${k}.Kind` : `Kind${k}`} = ${q(k, `kindOf${k}`)}(u32(${e1}));`,
      `let s: u32 = u32(${q(k, `weight${k}`)}(t) + ${q(k, `bump${k}`)}(u32(${e2})) + ${q(k, `G${k}`)});`,
      `H${k} = u32(H${k} + s + C${k});`,
      `if (s < ${q(k, `T${k}`)}.length) ${q(k, `T${k}`)}[s] = -s;`,
      `s = u32(s + ${q(k, `T${k}`)}[H${k} % ${q(k, `T${k}`)}.length]);`,
      `const local: Kind = (s & 1) === 0 ? Kind.X : Kind.Y;`,
      `if (t === ${q(k, `Kind${k}`)}.B) {\n    s = u32(s ^ local);\n  }`,
      `return u32(s + ${q(k, `G${k}`)} * 7 + H${k});`,
    ];
    fns.push(`function body${i}(${PARAMS}): u32 {\n  ${body.join("\n  ")}\n}`);
  }
  return { libs: files, head: main.join("\n"), fns };
}
