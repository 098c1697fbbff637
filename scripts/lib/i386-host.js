// Running i386 (gcc -m32) host programs, which the differential tests and bench:compiler build to
// measure the code the kernel runs. Directly where the host kernel executes i386 ELF (IA32
// emulation); otherwise through Debian's qemu-i386 user-mode emulator: some hosts (these VMs among
// them) are built without IA32 emulation, and exec of an i386 program there fails with ENOEXEC
// (which execvp then hands to /bin/sh, printing a baffling "Syntax error").
"use strict";
const { spawnSync } = require("child_process");
const { which } = require("./build");

const LOADER = "/lib/ld-linux.so.2"; // the i386 dynamic loader: itself an i386 program

let native;
/** True when this host kernel executes i386 programs itself. */
function hostRunsI386() {
  if (native === undefined) {
    const r = spawnSync(LOADER, ["--version"], { encoding: "utf8" });
    native = r.status === 0 && /ld\.so|version/i.test(r.stdout || "");
  }
  return native;
}

/** [command, args] that run the i386 program `exe` here, or an error saying what to install. */
function i386Command(exe, args = []) {
  if (hostRunsI386()) return [exe, args];
  const qemu = which("qemu-i386");
  if (qemu) return [qemu, ["-L", "/", exe, ...args]];
  throw new Error(
    "this host cannot execute i386 programs (its kernel has no IA32 emulation) and qemu-i386 is " +
      "missing: run scripts/setup (it installs Debian's qemu-user) or apt-get install qemu-user",
  );
}

/** How i386 programs run here, for reports: "native" or "qemu-i386 (user mode)". */
function i386Runner() {
  return hostRunsI386() ? "native" : "qemu-i386 (user mode)";
}

module.exports = { hostRunsI386, i386Command, i386Runner };
