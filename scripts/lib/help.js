// `--help` (or `-h`) for every command of the project: prints the command's own header comment,
// which is where each script says what it does and what it takes, and exits 0. One place, so no
// command can forget it or run its real work when asked for help.
"use strict";
const fs = require("fs");

/** If the arguments ask for help, print `file`'s header comment and exit 0. */
function helpFromHeader(file, argv = process.argv.slice(2)) {
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
