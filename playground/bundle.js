// What the playground server builds at start-up: the page's two scripts (esbuild bundles, cached
// by playground/bundle-cache.js while their inputs are unchanged) and the JSON of sources the
// editor works on. app.js (v86, xterm.js, the memory picture) stays small;
// editor.js carries TypeScript, the compiler (checker and i386 backend), CodeMirror 6 and the
// JavaScript assembler and linker with scripts/lib/jskernel.js's build steps, with
// Node's modules replaced for the browser (playground/editor/{path,process,node-stub}.js): `path`
// by a POSIX implementation, `fs`/`os`/`child_process` by functions that throw (only the host
// build and toolchain/asm's default readers use them; the page passes its own), `process` and
// `Buffer` injected into the bundle only, and `__dirname` set per compiler file as if the
// repository were at /tsk (the page's file system root, playground/editor/vfs.js).
"use strict";
const fs = require("fs");
const path = require("path");
const { cachedBundle } = require("./bundle-cache");

const ROOT = path.resolve(__dirname, "..");
const EDITOR = path.join(__dirname, "editor");
const TS_LIB_DIR = path.join(path.dirname(require.resolve("typescript/package.json")), "lib");
/** The one lib COMPILER_OPTIONS names (compiler/src/front/program.ts); its references follow. */
const TS_ROOT_LIB = "lib.es2022.d.ts";

/** Every file under `dir` (repo-relative) whose name `keep` accepts, sorted. */
function filesUnder(dir, keep) {
  const out = [];
  const walk = (d) => {
    for (const e of fs.readdirSync(path.join(ROOT, d), { withFileTypes: true })) {
      const rel = `${d}/${e.name}`;
      if (e.isDirectory()) walk(rel);
      else if (keep(e.name)) out.push(rel);
    }
  };
  walk(dir);
  return out.sort();
}

/** lib.es2022.d.ts and every lib it references, transitively: {file name: text}. */
function tsLibs() {
  const libs = {};
  const todo = [TS_ROOT_LIB];
  while (todo.length) {
    const name = todo.pop();
    if (libs[name] !== undefined) continue;
    libs[name] = fs.readFileSync(path.join(TS_LIB_DIR, name), "utf8");
    for (const m of libs[name].matchAll(/^\/\/\/\s*<reference\s+lib="([^"]+)"/gm)) todo.push(`lib.${m[1].toLowerCase()}.d.ts`);
  }
  return libs;
}

/** The files the page edits, checks and assembles, repo-relative, read now. */
function sourceFiles() {
  const rels = [...filesUnder("kernel", (n) => n.endsWith(".ts") || n.endsWith(".asm")),
    ...filesUnder("boot", (n) => n.endsWith(".asm") || n.endsWith(".inc")), "linker/kernel.ld", "compiler/lib/prelude.d.ts"];
  return Object.fromEntries(rels.map((rel) => [rel, fs.readFileSync(path.join(ROOT, rel), "utf8")]));
}

/** /sources.json: {files, libs}. */
function sourcesJson() {
  return Buffer.from(JSON.stringify({ files: sourceFiles(), libs: tsLibs() }));
}

/** A browser bundle of `entry` (a promise of its bytes), from playground/bundle-cache.js's cache
 *  when nothing it is made of changed. esbuild runs plugins in its asynchronous API only. */
async function esbuildScript(name, entry, extra = {}) {
  const opts = {
    entryPoints: [entry], bundle: true, format: "iife",
    platform: "browser", target: "es2020", logLevel: "silent", ...extra,
  };
  return (await cachedBundle(name, opts)).contents;
}

/** Node's modules as the page has them (see the header). */
const browserNode = {
  name: "tsk-browser-node",
  setup(build) {
    build.onResolve({ filter: /^(node:)?path$/ }, () => ({ path: path.join(EDITOR, "path.js") }));
    build.onResolve({ filter: /^(node:)?(fs|os|child_process)$/ }, () => ({ path: path.join(EDITOR, "node-stub.js") }));
    // __dirname as in the repository, under /tsk: front/program.ts finds the prelude by it.
    build.onLoad({ filter: /[\\/]compiler[\\/]src[\\/].*\.ts$/ }, (args) => {
      const dir = `/tsk/${path.relative(ROOT, path.dirname(args.path)).split(path.sep).join("/")}`;
      return { contents: `const __dirname = ${JSON.stringify(dir)};\n${fs.readFileSync(args.path, "utf8")}`, loader: "ts" };
    });
  },
};

/** The page's main script (a promise): v86 glue, the terminal, the memory picture. */
const appScript = () => esbuildScript("app", path.join(__dirname, "app.js"), { minify: false });

/** What every bundle of the editor's modules needs: Node's modules as the page has them. */
const pageModules = { plugins: [browserNode], inject: [path.join(EDITOR, "process.js")] };

/** The editor's script (a promise): TypeScript + the compiler + toolchain/asm + toolchain/link. */
const editorScript = () => esbuildScript("editor", path.join(EDITOR, "main.js"), { minify: true, ...pageModules });

module.exports = { appScript, editorScript, sourcesJson, sourceFiles, tsLibs, pageModules };
