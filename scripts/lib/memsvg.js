// `npm run simulate -- map.json --svg out.svg`: the playground's picture of physical memory as an
// SVG file, drawn from a simulated run instead of a boot (scripts/simulate.js, test/sim). One
// square per 4 KiB page, one row per MiB, coloured by owner (scripts/lib/memmap.js: the same
// owners and counts as the playground), each run of pages titled with its range and owner (the
// hover text in a browser), and a legend with the counts.
"use strict";
const fs = require("fs");
const { OWNERS, newState, parseLine, classify, tablePages, checkCounts } = require("./memmap");

const COLUMNS = 256;

/** `count` bytes of simulated memory from `addr` (SimMachine reads 32-bit words). */
function readBytes(machine, addr, count) {
  const out = new Uint8Array(count);
  for (let i = 0; i < count; i += 4) {
    const w = machine.peek32(addr + i) >>> 0;
    for (let k = 0; k < 4 && i + k < count; k++) out[i + k] = (w >>> (8 * k)) & 0xff;
  }
  return out;
}

/** The page owners after a simulated run: {state, picture (classify's result)}. */
function pictureOfRun(result, kernelEnd) {
  const state = newState();
  for (const line of result.output.split("\n")) parseLine(state, line);
  const bitmap = state.pat ? readBytes(result.machine, state.pat.base, state.pat.bytes) : null;
  const tables = state.paging ? tablePages(state.paging.cr3, readBytes(result.machine, state.paging.cr3, 4096)) : [];
  return { state, picture: classify({ state, kernelEnd, bitmap, tables }) };
}

const esc = (s) => String(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
const hex = (v) => `0x${(v >>> 0).toString(16).padStart(8, "0")}`;

/** The SVG text for a picture. title: the first line of its caption. */
function renderSvg({ picture, state, title }) {
  const { owners, counts, pages } = picture;
  const rows = Math.max(1, Math.ceil(pages / COLUMNS));
  const s = rows <= 512 ? 3 : rows <= 1024 ? 2 : 1; // pixels per page side
  const mapW = COLUMNS * s;
  const top = 40;
  const legendX = mapW + 24;
  const width = legendX + 300;
  const height = Math.max(top + rows * s + 10, top + 30 + OWNERS.length * 22 + 60);
  const runs = OWNERS.map(() => []);
  for (let row = 0; row < rows; row++) {
    let col = 0;
    while (col < COLUMNS && row * COLUMNS + col < pages) {
      const p = row * COLUMNS + col;
      const o = owners[p];
      let n = 1;
      while (col + n < COLUMNS && p + n < pages && owners[p + n] === o) n++;
      runs[o].push(`<rect x="${col * s}" y="${top + row * s}" width="${n * s}" height="${s}"><title>${hex(p * 4096)}-${hex((p + n) * 4096 - 1)} ${esc(OWNERS[o].label)} (${n} page${n === 1 ? "" : "s"})</title></rect>`);
      col += n;
    }
  }
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="monospace" font-size="13">`,
    `<rect width="${width}" height="${height}" fill="#14161a"/>`,
    `<text x="0" y="16" fill="#e6e6e6">${esc(title)}</text>`,
    `<text x="0" y="32" fill="#aaaaaa">one square per 4 KiB page, one row per MiB, ${pages} pages</text>`,
  ];
  OWNERS.forEach((o, i) => {
    if (runs[i].length) out.push(`<g fill="${o.colour}" data-owner="${o.key}">`, ...runs[i], "</g>");
  });
  OWNERS.forEach((o, i) => {
    const y = top + 20 + i * 22;
    out.push(`<rect x="${legendX}" y="${y - 12}" width="14" height="14" fill="${o.colour}" stroke="#888"/>`,
      `<text x="${legendX + 22}" y="${y}" fill="#e6e6e6">${esc(o.label)}</text>`,
      `<text x="${legendX + 270}" y="${y}" fill="#e6e6e6" text-anchor="end" data-count="${o.key}">${counts[o.key]}</text>`);
  });
  const why = checkCounts(counts, state.mem);
  const y = top + 20 + OWNERS.length * 22 + 10;
  out.push(`<text x="${legendX}" y="${y}" fill="${why ? "#ff6b6b" : "#7bd88f"}">${esc(why ? `counts differ: ${why}` : "counts = the mem: line")}</text>`);
  if (state.mem) {
    const m = state.mem;
    out.push(`<text x="${legendX}" y="${y + 18}" fill="#aaaaaa">mem: usable=${m.usable} low=${m.low}</text>`,
      `<text x="${legendX}" y="${y + 34}" fill="#aaaaaa">kernel=${m.kernel} pat=${m.pat} free=${m.free}</text>`);
  }
  out.push("</svg>", "");
  return out.join("\n");
}

/** Writes the picture of a simulated run (test/sim/run.ts's result) to `file`; throws on I/O errors. */
function writeSimSvg(file, result, kernelEnd, title = "tsk: physical memory (simulated)") {
  const { state, picture } = pictureOfRun(result, kernelEnd);
  fs.writeFileSync(file, renderSvg({ picture, state, title }));
  return { state, picture };
}

module.exports = { renderSvg, pictureOfRun, writeSimSvg, readBytes };
