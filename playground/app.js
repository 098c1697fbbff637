// The playground page's script (bundled by esbuild in playground/server.js): boots tsk.img in v86
// (window.V86 from libv86.js) with SeaBIOS, shows COM1 in an xterm.js terminal, and redraws the
// picture of physical memory (scripts/lib/memmap.js) a few times a second from guest memory: the
// PAT bitmap at the address the `pat:` line prints, the page directory at the `paging:` line's cr3,
// the kernel's end from the boot info. The kernel's exit byte on port 0xf4 (QEMU's isa-debug-exit)
// stops the machine; the last picture stays. ?mem=256M picks the RAM (v86's sizes: v86-mem.js).
// window.tskBoot(bytes, label) boots another image in place of the running one (the editor's Boot
// button, playground/editor/main.js); ?autoboot=0 waits for it instead of booting tsk.img at load.
import { Terminal } from "@xterm/xterm";
import memmap from "../scripts/lib/memmap.js";
import { v86MemBytes } from "../scripts/lib/v86-mem.js";

const { OWNERS, newState, parseLine, classify, tablePages, checkCounts, describePage, pageCount } = memmap;
const BOOT_INFO_KERNEL_END = 0x1000 + 16; // kernel/boot-info.ts: BOOT_INFO_ADDR + BI_KERNEL_END
const COLUMNS = 256; // pages per row: one row per MiB
const EXIT_PORT = 0xf4;
const REDRAW_MS = 100;

const $ = (id) => document.getElementById(id);
const status = (text) => { $("status").textContent = text; };

const term = new Terminal({ cols: 80, rows: 30, convertEol: true, scrollback: 2000, fontSize: 13 });
term.open($("terminal"));

let state = newState();
let line = "";
let emu = null;
let running = false;
let usable = null;
let last = null;
let peakAllocated = 0;
const canvas = $("map");
const ctx = canvas.getContext("2d");
const rgb = OWNERS.map((o) => [1, 3, 5].map((i) => parseInt(o.colour.slice(i, i + 2), 16)));

// The legend: one row per owner; data-count carries the number the test reads.
const legend = $("legend").tBodies[0];
for (const o of OWNERS) {
  const tr = legend.insertRow();
  tr.insertCell().innerHTML = `<span class="swatch" style="background:${o.colour}"></span>`;
  tr.insertCell().textContent = o.label;
  const td = tr.insertCell();
  td.className = "count";
  td.dataset.owner = o.key;
  td.textContent = "-";
}

function onSerialByte(b) {
  term.write(String.fromCharCode(b));
  if (b !== 10) {
    line += String.fromCharCode(b);
    return;
  }
  if (parseLine(state, line)) {
    // For npm run bench: ms from navigation start to `boot: ok` parsed here.
    if (state.bootOk && !document.body.dataset.bootOkMs) document.body.dataset.bootOkMs = String(Math.round(performance.now()));
    redraw();
  }
  line = "";
}

function readU32(addr) {
  const b = emu.read_memory(addr, 4);
  return (b[0] | (b[1] << 8) | (b[2] << 16) | (b[3] << 24)) >>> 0;
}

/** Reads the guest's memory and draws every page in its owner's colour. */
function redraw() {
  if (!emu || !state.entries.length) return;
  const pages = pageCount(state);
  if (!pages) return;
  const kernelEnd = readU32(BOOT_INFO_KERNEL_END);
  const bitmap = state.pat ? emu.read_memory(state.pat.base, state.pat.bytes) : null;
  const tables = state.paging ? tablePages(state.paging.cr3, emu.read_memory(state.paging.cr3, 4096)) : [];
  last = classify({ state, kernelEnd, bitmap, tables, usable });
  usable = last.usable;
  const rows = Math.ceil(pages / COLUMNS);
  if (canvas.height !== rows) {
    canvas.height = rows;
    const scale = rows <= 512 ? 3 : rows <= 1024 ? 2 : 1;
    canvas.style.width = `${COLUMNS * scale}px`;
    canvas.style.height = `${rows * scale}px`;
  }
  const img = ctx.createImageData(COLUMNS, rows);
  for (let p = 0; p < pages; p++) {
    const c = rgb[last.owners[p]];
    img.data.set(c, p * 4);
    img.data[p * 4 + 3] = 255;
  }
  ctx.putImageData(img, 0, 0);
  peakAllocated = Math.max(peakAllocated, last.counts.allocated);
  for (const td of legend.querySelectorAll("td.count")) {
    const n = last.counts[td.dataset.owner];
    td.textContent = td.dataset.owner === "allocated" ? `${n} (peak ${peakAllocated})` : String(n);
    td.dataset.count = String(n);
  }
  const why = checkCounts(last.counts, state.mem);
  const check = $("check");
  if (state.mem) {
    check.textContent = why ? `counts differ from the mem: line: ${why}`
      : `counts = mem: line (usable=${state.mem.usable} low=${state.mem.low} kernel=${state.mem.kernel} pat=${state.mem.pat} free=${state.mem.free})`;
    check.className = why ? "bad" : "ok";
  }
}

canvas.addEventListener("mousemove", (ev) => {
  if (!last) return;
  const r = canvas.getBoundingClientRect();
  const col = Math.floor(((ev.clientX - r.left) / r.width) * COLUMNS);
  const row = Math.floor(((ev.clientY - r.top) / r.height) * canvas.height);
  const p = row * COLUMNS + col;
  $("hover").textContent = p >= 0 && p < last.pages && col < COLUMNS ? describePage(p, last.owners[p]) : "";
});

let finished = false;
let generation = 0; // which boot the callbacks belong to: a replaced emulator's late events are ignored
function finish(text, outcome) {
  // The first verdict stands: after its exit byte the kernel halts, which v86 reports too.
  if (finished) return;
  finished = true;
  running = false;
  redraw();
  status(text);
  document.body.dataset.state = outcome;
}

let memory;

/** Boots `disk` (an ArrayBuffer or Uint8Array), replacing the machine that runs, if any. */
async function boot(disk, label) {
  const gen = ++generation;
  if (emu) {
    const old = emu;
    emu = null;
    running = false;
    old.stop();
    try {
      await old.destroy();
    } catch {} // a machine that failed to start has less to tear down
  }
  state = newState();
  line = "";
  usable = null;
  last = null;
  peakAllocated = 0;
  finished = false;
  delete document.body.dataset.bootOkMs;
  term.reset();
  status(`booting ${label} in v86 with ${memory / 1048576} MiB…`);
  document.body.dataset.state = "running";
  const machine = new window.V86({
    wasm_path: "v86.wasm",
    bios: { buffer: bios },
    hda: { buffer: disk instanceof Uint8Array ? disk.slice().buffer : disk },
    memory_size: memory,
    autostart: true,
    disable_keyboard: true,
    disable_mouse: true,
    disable_speaker: true,
  });
  emu = machine;
  const current = () => gen === generation;
  machine.add_listener("serial0-output-byte", (b) => current() && onSerialByte(b));
  machine.add_listener("emulator-loaded", () => {
    if (!current()) return;
    running = true;
    // QEMU's isa-debug-exit: 0x10 success, 0x11 failure (v86 has no such device; v86.d.ts lacks io).
    machine.v86.cpu.io.register_write(EXIT_PORT, {}, (value) => {
      if (!current()) return;
      machine.stop();
      const code = (value << 1) | 1;
      finish(value === 0x10 ? `kernel exit 0x10: success (QEMU would exit ${code})` : `kernel exit 0x${value.toString(16)}: failure (QEMU would exit ${code})`,
        value === 0x10 ? "done" : "failed");
    });
    const tick = () => {
      if (!running || !current()) return;
      redraw();
      setTimeout(tick, REDRAW_MS);
    };
    tick();
  });
  machine.add_listener("cpu-event-halt", () => {
    if (!current()) return;
    machine.stop();
    finish("the CPU halted with interrupts off (cli; hlt) without the kernel reporting", "failed");
  });
}

let bios;
async function main() {
  const params = new URLSearchParams(location.search);
  try {
    memory = v86MemBytes(params.get("mem") || "128M");
  } catch (e) {
    return finish(`?mem=: ${e.message}`, "error");
  }
  const fetchBuffer = async (url) => {
    const r = await fetch(url);
    if (!r.ok) throw new Error(`${url}: HTTP ${r.status}`);
    return r.arrayBuffer();
  };
  bios = await fetchBuffer("bios.bin");
  window.tskBoot = (bytes, label) => boot(bytes, label).catch((e) => finish(`error: ${e.message}`, "error"));
  if (params.get("autoboot") === "0") {
    status("waiting: press Boot in the editor");
    document.body.dataset.state = "idle";
    return;
  }
  await boot(await fetchBuffer("tsk.img"), "tsk.img");
}

main().catch((e) => finish(`error: ${e.message}`, "error"));
