// The page's file system: the repository's sources the server sent (kernel/**/*.ts and the
// assembly the loader needs, compiler/lib/prelude.d.ts, TypeScript's lib .d.ts files), edited in
// place by the editor, under ROOT as if the repository were checked out at /tsk. Gives TypeScript
// both a ts.System (the compiler's front end resolves imports through ts.sys, which is undefined in
// a browser) and a ts.CompilerHost that keeps parsed SourceFiles while their text is unchanged.
import * as ts from "typescript";

export const ROOT = "/tsk";
export const TS_LIB_DIR = `${ROOT}/node_modules/typescript/lib`;

export class Vfs {
  /** files: {repo-relative path: text}; libs: {lib file name: text}. */
  constructor(files, libs) {
    this.files = new Map();
    for (const [rel, text] of Object.entries(files)) this.files.set(`${ROOT}/${rel}`, text);
    for (const [name, text] of Object.entries(libs)) this.files.set(`${TS_LIB_DIR}/${name}`, text);
    this.parsed = new Map(); // path -> {text, sf}
    this.version = 0; // bumped by every write that changes a file
  }

  abs(rel) { return rel.startsWith("/") ? rel : `${ROOT}/${rel}`; }
  read(rel) { return this.files.get(this.abs(rel)); }
  write(rel, text) {
    if (this.files.get(this.abs(rel)) === text) return;
    this.files.set(this.abs(rel), text);
    this.version++;
  }

  directoryExists(dir) {
    const d = dir.endsWith("/") ? dir : `${dir}/`;
    for (const f of this.files.keys()) if (f.startsWith(d)) return true;
    return false;
  }

  getDirectories(dir) {
    const d = dir.endsWith("/") ? dir : `${dir}/`;
    const out = new Set();
    for (const f of this.files.keys()) {
      if (f.startsWith(d) && f.indexOf("/", d.length) > 0) out.add(f.slice(d.length, f.indexOf("/", d.length)));
    }
    return [...out];
  }

  /** A ts.System over these files (read-only: nothing the checker does writes). */
  system() {
    const refuse = (what) => () => { throw new Error(`${what}: the page's file system is read-only`); };
    return {
      args: [], newLine: "\n", useCaseSensitiveFileNames: true,
      write: () => {}, writeOutputIsTTY: () => false,
      readFile: (p) => this.files.get(p),
      writeFile: refuse("writeFile"),
      resolvePath: (p) => p,
      fileExists: (p) => this.files.has(p),
      directoryExists: (d) => this.directoryExists(d),
      createDirectory: refuse("createDirectory"),
      getExecutingFilePath: () => `${TS_LIB_DIR}/typescript.js`,
      getCurrentDirectory: () => ROOT,
      getDirectories: (d) => this.getDirectories(d),
      readDirectory: () => [],
      realpath: (p) => p,
      exit: refuse("exit"),
      getEnvironmentVariable: () => "",
    };
  }

  /** A CompilerHost for ts.createProgram; SourceFiles are reused while their text is the same. */
  host(options) {
    return {
      getSourceFile: (fileName) => {
        const text = this.files.get(fileName);
        if (text === undefined) return undefined;
        const had = this.parsed.get(fileName);
        if (had && had.text === text) return had.sf;
        const sf = ts.createSourceFile(fileName, text, options.target);
        this.parsed.set(fileName, { text, sf });
        return sf;
      },
      getDefaultLibFileName: (o) => `${TS_LIB_DIR}/${ts.getDefaultLibFileName(o)}`,
      getDefaultLibLocation: () => TS_LIB_DIR,
      writeFile: () => {},
      getCurrentDirectory: () => ROOT,
      getCanonicalFileName: (f) => f,
      useCaseSensitiveFileNames: () => true,
      getNewLine: () => "\n",
      fileExists: (f) => this.files.has(f),
      readFile: (f) => this.files.get(f),
      directoryExists: (d) => this.directoryExists(d),
      getDirectories: (d) => this.getDirectories(d),
      realpath: (p) => p,
    };
  }
}
