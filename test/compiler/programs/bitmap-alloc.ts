// A four-word bitmap allocator (next-fit, word skip), like kernel/mem/pages.ts in miniature.
let w0: u32 = 0;
let w1: u32 = 0;
let w2: u32 = 0;
let w3: u32 = 0;
let next: u32 = 0;

function word(i: u32): u32 {
  switch (i & 3) {
    case 0: return w0;
    case 1: return w1;
    case 2: return w2;
    default: return w3;
  }
}

function setWord(i: u32, v: u32): void {
  switch (i & 3) {
    case 0: w0 = v; break;
    case 1: w1 = v; break;
    case 2: w2 = v; break;
    default: w3 = v;
  }
}

/** The next free bit (0..127), or 0xffffffff when full. */
function alloc(): u32 {
  for (let n: u32 = 0; n < 4; n = u32(n + 1)) {
    const i: u32 = u32(next + n) & 3;
    const w: u32 = word(i);
    if (w === 0xffffffff) continue;
    let bit: u32 = 0;
    while (((w >>> bit) & 1) !== 0) bit = u32(bit + 1);
    setWord(i, u32(w | (1 << bit)));
    next = i;
    return u32(i * 32 + bit);
  }
  return 0xffffffff;
}

function free(b: u32): boolean {
  const i: u32 = u32(b / 32);
  const mask: u32 = u32(1 << (b & 31));
  if ((word(i) & mask) === 0) return false;
  setWord(i, u32(word(i) & ~mask));
  return true;
}

export function main(): u32 {
  let h: u32 = 0;
  for (let k: u32 = 0; k < 200; k = u32(k + 1)) {
    const b: u32 = alloc();
    h = u32(Math.imul(h, 31) + b);
    if (k % 3 === 0 && b !== 0xffffffff) {
      if (!free(u32(b / 2))) h = u32(h ^ 0x5555);
    }
  }
  return u32(h ^ w0 ^ w1 ^ w2 ^ w3);
}
