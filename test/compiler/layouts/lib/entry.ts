// A layout declared in one module and used from another (imported by name and through `* as`).
export const Entry = layout(16, 4, {
  lo: [0, "u32"],
  hi: [4, "u32"],
  kind: [8, "u8"],
  flags: [10, "u16"],
  delta: [12, "i32"],
});
export const ENTRY_WORDS: u32 = Entry.size >>> 2;

/** Entry i of a table at `base`. */
export function entryAt(base: u32, i: u32): View<typeof Entry> {
  return Entry.at(u32(base + i * Entry.size));
}
