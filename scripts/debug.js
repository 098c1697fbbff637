#!/usr/bin/env node
// `npm run debug`: builds build/tsk.img if needed, starts QEMU halted with a gdb stub (-S, TCG,
// serial console on this terminal) and gdb on build/kernel.elf, stopped at kmain:
//
//   target remote :1234 / hbreak kmain / continue
//
// `hbreak`, not `break`: at -S the kernel is not in memory yet; stage 2 copies it to 1 MiB later,
// over the int3 a software breakpoint would have written there, so `break kmain` is silently lost.
// A hardware breakpoint (a debug register) watches the address instead; QEMU offers 4. Once kmain
// runs, the kernel stays put and `break` works for everything else. The C carries #line directives,
// so gdb's `list`, `step`, `bt` and `info line` speak TypeScript (kernel/*.ts). A JavaScript-toolchain
// build (`TSK_TOOLCHAIN=js npm run debug`) carries DWARF the build wrote itself from the i386
// backend's line map (scripts/lib/jsdwarf.js): the same, with functions under their .ts names.
//
// Options: --dir <build dir> (default build), --port <gdb port> (default 1234), --kernel-only (no
// gdb: print the QEMU command and wait, for another debugger). Every other argument, and all after
// a `--`, goes to gdb: `npm run debug -- -batch -ex bt` (npm itself eats the first `--`).
"use strict";
require("./lib/help").helpFromHeader(__filename);
const path = require("path");
const { spawn, spawnSync } = require("child_process");
const { buildIfNeeded, BuildError, checkTools, ROOT } = require("./lib/build");
const { qemuArgs, optionsFromEnv, QEMU } = require("./lib/qemu");

function parse(argv) {
  const opts = { dir: "build", port: 1234, gdbArgs: [], kernelOnly: false };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--") {
      opts.gdbArgs = argv.slice(i + 1);
      break;
    } else if (argv[i] === "--dir" && i + 1 < argv.length) opts.dir = argv[++i];
    else if (argv[i] === "--port" && i + 1 < argv.length) opts.port = Number(argv[++i]);
    else if (argv[i] === "--kernel-only") opts.kernelOnly = true;
    else if (argv[i] === "--dir" || argv[i] === "--port") throw new Error(`${argv[i]} needs a value`);
    else {
      opts.gdbArgs = argv.slice(i);
      break;
    }
  }
  return opts;
}

function main(argv) {
  let opts;
  let machine;
  try {
    opts = parse(argv);
    machine = optionsFromEnv();
    checkTools([QEMU, ...(opts.kernelOnly ? [] : ["gdb"])]);
    buildIfNeeded({ dir: opts.dir, log: (l) => console.error(l) });
  } catch (e) {
    console.error(e instanceof BuildError ? `[build] error: ${e.message}` : `debug: ${e.message}`);
    return Promise.resolve(1);
  }
  const image = path.join(opts.dir, "tsk.img");
  const elf = path.join(opts.dir, "kernel.elf");
  const args = qemuArgs({ image, ...machine, accel: "tcg", args: ["-S", "-gdb", `tcp:127.0.0.1:${opts.port}`] });
  const qemu = spawn(QEMU, args, { cwd: ROOT, stdio: ["ignore", "inherit", "inherit"] });
  console.error(`debug: ${QEMU} ${args.join(" ")}`);
  if (opts.kernelOnly) {
    return new Promise((resolve) => qemu.on("close", () => resolve(0)));
  }
  const gdb = [
    "-q", "-nx",
    "-ex", "set pagination off",
    "-ex", "set confirm off",
    "-ex", `file ${elf}`,
    "-ex", "set architecture i386",
    "-ex", `target remote 127.0.0.1:${opts.port}`,
    "-ex", "hbreak kmain",
    "-ex", "continue",
    ...opts.gdbArgs,
  ];
  const r = spawnSync("gdb", gdb, { cwd: ROOT, stdio: "inherit" });
  qemu.kill("SIGKILL");
  if (r.error) {
    console.error(`debug: cannot run gdb: ${r.error.message}`);
    return Promise.resolve(1);
  }
  return Promise.resolve(r.status === null ? 1 : r.status);
}

main(process.argv.slice(2)).then((code) => { process.exitCode = code; });
