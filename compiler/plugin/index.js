// `tsk/plugin`: a TypeScript language-service plugin that adds the subset's diagnostics (TSK1001...)
// to tsserver's semantic diagnostics, so every tsserver editor (VS Code, Neovim, Emacs, Sublime...)
// underlines subset violations as the user types. Enabled by tsconfig.json's
// `"plugins": [{ "name": "tsk/plugin" }]`; docs/editor.md says how each editor picks it up.
//
// What it checks: the configured project's own source files (tsconfig.json's "include", which is
// what `npm run check` checks too), together as `tsk check <files>` would, on the language
// service's current program (no second parse), once per program version. tsc's diagnostics are
// tsserver's already and are not repeated. The compiler is reached only through ../node/api.js.
// A failure in it never reaches tsserver: it is logged to tsserver's log and the editor gets tsc's
// diagnostics unchanged.
"use strict";
const path = require("path");

/** The compiler's API, loaded on first use (it transpiles the compiler: a second or two). */
let api;
function compilerApi() {
  if (!api) api = require("../node/api");
  return api;
}

function init(modules) {
  const ts = modules.typescript;

  function create(info) {
    const logger = info.project.projectService.logger;
    const log = (msg) => logger.info(`tsk plugin: ${msg}`);
    const logError = (msg) => (ts.server && ts.server.Msg ? logger.msg(`tsk plugin: ${msg}`, ts.server.Msg.Err) : logger.info(`tsk plugin: ${msg}`));
    const ls = info.languageService;

    // Every method delegates to the language service; getSemanticDiagnostics adds the subset's.
    const proxy = Object.create(null);
    for (const k of Object.keys(ls)) {
      const f = ls[k];
      proxy[k] = typeof f === "function" ? (...args) => f.apply(ls, args) : f;
    }

    // One check per program: the project's sources together, as `npm run check` checks them
    // (program-wide rules such as an enum declared twice see every module), its results kept for
    // every file. tsserver asks again for unchanged files (other open files, code fixes); a new
    // program object means something changed.
    const cache = new WeakMap();
    let disabled = false;

    proxy.getSemanticDiagnostics = (fileName) => {
      const original = ls.getSemanticDiagnostics(fileName);
      if (disabled) return original;
      try {
        const program = ls.getProgram();
        if (!program) return original;
        const sf = program.getSourceFile(fileName);
        const sources = projectSources(program);
        if (!sf || !sources.includes(path.resolve(sf.fileName))) return original;
        let byFile = cache.get(program);
        if (!byFile) {
          cache.set(program, new Map()); // a failure is logged once per program, not per request
          cache.set(program, (byFile = subset(program, sources)));
        }
        const extra = byFile.get(path.resolve(sf.fileName)) || [];
        return extra.length ? [...original, ...extra] : original;
      } catch (e) {
        logError(`cannot check ${fileName}: ${(e && e.stack) || e}`);
        return original;
      }
    };

    /** The subset's diagnostics of `sources`, as ts.Diagnostics by file. */
    function subset(program, sources) {
      const byFile = new Map();
      const compiler = compilerApi();
      // The compiler walks nodes with its own `typescript`: SyntaxKind numbers differ between
      // versions, so a program from another TypeScript (an editor's bundled one) is not read.
      if (compiler.typescriptVersion !== ts.version) {
        disabled = true;
        logError(`disabled: this tsserver runs TypeScript ${ts.version}, tsk is built on ${compiler.typescriptVersion}; select the workspace's TypeScript (docs/editor.md)`);
        return byFile;
      }
      const t0 = Date.now();
      const found = compiler.subsetDiagnostics(program, sources);
      for (const d of found) {
        const file = path.resolve(d.file);
        const sf = program.getSourceFile(d.file);
        if (!sf) continue;
        if (!byFile.has(file)) byFile.set(file, []);
        byFile.get(file).push({
          file: sf,
          start: d.start,
          length: d.length,
          messageText: d.message,
          category: ts.DiagnosticCategory.Error,
          // TSK1003 -> 1003 under source "tsk": editors show it as tsk(1003), apart from tsc's TS1003.
          code: Number(d.code.slice(3)),
          source: "tsk",
        });
      }
      log(`checked ${sources.length} file(s): ${found.length} subset diagnostic(s) (${Date.now() - t0} ms)`);
      return byFile;
    }

    log(`enabled for ${info.project.getProjectName()}`);
    return proxy;
  }

  return { create };
}

/** The files the project names itself (tsconfig's "include"/"files") but declaration files: the
 *  kernel sources, as `npm run check` sees them. Absolute paths. */
function projectSources(program) {
  return program
    .getRootFileNames()
    .filter((f) => !/\.d\.[cm]?ts$/.test(f))
    .map((f) => path.resolve(f));
}

module.exports = init;
