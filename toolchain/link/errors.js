// The linker's one error type. Every failure the user can cause (an undefined or twice-defined
// symbol, a relocation it does not know, a script it cannot read, an ASSERT that fails) is a
// LinkError whose message names the object and symbol involved; the CLI prints it as
// `link: <message>` and exits 1, as ld prints `ld: ...`.
"use strict";

class LinkError extends Error {}

module.exports = { LinkError };
