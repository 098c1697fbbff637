// Node implementations of the prelude (compiler/lib/prelude.d.ts): exactly JavaScript's own
// conversions, which the native lowering reproduces; and memory layouts over the simulated machine
// a test installs (globalThis.__tskMachine, the machine kernel/arch/cpu.ts forwards to).
"use strict";

const WIDTH = { u8: 1, u16: 2, u32: 4, i32: 4 };
/** Where a view keeps its address (a symbol: any field name stays free). */
const ADDR = Symbol("address");

function machine() {
  const m = globalThis.__tskMachine;
  if (!m) throw new Error("layout view: no simulated machine installed (globalThis.__tskMachine, test/sim/machine.ts)");
  return m;
}

/** A layout: `at(addr)` gives a view whose fields load and store their bytes of the machine's
 *  memory at addr + offset (addresses wrap at 2^32, stores wrap to the width as typed arrays do).
 *  tsk has checked the declaration; Node only implements it. */
function layout(size, align, fields) {
  // Views inherit their fields' accessors from a prototype without Object.prototype under it, so
  // a field may be named like any of Object's own methods.
  const proto = Object.create(null);
  const offsets = Object.create(null);
  for (const name of Object.keys(fields)) {
    const [offset, width] = fields[name];
    const bytes = WIDTH[width];
    if (bytes === undefined) throw new Error(`layout: field '${name}' has width '${width}': use u8, u16, u32 or i32`);
    offsets[name] = offset;
    const signed = width === "i32";
    const mask = bytes === 4 ? 0 : (1 << (bytes * 8)) - 1;
    Object.defineProperty(proto, name, {
      get() {
        const v = machine().load((this[ADDR] + offset) >>> 0, bytes);
        return signed ? v | 0 : v;
      },
      set(v) {
        machine().store((this[ADDR] + offset) >>> 0, bytes, mask ? v & mask : v >>> 0);
      },
      enumerable: true,
    });
  }
  Object.freeze(proto);
  // A view is an object holding its address; a constructor keeps at() cheap (the e820 sanitiser
  // makes one per entry visit).
  function View(addr) {
    this[ADDR] = addr;
  }
  View.prototype = proto;
  return Object.freeze({
    size,
    align,
    offsets: Object.freeze(offsets),
    at(addr) {
      return new View(addr >>> 0);
    },
  });
}

const prelude = {
  u8: (x) => x & 0xff,
  u16: (x) => x & 0xffff,
  u32: (x) => x >>> 0,
  i32: (x) => x | 0,
  layout,
};
for (const [name, fn] of Object.entries(prelude)) {
  if (!(name in globalThis)) Object.defineProperty(globalThis, name, { value: fn, writable: false });
}
module.exports = prelude;
