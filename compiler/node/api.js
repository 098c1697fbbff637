// The compiler's programmatic API (the package's `main`, `require("tsk")`) and the ONE file outside
// compiler/src that calls the compiler's internals: scripts/check.js and the editor plugin
// (compiler/plugin/) use only what this file exports, so a change in compiler/src's layout is
// absorbed here. Loads the compiler's TypeScript sources through register.js, as bin/tsk.js does.
"use strict";
require("./register");
const path = require("path");
const ts = require("typescript");
const { check: checkFiles, compile, format, checkProgram } = require("../src/compile");
const { RULES } = require("../src/front/diagnostics");
const { PRELUDE } = require("../src/front/program");

/**
 * `tsk check files...`: tsc's errors, then the subset's, over the files and everything they import.
 * Returns {diagnostics: [{file, line, col, code, message, start, length}], text} where text is the
 * lines `tsk check` prints (`path(line,col): error CODE: message`); relative paths, in and out, are
 * relative to cwd.
 */
function check(files, cwd = process.cwd()) {
  if (!Array.isArray(files) || !files.length) throw new Error("tsk: check needs at least one file");
  const diagnostics = checkFiles(files.map((f) => path.resolve(cwd, f)));
  return { diagnostics, text: format(diagnostics, cwd) };
}

/**
 * The subset's own diagnostics (TSK codes; tsc's are left to the caller, which has them already)
 * for `files` checked together, as `tsk check files...` checks them: the files and what they import,
 * all taken from `program`, an existing program that holds them and compiler/lib/prelude.d.ts (an
 * editor's, so nothing is parsed again). Each diagnostic has its file, line, col, code, message,
 * start and length. Throws on a compiler failure; the caller decides what to do with it.
 */
function subsetDiagnostics(program, files) {
  if (!program.getSourceFile(PRELUDE)) {
    throw new Error(`tsk: the program does not include ${PRELUDE} (the subset's types): add it to tsconfig.json's "include"`);
  }
  return checkProgram(program, files.map((f) => path.resolve(f)), { tsDiagnostics: false }).filter((d) => d.code.startsWith("TSK"));
}

module.exports = {
  check,
  compile,
  format,
  subsetDiagnostics,
  RULES,
  /** The TypeScript the compiler runs on: an editor's program must come from the same version. */
  typescriptVersion: ts.version,
};
