// The i386 backend's own edges (compiler/src/backend/i386): division and modulo across signedness
// at their extremes with run-time operands (no constant folding can hide them), charCodeAt outside
// the string, narrow parameters, the forms picked for constant operands; what it refuses (clear
// errors, never other code); and the line map the kernel's line table is made from.
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { compileWith } from "../../compiler/src/compile";
import { I386Backend, I386Error } from "../../compiler/src/backend/i386";
import { runNode, writeModule } from "./harness";
import { TARGETS, skipUnavailable } from "./targets";

const target = TARGETS.find((t) => t.name.startsWith("i386/"))!;

const EDGES = `
export function sdiv(a: i32, b: i32): u32 { return u32(a / b); }
export function smod(a: i32, b: i32): u32 { return u32(a % b); }
export function mixdiv(a: u32, b: i32): u32 { return u32(a / b); }
export function mixmod(a: u32, b: i32): u32 { return u32(a % b); }
export function udiv(a: u32, b: u32): u32 { return u32(a / b); }
export function umod(a: u32, b: u32): u32 { return u32(a % b); }
export function lt(a: u32, b: i32): u32 { return a < b ? 1 : 0; }
export function ge(a: i32, b: u32): u32 { return a >= b ? 1 : 0; }
function code(s: string, i: i32): u32 { return u32(s.charCodeAt(i)); }
export function at(i: i32): u32 { return code("tsk!", i); }
export function narrow(x: u8, y: u16): u32 { return u32(u8(x + 1) + u16(y + 1)); }
`;

// The forms the code generator picks for constant operands (immediate shifts and factors, shift
// masks left to the CPU, 64-bit comparisons done in 32 bits) at the values where they could go wrong.
const CONSTANTS = `
export function shl0(x: u32, n: u32): u32 { return u32((x << 0) + (x << 32) + (x << 33)); }
export function shifts(x: u32, i: i32): u32 { return u32((x >>> 31) ^ u32(i >> 31) ^ u32(i >> 1) ^ (x >>> 33)); }
export function masked(x: u32, n: u32): u32 { return u32(((x << (n & 63)) ^ (x >>> (n & 15))) + u32(i32(x) >> (n & 31))); }
export function factors(x: u32, i: i32): u32 { return u32(u32(x * 0) + u32(x * 1) + u32(x * 8) + u32(Math.imul(x, 0x80000000)) + u32(x * 7) + u32(i * -3) + u32(5 * x)); }
export function cmps(i: i32, x: u32, b: u8): u32 {
  let r: u32 = 0;
  if (i < 0) r = u32(r | 1);
  if (i > -1) r = u32(r | 2);
  if (x < 0x80000000) r = u32(r | 4);
  if (i < 0x80000000) r = u32(r | 8);
  if (b >= 200) r = u32(r | 16);
  if ((i & 6) !== 0) r = u32(r | 32);
  if (i >= -2147483648) r = u32(r | 64);
  if (x > 0xfffffffe) r = u32(r | 128);
  if (i === x) r = u32(r | 256);
  return r;
}
`;

describe("compiler: the i386 backend", () => {
  before(skipUnavailable(target));

  it("division, modulo, mixed-sign comparisons and charCodeAt at their edges give Node's results", () => {
    const file = writeModule(EDGES, "edges");
    const MIN = -2147483648;
    const calls = [
      ...[[MIN, -1], [MIN, 1], [7, 0], [-7, 2], [7, -2], [MIN, MIN], [-1, 0x7fffffff]].flatMap(([a, b]) => [{ fn: "sdiv", args: [a, b] }, { fn: "smod", args: [a, b] }]),
      ...[[0xffffffff, -1], [0xffffffff, MIN], [0x80000000, -2], [5, 0], [0, -1]].flatMap(([a, b]) => [{ fn: "mixdiv", args: [a, b] }, { fn: "mixmod", args: [a, b] }, { fn: "lt", args: [a, b] }, { fn: "ge", args: [b, a] }]),
      ...[[0xffffffff, 0], [0xffffffff, 7], [3, 0xffffffff]].flatMap(([a, b]) => [{ fn: "udiv", args: [a, b] }, { fn: "umod", args: [a, b] }]),
      ...[-1, MIN, 0, 3, 4, 0x7fffffff].map((i) => ({ fn: "at", args: [i] })),
      { fn: "narrow", args: [255, 65535] },
      { fn: "narrow", args: [7, 9] },
    ];
    assert.deepStrictEqual(target.runCalls(file, calls), runNode(file, calls));
  });

  it("constant shifts, constant factors and comparisons with constants give Node's results", () => {
    const file = writeModule(CONSTANTS, "constants");
    const MIN = -2147483648;
    const calls = [
      ...[[0, 0], [1, 1], [0xffffffff, 31], [0x80000001, 32], [0x12345678, 33], [3, 0xffffffff]].flatMap(([x, n]) => [
        { fn: "shl0", args: [x, n] }, { fn: "shifts", args: [x, n | 0] }, { fn: "masked", args: [x, n] }, { fn: "factors", args: [x, n | 0] },
      ]),
      ...[[MIN, 0, 0], [-1, 0x7fffffff, 199], [0, 0x80000000, 200], [6, 0xffffffff, 255], [0x7fffffff, 0xfffffffe, 1], [-1, 0xffffffff, 0]].map((a) => ({ fn: "cmps", args: a })),
    ];
    assert.deepStrictEqual(target.runCalls(file, calls), runNode(file, calls));
  });

  it("refuses a machine intrinsic other than memory in a host program, naming it (no ports, no control registers)", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tsk-i386-"));
    const file = path.join(dir, "host-intrinsic.ts");
    fs.writeFileSync(file, `// @tsk-uses-intrinsics\nimport { inb } from "./cpu";\nexport function f(): u32 { return inb(0x3f8); }\n`);
    fs.copyFileSync(path.resolve(__dirname, "../../kernel/arch/cpu.ts"), path.join(dir, "cpu.ts"));
    try {
      assert.throws(() => compileWith([file], new I386Backend("host")), (e: Error) => e instanceof I386Error && /no machine for intrinsic 'inb' \(only memory: load, store, fill32\)/.test(e.message));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("an export named like a register is a diagnostic, not a symbol the assembler misreads", () => {
    const file = writeModule("export function eax(): u32 { return 1; }\n", "register-name");
    const r = compileWith([file], new I386Backend("host"));
    assert.strictEqual(r.out, undefined);
    assert.match(r.diagnostics.map((d) => d.message).join("\n"), /i386 register or an assembler keyword/);
  });

  it("the line map names each statement's .ts line and function, in code order", () => {
    const file = writeModule("export function f(a: u32): u32 {\n  let x: u32 = a;\n  x = u32(x * 3);\n  return x;\n}\nexport function g(): u32 {\n  return f(2);\n}\n", "lines");
    const r = compileWith([file], new I386Backend("host"));
    assert.ok(r.out, JSON.stringify(r.diagnostics));
    const rows = r.out.lines;
    const named = rows.filter((x) => x.file).map((x) => `${x.func}:${x.line}`);
    assert.deepStrictEqual(named, ["f:1", "f:2", "f:3", "f:4", "g:6", "g:7"]);
    for (let i = 1; i < rows.length; i++) assert.ok(rows[i].offset > rows[i - 1].offset, "offsets strictly increase");
    assert.strictEqual(rows[rows.length - 1].offset, r.out.textBytes);
    assert.ok(rows.filter((x) => x.file).every((x) => /lines\d*\.ts$/.test(x.file)));
  });

  it("a one-line leaf function is inlined, its rows naming its line inside the caller's", () => {
    const file = writeModule("function h(x: u32): u32 {\n  return u32(x + 1);\n}\nexport function g(a: u32): u32 {\n  return u32(h(a) * 2);\n}\n", "inline");
    const r = compileWith([file], new I386Backend("host"));
    assert.ok(r.out, JSON.stringify(r.diagnostics));
    assert.doesNotMatch(r.out.asm, /call /, "h is not called");
    const chains = r.out.lines.filter((x) => x.file).map((x) => [`${x.func}:${x.line}`, ...(x.outer || []).map((o) => `${o.func}:${o.line}`)].join(" < "));
    // h is still emitted as a function of its own (the backend emits every function).
    assert.deepStrictEqual(chains, ["h:1", "h:2", "g:4", "g:5", "h:2 < g:5", "g:5"]);
    assert.deepStrictEqual(target.runCalls(file, [{ fn: "g", args: [0xffffffff] }, { fn: "g", args: [20] }]), runNode(file, [{ fn: "g", args: [0xffffffff] }, { fn: "g", args: [20] }]));
  });
});
