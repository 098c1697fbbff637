// Differential fuzzing of the module structure: seeded programs of several modules (gen.ts's
// modules(): imports of every form, export lists, same-named enums, globals initialised from
// imports, imported mutable globals), run in Node and on each backend; results must agree.
// FUZZ_SEED=n picks another seed.
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Rng, mainSource, modules, tuples } from "./gen";
import { compile } from "../../compiler/src/compile";
import { Call, runNode } from "./harness";
import { FUZZ_TARGETS, Ran, Target, hostC, seededOnTargets, skipUnavailable } from "./targets";

const BASE_SEED = Number(process.env.FUZZ_SEED ?? 20261130);
const PROGRAMS = Number(process.env.FUZZ_MODULE_PROGRAMS ?? 8);
const FUNCTIONS = 12;

/** A seed's program (in its own directory), the entry functions the checker accepts, the calls,
 *  Node's results and each target's: the same program for every target, so made once per seed and
 *  run on every target at once (one tsc check of it for all backends, targets.ts); each target's
 *  test compares its own results, or throws its own error. */
interface Seeded {
  dir: string;
  entry: string;
  all: number[];
  keep: number[];
  calls: Call[];
  node: string[];
  native: Map<Target, Ran>;
}
// Every seed's program made at the first test that needs one and run on every target in one batch
// (targets.ts's seededOnTargets); a seed whose making failed fails its own tests with that error.
const seeded = seededOnTargets(FUZZ_TARGETS, Array.from({ length: PROGRAMS }, (_, p) => BASE_SEED + p), makeProgram, (p) => ({ file: p.entry, calls: p.calls }));
function makeProgram(seed: number): Seeded {
  const r = new Rng(seed);
  const prog = modules(r, FUNCTIONS);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tsk-fuzzmod-"));
  for (const [name, text] of Object.entries(prog.libs)) fs.writeFileSync(path.join(dir, name), text);
  const entry = path.join(dir, "main.ts");
  // Keep the entry's functions the checker accepts (it may reject a random expression; it must
  // never accept wrongly); the libraries are written to be accepted whole.
  const all = prog.fns.map((_, i) => i);
  fs.writeFileSync(entry, mainSource(prog, all));
  const text = mainSource(prog, all).split("\n");
  const bad = new Set<number>();
  for (const d of compile([entry], "hostlib").diagnostics) {
    assert.strictEqual(d.file, entry, `seed ${seed}: ${path.basename(d.file)}(${d.line}): ${d.code} ${d.message}`);
    const fn = text.slice(0, d.line).reverse().find((l) => /^function body\d+/.test(l));
    assert.ok(fn, `seed ${seed}: main.ts(${d.line}): ${d.code} ${d.message}`);
    bad.add(Number(/^function body(\d+)/.exec(fn!)![1]));
  }
  const keep = all.filter((i) => !bad.has(i));
  fs.writeFileSync(entry, mainSource(prog, keep));
  // Through the program every target then compiles (targets.ts's programOf): checked once, and the
  // C made here is the C the C targets build (hostC: compiled once per module).
  assert.doesNotThrow(() => hostC(entry), `seed ${seed}: the kept functions compile`);
  const calls: Call[] = [];
  for (const a of tuples(r, 4)) for (const i of keep) calls.push({ fn: `m${i}`, args: a });
  return { dir, entry, all, keep, calls, node: runNode(entry, calls), native: new Map() };
}

/** Programs a target disagreed on stay on disk for the failure message's reader. */
const disagreed = new Set<string>();
after(() => {
  for (const p of seeded.made()) if (!disagreed.has(p.dir)) fs.rmSync(p.dir, { recursive: true, force: true });
});

for (const target of FUZZ_TARGETS) {
  describe(`compiler: multi-module fuzzing (Node vs ${target.name})`, function () {
    this.timeout(300000);
    let total = 0;
    let accepted = 0;
    before(skipUnavailable(target));
    for (let p = 0; p < PROGRAMS; p++) {
      const seed = BASE_SEED + p;
      it(`seed ${seed}: a program of several modules agrees in both worlds`, () => {
        const prog = seeded.get(seed);
        accepted += prog.keep.length;
        total += prog.all.length;
        const ran = prog.native.get(target)!;
        if (ran.error !== undefined) throw ran.error;
        const native = ran.out!;
        const at = prog.calls.findIndex((_, i) => prog.node[i] !== native[i]);
        if (at >= 0) disagreed.add(prog.dir);
        if (at >= 0) assert.fail(`seed ${seed}: ${prog.calls[at].fn}(${prog.calls[at].args.join(", ")}) is ${prog.node[at]} in Node, ${native[at]} on ${target.name} (program in ${prog.dir})`);
      });
    }
    it("the checker accepts most generated entry functions (the fuzzing has teeth)", function () {
      if (total === 0) this.skip();
      console.log(`      multi-module fuzz: ${accepted} of ${total} entry functions accepted and agreed`);
      assert.ok(accepted / total > 0.5, `only ${accepted} of ${total} accepted`);
    });
  });
}
