// A tsserver client for tests: starts the real node_modules/typescript/lib/tsserver.js and speaks
// its protocol (requests as JSON lines on stdin; responses and events on stdout, each framed by a
// `Content-Length: N` header, N counted in bytes). Used to test the editor plugin end to end.
"use strict";
const { spawn } = require("child_process");
const path = require("path");

const TSSERVER = path.resolve(__dirname, "../../node_modules/typescript/lib/tsserver.js");

class TsServer {
  /** Options: cwd, args (more tsserver flags), logFile (tsserver's own log, verbose). */
  constructor({ cwd, args = [], logFile } = {}) {
    const env = { ...process.env };
    if (logFile) env.TSS_LOG = `-level verbose -file ${logFile}`;
    this.child = spawn(process.execPath, [TSSERVER, "--disableAutomaticTypingAcquisition", ...args], { cwd, env, stdio: ["pipe", "pipe", "pipe"] });
    this.seq = 0;
    this.pending = new Map();
    this.events = [];
    this.stderr = "";
    this.buffer = Buffer.alloc(0);
    this.exited = null;
    this.child.stdout.on("data", (chunk) => this.onData(chunk));
    this.child.stderr.on("data", (chunk) => (this.stderr += chunk));
    this.child.on("exit", (code, signal) => {
      this.exited = { code, signal };
      for (const { reject, command } of this.pending.values()) reject(new Error(`tsserver exited (${code ?? signal}) before answering ${command}: ${this.stderr}`));
      this.pending.clear();
    });
  }

  onData(chunk) {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const sep = this.buffer.indexOf("\r\n\r\n");
      if (sep < 0) return;
      const header = this.buffer.subarray(0, sep).toString("ascii");
      const m = /Content-Length: (\d+)/i.exec(header);
      if (!m) throw new Error(`tsserver: a frame without Content-Length: ${header}`);
      const start = sep + 4;
      const end = start + Number(m[1]);
      if (this.buffer.length < end) return;
      const msg = JSON.parse(this.buffer.subarray(start, end).toString("utf8"));
      this.buffer = this.buffer.subarray(end);
      if (msg.type === "response" && this.pending.has(msg.request_seq)) {
        const { resolve, reject, command } = this.pending.get(msg.request_seq);
        this.pending.delete(msg.request_seq);
        if (msg.success) resolve(msg.body);
        else reject(new Error(`tsserver: ${command} failed: ${msg.message}`));
      } else if (msg.type === "event") {
        this.events.push(msg);
      }
    }
  }

  /** Send a request; resolves with the response's body. */
  request(command, args) {
    if (this.exited) return Promise.reject(new Error(`tsserver has exited (${JSON.stringify(this.exited)}): ${this.stderr}`));
    const seq = ++this.seq;
    return new Promise((resolve, reject) => {
      this.pending.set(seq, { resolve, reject, command });
      this.child.stdin.write(JSON.stringify({ seq, type: "request", command, arguments: args }) + "\n");
    });
  }

  /** Send a request that has no response (open, close, change). */
  notify(command, args) {
    this.child.stdin.write(JSON.stringify({ seq: ++this.seq, type: "request", command, arguments: args }) + "\n");
  }

  close() {
    if (!this.exited) this.child.kill();
  }
}

module.exports = { TsServer, TSSERVER };
