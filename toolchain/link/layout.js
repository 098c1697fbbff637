// Layout: which input section goes to which output section (the script's statements in order,
// each claiming the unclaimed sections its patterns match, in file order then section order, as ld
// does; /DISCARD/ drops; non-allocated leftovers such as .debug_* follow as ld's orphans do), then
// addresses (the location counter `.` walked through the script, input sections aligned in place),
// and the values of the symbols the script assigns. Relocation and output are elsewhere.
"use strict";
const { LinkError } = require("./errors");
const { SHT, SHF, SHN } = require("./elf-read");
const { globRegExp } = require("./script");
const { mergeSections, mergedOffset } = require("./merge");
const { commonOrder } = require("./symbols");
const { evaluator, isAbsoluteNumber, DOT } = require("./expr");

const u32 = (v) => Number(BigInt.asUintN(32, v));
const alignUp = (v, a) => (a > 1 ? Math.ceil(v / a) * a : v);
/** Sections an object carries for the linker itself, never placed. */
const isMeta = (s) => s.type === SHT.NULL || s.type === SHT.SYMTAB || s.type === SHT.STRTAB || s.type === SHT.REL ||
  s.type === SHT.RELA || s.name === ".note.GNU-stack";

/** Does a file pattern of an input section description match this object? (by path or basename) */
function fileMatches(re, obj) {
  return re.test(obj.name) || re.test(obj.name.split("/").pop());
}

/**
 * script: parseScript's tree; objects: read objects; globals: resolveSymbols's table;
 * defsyms: Map name -> BigInt; scriptName: for errors.
 * Returns {outputs: [output section], inputs: [placed input], scriptSyms: Map name -> {value,
 * out | null}, entry}.
 */
function layout({ script, objects, globals, defsyms, scriptName }) {
  const where = (line) => `${scriptName}:${line}`;
  // --- 1. every input section, plus one COMMON pseudo-section per object owning common symbols
  const inputs = [];
  for (const object of objects) {
    object.placed = new Map();
    for (const section of object.sections) {
      if (isMeta(section)) continue;
      const inp = { object, section, name: section.name, out: null, discarded: false, offset: 0,
        size: section.size, align: section.addralign, data: section.data };
      object.placed.set(section.index, inp);
      inputs.push(inp);
    }
    const commons = commonOrder([...globals.values()].filter((g) => g.common && g.common.object === object));
    if (commons.length) {
      let size = 0;
      let align = 1;
      for (const g of commons) {
        size = alignUp(size, g.common.align);
        g.common.offset = size;
        size += g.common.size;
        align = Math.max(align, g.common.align);
      }
      const section = { index: -1, name: "COMMON", type: SHT.NOBITS, flags: SHF.ALLOC | SHF.WRITE, addralign: align, size, data: null, entsize: 0 };
      const inp = { object, section, name: "COMMON", out: null, discarded: false, offset: 0, size, align, data: null, commons };
      for (const g of commons) g.common.input = inp;
      object.placed.set(-1, inp);
      inputs.push(inp);
    }
  }

  // --- 2. assignment of input sections to output sections, in statement order
  const outputs = [];
  for (const st of script.statements) {
    if (st.k !== "section") continue;
    const discard = st.name === "/DISCARD/";
    const out = { name: st.name, stmt: st, members: [], addr: 0, size: 0, align: 1, discard, noload: st.noload };
    st.out = out;
    for (const item of st.contents) {
      if (item.k !== "input") continue;
      const fileRe = globRegExp(item.file);
      const secRes = item.sections.map(globRegExp);
      item.members = [];
      for (const object of objects) {
        if (!fileMatches(fileRe, object)) continue;
        for (const inp of inputs) {
          if (inp.object !== object || inp.out || inp.discarded) continue;
          if (!secRes.some((re) => re.test(inp.name))) continue;
          if (discard) inp.discarded = true;
          else {
            inp.out = out;
            item.members.push(inp);
            out.members.push(inp);
          }
        }
      }
    }
    if (!discard) outputs.push(out);
  }
  // Orphans: non-allocated sections (debug info) go after the script's sections, one output
  // section per name in first-seen order, as ld places them; an allocated orphan is an error,
  // because where ld would guess to put it decides the image layout.
  const orphans = new Map();
  for (const inp of inputs) {
    if (inp.out || inp.discarded) continue;
    if (inp.section.flags & SHF.ALLOC) {
      if (!inp.size) { inp.discarded = true; continue; }
      throw new LinkError(`${inp.object.name}: section ${inp.name} is not placed by ${scriptName} (allocated sections must be named in SECTIONS)`);
    }
    if (!inp.size) { inp.discarded = true; continue; }
    let out = orphans.get(inp.name);
    if (!out) {
      out = { name: inp.name, stmt: null, members: [], addr: 0, size: 0, align: 1, discard: false, noload: false, orphan: true };
      orphans.set(inp.name, out);
    }
    inp.out = out;
    out.members.push(inp);
  }
  for (const inp of inputs) if (inp.discarded) inp.out = null;

  // --- 3. merge SHF_MERGE sections (sizes change before addresses are given)
  const allOut = [...outputs, ...orphans.values()];
  mergeSections(allOut.flatMap((out) => out.members));
  // A merged section whose strings all live elsewhere now takes no space (bfd excludes it).
  for (const inp of inputs) if (inp.group && !inp.first) inp.gone = true;

  // --- 4. addresses: walk the script with the location counter
  const scriptSyms = new Map();
  for (const [name, v] of defsyms) scriptSyms.set(name, { value: u32(v), out: null, abs: true });
  const env = { dot: 0, last: null };
  const placedOut = [];

  const symValue = (name, line) => {
    if (scriptSyms.has(name)) return BigInt(scriptSyms.get(name).value);
    const g = globals.get(name);
    if (g && (g.sym || g.common)) {
      const a = globalAddress(g);
      if (a !== null) return BigInt(a);
      throw new LinkError(`${where(line)}: symbol \`${name}' is used before its section is placed`);
    }
    throw new LinkError(`${where(line)}: undefined symbol \`${name}' referenced in expression`);
  };
  const globalAddress = (g) => {
    if (g.common) return g.common.input.out && g.common.input.out.placed ? g.common.input.out.addr + g.common.input.offset + g.common.offset : null;
    return symbolAddress(g.object, g.sym);
  };
  const symSection = (name) => {
    if (scriptSyms.has(name)) return scriptSyms.get(name).out;
    const g = globals.get(name);
    if (!g) return null;
    if (g.common) return g.common.input.out;
    if (!g.sym || g.sym.shndx === SHN.ABS) return null;
    const inp = g.object.placed.get(g.sym.shndx);
    return inp && inp.out ? inp.out : null;
  };
  const findOut = (name, line) => {
    const o = allOut.find((x) => x.name === name);
    if (!o) throw new LinkError(`${where(line)}: no output section ${name}`);
    if (!o.placed) throw new LinkError(`${where(line)}: section ${name} is used before it is placed`);
    return o;
  };
  const { ev, secOf } = evaluator({
    dot: () => env.dot, symValue, symSection, findOut, where,
    isDefined: (name) => {
      const g = globals.get(name);
      return scriptSyms.has(name) || !!(g && (g.sym || g.common));
    },
    outByName: (name) => allOut.find((x) => x.name === name) || null,
  });

  const assign = (st, out) => {
    if (st.provide) {
      const g = globals.get(st.name);
      if (!g || g.sym || g.common || scriptSyms.has(st.name)) return;
    }
    let v = ev(st.expr, st.line);
    // Inside an output section a bare number is an offset from its start (for `.` and symbols).
    const offset = out && isAbsoluteNumber(st.expr);
    if (offset) v += BigInt(out.addr);
    if (st.op !== "=") {
      const old = st.name === "." ? BigInt(env.dot) : symValue(st.name, st.line);
      const op = st.op.slice(0, -1);
      v = ev({ k: "bin", op, a: { k: "num", v: old }, b: { k: "num", v } }, st.line);
    }
    if (st.name === ".") {
      const nv = u32(v);
      if (out && nv < env.dot) throw new LinkError(`${where(st.line)}: cannot move the location counter backwards (from 0x${env.dot.toString(16)} to 0x${nv.toString(16)}) inside ${out.name}`);
      env.dot = nv;
    } else {
      // ld makes a symbol assigned `.` outside any section relative to the section before it (the
      // one after it when there is none yet).
      const sec = offset ? out : secOf(st.expr, out);
      const dot = sec === DOT;
      scriptSyms.set(st.name, { value: u32(v), out: dot ? env.last : sec, abs: !sec, first: dot && !env.last, line: st.line });
    }
  };

  const asserts = [];
  for (const st of script.statements) {
    if (st.k === "assign") assign(st, null);
    else if (st.k === "assert") asserts.push(st);
    else if (st.k === "section") {
      const out = st.out;
      if (out.discard) continue;
      let align = st.align ? Number(ev(st.align, st.line)) : 1;
      for (const m of out.members) if (!m.gone) align = Math.max(align, m.align);
      const hasSyms = st.contents.some((c) => c.k === "assign" && c.name !== ".");
      const empty = !out.members.some((m) => !m.gone) && !st.contents.some((c) => c.k === "assign" && c.name === ".");
      out.align = align;
      out.addr = st.address ? u32(ev(st.address, st.line)) : (empty && !hasSyms ? env.dot : alignUp(env.dot, align));
      env.dot = out.addr;
      out.placed = true;
      for (const c of st.contents) {
        if (c.k === "assign") assign(c, out);
        else {
          for (const m of c.members) {
            if (m.gone) continue;
            env.dot = alignUp(env.dot, m.align);
            m.offset = env.dot - out.addr;
            env.dot += m.size;
          }
        }
      }
      out.size = env.dot - out.addr;
      out.empty = empty;
      placedOut.push(out);
      if (!empty) env.last = out;
    }
  }
  // Orphans (not allocated): address 0, members packed at their alignment.
  for (const out of orphans.values()) {
    let off = 0;
    for (const m of out.members) {
      if (m.gone) continue;
      off = alignUp(off, m.align);
      m.offset = off;
      off += m.size;
      out.align = Math.max(out.align, m.align);
    }
    out.size = off;
    out.placed = true;
    placedOut.push(out);
  }
  // Symbols assigned outside sections before the first section belong to the section after them.
  for (const s of scriptSyms.values()) {
    if (s.first) s.out = placedOut.find((o) => !o.empty && !o.orphan) || null;
  }

  for (const out of placedOut) {
    out.liveMembers = out.members.filter((m) => !m.gone);
    const types = new Set(out.liveMembers.map((m) => m.section.type));
    out.type = out.noload || (types.size && !types.has(SHT.PROGBITS) && [...types].every((t) => t === SHT.NOBITS)) ? SHT.NOBITS : SHT.PROGBITS;
    out.flags = out.liveMembers.reduce((f, m) => f | (m.section.flags & (SHF.ALLOC | SHF.WRITE | SHF.EXECINSTR)), 0);
    const ms = out.liveMembers.map((m) => m.section);
    const same = ms.length && ms.every((s) => (s.flags & (SHF.MERGE | SHF.STRINGS)) === (ms[0].flags & (SHF.MERGE | SHF.STRINGS)) && s.entsize === ms[0].entsize);
    out.entsize = same ? ms[0].entsize : 0;
    if (same) out.flags |= ms[0].flags & (SHF.MERGE | SHF.STRINGS);
    if (out.empty && !out.orphan && !out.size) out.flags |= SHF.ALLOC;
  }

  /** The final address of a symbol of an object (null while its section is unplaced). */
  function symbolAddress(object, sym) {
    if (sym.shndx === SHN.ABS) return sym.value;
    if (sym.shndx === SHN.COMMON) {
      const g = globals.get(sym.name);
      return globalAddress(g);
    }
    const inp = object.placed.get(sym.shndx);
    if (!inp || !inp.out || !inp.out.placed) return null;
    if (inp.group) {
      const r = mergedOffset(inp, sym.value);
      return r.member.out.addr + r.member.offset + r.offset;
    }
    return inp.out.addr + inp.offset + sym.value;
  }

  for (const st of asserts) {
    if (!ev(st.expr, st.line)) throw new LinkError(`${where(st.line)}: ASSERT failed: ${st.message}`);
  }
  let entry = 0;
  if (script.entry) {
    const name = script.entry;
    const g = globals.get(name);
    if (scriptSyms.has(name)) entry = scriptSyms.get(name).value;
    else if (g && (g.sym || g.common)) entry = globalAddress(g);
    else throw new LinkError(`${scriptName}: entry symbol \`${name}' (ENTRY) is not defined by any object`);
  }
  return { outputs: placedOut, inputs, scriptSyms, entry, symbolAddress, globalAddress };
}

module.exports = { layout };
