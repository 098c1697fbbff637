// An array can only be indexed or asked its length: not passed, returned, assigned, compared.
const a = new Uint32Array(4);
const b = new Uint32Array(4);

function sum(x: Uint32Array): u32 { //! TSK1035
  return 0;
}

function make(): Uint8Array { //! TSK1035
  return new Uint8Array(2);
}

export function uses(): u32 {
  const c = a; //! TSK1035
  a.fill(0); //! TSK1035
  if (a === b) return 1; //! TSK1035 TSK1035
  return a.byteLength; //! TSK1035
}

export function fine(): u32 {
  return u32(a[0] + a.length + b[a.length - 1]);
}
