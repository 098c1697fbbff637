// The `tsk` command line (architecture.md §2, a contract):
//   tsk check <file.ts>…          diagnostics, exit 1 if any
//   tsk emit <entry.ts> -o <out.c> the C for the entry and its imports
//   tsk run <file.ts>             build natively for the host, run, print main()'s u32 result
import * as fs from "fs";
// The compiler (and TypeScript, ~0.5 s to load) only for a command that compiles: --help and
// usage errors answer at once.
type Compiler = typeof import("./compile");
// eslint-disable-next-line @typescript-eslint/no-var-requires
const compiler = (): Compiler => require("./compile");

const USAGE = `usage: tsk check <file.ts>...
       tsk emit <entry.ts> -o <out.c>
       tsk run <file.ts>`;

export function main(argv: string[]): number {
  if (argv.includes("--help") || argv.includes("-h")) {
    console.log(USAGE);
    return 0;
  }
  const [cmd, ...rest] = argv;
  const { buildHost, check, compile, format } = cmd === "check" || cmd === "emit" || cmd === "run" ? compiler() : ({} as Compiler);
  switch (cmd) {
    case "check": {
      if (!rest.length) return usage();
      const diagnostics = check(rest);
      if (diagnostics.length) {
        console.error(format(diagnostics));
        return 1;
      }
      return 0;
    }
    case "emit": {
      const o = rest.indexOf("-o");
      if (o < 0 || o + 1 >= rest.length) return usage();
      const out = rest[o + 1];
      const files = rest.filter((_, i) => i !== o && i !== o + 1);
      if (files.length !== 1) return usage();
      const r = compile(files, "kernel");
      if (!r.c) {
        console.error(format(r.diagnostics));
        return 1;
      }
      try {
        fs.writeFileSync(out, r.c);
      } catch (e) {
        console.error(`tsk: cannot write ${out}: ${(e as Error).message}`);
        return 1;
      }
      return 0;
    }
    case "run": {
      if (rest.length !== 1) return usage();
      const r = compile(rest, "host");
      if (!r.c) {
        console.error(format(r.diagnostics));
        return 1;
      }
      const exe = buildHost(r.c);
      // child_process (and the net and dgram modules it loads) only for `run`: not at every check.
      // eslint-disable-next-line @typescript-eslint/no-var-requires
      const { spawnSync } = require("child_process") as typeof import("child_process");
      const p = spawnSync(exe, [], { stdio: "inherit" });
      return p.status ?? 1;
    }
    default:
      return usage();
  }
}

function usage(): number {
  console.error(USAGE);
  return 2;
}
