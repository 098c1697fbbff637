// The i386 backend: IR to NASM text (gen.ts), assembled in process by toolchain/asm into one ELF32
// relocatable object (.text/.rodata/.data, the external names global), plus the line map: for
// each range of .text (offsets from the global `tsk_code_start`, the first byte of the object's
// .text) the .ts file, line and function it was compiled from. No gcc, nasm or libgcc.
import { Backend } from "../backend";
import { Program } from "../../ir/ir";
import { externalProblem } from "../c/names";
import { generate, I386Error, Mode, NASM_RESERVED } from "./gen";

// toolchain/asm is plain JavaScript (no types): loaded by require, as scripts load it.
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { Assembler } = require("../../../../toolchain/asm/assemble");

export { I386Error, Mode };

/** A range of the object's .text: from `offset` (bytes after tsk_code_start) to the next row. An
 *  empty `file` means no .ts line (the end of the code). */
export interface LineRow {
  offset: number;
  file: string;
  line: number;
  func: string;
  /** The symbol of the function whose code this is (the outermost frame; for the DWARF the JS
   *  build writes: its subprograms' names and ranges). Absent on the end row. */
  sym?: string;
  /** Inlined code: the frames it was inlined into, innermost first. */
  outer?: { file: string; line: number; func: string }[];
  /** On a function's first row: its parameters, at [ebp + offset] once its frame is set up. */
  params?: { name: string; offset: number; rep: string }[];
}

export interface I386Output {
  /** The NASM source (for reading and debugging the backend). */
  asm: string;
  /** The ELF32 relocatable object. */
  object: Uint8Array;
  /** The line map, sorted by offset. */
  lines: LineRow[];
  /** Bytes of .text. */
  textBytes: number;
}

/** The symbol marking the start of the object's code (the line map's origin). */
export const CODE_START = "tsk_code_start";

export class I386Backend implements Backend<I386Output> {
  readonly name = "i386";
  constructor(
    readonly mode: Mode,
    readonly cwd = process.cwd(),
  ) {}

  externalNameProblem(name: string): string | undefined {
    // The same names as the C backend (a program means the same on both), plus NASM's words.
    const c = externalProblem(name, this.mode === "host");
    if (c) return c;
    if (NASM_RESERVED.has(name.toLowerCase())) return "it is an i386 register or an assembler keyword";
    return undefined;
  }

  emit(program: Program): I386Output {
    const { asm, marks } = generate(program, this.mode, this.cwd);
    const file = "tsk-i386.asm";
    let a;
    let object: Uint8Array;
    try {
      a = new Assembler({ file, format: "elf32", readFile: () => asm, werror: true, cwd: this.cwd });
      object = a.run();
    } catch (e) {
      const m = /:(\d+):/.exec((e as Error).message);
      const line = m ? asm.split("\n")[Number(m[1]) - 1] : "";
      throw new I386Error(`tsk: internal error (i386): the assembler rejected the generated code: ${(e as Error).message}${line ? `\n  ${line.trim()}` : ""}`);
    }
    const value = (name: string): number => {
      const s = a.symbols.get(name);
      if (!s || s.value === undefined) throw new I386Error(`tsk: internal error (i386): no label ${name}`);
      return Number(s.value);
    };
    const base = value(CODE_START);
    // A mark's label is `<function symbol>.m<n>`.
    const lines: LineRow[] = marks.map((m) => ({
      offset: value(m.label) - base, file: m.file, line: m.line, func: m.func, sym: m.label.slice(0, m.label.lastIndexOf(".m")),
      ...(m.outer?.length ? { outer: m.outer } : {}), ...(m.params ? { params: m.params } : {}),
    }));
    const text = a.sections.get(".text");
    const textBytes = text ? Number(text.size) : 0;
    lines.push({ offset: textBytes, file: "", line: 0, func: "" });
    lines.sort((x, y) => x.offset - y.offset);
    // Marks at the same offset (an empty statement's): the last one names the code that follows.
    const rows = lines.filter((r, i) => i + 1 >= lines.length || lines[i + 1].offset !== r.offset);
    return { asm, object, lines: rows, textBytes };
  }
}
