// Enums and switch with fall-through, as the kernel's status codes use them.
const enum Status {
  Ok,
  Unaligned,
  OutOfRange = 5,
  NotRam,
}
enum Signed {
  Neg = -3,
  Zero = 0,
  Pos = 3,
}

function classify(v: u32): Status {
  if ((v & 0xfff) !== 0) return Status.Unaligned;
  if (v >= 0x80000000) return Status.OutOfRange;
  if (v < 0x100000) return Status.NotRam;
  return Status.Ok;
}

function weight(s: Status): u32 {
  let w: u32 = 0;
  switch (s) {
    case Status.Ok:
      w = u32(w + 1);
    case Status.Unaligned:
      w = u32(w + 10);
      break;
    case Status.NotRam:
      w = 1000;
      break;
    default:
      w = 7;
  }
  return w;
}

function sign(x: i32): Signed {
  return x < 0 ? Signed.Neg : x === 0 ? Signed.Zero : Signed.Pos;
}

export function main(): u32 {
  let h: u32 = 0;
  let v: u32 = 0x123;
  for (let i: u32 = 0; i < 100; i = u32(i + 1)) {
    h = u32(h * 3 + weight(classify(v)));
    h = u32(h + i32(sign(i32(v))));
    v = u32(Math.imul(v, 0x10001) + 0x1000);
  }
  return h;
}
