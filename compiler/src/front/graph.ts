// Strongly connected components (Tarjan), for the two cycle rules: recursion among functions and
// import cycles among modules. Iterative: a program's call chain can be far deeper than the
// compiler's own stack (a chain of 20,000 functions is an ordinary diagnostic-free program).

/** Each node's component number; nodes in one cycle share one. */
export function components<T>(nodes: Iterable<T>, next: (n: T) => Iterable<T>): Map<T, number> {
  let index = 0;
  let count = 0;
  const idx = new Map<T, number>();
  const low = new Map<T, number>();
  const comp = new Map<T, number>();
  const stack: T[] = [];
  const onStack = new Set<T>();
  const start = (v: T): { v: T; it: Iterator<T> } => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    return { v, it: next(v)[Symbol.iterator]() };
  };
  for (const root of nodes) {
    if (idx.has(root)) continue;
    const frames = [start(root)];
    while (frames.length) {
      const f = frames[frames.length - 1];
      const step = f.it.next();
      if (!step.done) {
        const w = step.value;
        if (!idx.has(w)) frames.push(start(w));
        else if (onStack.has(w)) low.set(f.v, Math.min(low.get(f.v)!, idx.get(w)!));
        continue;
      }
      // f.v is finished: close its component, then fold its low-link into its caller's.
      frames.pop();
      if (low.get(f.v) === idx.get(f.v)) {
        let w: T;
        do {
          w = stack.pop()!;
          onStack.delete(w);
          comp.set(w, count);
        } while (w !== f.v);
        count++;
      }
      const parent = frames[frames.length - 1];
      if (parent) low.set(parent.v, Math.min(low.get(parent.v)!, low.get(f.v)!));
    }
  }
  return comp;
}
