// A strict JSON reader for the simulator's map files: the values JSON.parse would give, but every
// error names the line and column (Node's JSON.parse names neither for a truncated file), and a
// number JSON cannot hold exactly (an integer above 2^53, a fraction, an exponent) is an error
// instead of a silently rounded value: a map's 64-bit addresses belong in hex strings.

export class JsonError extends Error {}

/** Parse `text`; errors read `line L, column C: <what>` (1-based). */
export function parseJsonStrict(text: string): unknown {
  let i = 0;
  const where = (at: number): string => {
    const before = text.slice(0, at).split("\n");
    return `line ${before.length}, column ${before[before.length - 1].length + 1}`;
  };
  const fail = (what: string, at = i): never => {
    throw new JsonError(`${where(at)}: ${what}`);
  };
  const ws = () => {
    while (i < text.length && " \t\r\n".includes(text[i])) i++;
  };
  const describe = () => (i >= text.length ? "the end of the file" : JSON.stringify(text[i]));
  const expect = (c: string) => {
    ws();
    if (text[i] !== c) fail(`expected '${c}', found ${describe()}`);
    i++;
  };
  const str = (): string => {
    const start = i;
    const m = /^"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/.exec(text.slice(i));
    if (!m) fail(text.indexOf('"', i + 1) < 0 ? "unterminated string" : "bad string (a control character or a bad escape)", start);
    i += m![0].length;
    return JSON.parse(m![0]);
  };
  const num = (): number => {
    const start = i;
    const m = /^-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(text.slice(i));
    if (!m) fail(`unexpected ${describe()}`);
    i += m![0].length;
    if (m![1] !== undefined || m![2] !== undefined || !Number.isSafeInteger(Number(m![0]))) {
      fail(`the number ${m![0]} is not an integer JSON holds exactly (at most 2^53 - 1): write it as a hex string such as "0x${(() => { try { return BigInt(m![0]).toString(16); } catch { return "…"; } })()}"`, start);
    }
    return Number(m![0]);
  };
  // Nesting is shallow in a map file; a plain recursive descent is fine on the host.
  const value = (): unknown => {
    ws();
    const c = text[i];
    if (c === "{") {
      i++;
      const out: Record<string, unknown> = {};
      ws();
      if (text[i] === "}") {
        i++;
        return out;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail(`expected a field name in double quotes, found ${describe()}`);
        const k = str();
        expect(":");
        out[k] = value();
        ws();
        if (text[i] === ",") i++;
        else if (text[i] === "}") {
          i++;
          return out;
        } else fail(`expected ',' or '}', found ${describe()}`);
      }
    }
    if (c === "[") {
      i++;
      const out: unknown[] = [];
      ws();
      if (text[i] === "]") {
        i++;
        return out;
      }
      for (;;) {
        out.push(value());
        ws();
        if (text[i] === ",") i++;
        else if (text[i] === "]") {
          i++;
          return out;
        } else fail(`expected ',' or ']', found ${describe()}`);
      }
    }
    if (c === '"') return str();
    for (const [word, v] of [["true", true], ["false", false], ["null", null]] as const) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return v;
      }
    }
    if (c === "-" || (c >= "0" && c <= "9")) return num();
    return fail(`unexpected ${describe()}`);
  };
  const v = value();
  ws();
  if (i < text.length) fail(`unexpected ${describe()} after the value`);
  return v;
}
