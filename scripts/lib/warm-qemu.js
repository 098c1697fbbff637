// A QEMU started before its disk image exists: QEMU's own start and SeaBIOS's POST (about half a
// second of a boot under TCG) run while the image is still being built, off the edit-boot loop's
// critical path (`npm run watch`, `npm start`).
//
// How: QEMU boots a placeholder file of the image's size with SeaBIOS's boot menu on
// (-boot menu=on,splash-time): after POST SeaBIOS prints "Press ESC for boot menu." on its debug
// port (0x402, here a file) and waits for a key, having read no sector of the disk yet (it reads
// the MBR when it boots from it). When the build is done, go() writes the image's bytes into the
// placeholder in place (the file QEMU has open; snapshot=on keeps the guest's writes in QEMU's own
// overlay, so the placeholder only ever holds the image) and presses Enter through the monitor:
// any key but ESC ends SeaBIOS's wait and it boots the new image, which takes over from there.
// The serial console and the exit code are those of a cold boot (scripts/lib/qemu.js).
//
// prealloc (npm start, npm run watch): QEMU also touches the guest's RAM as it starts
// (-mem-prealloc), so the host's page faults at each page's first touch (the kernel's self-test
// touches every page) happen while the image builds or the watcher waits for an edit, not after.
// They are dear on a VM that hands freed memory back to its hypervisor (this one does: free page
// reporting): measured here, a warm 128 MiB boot after 5 s at the boot menu took 0.42-0.56 s
// from the Enter to `boot: ok` without, 0.17-0.25 s with; at 1 GiB 2.3-2.8 s and 0.8 s. Up to
// PREALLOC_MAX_MIB: a waiting QEMU holds that much host memory.
//
// Whenever the warm QEMU cannot be the image's boot (the image's size differs from the
// placeholder's, QEMU died or printed on the serial port before go(): SeaBIOS's wait ran out and it
// booted the placeholder), go() returns null and the caller boots cold: a warm boot is never a
// different boot, only an earlier start.
"use strict";
const fs = require("fs");
const net = require("net");
const os = require("os");
const path = require("path");
const { bootCommand, spawnEmulator } = require("./emulator");
const { memMiB } = require("./v86-mem");
const { deadOwner } = require("./steps");

/** What SeaBIOS prints when it starts waiting for the boot menu key (src/bootmenu.c). */
const MENU_PROMPT = /Press ESC for boot menu/;
/** What SeaBIOS prints when it goes on to boot from a disk (src/boot.c). */
const BOOTING = /Booting from /;
/** How long SeaBIOS waits for the key (ms; QEMU's limit is 65535). */
const SPLASH_MS = 60000;

const PREFIX = "tsk-warm-";
/** The largest guest RAM a warm QEMU touches ahead of time (prealloc). */
const PREALLOC_MAX_MIB = 1024;

/** Removes the files of warm QEMUs whose owner died without cleaning up (a watcher killed with
 *  SIGKILL: its QEMU died with it, see the constructor, but its placeholder stayed). */
function sweep() {
  let names = [];
  try {
    names = fs.readdirSync(os.tmpdir()).filter((n) => n.startsWith(PREFIX));
  } catch {
    return;
  }
  for (const name of names) {
    const dir = path.join(os.tmpdir(), name);
    let owner;
    try {
      owner = Number(fs.readFileSync(path.join(dir, "owner"), "utf8"));
    } catch {
      continue; // being made, or not ours
    }
    if (deadOwner(owner)) fs.rmSync(dir, { recursive: true, force: true });
  }
}

class WarmQemu {
  /**
   * Starts QEMU on a placeholder of `imageBytes` bytes (a copy of `seed`, an image to start from,
   * when it has that size). opts: the boot settings (scripts/lib/emulator.js optionsFromEnv, QEMU
   * only); paused: stop before SeaBIOS runs until resume() (a QEMU kept waiting between edits
   * costs no CPU then, and SeaBIOS's wait starts only when a build does); splashMs: how long
   * SeaBIOS waits for the key before booting the placeholder (a test shortens it); prealloc: touch
   * the guest's RAM at start (see the header) when it is at most PREALLOC_MAX_MIB.
   */
  constructor({ opts, imageBytes, seed, paused = false, splashMs = SPLASH_MS, prealloc = false }) {
    if (opts.emulator && opts.emulator !== "qemu") throw new Error("a warm boot needs QEMU");
    sweep();
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), PREFIX));
    fs.writeFileSync(path.join(this.dir, "owner"), String(process.pid));
    this.image = path.join(this.dir, "warm.img");
    this.debug = path.join(this.dir, "seabios.log");
    this.monitor = path.join(this.dir, "monitor.sock");
    let bytes = Buffer.alloc(imageBytes);
    try {
      const s = fs.readFileSync(seed);
      if (s.length === imageBytes) bytes = s;
    } catch {}
    fs.writeFileSync(this.image, bytes);
    fs.writeFileSync(this.debug, "");
    this.prealloc = prealloc && memMiB(opts.mem || "128M") <= PREALLOC_MAX_MIB;
    const { cmd, args } = bootCommand({
      ...opts, image: this.image,
      args: [...(opts.args || []), ...(paused ? ["-S"] : []), ...(this.prealloc ? ["-mem-prealloc"] : []), "-boot", `menu=on,splash-time=${splashMs}`,
        "-chardev", `file,id=seabios,path=${this.debug}`, "-device", "isa-debugcon,iobase=0x402,chardev=seabios",
        "-monitor", `unix:${this.monitor},server=on,wait=off`],
    });
    // A warm QEMU waits (paused, or at the boot menu) for a process that may be killed outright:
    // spawnEmulator has the kernel kill it with its parent.
    this.child = spawnEmulator(cmd, args);
    this.exited = false;
    this.early = false; // serial output before go(): not the new image's boot
    this.gone = false;
    this.child.on("error", () => (this.exited = true));
    this.child.on("exit", () => (this.exited = true));
    this.onEarly = () => (this.early = true);
    this.child.stdout.on("data", this.onEarly);
  }

  /** Sends monitor commands (HMP), resolving once QEMU has taken them. */
  command(...lines) {
    return new Promise((resolve, reject) => {
      const connect = (tries) => {
        const sock = net.connect(this.monitor);
        sock.on("error", (e) => {
          sock.removeAllListeners("close");
          sock.destroy();
          if (tries > 0 && !this.exited && (e.code === "ENOENT" || e.code === "ECONNREFUSED")) setTimeout(() => connect(tries - 1), 5);
          else reject(new Error(`QEMU monitor: ${e.message}`));
        });
        // HMP prints a "(qemu) " prompt on connecting and again after each command it has run.
        let seen = "";
        let done = false;
        sock.on("connect", () => sock.write(lines.map((l) => `${l}\n`).join("")));
        sock.on("data", (d) => {
          seen += d.toString("latin1");
          if ((seen.match(/\(qemu\) /g) || []).length > lines.length) done = true, sock.end();
        });
        sock.on("close", () => (done ? resolve() : reject(new Error("QEMU monitor closed before answering"))));
      };
      connect(2000);
    });
  }

  /** Lets a paused QEMU run SeaBIOS up to its wait for the key. */
  resume() {
    return this.command("cont");
  }

  /**
   * Boots `imageFile` in this QEMU. Resolves the child process (its stdout the serial console,
   * paused, nothing of it consumed yet: resume it once listening) or null when this QEMU cannot be that boot (see the header); the
   * caller then boots cold. Either way this object is used up.
   */
  async go(imageFile, { timeoutMs = 20000 } = {}) {
    if (this.gone) return null;
    this.gone = true;
    const bytes = fs.readFileSync(imageFile);
    if (this.exited || this.early || bytes.length !== fs.statSync(this.image).size) return this.discard();
    const fd = fs.openSync(this.image, "r+");
    try {
      fs.writeSync(fd, bytes, 0, bytes.length, 0);
    } finally {
      fs.closeSync(fd);
    }
    const until = Date.now() + timeoutMs;
    let log;
    while (!MENU_PROMPT.test((log = fs.readFileSync(this.debug, "latin1")))) {
      if (this.exited || this.early || Date.now() > until) return this.discard();
      await new Promise((r) => setTimeout(r, 3));
    }
    // SeaBIOS's wait ran out before now: it booted the placeholder (its serial output may not have
    // reached this process yet). Otherwise it reads the disk only after the key, so after the write.
    if (this.early || BOOTING.test(log)) return this.discard();
    try {
      await this.command("sendkey ret");
    } catch {
      return this.discard();
    }
    this.child.stdout.off("data", this.onEarly);
    this.child.stdout.pause(); // until the caller listens: no serial byte is lost in between
    this.child.once("close", () => this.clean());
    return this.child;
  }

  /** Kills QEMU (if running) and removes its files; returns null (go()'s answer). */
  discard() {
    this.gone = true;
    if (!this.exited) this.child.kill("SIGKILL");
    this.clean();
    return null;
  }

  clean() {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

module.exports = { WarmQemu, sweep, MENU_PROMPT, PREALLOC_MAX_MIB };
