/** @extern */
export function main(): u32 { //! TSK1001
  return 0;
}
/** @extern for assembly */
function helper(): void {}
