// Node's `path` (POSIX only) for the page's bundle: the compiler and toolchain/asm resolve paths in
// the page's virtual file system (vfs.js, rooted at /tsk), which has no Windows paths and no cwd
// but the one process.js gives.
"use strict";

const sep = "/";

function normalizeParts(parts, absolute) {
  const out = [];
  for (const p of parts) {
    if (!p || p === ".") continue;
    if (p === "..") {
      if (out.length && out[out.length - 1] !== "..") out.pop();
      else if (!absolute) out.push("..");
      continue;
    }
    out.push(p);
  }
  return out;
}

function normalize(p) {
  const absolute = p.startsWith("/");
  const trailing = p.endsWith("/") && p.length > 1;
  const body = normalizeParts(p.split("/"), absolute).join("/");
  const r = (absolute ? "/" : "") + body;
  return (r || (absolute ? "/" : ".")) + (trailing && body ? "/" : "");
}

function resolve(...args) {
  let r = "";
  for (let i = args.length - 1; i >= 0 && !r.startsWith("/"); i--) {
    if (args[i]) r = r ? `${args[i]}/${r}` : args[i];
  }
  if (!r.startsWith("/")) r = `${process.cwd()}/${r}`;
  return `/${normalizeParts(r.split("/"), true).join("/")}`;
}

const join = (...args) => normalize(args.filter((a) => a !== "").join("/") || ".");
const isAbsolute = (p) => p.startsWith("/");

function dirname(p) {
  const s = p.replace(/\/+$/, "");
  const i = s.lastIndexOf("/");
  if (i < 0) return ".";
  return i === 0 ? "/" : s.slice(0, i);
}

function basename(p, ext) {
  const b = p.replace(/\/+$/, "").slice(p.replace(/\/+$/, "").lastIndexOf("/") + 1);
  return ext && b.endsWith(ext) && b !== ext ? b.slice(0, -ext.length) : b;
}

function extname(p) {
  const b = basename(p);
  const i = b.lastIndexOf(".");
  return i <= 0 ? "" : b.slice(i);
}

function relative(from, to) {
  const a = resolve(from).split("/").filter(Boolean);
  const b = resolve(to).split("/").filter(Boolean);
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return [...a.slice(i).map(() => ".."), ...b.slice(i)].join("/");
}

const posix = { sep, delimiter: ":", normalize, resolve, join, isAbsolute, dirname, basename, extname, relative };
posix.posix = posix;
module.exports = posix;
