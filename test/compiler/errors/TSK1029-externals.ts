import { twin as other } from "./helpers/extern-twin";
/** @extern */
function _start(): void {} //! TSK1029
/** @extern */
function memcpy(): void {} //! TSK1029
/** @extern */
function faultHandler(): void {
  other();
  _start();
  memcpy();
}
export function kmain(): void {
  faultHandler();
}
export function UART(): void {} //! TSK1029
export function twin(): void {} //! TSK1029
function entry(): u32 {
  return 0;
}
export { entry as main, entry as start }; //! TSK1029
