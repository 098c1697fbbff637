// Lets Node require .ts files (kernel code, the compiler, tests): strips types with TypeScript's own
// transpiler, keeping line numbers, and installs the prelude's coercions as globals.
"use strict";
const fs = require("fs");
const ts = require("typescript");
require("./prelude");

const options = {
  module: ts.ModuleKind.CommonJS,
  target: ts.ScriptTarget.ES2022,
  esModuleInterop: true,
  sourceMap: false,
  inlineSourceMap: true,
  inlineSources: false,
  preserveConstEnums: false,
};

if (!require.extensions[".ts"]) {
  require.extensions[".ts"] = function (module, filename) {
    const source = fs.readFileSync(filename, "utf8");
    const out = ts.transpileModule(source, { compilerOptions: options, fileName: filename });
    module._compile(out.outputText, filename);
  };
  process.setSourceMapsEnabled && process.setSourceMapsEnabled(true);
}
