// Differential fuzzing: thousands of random expressions and small functions, seeded, compiled by
// tsk and run natively and in Node; any accepted program whose results differ is a compiler bug.
// FUZZ_SEED=n picks another seed; a failure prints the seed and the shrunk expression.
import * as assert from "assert";
import { Rng, Node, expr, show, shrinks, statements, tuples, PARAMS, PRELUDE } from "./gen";
import { Call, diagnosticsOf, runNode, writeModule } from "./harness";
import { FUZZ_TARGETS, Ran, Target, seededOnTargets, skipUnavailable } from "./targets";

const BASE_SEED = Number(process.env.FUZZ_SEED ?? 20261126);
// Seeds per run: 12 in the everyday `npm test` (1,440 random functions on every backend, in its
// two-minute budget), 20 where TSK_TEST_LARGE=1 (CI; 2,400), or FUZZ_PROGRAMS. The seeds are fixed,
// so a run is reproducible; FUZZ_SEED moves the window to others.
const PROGRAMS = Number(process.env.FUZZ_PROGRAMS ?? (process.env.TSK_TEST_LARGE === "1" ? 20 : 12));
const FUNCTIONS = 120;
const CALLS = 6;

/** Keep only the functions the checker accepts (it may reject; it must never accept wrongly). */
function accepted(fns: string[]): { kept: number[]; source: string } {
  const src = (ids: number[]) => [PRELUDE, ...ids.map((i) => fns[i])].join("\n");
  const all = fns.map((_, i) => i);
  const file = writeModule(src(all));
  const bad = new Set<number>();
  const text = src(all).split("\n");
  for (const d of diagnosticsOf(file)) {
    const line = text[d.line - 1] ?? "";
    const m = /^export function [fg](\d+)/.exec(line) ?? /^export function [fg](\d+)/.exec(text.slice(0, d.line).reverse().find((l) => l.startsWith("export function")) ?? "");
    if (m) bad.add(Number(m[1]));
  }
  const kept = all.filter((i) => !bad.has(i));
  return { kept, source: src(kept) };
}

function mismatch(target: Target, source: string, calls: Call[]): number {
  const file = writeModule(source);
  const a = runNode(file, calls);
  const b = target.runCalls(file, calls);
  return calls.findIndex((_, i) => a[i] !== b[i]);
}

/** Greedy shrink of a failing expression: keep any smaller tree that still disagrees. */
function shrink(target: Target, tree: Node, args: number[]): Node {
  let best = tree;
  for (let budget = 150, progress = true; progress && budget > 0; ) {
    progress = false;
    for (const cand of shrinks(best)) {
      if (--budget <= 0) break;
      const src = `${PRELUDE}\nexport function f0(${PARAMS}): u32 { return u32(${show(cand)}); }`;
      const file = writeModule(src);
      if (diagnosticsOf(file).length) continue;
      if (mismatch(target, src, [{ fn: "f0", args }]) >= 0) {
        best = cand;
        progress = true;
        break;
      }
    }
  }
  return best;
}

/** A seed's program: its functions, the ones the checker accepts, the calls, Node's results and each
 *  target's. The same program for every target, so made once per seed and run on every target at
 *  once (targets.ts then checks it with tsc once for all backends); each target's test compares its
 *  own results, or throws its own error. */
interface Seeded {
  trees: Node[];
  fns: string[];
  kept: number[];
  file: string;
  calls: Call[];
  node: string[];
  native: Map<Target, Ran>;
}
// Every seed's program made at the first test that needs one and run on every target in one batch
// (targets.ts's seededOnTargets); a seed whose making failed fails its own tests with that error.
const seeded = seededOnTargets(FUZZ_TARGETS, Array.from({ length: PROGRAMS }, (_, p) => BASE_SEED + p), makeProgram, (p) => p);
function makeProgram(seed: number): Seeded {
  const r = new Rng(seed);
  const trees: Node[] = [];
  const fns: string[] = [];
  for (let i = 0; i < FUNCTIONS; i++) {
    if (i % 6 === 5) {
      trees.push({ t: "leaf", text: "a" });
      fns.push(`export function g${i}(${PARAMS}): u32 {\n  ${statements(r)}\n}`);
    } else {
      const t = expr(r, 2 + r.int(4));
      trees.push(t);
      fns.push(`export function f${i}(${PARAMS}): u32 {\n  return u32(${show(t)});\n}`);
    }
  }
  const acc = accepted(fns);
  const calls: Call[] = [];
  const args = tuples(r, CALLS);
  for (const i of acc.kept) for (const a of args) calls.push({ fn: `${i % 6 === 5 ? "g" : "f"}${i}`, args: a });
  // A fresh module: Node's results start from the module's initial state, as a native run does.
  const file = writeModule(acc.source);
  return { trees, fns, kept: acc.kept, file, calls, node: runNode(file, calls), native: new Map() };
}

for (const target of FUZZ_TARGETS) describe(`compiler: differential fuzzing (Node vs ${target.name})`, function () {
  this.timeout(600000);
  let total = 0;
  let kept = 0;
  before(skipUnavailable(target));

  for (let p = 0; p < PROGRAMS; p++) {
    const seed = BASE_SEED + p;
    it(`seed ${seed}: ${FUNCTIONS} random functions agree in both worlds`, () => {
      const prog = seeded.get(seed);
      total += FUNCTIONS;
      kept += prog.kept.length;
      const ran = prog.native.get(target)!;
      if (ran.error !== undefined) throw ran.error;
      const native = ran.out!;
      const at = prog.calls.findIndex((_, i) => prog.node[i] !== native[i]);
      if (at >= 0) {
        const c = prog.calls[at];
        const i = Number(c.fn.slice(1));
        const small = c.fn.startsWith("f") ? show(shrink(target, prog.trees[i], c.args)) : prog.fns[i];
        assert.fail(`seed ${seed}: ${c.fn}(${c.args.join(", ")}) differs between Node and ${target.name}.\nShrunk: ${small}`);
      }
    });
  }

  after(() => {
    // A generator the checker mostly rejects would test little: say how much got through.
    console.log(`      fuzz: ${kept} of ${total} generated functions accepted and agreed`);
  });

  it("the checker accepts most generated functions (the fuzzing has teeth)", function () {
    if (total === 0) this.skip();
    assert.ok(kept / total > 0.5, `only ${kept} of ${total} accepted`);
  });
});
