// Running a compile with little of this thread's stack left: how the suites prove that deep
// programs (long call chains, deeply nested expressions) never overflow the compiler's stack with
// programs a few thousand levels deep, instead of programs deep enough to outgrow a whole stack.

/** How many more frames a trivial recursive function gets from here: fewer than any recursive
 *  walk of real work would (its frames are larger). */
export function plainDepthLeft(): number {
  let depth = 0;
  const down = (): void => {
    depth++;
    down();
  };
  try {
    down();
  } catch {
    // RangeError: the stack is full.
  }
  return depth;
}

/** `f(left)` called deep in this thread's stack, with only about `frames` plain frames left
 *  (`left`, measured there). The stack is used up in steps, each a quarter of what is in excess,
 *  since a frame here may be larger than a plain one. */
export function withLittleStack<T>(frames: number, f: (left: number) => T): T {
  const burn = (k: number): T => {
    if (k > 0) return burn(k - 1);
    const left = plainDepthLeft();
    return left > frames * 1.25 ? burn(Math.floor((left - frames) / 4)) : f(left);
  };
  return burn(0);
}

/** The plain frames left to compile in: a small program (parse, tsc's checker, the subset's passes)
 *  compiled here needs about 500 of them (measured: 500 fails in TypeScript's createProgram, 800
 *  works), so 1,200 leaves room while a walk that recursed once per level of a program twice as
 *  deep as what is left would overflow. */
export const LITTLE_STACK = 1200;
