// Views in module-level variables (a let at a constant address, then reassigned), a view-returning
// function that may panic instead (never stands for a view), a switch on an i32 field.
const E = layout(8, 4, { a: [0, "u32"], b: [4, "i32"] });
let G: View<typeof E> = E.at(0x3000);
function stop(): never {
  while (true) {}
}
function pick(i: u32): View<typeof E> {
  if (i > 100) {
    return stop();
  }
  return E.at(u32(0x2000 + i * E.size));
}
export function main(): u32 {
  G.a = 5;
  G = pick(3);
  G.b = -7;
  switch (pick(3).b) {
    case -7:
      return u32(G.a + 1);
  }
  return 0;
}
