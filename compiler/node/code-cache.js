// V8 code cache for TypeScript's typescript.js (9 MB of JavaScript), which every tsk process loads:
// compiling it is most of the time a cold `tsk check` spends before doing any work. Node 20 has no
// module.enableCompileCache (Node 22), so this does what it and v8-compile-cache do: the file is
// compiled through vm.Script with the code V8 produced last time (cachedData), and when there was
// none (or V8 rejected it) the code is saved at exit, after the run, so it includes the functions
// compiled lazily while checking, not only the top level.
//
// The compiler's own modules (compiler/src, transpiled by register.js) go through the same cache in
// a process that has Node's source maps off (the `tsk` command): their functions, compiled lazily at
// every start otherwise, were ~2-4 % of a cold `tsk check`. Where source maps are on (tests, build
// scripts: their stack traces name .ts columns) they load through Node's loader as before, since a
// script compiled through vm.Script has no source map registered with Node.
//
// The cache lives in node_modules/.cache/tsk-v8/ (TSK_V8_CACHE moves it; TSK_V8_CACHE=off turns it
// off), one file per (Node and V8 version, file path, size, modification time, inode; for a compiler
// module its transpiled text instead) and V8 flags (node's command-line flags and those v8-flags.js
// set): an upgraded or reinstalled TypeScript or an edited module gets a new file (the old one is
// removed), processes started with other flags keep a file each (V8 rejects code cached under other
// flags), and V8 itself rejects data made for a different source length. Loading and running the
// module is otherwise exactly what Node's own loader does.
"use strict";
const { isAscii } = require("buffer");
const crypto = require("crypto");
const fs = require("fs");
const Module = require("module");
const path = require("path");
const vm = require("vm");
const { runtimeFlags } = require("./v8-flags");

const SETTING = process.env.TSK_V8_CACHE;
const CACHE_DIR = SETTING && SETTING !== "off" ? path.resolve(SETTING) : path.resolve(__dirname, "../../node_modules/.cache/tsk-v8");

/** The files compiled through the cache by path: TypeScript's, as `require("typescript")` finds it. */
function cachedFiles() {
  try {
    return new Set([require.resolve("typescript")]);
  } catch {
    return new Set();
  }
}

// The compiler's own modules (register.js hands them to Module.prototype._compile transpiled).
const COMPILER_DIR = path.resolve(__dirname, "..");
const COMPILER_SRC = path.join(COMPILER_DIR, "src") + path.sep;

const hash = (text) => crypto.createHash("sha256").update(text).digest("hex");

/** `name`.<source key>.<flags key>.bin in the cache directory (save() relies on this form). */
function cachePath(name, sourceKey) {
  const flags = hash(`${process.execArgv.join("\0")}\0${runtimeFlags()}`);
  return path.join(CACHE_DIR, `${name}.${hash(`${process.version}\0${process.versions.v8}\0${process.arch}\0${sourceKey}`).slice(0, 32)}.${flags.slice(0, 8)}.bin`);
}

/** The cache file of `filename` (one of cachedFiles()), or null when the file cannot be stat'ed. */
function cacheFile(filename) {
  let st;
  try {
    st = fs.statSync(filename);
  } catch {
    return null;
  }
  return cachePath(path.basename(filename), `${filename}\0${st.size}\0${st.mtimeMs}\0${st.ino}`);
}

/** The cache file for compiling `content` as `filename`, or null when that code is not cached: a
 *  cached file by path, or a compiler module (by its text) in a process without source maps. */
function cacheFileFor(files, filename, content) {
  if (files.has(filename)) return cacheFile(filename);
  if (!filename.startsWith(COMPILER_SRC) || !filename.endsWith(".ts") || process.sourceMapsEnabled !== false) return null;
  // One name per module file (compiler/src/check/expr.ts -> src_check_expr.ts-<its path's hash>):
  // save() removes the code of the module's older texts by it, and not another checkout's.
  const name = `${path.relative(COMPILER_DIR, filename).split(path.sep).join("_")}-${hash(filename).slice(0, 8)}`;
  return cachePath(name, content);
}

/** `require` for code compiled outside Node's loader: what Module.prototype._compile gives. */
function makeRequire(mod) {
  const req = (id) => mod.require(id);
  req.resolve = (request, options) => Module._resolveFilename(request, mod, false, options);
  req.resolve.paths = (request) => Module._resolveLookupPaths(request, mod);
  req.main = process.mainModule;
  req.extensions = Module._extensions;
  req.cache = Module._cache;
  return req;
}

/** Saves `script`'s code to `file` (write then rename: parallel processes may save it at once). */
function save(script, file) {
  try {
    const data = script.createCachedData();
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, data);
    fs.renameSync(tmp, file);
    // The code of an older version of the same file (TypeScript upgraded or reinstalled) is dead;
    // the same version's code under other V8 flags is another process's.
    const parts = path.basename(file).split(".");
    const base = `${parts.slice(0, -3).join(".")}.`;
    const source = parts[parts.length - 3];
    for (const name of fs.readdirSync(path.dirname(file))) {
      const other = name.split(".");
      const sameVersion = other.length === parts.length && other[other.length - 3] === source;
      if (name.startsWith(base) && name.endsWith(".bin") && !sameVersion) fs.rmSync(path.join(path.dirname(file), name), { force: true });
    }
  } catch {
    // A read-only tree works, uncached.
  }
}

// The scripts to save at exit: one listener for all of them (a listener each would pass Node's
// limit of 10 and print a warning).
const toSave = [];
function saveAtExit(script, file) {
  if (!toSave.length) process.once("exit", () => toSave.forEach(([s, f]) => save(s, f)));
  toSave.push([script, file]);
}

function install() {
  if (SETTING === "off" || Module.prototype._compile.tskCodeCache) return;
  const files = cachedFiles();
  if (!files.size) return;
  const original = Module.prototype._compile;
  const compile = function (content, filename) {
    const file = cacheFileFor(files, filename, content);
    if (!file) return original.call(this, content, filename);
    return run(this, Module.wrap(content), filename, file);
  };
  compile.tskCodeCache = true;
  Module.prototype._compile = compile;
  const loadJs = Module._extensions[".js"];
  Module._extensions[".js"] = function (module, filename) {
    if (!files.has(filename)) return loadJs.call(this, module, filename);
    const file = cacheFile(filename);
    if (!file) return module._compile(readSource(filename), filename);
    run(module, readWrapped(filename), filename, file);
  };
}

/** Compiles `wrapped` (Module.wrap of the module's text) with the code cached in `file`, runs it as
 *  Module.prototype._compile would, and saves the code at exit when there was none to use. */
function run(module, wrapped, filename, file) {
  let cachedData;
  try {
    cachedData = fs.readFileSync(file);
  } catch {}
  // import() inside the module resolves as it would under Node's own loader.
  const importModuleDynamically = vm.constants && vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER;
  const script = new vm.Script(wrapped, { filename, cachedData, importModuleDynamically });
  if (!cachedData || script.cachedDataRejected) saveAtExit(script, file);
  const fn = script.runInThisContext({ displayErrors: true });
  return fn.call(module.exports, module.exports, makeRequire(module), module, filename, path.dirname(filename));
}

/**
 * The text of `filename` as fs.readFileSync(filename, "utf8") gives it. Node 20 decodes a large
 * file that way several times slower than reading its bytes and taking them as Latin-1, which for
 * bytes all below 0x80 is the same string: typescript.js (9 MB, all ASCII) is read so. A file with
 * any other byte is decoded as UTF-8.
 */
function readSource(filename) {
  const bytes = fs.readFileSync(filename);
  return isAscii(bytes) ? bytes.latin1Slice(0, bytes.length) : bytes.toString("utf8");
}

/**
 * Module.wrap(readSource(filename)), made as one string: the file's bytes are read between the
 * wrapper's two halves and taken as Latin-1 once. Concatenating instead would make V8 copy the
 * 9 MB of typescript.js once more into a flat string before compiling it (~5 % of a cold check).
 */
function readWrapped(filename) {
  const [head, tail] = Module.wrapper;
  const fd = fs.openSync(filename, "r");
  let bytes;
  try {
    const size = fs.fstatSync(fd).size;
    bytes = Buffer.allocUnsafe(head.length + size + tail.length);
    let read = 0;
    for (let n; read < size && (n = fs.readSync(fd, bytes, head.length + read, size - read, read)); ) read += n;
    // A file that changed size while being read: read it again the ordinary way.
    if (read !== size || fs.readSync(fd, Buffer.alloc(1), 0, 1, size) !== 0) return Module.wrap(readSource(filename));
    bytes.latin1Write(head, 0);
    bytes.latin1Write(tail, head.length + size);
  } finally {
    fs.closeSync(fd);
  }
  return isAscii(bytes) ? bytes.latin1Slice(0, bytes.length) : Module.wrap(bytes.toString("utf8", head.length, bytes.length - tail.length));
}

install();

module.exports = { CACHE_DIR, cacheFile, readSource, readWrapped };
