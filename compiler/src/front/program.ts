// Loading a subset program: TypeScript's own parser and checker over the entry and everything it
// imports, tsc's diagnostics first, then the module graph in dependency order for the emitter.
import * as ts from "typescript";
import * as path from "path";
import { Diagnostics } from "./diagnostics";
import { components } from "./graph";

export const PRELUDE = path.resolve(__dirname, "../../lib/prelude.d.ts");

export const COMPILER_OPTIONS: ts.CompilerOptions = {
  strict: true,
  noImplicitReturns: true,
  noEmit: true,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.Preserve,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  lib: ["lib.es2022.d.ts"],
  types: [],
  skipLibCheck: true,
};

export interface Loaded {
  program: ts.Program;
  checker: ts.TypeChecker;
  /** Modules to compile, each after the modules it imports (intrinsics modules excluded). */
  modules: ts.SourceFile[];
  /** The directory module names are made relative to (the entry's). */
  root: string;
  /** The first file named: its exported functions keep their own names in C. */
  entry: ts.SourceFile;
  /** True when `a` and `b` import each other, directly or through other modules. */
  inCycleWith(a: ts.SourceFile, b: ts.SourceFile): boolean;
}

/** A module whose header says `@tsk-intrinsics`: its functions are machine intrinsics. */
export function isIntrinsicsModule(sf: ts.SourceFile): boolean {
  return /^\s*\/\/\s*@tsk-intrinsics\b/.test(sf.text);
}

// The subset's rules ask about the file of nearly every symbol they meet: path.resolve once per file,
// not once per question (it was ~8 % of a cold kernel check's rules).
const preludeFiles = new WeakMap<ts.SourceFile, boolean>();

export function isPrelude(sf: ts.SourceFile): boolean {
  let is = preludeFiles.get(sf);
  if (is === undefined) preludeFiles.set(sf, (is = path.resolve(sf.fileName) === PRELUDE));
  return is;
}

// TypeScript's own library files (lib.es2022.d.ts and the files it references) never change while
// a process runs, and parsing them is most of the cost of a small program: the test suites compile
// hundreds. One parse per process, shared by every program (a SourceFile is immutable once made).
// They are parsed as tsc parses every file (JSDocParsingMode.ParseForTypeErrors: a .d.ts file's doc
// comments are skipped unless they hold @see/@link), which makes no difference to any diagnostic
// and saves a third of a cold `tsk check`'s parsing. The program's own modules keep their doc
// comments: the subset reads tags from them (@extern).
const libSources = new Map<string, ts.SourceFile>();
// The program's own modules, kept for the process's next program (`npm run watch`'s next round, the
// test suites' next compile): a module whose text is unchanged is handed back as the same
// SourceFile, neither parsed nor bound again, as a language service reuses them between edits
// (every program here has the same options, so the parse and the binding are the same). Bounded:
// a test process compiles thousands of small generated modules.
const moduleSources = new Map<string, ts.SourceFile>();
const MAX_MODULE_SOURCES = 2000;
let host: ts.CompilerHost | undefined;

/** Whether `sf` was parsed as `languageVersion` (a target or tsc's parse options) asks. */
function parsedAs(sf: ts.SourceFile, languageVersion: ts.ScriptTarget | ts.CreateSourceFileOptions): boolean {
  const o = typeof languageVersion === "object" ? languageVersion : { languageVersion };
  return sf.languageVersion === o.languageVersion && sf.impliedNodeFormat === o.impliedNodeFormat &&
    (sf as { jsDocParsingMode?: ts.JSDocParsingMode }).jsDocParsingMode === (o.jsDocParsingMode ?? ts.JSDocParsingMode.ParseAll);
}

function compilerHost(): ts.CompilerHost {
  if (host) return host;
  const base = ts.createCompilerHost(COMPILER_OPTIONS);
  const libDir = path.dirname(ts.getDefaultLibFilePath(COMPILER_OPTIONS));
  host = {
    ...base,
    getSourceFile(fileName, languageVersion, onError, shouldCreate) {
      if (path.dirname(path.resolve(fileName)) !== libDir) {
        const old = moduleSources.get(fileName);
        if (old && !shouldCreate && parsedAs(old, languageVersion) && base.readFile(fileName) === old.text) return old;
        const sf = base.getSourceFile(fileName, languageVersion, onError, shouldCreate);
        moduleSources.delete(fileName);
        if (sf) moduleSources.set(fileName, sf);
        if (moduleSources.size > MAX_MODULE_SOURCES) moduleSources.delete(moduleSources.keys().next().value!);
        return sf;
      }
      let sf = libSources.get(fileName);
      if (!sf) {
        const asTsc = typeof languageVersion === "object" ? languageVersion : { languageVersion };
        sf = base.getSourceFile(fileName, { ...asTsc, jsDocParsingMode: ts.JSDocParsingMode.ParseForTypeErrors }, onError, shouldCreate);
        if (sf) libSources.set(fileName, sf);
      }
      return sf;
    },
  };
  return host;
}

/** Parse and type-check `entries` with tsc; report its errors; order the modules. */
export function load(entries: string[], diags: Diagnostics): Loaded {
  const files = entries.map((e) => path.resolve(e));
  const resolutions = resolutionCache();
  const program = programFor(files, resolutions);
  for (const d of program.getOptionsDiagnostics()) diags.addTs(d);
  for (const d of program.getGlobalDiagnostics()) diags.addTs(d);
  return loadProgram(program, files, diags, { resolutions });
}

/** The ts.Program `load` checks for `entries` (TypeScript's parse and checker, nothing run yet): for
 *  a caller compiling one program through several backends (compileProgramWith), which then pays
 *  for tsc's checking once. */
export function programFor(entries: string[], resolutions = resolutionCache()): ts.Program {
  const files = entries.map((e) => path.resolve(e));
  // Root files in dependency order (each after the modules it imports): TypeScript's own loader
  // follows imports recursively, and would overflow the stack on a long import chain otherwise.
  return ts.createProgram([...dependencyOrder(files, resolutions), ...files, PRELUDE], COMPILER_OPTIONS, compilerHost());
}

/** The module graph of an existing program from `rootFiles` (the entry first), with tsc's
 *  diagnostics for every module reached unless `tsDiagnostics` is false (an editor's program: its
 *  owner shows tsc's errors already, and checking every imported module per keystroke would be
 *  most of the editor's cost). */
export function loadProgram(program: ts.Program, rootFiles: readonly string[], diags: Diagnostics,
  { tsDiagnostics = true, resolutions = resolutionCache() }: { tsDiagnostics?: boolean; resolutions?: ts.ModuleResolutionCache } = {}): Loaded {
  const files = rootFiles.map((f) => path.resolve(f));
  const checker = program.getTypeChecker();
  const modules: ts.SourceFile[] = [];
  const seen = new Set<string>();
  const imports = new Map<ts.SourceFile, ts.SourceFile[]>();
  // Depth-first, post-order (each module after those it imports), iterative: an import chain may
  // be longer than the compiler's own stack.
  const visit = (root: ts.SourceFile): void => {
    const frames: { sf: ts.SourceFile; deps: ts.SourceFile[]; i: number }[] = [];
    const enter = (sf: ts.SourceFile): void => {
      seen.add(sf.fileName);
      if (tsDiagnostics) {
        for (const d of program.getSyntacticDiagnostics(sf)) diags.addTs(d);
        for (const d of program.getSemanticDiagnostics(sf)) diags.addTs(d);
      }
      if (isIntrinsicsModule(sf)) return;
      const deps = importsOf(sf, program, diags, resolutions);
      imports.set(sf, deps);
      frames.push({ sf, deps, i: 0 });
    };
    enter(root);
    while (frames.length) {
      const f = frames[frames.length - 1];
      if (f.i < f.deps.length) {
        const d = f.deps[f.i++];
        if (!seen.has(d.fileName)) enter(d);
        continue;
      }
      frames.pop();
      modules.push(f.sf);
    }
  };
  for (const f of files) {
    const sf = program.getSourceFile(f);
    if (!sf) throw new Error(`tsk: cannot read ${f}`);
    if (!seen.has(sf.fileName)) visit(sf);
  }
  const entry = program.getSourceFile(files[0])!;
  const comp = components(modules, (m) => imports.get(m) ?? []);
  const inCycleWith = (a: ts.SourceFile, b: ts.SourceFile) => comp.has(a) && comp.get(a) === comp.get(b);
  return { program, checker, modules, root: path.dirname(files[0]), entry, inCycleWith };
}

/** A cache of module resolutions for one load: the import walk before the program and the module
 *  graph after it resolve the same names from the same directories (the files do not change in
 *  between, as TypeScript's program assumes too). */
function resolutionCache(): ts.ModuleResolutionCache {
  const canonical = ts.sys.useCaseSensitiveFileNames ? (f: string) => f : (f: string) => f.toLowerCase();
  return ts.createModuleResolutionCache(process.cwd(), canonical, COMPILER_OPTIONS);
}

/** The source files `sf` imports; anything that is not a relative .ts module is an error. */
function importsOf(sf: ts.SourceFile, program: ts.Program, diags: Diagnostics, resolutions: ts.ModuleResolutionCache): ts.SourceFile[] {
  const out: ts.SourceFile[] = [];
  for (const stmt of sf.statements) {
    if (!ts.isImportDeclaration(stmt) && !(ts.isExportDeclaration(stmt) && stmt.moduleSpecifier)) continue;
    const spec = stmt.moduleSpecifier;
    if (!spec || !ts.isStringLiteral(spec)) continue;
    if (/\.(m|c)?jsx?$/.test(spec.text)) {
      diags.error(spec, "TSK1021", `'${spec.text}': import the module without an extension, e.g. "${spec.text.replace(/\.(m|c)?jsx?$/, "")}" (Node loads the .ts file under that name)`);
      continue;
    }
    if (!spec.text.startsWith(".")) {
      diags.error(spec, "TSK1021", `'${spec.text}' is not a module of this program: import kernel modules by relative path, e.g. "./arch/serial"`);
      continue;
    }
    const resolved = ts.resolveModuleName(spec.text, sf.fileName, COMPILER_OPTIONS, ts.sys, resolutions).resolvedModule;
    const target = resolved && program.getSourceFile(resolved.resolvedFileName);
    if (!resolved || !target || resolved.extension !== ts.Extension.Ts) {
      diags.error(spec, "TSK1021", `'${spec.text}' does not resolve to a .ts module of the program: import a .ts file by its relative path, without extension`);
      continue;
    }
    out.push(target);
  }
  return out;
}

/** The .ts modules reachable from `files` by relative imports, each after those it imports (an
 *  iterative walk over TypeScript's pre-parser: no type checking, no recursion). */
function dependencyOrder(files: string[], resolutions: ts.ModuleResolutionCache): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const importsOf = (file: string): string[] => {
    let text: string;
    try {
      text = ts.sys.readFile(file) ?? "";
    } catch {
      return [];
    }
    const deps: string[] = [];
    for (const ref of ts.preProcessFile(text, true, false).importedFiles) {
      if (!ref.fileName.startsWith(".")) continue;
      const r = ts.resolveModuleName(ref.fileName, file, COMPILER_OPTIONS, ts.sys, resolutions).resolvedModule;
      if (r && r.extension === ts.Extension.Ts) deps.push(path.resolve(r.resolvedFileName));
    }
    return deps;
  };
  for (const root of files) {
    if (seen.has(root)) continue;
    seen.add(root);
    const frames = [{ file: root, deps: importsOf(root), i: 0 }];
    while (frames.length) {
      const f = frames[frames.length - 1];
      if (f.i < f.deps.length) {
        const d = f.deps[f.i++];
        if (!seen.has(d)) {
          seen.add(d);
          frames.push({ file: d, deps: importsOf(d), i: 0 });
        }
        continue;
      }
      frames.pop();
      out.push(f.file);
    }
  }
  return out;
}
