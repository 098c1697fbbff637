#!/usr/bin/env node
// The linker's command line, taking the ld flags tsk's build uses (and objcopy's job):
//   node toolchain/link/cli.js -T script.ld [--defsym NAME=value]... -o out.elf [--binary out.bin] objs...
// `-m elf_i386` is accepted and checked (the only emulation). Errors go to stderr as
// `link: message` and the exit status is 1; no output file is left behind on failure.
"use strict";
const fs = require("fs");
const { link, LinkError } = require("./link");

const USAGE = "usage: cli.js [-m elf_i386] -T script.ld [--defsym NAME=value] -o out.elf [--binary out.bin] objects...";

function parseArgs(argv) {
  const o = { script: null, out: null, binary: null, defsyms: {}, objects: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) throw new LinkError(`option ${a} requires an argument`);
      return argv[++i];
    };
    if (a === "-T") o.script = value();
    else if (a.startsWith("-T") && a.length > 2) o.script = a.slice(2);
    else if (a === "-o") o.out = value();
    else if (a === "--binary") o.binary = value();
    else if (a === "-m") {
      const m = value();
      if (m !== "elf_i386") throw new LinkError(`unsupported emulation -m ${m} (elf_i386 only)`);
    } else if (a === "--defsym" || a.startsWith("--defsym=")) {
      const d = a === "--defsym" ? value() : a.slice("--defsym=".length);
      const eq = d.indexOf("=");
      if (eq <= 0) throw new LinkError(`--defsym ${d}: expected NAME=value`);
      o.defsyms[d.slice(0, eq)] = d.slice(eq + 1);
    } else if (a === "-h" || a === "--help") {
      process.stdout.write(`${USAGE}\n`);
      process.exit(0);
    } else if (a.startsWith("-")) throw new LinkError(`unrecognised option ${a}`);
    else o.objects.push(a);
  }
  if (!o.script) throw new LinkError("no linker script (-T)");
  if (!o.out) throw new LinkError("no output file (-o)");
  if (!o.objects.length) throw new LinkError("no input files");
  return o;
}

function readFile(path, what) {
  try {
    return fs.readFileSync(path);
  } catch (e) {
    throw new LinkError(`cannot read ${what} ${path}: ${e.code === "ENOENT" ? "no such file" : e.message}`);
  }
}

/**
 * The linker on files, for the build (in process, no child): script and objects are paths (scriptName:
 * how messages name the script), elf and binary the outputs (binary optional), defsyms {NAME: value}. Throws LinkError; writes nothing
 * then. Returns link()'s result.
 */
function linkFiles({ script, scriptName = script, objects, defsyms = {}, elf, binary }) {
  const r = link({
    script: readFile(script, "linker script").toString("utf8"), scriptName,
    objects: objects.map((name) => ({ name, bytes: readFile(name, "object") })), defsyms,
  });
  for (const [file, bytes] of [[elf, r.elf], [binary, r.binary]]) {
    if (!file) continue;
    fs.writeFileSync(`${file}.tmp`, bytes, { mode: 0o755 });
    fs.renameSync(`${file}.tmp`, file);
  }
  return r;
}

function main(argv) {
  try {
    const o = parseArgs(argv);
    linkFiles({ script: o.script, objects: o.objects, defsyms: o.defsyms, elf: o.out, binary: o.binary });
    return 0;
  } catch (e) {
    if (!(e instanceof LinkError)) throw e;
    process.stderr.write(`link: ${e.message}\n`);
    return 1;
  }
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));

module.exports = { main, parseArgs, linkFiles };
