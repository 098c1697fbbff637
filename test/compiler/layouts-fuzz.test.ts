// Layout fuzzing: seeded random sequences of field stores (plain, compound, ++/--, values that wrap
// every width: negative, past the width, past 2^32) and field reads on a layout of every width,
// run in Node on a simulated machine and natively against a host memory (the C runtime's, the i386
// static executable's arena); the programs' memory-mixing results must agree. FUZZ_SEED=n picks
// another seed.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { Rng } from "./gen";
import { TARGETS, mainsOn, scratch, skipUnavailable } from "./targets";
import { nodeMainOnMachine } from "./harness";

const BASE_SEED = Number(process.env.FUZZ_SEED ?? 15);
const PROGRAMS = 3;
const FUNCTIONS = 24;
const FIELDS: [string, string][] = [["a", "u8"], ["b", "u8"], ["c", "u16"], ["d", "u32"], ["e", "i32"], ["f", "u16"]];
const LITERALS = ["0", "1", "-1", "255", "256", "-129", "0xffff", "0x10000", "0x7fffffff", "0x80000000", "0xffffffff", "-0x80000000", "12345"];

/** An exact integer expression over the view's fields (stays below 2^53 in magnitude). */
function value(r: Rng, depth = 0): string {
  const field = (): string => `v.${r.pick(FIELDS)[0]}`;
  if (depth > 1 || r.chance(0.35)) return r.chance(0.5) ? r.pick(LITERALS) : field();
  switch (r.int(6)) {
    case 0:
      return `(${value(r, depth + 1)} + ${value(r, depth + 1)})`;
    case 1:
      return `(${value(r, depth + 1)} - ${value(r, depth + 1)})`;
    case 2:
      return `(${value(r, depth + 1)} ^ ${value(r, depth + 1)})`;
    case 3:
      return `(${field()} >>> ${r.int(32)})`;
    case 4:
      return `(${field()} >> ${r.int(32)})`;
    default:
      return `~${field()}`;
  }
}

function program(seed: number): string {
  const r = new Rng(seed);
  const out = [
    `const L = layout(16, 4, { ${FIELDS.map(([n, w], i) => `${n}: [${[0, 1, 2, 4, 8, 12][i]}, "${w}"]`).join(", ")} });`,
    "let mix: u32 = 0;",
    "function mixIn(x: u32): void {",
    "  mix = u32(Math.imul(mix ^ x, 0x9e3779b1) >>> 0);",
    "}",
  ];
  for (let f = 0; f < FUNCTIONS; f++) {
    out.push(`function t${f}(base: u32): void {`, "  const v = L.at(base);");
    for (let s = 0; s < 6; s++) {
      const [name] = r.pick(FIELDS);
      const op = r.pick(["=", "=", "+=", "-=", "|=", "&=", "^=", "<<=", ">>=", ">>>="]);
      const rhs = op.startsWith("<") || op.startsWith(">") ? String(r.int(40)) : value(r);
      if (r.chance(0.15)) out.push(`  v.${name}${r.pick(["++", "--"])};`);
      else out.push(`  v.${name} ${op} ${rhs};`);
      const [read, width] = r.pick(FIELDS);
      out.push(width === "i32" ? `  mixIn(v.${read} >>> 0);` : `  mixIn(v.${read});`);
    }
    out.push("}");
  }
  out.push("export function main(): u32 {");
  for (let f = 0; f < FUNCTIONS; f++) out.push(`  t${f}(${0x4000 + (f % 4) * 16});`);
  out.push("  return mix;", "}");
  return out.join("\n") + "\n";
}

describe("compiler: layout fuzzing (random stores and reads, Node vs native memory)", () => {
  const dir = scratch("tsk-layout-fuzz-");
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const seeds = Array.from({ length: PROGRAMS }, (_, p) => BASE_SEED + p);
  const fileOf = (seed: number): string => {
    const file = path.join(dir, `fuzz${seed}.ts`);
    if (!fs.existsSync(file)) fs.writeFileSync(file, program(seed));
    return file;
  };
  for (const target of TARGETS) {
    describe(`on ${target.name}`, () => {
      before(skipUnavailable(target));
      // On a C target every seed's program is built by one gcc at the first test (targets.ts's
      // runMains), each with its own names and main(), as alone.
      const mainOf = mainsOn(target, () => seeds.map(fileOf));
      for (const seed of seeds) {
        it(`seed ${seed}: ${FUNCTIONS} functions of random field stores agree`, () => {
          const file = fileOf(seed);
          assert.strictEqual(mainOf(file), nodeMainOnMachine(file), `seed ${seed} differs (program: ${file})`);
        });
      }
    });
  }
});
