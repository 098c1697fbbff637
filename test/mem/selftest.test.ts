// The boot self-test has teeth: with the allocator or the machine broken on purpose, it prints
// `selftest: FAILED: <why>` and panics instead of `selftest: alloc-all N pages ok`.
import * as assert from "assert";
import { simulate } from "../sim/run";
import { SimMachine, MachineExit } from "../sim/machine";
import { map } from "./helpers";
import { selftestRun } from "../../kernel/mem/selftest";
import { patBase, patFirstPage } from "../../kernel/mem/pat";

const MiB = 0x100000;
const entries = map([0, 0x9fc00, 1], [0x9fc00, 0x400, 2], [0xf0000, 0x10000, 2], [MiB, 7 * MiB, 1]);

/** memInit on an 8 MiB map (kernel 0x100-0x10f, PAT at 0x110), then `sabotage`, then the self-test. */
function runBroken(sabotage: (m: SimMachine) => void): string {
  // Writes unrestricted: a broken allocator zeroes pages it must not (the simulator would stop it).
  const r = simulate(entries, { kernelEnd: 0x110000, restrictWrites: false });
  assert.strictEqual(r.exit, null, r.output);
  sabotage(r.machine);
  assert.throws(() => selftestRun(), (e: unknown) => e instanceof MachineExit && e.code === 0x11);
  const out = r.machine.serialText();
  assert.match(out, /\npanic: page allocator self-test failed\n$/);
  assert.doesNotMatch(out, /alloc-all .* ok/);
  return out;
}

const bit = (m: SimMachine, page: number, used: boolean) => {
  const a = patBase() + (page >>> 5) * 4;
  const v = m.peek32(a);
  m.poke32(a, used ? v | (1 << (page & 31)) : v & ~(1 << (page & 31)));
};

describe("mem: the self-test catches a broken allocator", function () {
  it("passes on the intact allocator", function () {
    const r = simulate(entries, { kernelEnd: 0x110000 });
    assert.strictEqual(selftestRun(), 0x800 - 0x111);
    assert.match(r.machine.serialText(), /\nselftest: alloc-all 1775 pages ok\n$/);
  });

  it("a bitmap that disagrees with the free count", function () {
    const out = runBroken((m) => bit(m, 0x300, true));
    assert.match(out, /selftest: FAILED: free count differs from the bitmap/);
  });

  it("a kernel page handed out (its bit cleared, a free page's set: the count still agrees)", function () {
    const out = runBroken((m) => {
      bit(m, 0x105, false);
      bit(m, 0x500, true);
    });
    assert.match(out, /selftest: FAILED: page outside usable memory \(0x00105000\)/);
  });

  it("a PAT page handed out", function () {
    const out = runBroken((m) => {
      bit(m, patFirstPage(), false);
      bit(m, 0x500, true);
    });
    assert.match(out, /selftest: FAILED: page outside usable memory \(0x00110000\)/);
  });

  it("pages not zeroed (fill32 broken)", function () {
    const out = runBroken((m) => {
      m.poke32(0x200000 + 8, 1);
      m.fill32 = () => {};
    });
    assert.match(out, /selftest: FAILED: page not zeroed \(0x00200000\)/);
  });

  it("bitmap writes lost: the same page handed out again and again", function () {
    const out = runBroken((m) => {
      const store = m.store.bind(m);
      const lo = patBase();
      m.store = (addr, bytes, value) => {
        if (addr >= lo && addr < lo + 4096) return;
        store(addr, bytes, value);
      };
    });
    assert.match(out, /selftest: FAILED: page handed out but not marked used \(0x00111000\)/);
  });
});
