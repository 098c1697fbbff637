// The playground's editor panel (bundled by playground/bundle.js into /editor.js): the kernel's .ts
// sources in a file list and a CodeMirror 6 editor (TypeScript highlighting), tsc's and tsk's
// diagnostics as you type (and on Check): underlined, marked in the lint gutter at their lines, and
// listed below (a click jumps to the line); and Boot: the kernel compiled by tsk's i386 backend and
// the image built in the page (image.js), booted by app.js's window.tskBoot, or, when tsc or tsk
// rejects the kernel, its diagnostics and no boot. window.tskEditor is the handle tests drive the
// editor by; body.dataset.buildMs is the last build's time from the Boot press to the image (bench).
import { basicSetup } from "codemirror";
import { EditorView } from "@codemirror/view";
import { EditorState } from "@codemirror/state";
import { javascript } from "@codemirror/lang-javascript";
import { lintGutter, setDiagnostics, forEachDiagnostic } from "@codemirror/lint";
import { Vfs } from "./vfs";
import { Checker } from "./check";
import { buildImage, isKernelSource, KernelDiagnostics } from "./image";

const $ = (id) => document.getElementById(id);
const CHECK_DELAY_MS = 300;
const body = document.body.dataset;

let vfs;
let checker;
let original;
let open = null;
let diagnostics = [];
let timer = null;
let view = null;

const theme = EditorView.theme({
  "&": { height: "100%", backgroundColor: "#1b1d22", color: "#e6e6e6", fontSize: "13px" },
  ".cm-content": { caretColor: "#fff" },
  ".cm-gutters": { backgroundColor: "#1e2127", color: "#888", border: "none" },
  ".cm-activeLine": { backgroundColor: "#23262d" },
  ".cm-activeLineGutter": { backgroundColor: "#2a2e37" },
  "&.cm-focused .cm-selectionBackground, .cm-selectionBackground": { backgroundColor: "#3a4a6b !important" },
}, { dark: true });

/** The editor's state for `text`: edits go to the page's files and schedule a check. */
function editorState(text) {
  return EditorState.create({
    doc: text,
    extensions: [basicSetup, javascript({ typescript: true }), lintGutter(), theme, EditorView.updateListener.of((u) => {
      if (!u.docChanged) return;
      vfs.write(open, u.state.doc.toString());
      clearTimeout(timer);
      timer = setTimeout(check, CHECK_DELAY_MS);
    })],
  });
}

/** Fetches what the page builds from: the sources and TypeScript's libs. */
async function load() {
  const r = await fetch("sources.json");
  if (!r.ok) throw new Error(`sources.json: HTTP ${r.status}`);
  const sources = await r.json();
  original = sources.files;
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

/** The open file's diagnostics into the editor: underlines and gutter marks at their lines. */
function markEditor() {
  const doc = view.state.doc;
  const marks = [];
  for (const d of diagnostics) {
    if (d.file !== open || !d.line) continue;
    const from = d.start !== undefined ? Math.min(d.start, doc.length) : doc.line(Math.min(d.line, doc.lines)).from;
    marks.push({ from, to: Math.min(doc.length, from + (d.length || 0)), severity: "error", source: d.code, message: `${d.code}: ${d.message}` });
  }
  view.dispatch(setDiagnostics(view.state, marks));
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
  view.setState(editorState(vfs.read(rel)));
  $("filename").textContent = rel;
  body.open = rel;
  renderFiles();
  markEditor();
}

/** Opens `rel` with the caret at line:col, scrolled into view. */
function jumpTo(rel, line, col = 1) {
  if (rel !== open) openFile(rel);
  const doc = view.state.doc;
  const l = doc.line(Math.max(1, Math.min(line, doc.lines)));
  const pos = Math.min(l.to, l.from + Math.max(0, col - 1));
  view.dispatch({ selection: { anchor: pos }, effects: EditorView.scrollIntoView(pos, { y: "center" }) });
  view.focus();
  body.caretLine = String(view.state.doc.lineAt(view.state.selection.main.head).number);
}

function check() {
  clearTimeout(timer);
  timer = null;
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
  markEditor();
  $("check-time").textContent = `checked in ${ms} ms`;
}

/** Adds the build's diagnostics the last check did not show (the build compiles from kernel/main.ts
 *  with the i386 backend's names, the check from the open file too with the C backend's). */
function showBuildDiagnostics(found) {
  const key = (d) => `${d.file}:${d.line}:${d.col}:${d.code}`;
  const shown = new Set(diagnostics.map(key));
  diagnostics = [...diagnostics, ...found.filter((d) => !shown.has(key(d)))];
  renderDiagnostics();
  renderFiles();
  markEditor();
}

function boot() {
  const out = $("build-status");
  out.className = "";
  const t0 = performance.now();
  try {
    // An edit not checked yet is checked now: its diagnostics are shown at their lines either way.
    if (timer !== null) check();
    const r = buildImage(vfs, checker);
    const ms = Math.round(performance.now() - t0);
    out.textContent = `kernel compiled and image built in the page in ${ms} ms by tsk's i386 backend, toolchain/asm and toolchain/link ` +
      `(kernel ${r.kernelBin.length} B, stage 1 ${r.stage1.length} B, stage 2 ${r.stage2.length} B; ${Object.entries(r.times).map(([k, v]) => `${k} ${v} ms`).join(", ")})`;
    out.className = "ok";
    Object.assign(body, { imageFrom: "page", buildMs: String(ms) });
    window.tskLastBuild = r;
    window.tskBoot(r.image, `the kernel built in this page (${r.image.length} bytes)`);
  } catch (e) {
    if (e instanceof KernelDiagnostics) showBuildDiagnostics(e.diagnostics);
    out.textContent = e instanceof KernelDiagnostics ? `${e.message}: see the diagnostics above` : `the build failed: ${e.message}`;
    out.className = "bad";
    body.imageFrom = e instanceof KernelDiagnostics ? "diagnostics" : "error";
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
  view = new EditorView({ parent: $("code") });
  openFile("kernel/main.ts");
  check();
  body.firstDiagnosticsMs = String(Math.round(performance.now() - t0));
  $("check-button").addEventListener("click", check);
  $("boot-button").addEventListener("click", boot);
  $("revert-button").addEventListener("click", () => {
    for (const [rel, text] of Object.entries(original)) vfs.write(rel, text);
    openFile(open);
    check();
  });
  window.tskEditor = {
    /** Selects [from, to) of the open file (then keyboard input replaces it, as a user's would). */
    select(from, to) {
      view.dispatch({ selection: { anchor: from, head: to }, effects: EditorView.scrollIntoView(from, { y: "center" }) });
      view.focus();
    },
    text: () => view.state.doc.toString(),
    /** The lines the editor marks, with the marks' messages, from CodeMirror's lint state. */
    marks() {
      const out = [];
      forEachDiagnostic(view.state, (d, from) => out.push({ line: view.state.doc.lineAt(from).number, message: d.message }));
      return out;
    },
  };
  body.editor = "ready";
}

main().catch((e) => {
  $("check-status").textContent = `the editor failed to start: ${e.message}`;
  body.editor = "error";
});
