// An enum other modules may use as a type and by member, but not to compute their own members.
export enum Base {
  One = 1,
  Two = 2,
}
