// @tsk-uses-intrinsics. The exception path end to end. Each test here ends the machine, so the harness boots each in
// its own run and checks the report: the `fault:`/`panic:` line, the .ts line marked
// `// @ktest-expect-here` in the report, and QEMU exit 35.
import { load32, store8 } from "./cpu";
import { faultExec } from "./fault";
import { getNextPage } from "../mem/pages";
import { panic } from "../panic";
import { expectEq } from "../test/ktap";

/** A null-pointer read: page 0 is not mapped, so #PF with cr2 = 0 at this line. */
export function test_expect_fault_14_null_read(): void {
  const v: u32 = load32(0); // @ktest-expect-here
  expectEq(v, 0, "a null read returned");
}

/** A real `div` by zero (the subset's own division never faults: u32(x / 0) is 0 in both worlds),
 *  run as machine code: xor edx, edx; xor eax, eax; div eax. */
export function test_expect_fault_0_divide_error(): void {
  const code: u32 = getNextPage();
  store8(code, 0x31);
  store8(u32(code + 1), 0xd2);
  store8(u32(code + 2), 0x31);
  store8(u32(code + 3), 0xc0);
  store8(u32(code + 4), 0xf7);
  store8(u32(code + 5), 0xf0);
  faultExec(code); // @ktest-expect-here
}

/** panic() names its caller's line. */
export function test_expect_panic_direct(): void {
  panic("deliberate panic from a test"); // @ktest-expect-here
}
