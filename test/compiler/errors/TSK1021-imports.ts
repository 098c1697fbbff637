import * as fs from "fs"; //! TSK1021 TS2591
export function f(): u32 {
  return 0;
}
import { helper } from "./helpers/helper.js"; //! TSK1021
