// Lets Node require .ts files (kernel code, the compiler, tests): strips types with TypeScript's own
// transpiler, keeping line numbers, and installs the prelude's coercions as globals.
//
// The JavaScript is cached on disk, keyed by the source's content (plus TypeScript's version and
// these options), in node_modules/.cache/tsk-register/. Without it every `tsk` command, build step
// and test process would load TypeScript (about 10 MB of JavaScript) and transpile the compiler's
// own sources before doing any work: a cold `tsk check` spent more time there than checking.
// With every file cached, TypeScript is not even loaded unless the program itself needs it.
"use strict";
const crypto = require("crypto");
const fs = require("fs");
const path = require("path");
require("./prelude");
// TypeScript, when something loads it, from V8's code cache (code-cache.js).
require("./code-cache");

const options = {
  module: "commonjs",
  target: "es2022",
  esModuleInterop: true,
  sourceMap: false,
  inlineSourceMap: true,
  inlineSources: false,
  preserveConstEnums: false,
};

const CACHE_DIR = process.env.TSK_REGISTER_CACHE || path.resolve(__dirname, "../../node_modules/.cache/tsk-register");

let tsVersion;
/** TypeScript's version, from its package.json (cheap: TypeScript itself is not loaded). */
function typescriptVersion() {
  if (tsVersion === undefined) {
    try {
      tsVersion = JSON.parse(fs.readFileSync(require.resolve("typescript/package.json"), "utf8")).version;
    } catch {
      tsVersion = "unknown";
    }
  }
  return tsVersion;
}

/** The transpiled JavaScript of `source` (file `filename`), from the cache or made and cached. */
function transpile(source, filename) {
  const key = crypto
    .createHash("sha256")
    .update(`${typescriptVersion()}\0${JSON.stringify(options)}\0${filename}\0${source}`)
    .digest("hex");
  const cached = path.join(CACHE_DIR, key.slice(0, 2), `${key}.js`);
  try {
    return fs.readFileSync(cached, "utf8");
  } catch {}
  const ts = require("typescript");
  const compilerOptions = ts.convertCompilerOptionsFromJson(options, "").options;
  const out = ts.transpileModule(source, { compilerOptions, fileName: filename }).outputText;
  try {
    // Write then rename: parallel test workers may cache the same file at once.
    fs.mkdirSync(path.dirname(cached), { recursive: true });
    const tmp = `${cached}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, out);
    fs.renameSync(tmp, cached);
  } catch {
    // A read-only tree still works, uncached.
  }
  return out;
}

if (!require.extensions[".ts"]) {
  require.extensions[".ts"] = function (module, filename) {
    module._compile(transpile(fs.readFileSync(filename, "utf8"), filename), filename);
  };
  process.setSourceMapsEnabled && process.setSourceMapsEnabled(true);
}

module.exports = { transpile, CACHE_DIR };
