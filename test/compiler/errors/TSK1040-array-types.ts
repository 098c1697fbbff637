// The subset's typed arrays hold u8, u16, u32 or i32: the others have no subset element type.
const small = new Int8Array(4); //! TSK1040
const clamped = new Uint8ClampedArray(4); //! TSK1040
const floats = new Float64Array(4); //! TSK1040
const wide = new BigUint64Array(4); //! TSK1040

export function f(): u32 {
  return 0;
}
