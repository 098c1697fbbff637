#!/usr/bin/env node
// The assembler's command line, taking the nasm flags tsk's build uses:
//   node toolchain/asm/cli.js -f bin|elf32 [-I dir/]... [-DNAME[=value]]... [-Werror] src -o out
// Errors go to stderr as `file:line: error: message` and the exit status is 1, as with nasm; no
// output file is left behind on failure.
"use strict";
require("../../scripts/lib/help").helpFromHeader(__filename);
const fs = require("fs");
const { assemble } = require("./assemble");
const { AsmError } = require("./errors");

const USAGE = "usage: cli.js -f bin|elf32 [-I dir/] [-DNAME[=value]] [-Werror] src -o out";

/** argv (without node and the script) -> {format, includeDirs, defines, src, out}. */
function parseArgs(argv) {
  const o = { format: "bin", includeDirs: [], defines: {}, src: null, out: null, werror: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = (flag) => {
      if (a.length > flag.length) return a.slice(flag.length);
      if (i + 1 >= argv.length) throw new Error(`option \`${flag}' requires an argument`);
      return argv[++i];
    };
    if (a.startsWith("-f")) o.format = value("-f");
    else if (a.startsWith("-I") || a.startsWith("-i")) o.includeDirs.push(value(a.slice(0, 2)));
    else if (a.startsWith("-D") || a.startsWith("-d")) {
      const d = value(a.slice(0, 2));
      const eq = d.indexOf("=");
      if (eq === 0) throw new Error(`bad define \`${d}'`);
      if (eq < 0) o.defines[d] = "";
      else o.defines[d.slice(0, eq)] = d.slice(eq + 1);
    } else if (a.startsWith("-o")) o.out = value("-o");
    else if (a === "-Werror") o.werror = true;
    else if (a.startsWith("-")) throw new Error(`unrecognised option \`${a}'`);
    else if (o.src) throw new Error(`more than one input file specified (\`${o.src}' and \`${a}')`);
    else o.src = a;
  }
  if (!o.src) throw new Error("no input file specified");
  if (!o.out) {
    o.out = o.src.replace(/\.[^./]*$/, "") + (o.format === "bin" ? "" : ".o");
    if (o.out === o.src) throw new Error("no output file specified (-o)");
  }
  return o;
}

function main(argv) {
  let o;
  try {
    o = parseArgs(argv);
  } catch (e) {
    process.stderr.write(`cli.js: error: ${e.message}\n${USAGE}\n`);
    return 1;
  }
  try {
    const bytes = assemble({ file: o.src, format: o.format, includeDirs: o.includeDirs, defines: o.defines, werror: o.werror,
      cwd: process.cwd(), onWarning: (w) => process.stderr.write(`${w.format()}\n`) });
    fs.writeFileSync(o.out, bytes);
    return 0;
  } catch (e) {
    if (!(e instanceof AsmError)) throw e;
    process.stderr.write(`${e.format()}\n`);
    try { fs.unlinkSync(o.out); } catch {}
    return 1;
  }
}

module.exports = { parseArgs, main };

if (require.main === module) process.exitCode = main(process.argv.slice(2));
