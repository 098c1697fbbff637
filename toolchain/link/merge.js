// SHF_MERGE|SHF_STRINGS input sections (gcc's .rodata.str1.N, .debug_str) merged the way GNU ld
// (bfd/merge.c, binutils 2.40) merges them, because the flat binary must be byte-identical to
// ld's: duplicate strings are kept once, a string that is the tail of another kept string points
// into it, and the kept strings stay in first-seen order. Sections are merged together when they
// share flags, entsize, alignment and output section, as bfd groups them. Fixed-size (non-string)
// merge sections are merged too (duplicates dropped). A merge section with relocations is left
// alone, as bfd does.
"use strict";
const { SHF, SHT } = require("./elf-read");

/** bfd's element alignment: the lowest set bit of the offset, capped at the section alignment. */
function eltAlign(off, mask) {
  const low = off & -off;
  return !off || low > mask ? mask + 1 : low;
}

/** A string's key (bytes including its terminator) for the hash table. */
const keyOf = (buf) => buf.toString("latin1");

function isZero(buf, off, n) {
  for (let i = 0; i < n; i++) if (buf[off + i] !== 0) return false;
  return true;
}

/** Length in bytes of the string at `off`, terminator included (an unterminated one runs to the end). */
function strLen(data, off, entsize) {
  let p = off;
  while (p + entsize <= data.length && !isZero(data, p, entsize)) p += entsize;
  return Math.min(p + entsize, data.length + entsize) - off;
}

/** One group of input sections merged together (bfd's sec_merge_info). */
class MergeGroup {
  constructor(strings, entsize) {
    this.strings = strings;
    this.entsize = entsize;
    this.table = new Map(); // key -> entry
    this.entries = []; // first-seen order, deleted ones included (bfd's `first` chain)
    this.members = []; // input sections
  }

  /** sec_merge_add: an existing entry with enough alignment, or a new one. */
  add(bytes, alignment, member) {
    const key = keyOf(bytes);
    const old = this.table.get(key);
    if (old) {
      if (old.alignment >= alignment) return old;
      old.deleted = true; // bfd: "mark the less aligned copy as deleted"
      old.alignment = 0;
      old.len = 0;
    }
    const e = { bytes, len: bytes.length, alignment, member, index: 0, suffix: null, deleted: false };
    this.table.set(key, e);
    this.entries.push(e);
    return e;
  }

  /** record_section: split one input section into entries. */
  record(member) {
    const { data, addralign } = member.section;
    const mask = addralign - 1;
    const es = this.entsize;
    // bfd reads the section with one extra zero entity, for gcc's unterminated strings.
    const padded = Buffer.concat([data, Buffer.alloc(es)]);
    member.padded = padded;
    if (!this.strings) {
      for (let p = 0; p < data.length; p += es) this.add(padded.subarray(p, p + es), 1, member);
      return;
    }
    let nul = false;
    for (let p = 0; p < data.length;) {
      const len = strLen(padded, p, es);
      this.add(padded.subarray(p, p + len), eltAlign(p, mask), member);
      p += len;
      while (p < data.length && isZero(padded, p, es)) {
        if (!nul && !(p & mask)) {
          nul = true;
          this.add(padded.subarray(p, p + es), mask + 1, member);
        }
        p += es;
      }
    }
  }

  /** merge_strings / the non-string branch of _bfd_merge_sections: indices and member sizes. */
  finish() {
    const es = this.entsize;
    const live = this.entries.filter((e) => e.alignment);
    if (this.strings && live.length) {
      let alignment = 0;
      for (const e of live) {
        e.len -= es; // sort on the string without its terminator
        if (alignment !== e.alignment) alignment = alignment === 0 ? e.alignment : -1;
      }
      const cmpBytes = (A, B) => {
        let s = A.len - 1;
        let t = B.len - 1;
        for (let l = Math.min(A.len, B.len); l; l--, s--, t--) {
          if (A.bytes[s] !== B.bytes[t]) return A.bytes[s] - B.bytes[t];
        }
        return A.len - B.len;
      };
      const cmp = alignment !== -1 && alignment > es
        ? (A, B) => ((A.len & (A.alignment - 1)) - (B.len & (A.alignment - 1))) || cmpBytes(A, B)
        : cmpBytes;
      const sorted = live.slice().sort(cmp);
      let e = sorted[sorted.length - 1];
      e.len += es;
      for (let i = sorted.length - 2; i >= 0; i--) {
        const c = sorted[i];
        c.len += es;
        if (e.alignment >= c.alignment && !((e.len - c.len) & (c.alignment - 1)) && e.len > c.len &&
            e.bytes.subarray(e.len - c.len, e.len).equals(c.bytes.subarray(0, c.len))) {
          c.suffix = e;
          c.alignment = 0;
        } else e = c;
      }
    }
    // Kept entries are laid out in first-seen order, each in the member that first held it.
    let size = 0;
    let cur = null;
    for (const e of this.entries) {
      if (!e.alignment) continue;
      if (e.member !== cur) {
        if (cur) cur.size = size;
        cur = e.member;
        cur.first = cur.first || e;
        size = 0;
      }
      size = (size + e.alignment - 1) & ~(e.alignment - 1);
      e.index = size;
      size += e.len;
    }
    if (cur) {
      cur.size = size;
      // merge_strings rounds the last section up to its alignment.
      if (this.strings) cur.size = (size + cur.section.addralign - 1) & -cur.section.addralign;
    }
    for (const e of this.entries) {
      if (e.alignment || !e.suffix) continue;
      e.member = e.suffix.member;
      e.index = e.suffix.index + (e.suffix.len - e.len);
    }
    // bfd pads the last section to the group's alignment when every input size was a multiple of it.
    const align = this.members.every((m) => m.section.size % m.section.addralign === 0) ? this.members[0].section.addralign : 0;
    for (const m of this.members) {
      if (!m.first) m.size = 0;
      else if (m === cur && align) m.size = (m.size + align - 1) & -align;
    }
  }

  /** The merged bytes of one member (sec_merge_emit). */
  contents(member) {
    const out = Buffer.alloc(member.size);
    let off = 0;
    for (const e of this.entries) {
      if (!e.alignment || e.member !== member) continue;
      off = (off + e.alignment - 1) & ~(e.alignment - 1);
      e.bytes.copy(out, off, 0, e.len);
      off += e.len;
    }
    return out;
  }
}

/** _bfd_merged_section_offset: where offset `off` of a merged input section ended up:
 *  {member, offset} (the member holding the string now, and the offset inside it). */
function mergedOffset(member, off) {
  const { group, section, padded } = member;
  if (off >= section.size) return { member, offset: member.first ? member.size : 0 };
  const es = group.entsize;
  let p;
  if (group.strings) {
    p = Math.floor(off / es) * es - es;
    while (p >= 0 && !isZero(padded, p, es)) p -= es;
    p += es;
  } else p = Math.floor(off / es) * es;
  const len = group.strings ? strLen(padded, p, es) : es;
  let e = group.table.get(keyOf(padded.subarray(p, p + len)));
  if (!e || e.deleted) {
    // Inside the padding after a string: bfd points past the section's first entry.
    e = group.entries.find((x) => x.alignment);
    p = (Math.floor(off / es) + 1) * es - e.len;
  }
  return { member: e.member, offset: e.index + (off - p) };
}

/** Which input sections merge: bfd's conditions in _bfd_add_merge_section. */
function mergeable(section, hasRelocs) {
  if (!(section.flags & SHF.MERGE) || section.type !== SHT.PROGBITS) return false;
  if (!section.size || !section.entsize || section.size % section.entsize) return false;
  if (hasRelocs) return false;
  const align = section.addralign;
  const { entsize } = section;
  const strings = !!(section.flags & SHF.STRINGS);
  if (entsize < align && ((entsize & (entsize - 1)) || !strings)) return false;
  if (entsize > align && (entsize & (align - 1))) return false;
  return true;
}

/**
 * Merges the mergeable members of each output section. members: [{section, object, out}] in link
 * order. Sets on each mergeable member: group, size (its merged size), first (or null: it
 * vanished) and data (the merged bytes), used by layout and relocation.
 */
function mergeSections(members) {
  const groups = [];
  for (const m of members) {
    const s = m.section;
    if (!mergeable(s, m.object.relocs.has(s.index))) continue;
    const strings = !!(s.flags & SHF.STRINGS);
    let g = groups.find((x) => x.out === m.out && x.flags === (s.flags & (SHF.MERGE | SHF.STRINGS)) &&
      x.group.entsize === s.entsize && x.align === s.addralign);
    if (!g) {
      g = { out: m.out, flags: s.flags & (SHF.MERGE | SHF.STRINGS), align: s.addralign, group: new MergeGroup(strings, s.entsize) };
      groups.push(g);
    }
    m.group = g.group;
    m.first = null;
    g.group.members.push(m);
  }
  for (const { group } of groups) {
    for (const m of group.members) group.record(m);
    group.finish();
    for (const m of group.members) m.data = group.contents(m);
  }
}

module.exports = { mergeSections, mergedOffset };
