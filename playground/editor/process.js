// The `process` the page's bundle sees (esbuild's inject, so it stays inside the bundle: a global
// `process` would make libv86 and TypeScript think they run under Node). Only what the compiler
// and toolchain/asm read: the working directory is the root of the page's virtual file system.
export const process = { cwd: () => "/tsk", env: {}, platform: "browser", browser: true, argv: [], versions: {} };
export { Buffer } from "buffer/";
