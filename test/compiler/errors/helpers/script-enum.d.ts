// A declaration file: the checker sees its enum, Node never loads anything for it.
declare enum Ghost {
  Boo = 3,
}
