// The C backend's names: which names C, its headers, gcc and the linker already mean, and the C
// name of every function, global and local (module-prefixed, never shadowing one another).
import { ArrayObj, Fn, Program, Stmt, Var, Simple } from "../../ir/ir";

// C library names a host build can see (glibc's stdio.h, stdlib.h, string.h, sys/mman.h, as
// included by compiler/runtime/tsk_runtime.h for tsk run) and gcc's predefined lowercase macros:
// a TypeScript name equal to one of these is renamed in C. Generated from the headers with
// gcc -E; regenerate when the runtime includes more.
export const C_LIBRARY_NAMES: ReadonlySet<string> = new Set([
  "a64l",
  "abort",
  "abs",
  "aligned_alloc",
  "alloca",
  "arc4random",
  "arc4random_buf",
  "arc4random_uniform",
  "at_quick_exit",
  "atexit",
  "atof",
  "atoi",
  "atol",
  "atoll",
  "bcmp",
  "bcopy",
  "bsearch",
  "bzero",
  "calloc",
  "clearenv",
  "clearerr",
  "clearerr_unlocked",
  "ctermid",
  "div",
  "dprintf",
  "drand48",
  "drand48_r",
  "ecvt",
  "ecvt_r",
  "erand48",
  "erand48_r",
  "exit",
  "explicit_bzero",
  "fclose",
  "fcvt",
  "fcvt_r",
  "fdopen",
  "feof",
  "feof_unlocked",
  "ferror",
  "ferror_unlocked",
  "fflush",
  "fflush_unlocked",
  "ffs",
  "ffsl",
  "ffsll",
  "fgetc",
  "fgetc_unlocked",
  "fgetpos",
  "fgets",
  "fileno",
  "fileno_unlocked",
  "flockfile",
  "fmemopen",
  "fopen",
  "fprintf",
  "fputc",
  "fputc_unlocked",
  "fputs",
  "fread",
  "fread_unlocked",
  "free",
  "freopen",
  "fscanf",
  "fseek",
  "fseeko",
  "fsetpos",
  "ftell",
  "ftello",
  "ftrylockfile",
  "funlockfile",
  "fwrite",
  "fwrite_unlocked",
  "gcvt",
  "getc",
  "getc_unlocked",
  "getchar",
  "getchar_unlocked",
  "getdelim",
  "getenv",
  "getline",
  "getloadavg",
  "getsubopt",
  "getw",
  "index",
  "initstate",
  "initstate_r",
  "int",
  "jrand48",
  "jrand48_r",
  "l64a",
  "labs",
  "lcong48",
  "lcong48_r",
  "ldiv",
  "llabs",
  "lldiv",
  "lrand48",
  "lrand48_r",
  "madvise",
  "malloc",
  "mblen",
  "mbstowcs",
  "mbtowc",
  "memccpy",
  "memchr",
  "memcmp",
  "memcpy",
  "memmove",
  "memset",
  "mincore",
  "mkdtemp",
  "mkstemp",
  "mkstemps",
  "mktemp",
  "mlock",
  "mlockall",
  "mmap",
  "mprotect",
  "mrand48",
  "mrand48_r",
  "msync",
  "munlock",
  "munlockall",
  "munmap",
  "nrand48",
  "nrand48_r",
  "on_exit",
  "open_memstream",
  "pclose",
  "perror",
  "popen",
  "posix_madvise",
  "posix_memalign",
  "printf",
  "pselect",
  "putc",
  "putc_unlocked",
  "putchar",
  "putchar_unlocked",
  "putenv",
  "puts",
  "putw",
  "qecvt",
  "qecvt_r",
  "qfcvt",
  "qfcvt_r",
  "qgcvt",
  "qsort",
  "quick_exit",
  "rand",
  "rand_r",
  "random",
  "random_r",
  "realloc",
  "reallocarray",
  "realpath",
  "remove",
  "rename",
  "renameat",
  "rewind",
  "rindex",
  "rpmatch",
  "scanf",
  "seed48",
  "seed48_r",
  "select",
  "setbuf",
  "setbuffer",
  "setenv",
  "setlinebuf",
  "setstate",
  "setstate_r",
  "setvbuf",
  "shm_open",
  "shm_unlink",
  "snprintf",
  "sprintf",
  "srand",
  "srand48",
  "srand48_r",
  "srandom",
  "srandom_r",
  "sscanf",
  "stpcpy",
  "stpncpy",
  "strcasecmp",
  "strcasecmp_l",
  "strcat",
  "strchr",
  "strcmp",
  "strcoll",
  "strcoll_l",
  "strcpy",
  "strcspn",
  "strdup",
  "strerror",
  "strerror_l",
  "strerror_r",
  "strlen",
  "strncasecmp",
  "strncasecmp_l",
  "strncat",
  "strncmp",
  "strncpy",
  "strndup",
  "strnlen",
  "strpbrk",
  "strrchr",
  "strsep",
  "strsignal",
  "strspn",
  "strstr",
  "strtod",
  "strtof",
  "strtok",
  "strtok_r",
  "strtol",
  "strtold",
  "strtoll",
  "strtoq",
  "strtoul",
  "strtoull",
  "strtouq",
  "strxfrm",
  "strxfrm_l",
  "system",
  "tempnam",
  "tmpfile",
  "tmpnam",
  "tmpnam_r",
  "ungetc",
  "unsetenv",
  "valloc",
  "vdprintf",
  "vfprintf",
  "vfscanf",
  "void",
  "vprintf",
  "vscanf",
  "vsnprintf",
  "vsprintf",
  "vsscanf",
  "wcstombs",
  "wctomb",
  "stdin",
  "stdout",
  "stderr",
  "linux",
  "unix",
  "i386",
  // glibc's lowercase function-like macros (endian.h, through stdlib.h): gcc -E -dM.
  "be16toh", "be32toh", "be64toh", "htobe16", "htobe32", "htobe64", "htole16", "htole32", "htole64",
  "le16toh", "le32toh", "le64toh",
]);

const C_RESERVED = new Set(
  ("auto break case char const continue default do double else enum extern float for goto if inline int long " +
    "register restrict return short signed sizeof static struct switch typedef union unsigned void volatile while " +
    "main bool true false asm typeof _Bool NULL errno printf exit abort memcpy memset memmove memcmp " +
    "free malloc calloc realloc puts putchar abs labs div rand srand atoi strlen strcmp fprintf stdout stderr " +
    // libc's macros (a function so named would be macro-expanded) and the names the C start-up code
    // and the linker define (_start is the kernel's entry, _init/_fini the C runtime's hooks).
    "assert offsetof alignas alignof static_assert noreturn thread_local complex imaginary " +
    "isalpha isdigit isspace isupper islower toupper tolower getc putc " +
    "_start _init _fini _end _edata etext edata end __bss_start").split(" "),
);

/** Names C or its headers may already mean: keywords, library functions and macros, gcc's
 *  predefined macros, the runtime's, the linker's, `*_t` types, MACROS. */
export function cReserved(name: string): boolean {
  return C_RESERVED.has(name) || C_LIBRARY_NAMES.has(name) || /_t$/.test(name) || /^[A-Z][A-Z0-9_]*$/.test(name) || /^_[A-Z_]/.test(name);
}

const C_KEYWORDS = new Set(
  ("auto break case char const continue default do double else enum extern float for goto if inline int long " +
    "register restrict return short signed sizeof static struct switch typedef union unsigned void volatile while " +
    "bool true false asm typeof _Bool").split(" "),
);

/** Why `name` cannot be an external C symbol, or undefined. `host`: a host build, which sees libc's
 *  headers and has a C main() of its own (tsk run's, or the differential harness's). */
export function externalProblem(name: string, host: boolean): string | undefined {
  if (name === "main") return host ? "the host program's C main() is that symbol" : undefined;
  if (C_KEYWORDS.has(name)) return "it is a C keyword";
  if (name.startsWith("tsk_")) return "names starting tsk_ belong to the tsk runtime";
  if (/^_[A-Z_]/.test(name)) return "names starting with _ and a capital or another _ are reserved to C";
  if (/^[A-Z][A-Z0-9_]*$/.test(name)) return "ALL_CAPS names are C macros (a macro of that name would replace it)";
  if (/_t$/.test(name)) return "names ending _t are C types";
  if (/^_(start|init|fini|end|edata)$|^(etext|edata|end|__bss_start)$/.test(name)) return "the linker or the C start-up code defines that symbol";
  if (/^(linux|unix|i386)$/.test(name)) return "gcc predefines it as a macro";
  if (/^(memcpy|memset|memmove|memcmp)$/.test(name)) return "gcc itself calls that function (block copies and fills), even in a freestanding kernel";
  if (host && cReserved(name)) return "the C library already means that name (a function or a macro of its headers)";
  return undefined;
}

/** The C names of one program: functions and globals first (externals exactly as given), then each
 *  function's locals, apart from every global so no C name ever shadows another. */
export class CNames {
  private readonly globals = new Set<string>();
  private readonly of = new Map<object, string>();

  constructor(p: Program) {
    for (const fn of p.fns) if (fn.linkage.k === "external") this.take(fn, fn.linkage.name);
    for (const fn of p.fns) if (fn.linkage.k === "internal") this.take(fn, this.internal(fn.module.path, fn.name));
    for (const g of p.globals) this.take(g.v, this.internal(g.v.module!.path, g.v.name));
    for (const a of p.arrays) this.take(a, this.internal(a.module.path, a.name));
    for (const fn of p.fns) this.locals(fn);
  }

  name(x: Fn | Var | ArrayObj): string {
    const n = this.of.get(x);
    if (n === undefined) throw new Error(`tsk: internal error: no C name for '${x.name}'`);
    return n;
  }

  private take(x: object, c: string): void {
    this.globals.add(c);
    this.of.set(x, c);
  }

  /** `mem/pat` and `base` -> `mem_pat_base`, renamed away from C's names and numbered when two
   *  distinct TypeScript names meet (a_b.ts's c and a.ts's b_c). */
  private internal(modulePath: string, base: string): string {
    let prefix = modulePath.split("/").map((p) => (p === ".." ? "up" : p.replace(/[^A-Za-z0-9]/g, "_"))).join("_");
    if (/^[0-9]/.test(prefix)) prefix = `m${prefix}`;
    let c = `${prefix}_${base}`;
    if (cReserved(c) || c.startsWith("tsk_")) c = `tsk_${c}`;
    for (let n = 2, first = c; this.globals.has(c); n++) c = `${first}_${n}`;
    return c;
  }

  private locals(fn: Fn): void {
    const used = new Set<string>();
    const local = (v: Var): void => {
      const base = cReserved(v.name) || v.name.startsWith("tsk_") ? `${v.name}_` : v.name;
      let c = base;
      for (let n = 2; used.has(c) || this.globals.has(c); n++) c = `${base}${n}`;
      used.add(c);
      this.of.set(v, c);
    };
    for (const p of fn.params) local(p);
    const simple = (s: Simple | undefined): void => {
      if (s?.k === "decl") local(s.v);
    };
    const walk = (list: Stmt[]): void => {
      for (const s of list) {
        switch (s.k) {
          case "decl":
            simple(s);
            break;
          case "block":
            walk(s.body);
            break;
          case "if":
            walk(s.then);
            if (s.else) walk(s.else);
            break;
          case "while":
          case "do":
            walk(s.body);
            break;
          case "for":
            simple(s.init);
            walk(s.body);
            break;
          case "switch":
            for (const c of s.cases) walk(c.body);
            break;
        }
      }
    };
    walk(fn.body);
  }
}
