function g(): u32 {
  return 1;
}
export { g as default }; //! TSK1015
