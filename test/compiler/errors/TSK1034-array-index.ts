// An index must be proved in 0..length-1: by its range, a mask, or a guard on a local or
// parameter that the guarded code does not assign. Out of bounds JavaScript reads undefined.
const a = new Uint32Array(16);
const b = new Uint8Array(300);
let g: u32 = 0;

function stop(): never {
  while (true) {}
}

export function constants(): u32 {
  a[15] = 1;
  a[16] = 1; //! TSK1034
  return a[-1]; //! TSK1034
}

export function unguarded(i: u32, j: i32): u32 {
  a[i & 15] = 2;
  a[i] = 3; //! TSK1034
  if (j < 16) a[j] = 4; //! TSK1034
  if (j >= 0 && j < 16) a[j] = 4;
  return a[i]; //! TSK1034
}

export function guards(i: u32, k: u8): u32 {
  if (i >= a.length) return 0;
  a[i] = 5;
  b[k] = 1;
  if (k >= a.length) stop();
  return a[k];
}

export function assignedInRegion(i: u32): void {
  if (i < 16) {
    i = u32(i + 1);
    a[i] = 6; //! TSK1034
  }
}

// The guard narrows i only where the rest of the block never assigns it, so even the first use.
export function assignedAfterGuard(i: u32): void {
  if (i >= 16) return;
  a[i] = 7; //! TSK1034
  i = 40;
  a[i] = 8; //! TSK1034
}

export function globals(): void {
  if (g < 16) a[g] = 9; //! TSK1034
}

export function loops(n: u32): void {
  let i: u32 = 0;
  while (i < a.length) {
    a[i] = 1; //! TSK1034
    i = u32(i + 1);
  }
  for (let j: u32 = 0; j < a.length; j++) a[j] = 2;
  for (let j: u32 = 0; j < n; j++) a[j] = 3; //! TSK1034
}

export function notIntegers(i: u32): u32 {
  a[i / 2] = 1; //! TSK1034
  return u32(a[true ? 1 : 2] + b[(i >>> 0) % 300]);
}

export function elseBranch(i: u32): u32 {
  if (i < 16) {
    return a[i];
  } else {
    return a[i]; //! TSK1034
  }
}
