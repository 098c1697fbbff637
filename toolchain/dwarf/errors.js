// The DWARF reader's and writer's error: bad or unsupported input, named with its section and
// offset, so a build can say what it could not read instead of producing a wrong line table.
"use strict";
class DwarfError extends Error {}
module.exports = { DwarfError };
