// The edit-boot loop's shortcuts, each held to the slow way it replaces: a QEMU started before its
// image (scripts/lib/warm-qemu.js, `npm run watch`) boots the image written after SeaBIOS started
// waiting, as a cold boot would, and declines what it cannot boot; the build's single link when the
// line table keeps its size (scripts/lib/build.js link) gives the bytes of the two-link flow.
"use strict";
const assert = require("assert");
const fs = require("fs");
const os = require("os");
const path = require("path");
const { spawn } = require("child_process");
const { link, ASM_OBJECTS } = require("../scripts/lib/build");
const { WarmQemu, sweep, PREALLOC_MAX_MIB } = require("../scripts/lib/warm-qemu");
const { EXIT_SUCCESS } = require("../scripts/lib/qemu");
const { acquire } = require("./lib/slots");
const { kernelImage } = require("./lib/images");

// -m 16M: what is checked is which image a warm QEMU boots and when it declines, not the RAM.
const OPTS = { emulator: "qemu", machine: "pc", mem: "16M", accel: "tcg" };

/** Resolves {serial, code} once `child` (stdout paused, as WarmQemu.go hands it over) exits. */
function finish(child, ms) {
  return new Promise((resolve, reject) => {
    let serial = "";
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`no exit within ${ms} ms:\n${serial}`));
    }, ms);
    child.stdout.on("data", (d) => (serial += d.toString("latin1")));
    child.stdout.resume();
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ serial, code });
    });
  });
}

/** The warm QEMU's command line as spawned (setpriv, where installed, execs QEMU under its own pid). */
const commandLine = (warm) => warm.child.spawnargs;

describe("boot: warm QEMU (scripts/lib/warm-qemu.js)", function () {
  this.timeout(120000);
  let kernel;
  before(function () {
    this.timeout(300000);
    kernel = kernelImage();
  });

  it("boots the image written after SeaBIOS started waiting, from a paused QEMU resumed (its RAM touched ahead, as the watcher's)", async () => {
    const release = await acquire();
    try {
      // An all-zero placeholder: had SeaBIOS read the disk before go(), it would have found no
      // boot sector and never run the kernel.
      const warm = new WarmQemu({ opts: OPTS, imageBytes: kernel.imageBytes, paused: true, prealloc: true });
      assert.ok(commandLine(warm).includes("-mem-prealloc"), commandLine(warm).join(" "));
      await warm.resume();
      const child = await warm.go(kernel.image);
      assert.ok(child, "the warm QEMU declined a same-size image");
      const { serial, code } = await finish(child, 100000);
      assert.match(serial, /^tsk: /m, serial);
      assert.match(serial, /^boot: ok\r?$/m, serial);
      assert.strictEqual(code, EXIT_SUCCESS, serial);
      assert.ok(!fs.existsSync(warm.dir), "its placeholder and sockets are removed");
    } finally {
      release();
    }
  });

  it("declines an image of another size (the caller boots cold) and stops its QEMU; touches no RAM ahead above PREALLOC_MAX_MIB", async () => {
    const release = await acquire();
    try {
      const warm = new WarmQemu({ opts: { ...OPTS, mem: `${PREALLOC_MAX_MIB * 2}M` }, imageBytes: kernel.imageBytes + 512, prealloc: true });
      assert.ok(!commandLine(warm).includes("-mem-prealloc"), commandLine(warm).join(" "));
      assert.strictEqual(await warm.go(kernel.image), null);
      await new Promise((r) => (warm.exited ? r() : warm.child.on("exit", r)));
      assert.ok(!fs.existsSync(warm.dir));
      assert.strictEqual(await warm.go(kernel.image), null, "a used warm QEMU boots nothing");
    } finally {
      release();
    }
  });

  it("declines when SeaBIOS stopped waiting and booted the placeholder before the image came", async () => {
    const release = await acquire();
    try {
      const warm = new WarmQemu({ opts: OPTS, imageBytes: kernel.imageBytes, splashMs: 1 });
      while (!/Booting from /.test(fs.readFileSync(warm.debug, "latin1"))) await new Promise((r) => setTimeout(r, 20));
      assert.strictEqual(await warm.go(kernel.image), null);
    } finally {
      release();
    }
  });

  it("dies with the process that started it, and its files go at the next start (a watcher killed outright leaves nothing)", async () => {
    const script = `const { WarmQemu } = require(${JSON.stringify(path.join(__dirname, "../scripts/lib/warm-qemu"))});
      const w = new WarmQemu({ opts: ${JSON.stringify(OPTS)}, imageBytes: 1 << 20, paused: true });
      console.log(w.child.pid, w.dir); setInterval(() => {}, 1000);`;
    const parent = spawn(process.execPath, ["-e", script], { stdio: ["ignore", "pipe", "inherit"] });
    const [pidText, dir] = (await new Promise((r) => parent.stdout.once("data", (d) => r(String(d))))).trim().split(" ");
    const pid = Number(pidText);
    await new Promise((r) => setTimeout(r, 300)); // QEMU is up (or setpriv about to exec it)
    parent.kill("SIGKILL");
    const alive = () => {
      try {
        process.kill(pid, 0);
        return !/^Z/.test(fs.readFileSync(`/proc/${pid}/stat`, "latin1").split(") ")[1] || "");
      } catch {
        return false;
      }
    };
    for (let i = 0; i < 250 && alive(); i++) await new Promise((r) => setTimeout(r, 20));
    const outlived = alive();
    if (outlived) process.kill(pid, "SIGKILL"); // it holds this run's stderr open
    assert.ok(!outlived, `QEMU ${pid} outlived its parent`);
    assert.ok(fs.existsSync(dir), "SIGKILL let nothing clean up");
    if (parent.exitCode === null && parent.signalCode === null) await new Promise((r) => parent.on("exit", r)); // reaped
    sweep(); // what the next WarmQemu does first
    assert.ok(!fs.existsSync(dir), `${dir} outlived its owner`);
  });

  it("refuses an emulator other than QEMU", () => {
    assert.throws(() => new WarmQemu({ opts: { ...OPTS, emulator: "v86" }, imageBytes: 512 }), /needs QEMU/);
  });
});

describe("build: one link when the line table keeps its size", function () {
  this.timeout(300000);
  let dir;
  before(() => {
    const k = kernelImage();
    // A copy of the shared build's link inputs: other suites read that directory meanwhile.
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "tsk-link-"));
    for (const f of [...ASM_OBJECTS.flatMap(([, o]) => [o, `${o}.lst`]), "kernel.o", "lines.bin", "kernel.bin"]) {
      fs.copyFileSync(path.join(k.dir, f), path.join(dir, f));
    }
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("writes the table over the first link's and gets the two-link flow's bytes", () => {
    const objects = [...ASM_OBJECTS.map(([, o]) => path.join(dir, o)), path.join(dir, "kernel.o")];
    const read = () => ["kernel.elf", "kernel.bin", "lines.bin", "lines.o"].map((f) => fs.readFileSync(path.join(dir, f)));
    const builtBin = fs.readFileSync(path.join(dir, "kernel.bin"));
    // The build's table is in lines.bin: the same size as the one this link makes.
    assert.strictEqual(link(dir, objects), 1);
    const one = read();
    fs.unlinkSync(path.join(dir, "lines.bin")); // no previous table: link, table, link again
    assert.strictEqual(link(dir, objects), 2);
    const two = read();
    for (let i = 0; i < one.length; i++) assert.ok(one[i].equals(two[i]), `file ${i} differs between one link and two`);
    // The build's own kernel.bin (its ELF names lines.asm by the build directory's path).
    assert.ok(one[1].equals(builtBin), "the build's own kernel.bin");
    // A table of another size (here: the previous one truncated) needs the second link.
    fs.writeFileSync(path.join(dir, "lines.bin"), two[2].subarray(0, 24));
    assert.strictEqual(link(dir, objects), 2);
    assert.ok(read()[0].equals(two[0]));
  });
});
