import { helper } from "./helpers/helper";
let counter: u32 = helper(); //! TSK1015
helper(); //! TSK1015
let ok: u32 = 3;
export function f(): u32 {
  return ok;
}
export default function main(): u32 { //! TSK1015
  return 0;
}
