#!/usr/bin/env node
// `npm run playground [-- --host H] [--port N]`: serves the playground page (playground/index.html)
// that boots build/tsk.img in v86 in the browser, with the serial console in xterm.js and a live
// picture of physical memory. Listens on 127.0.0.1:8086 unless told otherwise (PLAYGROUND_HOST,
// PLAYGROUND_PORT or the options; port 0 picks a free one). It serves a fixed list of files, each
// by its exact URL path, and nothing else: no path from a request ever reaches the file system, so
// `..` and percent-encoded tricks get the same 404 as any unknown path. The editor panel's files
// (playground/bundle.js): /editor.js (TypeScript, tsk with its i386 backend, toolchain/asm and
// toolchain/link) and /sources.json (the kernel's sources and TypeScript's libs, read once at
// start-up, read-only), from which the page builds its own images.
"use strict";
require("../scripts/lib/help").helpFromHeader(__filename);
const fs = require("fs");
const http = require("http");
const path = require("path");
const { buildIfNeeded, BuildError, ROOT } = require("../scripts/lib/build");
const { appScript, editorScript, sourcesJson } = require("./bundle");

const HERE = __dirname;
const V86_DIR = path.dirname(require.resolve("v86/package.json"));
const XTERM_DIR = path.dirname(require.resolve("@xterm/xterm/package.json"));

const USAGE = "usage: npm run playground [-- --host ADDRESS] [--port N]   (default 127.0.0.1:8086; PLAYGROUND_HOST, PLAYGROUND_PORT)";

/** URL path -> {type, file} or {type, body}: everything the playground serves. */
async function routes() {
  return new Map([
    ["/", { type: "text/html; charset=utf-8", file: path.join(HERE, "index.html") }],
    ["/index.html", { type: "text/html; charset=utf-8", file: path.join(HERE, "index.html") }],
    ["/app.css", { type: "text/css; charset=utf-8", file: path.join(HERE, "app.css") }],
    ["/app.js", { type: "text/javascript; charset=utf-8", body: await appScript() }],
    ["/editor.js", { type: "text/javascript; charset=utf-8", body: await editorScript() }],
    ["/sources.json", { type: "application/json; charset=utf-8", body: sourcesJson() }],
    ["/xterm.css", { type: "text/css; charset=utf-8", file: path.join(XTERM_DIR, "css/xterm.css") }],
    ["/libv86.js", { type: "text/javascript; charset=utf-8", file: path.join(V86_DIR, "build/libv86.js") }],
    ["/v86.wasm", { type: "application/wasm", file: path.join(V86_DIR, "build/v86.wasm") }],
    ["/bios.bin", { type: "application/octet-stream", file: path.join(ROOT, "bios/bios.bin") }],
    ["/tsk.img", { type: "application/octet-stream", file: path.join(ROOT, "build/tsk.img") }],
  ]);
}

/** The request handler for a route table (exported for tests that want no socket). */
function handler(table) {
  return (req, res) => {
    const send = (status, type, body) => {
      res.writeHead(status, { "Content-Type": type, "Content-Length": body.length, "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff" });
      res.end(req.method === "HEAD" ? undefined : body);
    };
    if (req.method !== "GET" && req.method !== "HEAD") return send(405, "text/plain", Buffer.from("method not allowed\n"));
    // The raw path, query dropped, matched exactly: never decoded, never joined to a directory.
    const route = table.get(req.url.split("?")[0]);
    if (!route) return send(404, "text/plain", Buffer.from("not found\n"));
    let body = route.body;
    if (!body) {
      try {
        body = fs.readFileSync(route.file);
      } catch (e) {
        return send(500, "text/plain", Buffer.from(`cannot read ${path.relative(ROOT, route.file)}: ${e.code}\n`));
      }
    }
    send(200, route.type, body);
  };
}

function parseArgs(argv, env) {
  let host = env.PLAYGROUND_HOST || "127.0.0.1";
  let port = env.PLAYGROUND_PORT || "8086";
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--host" && i + 1 < argv.length) host = argv[++i];
    else if (argv[i] === "--port" && i + 1 < argv.length) port = argv[++i];
    else throw new Error(USAGE);
  }
  if (!/^\d+$/.test(port) || Number(port) > 65535) throw new Error(`port must be 0..65535, not '${port}'`);
  return { host, port: Number(port) };
}

async function main() {
  let opts;
  let table;
  try {
    opts = parseArgs(process.argv.slice(2), process.env);
    buildIfNeeded();
    table = await routes();
  } catch (e) {
    console.error(e instanceof BuildError ? `[build] error: ${e.message}` : `playground: ${e.message}`);
    process.exitCode = e.message === USAGE ? 2 : 1;
    return;
  }
  const server = http.createServer(handler(table));
  server.on("error", (e) => {
    if (e.code === "EADDRINUSE") console.error(`playground: port ${opts.port} on ${opts.host} is in use: stop what holds it, or pick another (--port N or PLAYGROUND_PORT)`);
    else if (e.code === "EADDRNOTAVAIL" || e.code === "ENOTFOUND") console.error(`playground: cannot listen on ${opts.host}: no such local address`);
    else console.error(`playground: cannot listen on ${opts.host}:${opts.port}: ${e.message}`);
    process.exitCode = 1;
  });
  server.listen(opts.port, opts.host, () => {
    const { port } = server.address();
    const host = opts.host.includes(":") ? `[${opts.host}]` : opts.host;
    console.log(`playground: http://${host}:${port}/ (Ctrl-C stops it)`);
  });
}

if (require.main === module) main();

module.exports = { routes, handler, parseArgs };
