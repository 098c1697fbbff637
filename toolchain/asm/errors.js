// The one error type of the assembler: a message tied to a source file and line, printed as NASM
// prints its errors (`file:line: error: message`), so editors and the build report it the same way.
"use strict";

class AsmError extends Error {
  constructor(file, line, message) {
    super(message);
    this.file = file;
    this.line = line;
  }

  /** `boot/stage1.asm:12: error: ...` (no line number for a file that could not be opened). */
  format() {
    return this.line ? `${this.file}:${this.line}: error: ${this.message}` : `${this.file}: error: ${this.message}`;
  }
}

module.exports = { AsmError };
