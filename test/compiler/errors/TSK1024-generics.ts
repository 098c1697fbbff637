export function id<T>(x: T): T { //! TSK1024 TSK1002 TSK1002
  return x;
}
