#!/usr/bin/env node
// node scripts/v86-boot.js [--mem 128M] <disk image>
// Boots a disk image in v86 (in this process; scripts/lib/emulator.js spawns it as QEMU would be
// spawned) with COM1 on stdout, and exits as QEMU's isa-debug-exit does: (value << 1) | 1 for the
// byte the kernel writes to port 0xf4 (33 success, 35 failure). Ends QEMU has no code for:
// scripts/lib/v86.js's V86_EXIT (v86 crashed, `cli; hlt`, bad arguments). It runs until one of
// those happens (a triple fault makes v86 spin, not reset): the caller owns the timeout and kills it.
"use strict";
require("./lib/help").helpFromHeader(__filename);
const fs = require("fs");
const path = require("path");
const { v86MemBytes, V86_EXIT, BIOS } = require("./lib/v86");

const EXIT_PORT = 0xf4;
const USAGE = "usage: node scripts/v86-boot.js [--mem SIZE] <disk image>";

let out = [];
let flushing = null;
/** Writes the serial bytes held so far; resolves when stdout has taken them. */
function flush() {
  if (!out.length) return flushing || Promise.resolve();
  const chunk = Buffer.from(out);
  out = [];
  flushing = new Promise((resolve) => process.stdout.write(chunk, () => resolve()));
  return flushing;
}

let ending = false;
/** Ends the process with `code` once every serial byte is out (and `why` on stderr, if any). */
function end(code, why) {
  if (ending) return;
  ending = true;
  if (why) process.stderr.write(`v86: ${why}\n`);
  flush().then(() => process.exit(code));
}

// A fault v86 does not model can surface as an exception from its wasm (e.g. "RuntimeError:
// Unimplemented: #GP handler"), thrown from v86's own timers: a verdict about the run, not a bug here.
// One line, no stack trace (v86 prints its own panic message, e.g. that one, on stderr first).
process.on("uncaughtException", (e) => end(V86_EXIT.CRASH, `crashed: ${e && e.name ? `${e.name}: ${e.message}` : e}`));
process.on("unhandledRejection", (e) => end(V86_EXIT.CRASH, `crashed: ${e && e.message ? e.message : e}`));

function parseArgs(argv) {
  let mem = "128M";
  let image = null;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--mem" && i + 1 < argv.length) mem = argv[++i];
    else if (argv[i].startsWith("-") || image !== null) throw new Error(USAGE);
    else image = argv[i];
  }
  if (image === null) throw new Error(USAGE);
  return { memory: v86MemBytes(mem), image };
}

async function main() {
  let opts;
  let disk;
  let bios;
  try {
    opts = parseArgs(process.argv.slice(2));
    disk = fs.readFileSync(opts.image);
    bios = fs.readFileSync(BIOS);
  } catch (e) {
    return end(V86_EXIT.USAGE, e.code === "ENOENT" ? `no such file: ${e.path}` : e.message);
  }
  const { V86 } = await import("v86");
  const wasm = path.join(path.dirname(require.resolve("v86/package.json")), "build/v86.wasm");
  const toArrayBuffer = (b) => b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength);
  const emu = new V86({
    wasm_path: wasm,
    bios: { buffer: toArrayBuffer(bios) },
    hda: { buffer: toArrayBuffer(disk) },
    memory_size: opts.memory,
    autostart: true,
    disable_keyboard: true,
    disable_mouse: true,
    disable_speaker: true,
  });
  emu.add_listener("serial0-output-byte", (b) => {
    out.push(b);
    if (b === 10 || out.length >= 4096) flush();
  });
  emu.add_listener("emulator-loaded", () => {
    const cpu = emu.v86.cpu;
    // isa-debug-exit's contract (not part of v86.d.ts; v86's own kvm-unit-tests runner does this).
    cpu.io.register_write(EXIT_PORT, {}, (value) => end((value << 1) | 1));
  });
  emu.add_listener("cpu-event-halt", () => end(V86_EXIT.HALT, "the CPU halted with interrupts off (cli; hlt)"));
}

main().catch((e) => end(V86_EXIT.CRASH, `crashed: ${e && e.stack ? e.stack : e}`));
