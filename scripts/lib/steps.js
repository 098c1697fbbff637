// Incremental build steps, keyed by content: a step runs only when the digest of what it reads (its
// command line and its input files' bytes) differs from the digest recorded the last time it
// produced its outputs, or when an output is missing. The records live in <build dir>/steps.json.
//
// Content rather than modification times: checking out a branch, `touch`ing a file or a clock step
// must neither skip a needed step nor redo the whole build; and a step whose output comes out
// byte-identical (a comment edited in a .ts file gives the same C) stops the chain there, because
// the next step's digest is unchanged.
"use strict";
const crypto = require("crypto");
const fs = require("fs");
const path = require("path");

class Steps {
  /** dir: the build directory; log(name, text): called for each step that runs. */
  constructor(dir, log) {
    this.file = path.join(dir, "steps.json");
    this.log = log;
    this.ran = [];
    try {
      this.records = JSON.parse(fs.readFileSync(this.file, "utf8"));
    } catch {
      this.records = {};
    }
  }

  /**
   * Runs `fn` unless step `id` is up to date. inputs: files whose bytes it reads; key: anything
   * else it depends on (arguments, flags), as a string; outputs: files it writes.
   * Returns true when it ran.
   */
  step(id, { name, text, inputs = [], key = "", outputs }, fn) {
    const hash = crypto.createHash("sha256").update(`${id}\0${key}\0`);
    for (const file of inputs) {
      hash.update(`${file}\0`);
      try {
        hash.update(fs.readFileSync(file));
      } catch {
        hash.update("\0missing\0");
      }
    }
    const digest = hash.digest("hex");
    if (this.records[id] === digest && outputs.every((f) => fs.existsSync(f))) return false;
    this.log(name, text);
    delete this.records[id];
    this.save(); // a step that fails half-way must run again next time
    fn();
    this.records[id] = digest;
    this.save();
    this.ran.push(id);
    return true;
  }

  save() {
    const tmp = `${this.file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(this.records, null, 1));
    fs.renameSync(tmp, this.file);
  }
}

/**
 * Runs `fn` holding `dir`'s build lock: two processes building one directory at once (two test
 * workers, `npm start` during `npm test`) would interleave their steps' outputs. The lock is a file
 * created exclusively, holding the owner's pid; a lock whose owner is dead is taken over.
 */
function withDirLock(dir, fn) {
  const lock = path.join(dir, "build.lock");
  const wait = new Int32Array(new SharedArrayBuffer(4));
  for (let tries = 0; ; tries++) {
    try {
      fs.writeFileSync(lock, String(process.pid), { flag: "wx" });
      break;
    } catch (e) {
      if (e.code !== "EEXIST") throw e;
      let owner = NaN;
      try {
        owner = Number(fs.readFileSync(lock, "utf8"));
      } catch {}
      if (owner === process.pid) throw new Error(`${dir}: build.lock is already held by this process (a build inside a build?)`);
      if (deadOwner(owner)) {
        try {
          fs.unlinkSync(lock);
        } catch {}
        continue;
      }
      Atomics.wait(wait, 0, 0, 50);
    }
  }
  try {
    return fn();
  } finally {
    try {
      fs.unlinkSync(lock);
    } catch {}
  }
}

/** Whether `pid` (read from a lock or owner file) names a process that is gone: a lock or a
 *  placeholder it left behind may be removed. Not a valid pid: false (not ours to judge). */
function deadOwner(pid) {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (e) {
    return e.code !== "EPERM";
  }
}

/** Every file under `dirs` (recursively) whose name passes `filter`, sorted. */
function filesUnder(dirs, filter = () => true) {
  const out = [];
  const visit = (p) => {
    let st;
    try {
      st = fs.statSync(p);
    } catch {
      return;
    }
    if (st.isDirectory()) {
      for (const name of fs.readdirSync(p)) if (name !== "node_modules" && name !== "build") visit(path.join(p, name));
    } else if (filter(p)) out.push(p);
  };
  dirs.forEach(visit);
  return [...new Set(out)].sort();
}

module.exports = { Steps, filesUnder, withDirLock, deadOwner };
