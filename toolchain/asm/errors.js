// The one diagnostic type of the assembler: a message tied to a source file and line, printed as NASM
// prints them (`file:line: error: message`, or `warning:` when .warning is set), so editors and the
// build report it the same way.
"use strict";

class AsmError extends Error {
  constructor(file, line, message) {
    super(message);
    this.file = file;
    this.line = line;
  }

  /** `boot/stage1.asm:12: error: ...` (no line number for a file that could not be opened). */
  format() {
    const kind = this.warning ? "warning" : "error";
    return this.line ? `${this.file}:${this.line}: ${kind}: ${this.message}` : `${this.file}: ${kind}: ${this.message}`;
  }
}

module.exports = { AsmError };
