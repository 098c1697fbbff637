// The measured E820 fixtures (test/fixtures/e820) as the kernel must print them: one
// `e820: [mem 0x…-0x…] <type>` line per entry, end inclusive, as Linux prints them. Shared by the
// QEMU and v86 boot suites.
"use strict";
const fs = require("fs");
const path = require("path");

const FIXTURES = path.resolve(__dirname, "../fixtures/e820");
const TYPE_NAMES = { 1: "usable", 2: "reserved", 3: "ACPI data", 4: "ACPI NVS", 5: "unusable" };

/** The `e820:` lines the kernel must print for fixture `name` (e.g. "qemu-pc-128M"). */
function expectedE820(name) {
  const map = JSON.parse(fs.readFileSync(path.join(FIXTURES, `${name}.json`), "utf8"));
  const hex = (v) => `0x${v.toString(16).padStart(16, "0")}`;
  return map.map((e) => {
    const base = BigInt(e.base);
    return `e820: [mem ${hex(base)}-${hex(base + BigInt(e.length) - 1n)}] ${TYPE_NAMES[e.type] || `type ${e.type}`}`;
  });
}

module.exports = { expectedE820, FIXTURES, TYPE_NAMES };
