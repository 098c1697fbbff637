// A module with an enum named like one in enum-twins.ts: two modules, two different enums.
export enum Color {
  Red = 10,
  Green = 20,
}

export function weigh(c: Color): u32 {
  return c === Color.Red ? 1 : 2;
}
