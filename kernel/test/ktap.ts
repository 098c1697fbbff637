// The in-kernel test runner's half in the subset: KTAP version 1 on COM1 and the assertions tests
// call. The other half is generated: scripts/gen-ktest.js finds every kernel/**/*.ktest.ts, and
// writes an entry module whose kmain boots memory and calls, for each file (a suite) and each
// exported `test_*` function in it:
//
//   ktapStart(files)                    KTAP version 1 / 1..<files>
//   suiteBegin("mem/pages", tests)          KTAP version 1 / # Subtest: mem/pages / 1..<tests>
//   testBegin(); test_alloc(); testEnd("test_alloc")   ok 1 test_alloc  (or not ok, # SKIP)
//   suiteEnd("mem/pages")               ok 1 mem/pages  (not ok if any test failed)
//   ktapFinish()                        exit 0x10 (QEMU 33) if all passed, else 0x11 (35)
//
// The subset has no closures or arrays, so the list of tests cannot be a table of function
// values: it is the generated code itself. It has no string variables either, so a name is passed
// again where the result line needs it, and a skip reason is printed as a diagnostic when skip()
// is called (the result line then carries a bare `# SKIP`).
//
// Assertions do not stop the test (there are no exceptions): each failed one marks the test failed
// and prints, as KTAP diagnostics,
//   # <what>: expected 0x00000005 (5), got 0x00000004 (4)
//   # at kernel/mem/pages.ktest.ts:42 (test_alloc)
// the location coming from a deliberate trap into kernel/arch/fault.ts (the subset cannot read its
// own return address). They return whether they held, so a test can stop early:
// `if (!expectEq(...)) { return; }`.
//
// Isolation: testEnd fails a test that changed the allocator's free page count (it leaked or
// double-freed pages). Tests run one after another on one machine, so each must give back what
// it takes and undo what it changes.
import { print, println, printDec, printHex32 } from "../arch/serial";
import { exitQemu, EXIT_SUCCESS, EXIT_FAILURE } from "../arch/qemu";
import { faultPrintCaller } from "../arch/fault";
import { freePageCount } from "../mem/pages";

let suiteIndex: u32 = 0; // result number of the current suite at the top level
let suiteFailed: u32 = 0; // suites with a failure
let testIndex: u32 = 0; // result number of the current test within its suite
let testsFailed: u32 = 0; // failed tests in the current suite
let failed: boolean = false; // the current test failed
let skipped: boolean = false; // the current test called skip()
let freeBefore: u32 = 0;

const INDENT: u32 = 4;

function indent(): void {
  for (let i: u32 = 0; i < INDENT; i = u32(i + 1)) {
    print(" ");
  }
}

/** Start the top-level KTAP document with a plan of `suites` results. */
export function ktapStart(suites: u32): void {
  println("KTAP version 1");
  print("1..");
  printDec(suites);
  println("");
}

/** Begin the nested suite `name` with `tests` tests. */
export function suiteBegin(name: string, tests: u32): void {
  suiteIndex = u32(suiteIndex + 1);
  testIndex = 0;
  testsFailed = 0;
  indent();
  println("KTAP version 1");
  indent();
  print("# Subtest: ");
  println(name);
  indent();
  print("1..");
  printDec(tests);
  println("");
}

/** End the suite `name` (the same name suiteBegin got) with its result line. */
export function suiteEnd(name: string): void {
  if (testsFailed !== 0) {
    suiteFailed = u32(suiteFailed + 1);
    print("not ok ");
  } else {
    print("ok ");
  }
  printDec(suiteIndex);
  print(" ");
  println(name);
}

/** Before each test. */
export function testBegin(): void {
  testIndex = u32(testIndex + 1);
  failed = false;
  skipped = false;
  freeBefore = freePageCount();
}

/** After each test: its result line (`ok`, `not ok`, or `ok … # SKIP`). */
export function testEnd(name: string): void {
  const freeAfter: u32 = freePageCount();
  if (freeAfter !== freeBefore) {
    diagStart();
    print("free pages changed across the test: expected ");
    printDec(freeBefore);
    print(", got ");
    printDec(freeAfter);
    println(" (pages leaked or freed twice)");
    failed = true;
  }
  indent();
  if (failed) {
    testsFailed = u32(testsFailed + 1);
    print("not ok ");
  } else {
    print("ok ");
  }
  printDec(testIndex);
  print(" ");
  print(name);
  if (skipped && !failed) {
    print(" # SKIP");
  }
  println("");
}

/** A test the generated runner does not run in this boot (it expects a fault or a panic, so the
 *  harness boots it in its own run): an `ok … # SKIP` line saying so. */
export function testElsewhere(name: string, why: string): void {
  testBegin();
  diagStart();
  println(why);
  skipped = true;
  testEnd(name);
}

/** Print the end of the run and leave QEMU: 33 if every suite passed, else 35. */
export function ktapFinish(): never {
  if (suiteFailed === 0) {
    println("# ktest: all suites passed");
    exitQemu(EXIT_SUCCESS);
  }
  print("# ktest: ");
  printDec(suiteFailed);
  println(" suite(s) failed");
  exitQemu(EXIT_FAILURE);
}

/** Start a `# ` diagnostic line at the current test's indentation. */
export function diagStart(): void {
  indent();
  print("# ");
}

/** A diagnostic line `# <text>` in the current test. */
export function diag(text: string): void {
  diagStart();
  println(text);
}

/** Mark the current test skipped: `# SKIP <reason>` as a diagnostic, `# SKIP` on its result. */
export function skip(reason: string): void {
  diagStart();
  print("SKIP ");
  println(reason);
  skipped = true;
}

/** The location line of a failed assertion: `# at <file>:<line> (<function>)`. */
function where(): void {
  diagStart();
  if (faultPrintCaller()) {
    println("");
  } else {
    println("at an unknown line (paging is off: no trap)");
  }
}

function printValue(v: u32): void {
  printHex32(v);
  print(" (");
  printDec(v);
  print(")");
}

/** Fail the current test with `what`. */
export function fail(what: string): void {
  failed = true;
  diagStart();
  println(what);
  where();
}

/** Assert actual === expected; on failure print both. */
export function expectEq(actual: u32, expected: u32, what: string): boolean {
  if (actual === expected) {
    return true;
  }
  failed = true;
  diagStart();
  print(what);
  print(": expected ");
  printValue(expected);
  print(", got ");
  printValue(actual);
  println("");
  where();
  return false;
}

/** Assert actual !== unexpected. */
export function expectNe(actual: u32, unexpected: u32, what: string): boolean {
  if (actual !== unexpected) {
    return true;
  }
  failed = true;
  diagStart();
  print(what);
  print(": expected anything but ");
  printValue(unexpected);
  println("");
  where();
  return false;
}

/** Assert cond holds. */
export function expectTrue(cond: boolean, what: string): boolean {
  if (cond) {
    return true;
  }
  failed = true;
  diagStart();
  print(what);
  println(": expected true, got false");
  where();
  return false;
}

/** Assert lo <= actual < hi. */
export function expectInRange(actual: u32, lo: u32, hi: u32, what: string): boolean {
  if (actual >= lo && actual < hi) {
    return true;
  }
  failed = true;
  diagStart();
  print(what);
  print(": expected in [");
  printHex32(lo);
  print(", ");
  printHex32(hi);
  print("), got ");
  printValue(actual);
  println("");
  where();
  return false;
}
