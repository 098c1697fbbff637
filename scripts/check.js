#!/usr/bin/env node
// `npm run check`: `tsk check` over every kernel source, i.e. every non-declaration file that
// tsconfig.json includes (kernel/**/*.ts, the *.ktest.ts files too): the same files the editor
// plugin (compiler/plugin/) reports on, so the editor, this command and CI agree. Checking only
// what kernel/main.ts imports would let a forbidden construct in a test file through.
// `npm run check -- <file.ts>...` checks just those; `-p <tsconfig.json>` takes the files another
// config includes. Prints tsk's lines (`path(line,col): error
// TSKnnnn: message`, what .vscode/tasks.json's problem matcher reads) and exits 1 on any.
"use strict";
const path = require("path");

const ROOT = path.resolve(__dirname, "..");
const USAGE = `usage: npm run check [-- [-p <tsconfig.json>] | <file.ts>...]
  Checks every source file tsconfig.json includes (kernel/**/*.ts, tests too) with tsk's rules,
  or every one another config includes (-p), or the files named.`;

/** The non-declaration files tsconfig.json includes, relative to the repository. */
function projectSources(configPath = path.join(ROOT, "tsconfig.json"), cwd = process.cwd()) {
  // TypeScript only here, when a config is read: --help and usage errors answer without loading it.
  const ts = require("typescript");
  const host = {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => {
      throw new Error(`${configPath}: ${ts.flattenDiagnosticMessageText(d.messageText, " ")}`);
    },
  };
  const parsed = ts.getParsedCommandLineOfConfigFile(configPath, {}, host);
  if (parsed.errors.length) throw new Error(`${configPath}: ${ts.flattenDiagnosticMessageText(parsed.errors[0].messageText, " ")}`);
  return parsed.fileNames.filter((f) => !f.endsWith(".d.ts")).map((f) => path.relative(cwd, f));
}

/** Runs the command; returns its exit code. `io`: where it runs and writes (tests run it in process). */
function main(argv, { cwd = process.cwd(), log = console.log, error = console.error } = {}) {
  if (argv.includes("--help") || argv.includes("-h")) {
    log(USAGE);
    return 0;
  }
  let config;
  const p = argv.findIndex((a) => a === "-p" || a === "--project");
  if (p >= 0) {
    if (p + 1 >= argv.length || argv.length !== 2) {
      error(`check: -p takes one tsconfig.json and no files\n${USAGE}`);
      return 2;
    }
    config = path.resolve(cwd, argv[p + 1]);
    argv = [];
  }
  const unknown = argv.find((a) => a.startsWith("-"));
  if (unknown) {
    error(`check: unknown option ${unknown}\n${USAGE}`);
    return 2;
  }
  let files = argv;
  if (!files.length) {
    try {
      files = projectSources(config, cwd);
    } catch (e) {
      error(`check: ${e.message}`);
      return 2;
    }
  }
  if (!files.length) {
    error(`check: ${config ?? "tsconfig.json"} includes no source file`);
    return 2;
  }
  const t0 = Date.now();
  const { check } = require("tsk");
  const { diagnostics, text } = check(files, cwd);
  if (diagnostics.length) {
    error(text);
    error(`check: ${diagnostics.length} diagnostic(s) in ${files.length} file(s) and their imports`);
    return 1;
  }
  log(`check: ${files.length} file(s) and their imports follow the subset (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  return 0;
}

if (require.main === module) {
  // As bin/tsk.js runs (compiler/node/command.js): TypeScript from V8's code cache, no source maps,
  // an exit once the output is out.
  require("../compiler/node/command").runCommand(() => main(process.argv.slice(2)), (e) => {
    console.error(`check: ${e.message}`);
    return 2;
  });
}

module.exports = { main, projectSources };
