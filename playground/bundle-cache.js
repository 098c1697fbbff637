// The playground's esbuild bundles, cached on disk keyed by what they are made of: a server start
// (and each test that starts one) would otherwise spend 2-3 s of CPU re-bundling the 4 MiB
// editor.js from the same files. A cached bundle is used only when everything that could change
// esbuild's output is unchanged: the options, esbuild's version, playground/bundle.js and this file
// (the plugin's code), and then, recorded at build time from esbuild's metafile, the content of
// every input file, the names in every directory from an input up to the repository root (a new
// file there could resolve an import differently, e.g. b.ts next to b.js, or a new package), and
// the content of the package.json, tsconfig.json and jsconfig.json files in those directories (a
// package's main or browser field, TypeScript settings esbuild honours). Anything else is a miss
// and a fresh build, which is then saved. Entries live in node_modules/.cache/tsk-playground/
// (TSK_PLAYGROUND_CACHE moves it; TSK_PLAYGROUND_CACHE=off turns it off), written then renamed so
// parallel servers never read half a file; a tree that cannot be written still works, uncached.
"use strict";
const crypto = require("crypto");
const fs = require("fs");
const path = require("path");

const ROOT = path.resolve(__dirname, "..");
const SETTING = process.env.TSK_PLAYGROUND_CACHE;
const DEFAULT_DIR = SETTING && SETTING !== "off" ? path.resolve(SETTING) : path.join(ROOT, "node_modules/.cache/tsk-playground");
/** Configuration files esbuild reads while resolving and loading, in any directory on the way. */
const CONFIG_FILES = ["package.json", "tsconfig.json", "jsconfig.json"];

const sha = (data) => crypto.createHash("sha256").update(data).digest("hex");

function readOrNull(file) {
  try {
    return fs.readFileSync(file);
  } catch {
    return null;
  }
}

/** What a directory contributes to resolution: its entries' names (dot-entries aside: caches,
 *  npm's bookkeeping) and its configuration files' contents. */
function directoryDigest(dir) {
  let names;
  try {
    names = fs.readdirSync(dir).filter((n) => !n.startsWith(".")).sort();
  } catch {
    return "missing";
  }
  const h = crypto.createHash("sha256").update(names.join("\0"));
  for (const name of CONFIG_FILES) {
    if (!names.includes(name)) continue;
    const text = readOrNull(path.join(dir, name));
    h.update(`\0${name}\0`).update(text === null ? "unreadable" : text);
  }
  return h.digest("hex");
}

/** The inputs' files (repo-relative) and the directories from each up to `root`. */
function dependencies(metafile, root) {
  const files = Object.keys(metafile.inputs).filter((p) => !/^(\(?[a-z-]+\)?:|<stdin>$)/i.test(p)); // "(disabled):crypto", stdin: no files
  const dirs = new Set();
  for (const rel of files) {
    for (let d = path.dirname(path.resolve(root, rel)); ; d = path.dirname(d)) {
      dirs.add(path.relative(root, d) || ".");
      if (d === root || d === path.dirname(d) || !d.startsWith(root)) break;
    }
  }
  return { files: files.sort(), dirs: [...dirs].sort() };
}

/** The digests the cache checks: every input file's content and every directory's digest. */
function digests({ files, dirs }, root) {
  const out = { files: {}, dirs: {} };
  for (const rel of files) {
    const data = readOrNull(path.resolve(root, rel));
    out.files[rel] = data === null ? "missing" : sha(data);
  }
  for (const rel of dirs) out.dirs[rel] = directoryDigest(path.resolve(root, rel));
  return out;
}

/** The key of a build: its name, options (plugins by name), esbuild's version and the code that
 *  configures it (bundle.js with its plugin, and this file). */
function buildKey(name, options, esbuildVersion) {
  const opts = JSON.stringify(options, (k, v) => (k === "plugins" ? v.map((p) => p.name) : v));
  const code = [path.join(__dirname, "bundle.js"), __filename].map((f) => sha(readOrNull(f) || "missing"));
  return sha([name, opts, esbuildVersion, ...code].join("\0"));
}

/**
 * The bundle esbuild makes of `options` (entry points etc.; write, metafile and absWorkingDir are
 * set here), as a Buffer: from the cache when nothing it depends on changed, else built and saved.
 * Resolves {contents, cached}. `dir` is the cache directory (tests pass their own).
 */
async function cachedBundle(name, options, { dir = DEFAULT_DIR, root = ROOT } = {}) {
  const esbuild = require("esbuild");
  const key = buildKey(name, options, esbuild.version);
  const off = SETTING === "off" && dir === DEFAULT_DIR;
  const metaFile = path.join(dir, `${name}.json`);
  const outFile = path.join(dir, `${name}.js`);
  if (!off) {
    const hit = lookup(metaFile, outFile, key, root);
    if (hit) return { contents: hit, cached: true };
  }
  const r = await esbuild.build({ ...options, write: false, metafile: true, absWorkingDir: root });
  const contents = Buffer.from(r.outputFiles[0].contents);
  if (!off) save(metaFile, outFile, { key, ...digests(dependencies(r.metafile, root), root), output: sha(contents) }, contents);
  return { contents, cached: false };
}

/** The cached bundle if its record matches `key` and today's files, else null. */
function lookup(metaFile, outFile, key, root) {
  let meta;
  try {
    meta = JSON.parse(fs.readFileSync(metaFile, "utf8"));
  } catch {
    return null;
  }
  if (meta.key !== key || !meta.files || !meta.dirs) return null;
  const now = digests({ files: Object.keys(meta.files), dirs: Object.keys(meta.dirs) }, root);
  for (const kind of ["files", "dirs"]) {
    for (const [rel, digest] of Object.entries(meta[kind])) if (now[kind][rel] !== digest) return null;
  }
  const contents = readOrNull(outFile);
  return contents && sha(contents) === meta.output ? contents : null;
}

function save(metaFile, outFile, meta, contents) {
  try {
    fs.mkdirSync(path.dirname(metaFile), { recursive: true });
    // The bundle first, then its record: a record is never ahead of its bundle (and the output
    // digest catches a bundle replaced by a parallel writer's since).
    for (const [file, data] of [[outFile, contents], [metaFile, JSON.stringify(meta)]]) {
      const tmp = `${file}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, data);
      fs.renameSync(tmp, file);
    }
  } catch {
    // A read-only tree still works, uncached.
  }
}

module.exports = { cachedBundle, DEFAULT_DIR };
