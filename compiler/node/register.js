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

// Bumped when the way options are chosen per file (needsInterop) changes: older entries are stale.
const RULES = "interop-only-where-needed-1";

/**
 * Whether the module at `sf` needs esModuleInterop's helpers: a default import or re-export of
 * `default` (__importDefault), or a dynamic import() (whose namespace gets a `default`). Otherwise
 * the file is transpiled without them, which changes only `import * as ns` of a CommonJS module:
 * `ns` is the module itself instead of a copy made of one getter per export. For TypeScript (2,248
 * exports, already getters) that copy cost about 10 ms per importing module at every start (the
 * compiler has 16 of them) and made each `ts.x` in the compiler a getter calling a getter.
 */
function needsInterop(ts, sf) {
  let needs = false;
  const visit = (node) => {
    if (needs) return;
    if (ts.isImportDeclaration(node) && node.importClause && node.importClause.name) needs = true;
    else if (ts.isExportDeclaration(node) && node.moduleSpecifier && node.exportClause && ts.isNamedExports(node.exportClause) &&
      node.exportClause.elements.some((e) => (e.propertyName || e.name).text === "default")) needs = true;
    else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) needs = true;
    else ts.forEachChild(node, visit);
  };
  visit(sf);
  return needs;
}

/** The transpiled JavaScript of `source` (file `filename`), made now (no cache); sourceMap: false
 *  leaves out the inline source map (for code nobody debugs: about half of a transpile's time). */
function transpileUncached(source, filename, { sourceMap = true } = {}) {
  const ts = require("typescript");
  const sf = ts.createSourceFile(filename, source, ts.ScriptTarget.ES2022, false, ts.ScriptKind.TS);
  const compilerOptions = ts.convertCompilerOptionsFromJson({ ...options, esModuleInterop: needsInterop(ts, sf), inlineSourceMap: sourceMap }, "").options;
  return ts.transpileModule(source, { compilerOptions, fileName: filename }).outputText;
}

/** The transpiled JavaScript of `source` (file `filename`), from the cache or made and cached. */
function transpile(source, filename) {
  const key = crypto
    .createHash("sha256")
    .update(`${typescriptVersion()}\0${JSON.stringify(options)}\0${RULES}\0${filename}\0${source}`)
    .digest("hex");
  const cached = path.join(CACHE_DIR, key.slice(0, 2), `${key}.js`);
  try {
    return fs.readFileSync(cached, "utf8");
  } catch {}
  const out = transpileUncached(source, filename);
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

module.exports = { transpile, transpileUncached, CACHE_DIR };
