// The playground's editor panel (bundled by playground/bundle.js into /editor.js): the kernel's .ts
// sources in a file list and a textarea with line numbers, tsc's and tsk's diagnostics at their lines
// as you type (and on Check), and Boot: the image rebuilt in the page (image.js) and booted by
// app.js's window.tskBoot. A textarea with a line-number gutter rather than CodeMirror 6: it needs no
// new dependency and does what the panel needs (lines, marks, jump to a line); CodeMirror's packages
// (pinned, bundled by esbuild the same way) would add highlighting and inline underlines.
import { Vfs } from "./vfs";
import { Checker } from "./check";
import { buildImage, isKernelSource, NeedsBackendError } from "./image";

const $ = (id) => document.getElementById(id);
const CHECK_DELAY_MS = 300;
const body = document.body.dataset;

let vfs;
let checker;
let original;
let prebuilt;
let open = null;
let diagnostics = [];
let timer = null;

/** Fetches what the page builds from: the sources, TypeScript's libs, the prebuilt kernel objects. */
async function load() {
  const get = async (url, kind) => {
    const r = await fetch(url);
    if (!r.ok) throw new Error(`${url}: HTTP ${r.status}`);
    return kind === "json" ? r.json() : new Uint8Array(await r.arrayBuffer());
  };
  const [sources, kernelO, linesO] = await Promise.all([get("sources.json", "json"), get("prebuilt/kernel.o"), get("prebuilt/lines.o")]);
  original = sources.files;
  prebuilt = [{ name: "build/kernel.o", bytes: kernelO }, { name: "build/lines.o", bytes: linesO }];
  vfs = new Vfs(sources.files, sources.libs);
  checker = new Checker(vfs);
}

function renderFiles() {
  const list = $("files");
  list.textContent = "";
  for (const rel of Object.keys(original).filter(isKernelSource).sort()) {
    const li = document.createElement("li");
    li.textContent = rel.slice("kernel/".length);
    li.dataset.file = rel;
    if (rel === open) li.className = "open";
    if (vfs.read(rel) !== original[rel]) li.classList.add("edited");
    if (diagnostics.some((d) => d.file === rel)) li.classList.add("errors");
    li.addEventListener("click", () => openFile(rel));
    list.appendChild(li);
  }
}

/** The gutter: one number per line of the text, lines with a diagnostic marked with its message. */
function renderGutter() {
  const text = $("source").value;
  const count = text.split("\n").length;
  const byLine = new Map();
  for (const d of diagnostics) if (d.file === open) byLine.set(d.line, [...(byLine.get(d.line) || []), `${d.code}: ${d.message}`]);
  const gutter = $("gutter");
  gutter.textContent = "";
  for (let n = 1; n <= count; n++) {
    const div = document.createElement("div");
    div.textContent = String(n);
    if (byLine.has(n)) {
      div.className = "error";
      div.title = byLine.get(n).join("\n");
      div.dataset.line = String(n);
    }
    gutter.appendChild(div);
  }
  gutter.scrollTop = $("source").scrollTop;
}

function renderDiagnostics() {
  const ul = $("diagnostics");
  ul.textContent = "";
  for (const d of diagnostics) {
    const li = document.createElement("li");
    li.textContent = `${d.file || "(options)"}${d.line ? `:${d.line}:${d.col}` : ""} ${d.code}: ${d.message}`;
    Object.assign(li.dataset, { file: d.file, line: String(d.line), code: d.code });
    li.className = d.code.startsWith("TSK") ? "tsk" : "ts";
    if (d.file) li.addEventListener("click", () => jumpTo(d.file, d.line, d.col));
    ul.appendChild(li);
  }
  $("check-status").textContent = diagnostics.length ? `${diagnostics.length} diagnostic(s)` : "no diagnostics: tsc and tsk accept the kernel";
}

function openFile(rel) {
  open = rel;
  $("source").value = vfs.read(rel);
  $("source").scrollTop = 0;
  $("filename").textContent = rel;
  body.open = rel;
  renderFiles();
  renderGutter();
}

/** Opens `rel` with the caret at line:col, scrolled into view. */
function jumpTo(rel, line, col = 1) {
  if (rel !== open) openFile(rel);
  const ta = $("source");
  const lines = ta.value.split("\n");
  let pos = 0;
  for (let i = 0; i < line - 1 && i < lines.length; i++) pos += lines[i].length + 1;
  pos += Math.max(0, col - 1);
  ta.focus();
  ta.setSelectionRange(pos, pos);
  const lineHeight = parseFloat(getComputedStyle(ta).lineHeight) || 16;
  ta.scrollTop = Math.max(0, (line - 5) * lineHeight);
  body.caretLine = String(line);
  renderGutter();
}

function check() {
  clearTimeout(timer);
  const t0 = performance.now();
  try {
    diagnostics = checker.check(open);
  } catch (e) {
    diagnostics = [];
    $("check-status").textContent = `the checker failed: ${e.message}`;
    throw e;
  }
  const ms = Math.round(performance.now() - t0);
  body.checkMs = String(ms);
  body.checks = String(Number(body.checks || 0) + 1);
  renderDiagnostics();
  renderFiles();
  renderGutter();
  $("check-time").textContent = `checked in ${ms} ms`;
}

function boot() {
  const out = $("build-status");
  out.className = "";
  try {
    const r = buildImage(vfs, { original, prebuilt });
    const ms = Object.values(r.times).reduce((a, b) => a + b, 0);
    out.textContent = `image built in the page in ${Math.round(ms)} ms: loader (stage 1 ${r.stage1.length} B, stage 2 ${r.stage2.length} B), ` +
      `entry.o and idt.o assembled here by toolchain/asm, linked here by toolchain/link with the ${r.kernelFrom} kernel objects ` +
      `(${Object.entries(r.times).map(([k, v]) => `${k} ${v} ms`).join(", ")})`;
    out.className = "ok";
    Object.assign(body, { imageFrom: "page", kernelFrom: r.kernelFrom, buildMs: String(Math.round(ms)) });
    window.tskLastBuild = r;
    window.tskBoot(r.image, `the image built in this page (${r.image.length} bytes)`);
  } catch (e) {
    out.textContent = e instanceof NeedsBackendError ? e.message : `the build failed: ${e.message}`;
    out.className = "bad";
    body.imageFrom = e instanceof NeedsBackendError ? "needs-backend" : "error";
  }
}

/** Resolves once the boot the page started at load is over: TypeScript's first check takes seconds
 *  of CPU that would otherwise slow that boot (and npm run bench's figure for it). */
function bootSettled() {
  return new Promise((resolve) => {
    const poll = () => (["loading", "running"].includes(body.state) ? setTimeout(poll, 200) : resolve());
    poll();
  });
}

async function main() {
  $("check-status").textContent = "waiting for the boot to finish before loading the checker…";
  await bootSettled();
  const t0 = performance.now();
  $("check-status").textContent = "loading TypeScript and the kernel's sources…";
  await load();
  openFile("kernel/main.ts");
  check();
  body.firstDiagnosticsMs = String(Math.round(performance.now() - t0));
  $("source").addEventListener("input", () => {
    vfs.write(open, $("source").value);
    renderGutter();
    clearTimeout(timer);
    timer = setTimeout(check, CHECK_DELAY_MS);
  });
  $("source").addEventListener("scroll", () => { $("gutter").scrollTop = $("source").scrollTop; });
  $("check-button").addEventListener("click", check);
  $("boot-button").addEventListener("click", boot);
  $("revert-button").addEventListener("click", () => {
    for (const [rel, text] of Object.entries(original)) vfs.write(rel, text);
    openFile(open);
    check();
  });
  body.editor = "ready";
}

main().catch((e) => {
  $("check-status").textContent = `the editor failed to start: ${e.message}`;
  body.editor = "error";
});
