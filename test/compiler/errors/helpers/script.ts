// A script (no import or export): its enum is global to the checker, but Node never runs this file.
enum Phantom {
  Yes = 1,
}
