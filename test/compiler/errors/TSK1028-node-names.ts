// Node runs each module inside function (exports, require, module, __filename, __dirname): a
// declaration of one of those names shadows the wrapper's, and the transpiled module uses them.
export const exports: u32 = 1; //! TSK1028
let module: u32 = 2; //! TSK1028
export function require(): u32 { //! TSK1028
  return 3;
}
export function f(__dirname: u32): u32 { //! TSK1028
  const __filename: u32 = 4; //! TSK1028
  return __filename;
}
export const __esModule: boolean = true; //! TSK1028
function g(): u32 {
  return 5;
}
export { g as module }; //! TSK1028
enum E {
  __proto__ = 1, //! TSK1028
}
