// `--help` (or `-h`) for every command of the project: prints the command's own header comment,
// which is where each script says what it does and what it takes, and exits 0. One place, so no
// command can forget it or run its real work when asked for help.
"use strict";
const fs = require("fs");

/** If the arguments ask for help, print `file`'s header comment and exit 0 — only when `file` is
 *  the program being run: several commands are also libraries of others (gen-boot-info.js of the
 *  build, bench/compiler.js of the bench), and a library must not answer its caller's --help. */
function helpFromHeader(file, argv = process.argv.slice(2)) {
  if (!require.main || require.main.filename !== file) return;
  if (!argv.includes("--help") && !argv.includes("-h")) return;
  const lines = fs.readFileSync(file, "utf8").split("\n");
  const out = [];
  for (const l of lines) {
    if (l.startsWith("#!")) continue;
    const m = /^\/\/ ?(.*)$/.exec(l);
    if (!m) break;
    out.push(m[1]);
  }
  process.stdout.write(`${out.join("\n")}\n`);
  process.exit(0);
}

module.exports = { helpFromHeader };
