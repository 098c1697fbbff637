// Strongly connected components (Tarjan), for the two cycle rules: recursion among functions and
// import cycles among modules.

/** Each node's component number; nodes in one cycle share one. */
export function components<T>(nodes: Iterable<T>, next: (n: T) => Iterable<T>): Map<T, number> {
  let index = 0;
  let count = 0;
  const idx = new Map<T, number>();
  const low = new Map<T, number>();
  const comp = new Map<T, number>();
  const stack: T[] = [];
  const onStack = new Set<T>();
  const strong = (v: T): void => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const w of next(v)) {
      if (!idx.has(w)) {
        strong(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      let w: T;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        comp.set(w, count);
      } while (w !== v);
      count++;
    }
  };
  for (const n of nodes) if (!idx.has(n)) strong(n);
  return comp;
}
