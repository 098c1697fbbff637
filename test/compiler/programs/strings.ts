// String literals handed to a string parameter: length, charCodeAt, and reading past the end.
function hash(s: string): u32 {
  let h: u32 = 5381;
  for (let i: u32 = 0; i <= s.length; i = u32(i + 1)) {
    h = u32(Math.imul(h, 33) ^ u8(s.charCodeAt(i)));
  }
  return u32(h + u32(s.charCodeAt(i32(-1))) + s.length);
}

export function main(): u32 {
  return u32(hash("tsk: TypeScript kernel booting\n") ^ hash("") ^ hash("\"quoted\" \\ ?? tab\t"));
}
